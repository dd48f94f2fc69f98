import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { enFirstHour } from '../../src/web/i18n/en-firsthour.ts'
import { enOutgoing } from '../../src/web/i18n/en-outgoing.ts'
import { enRecords } from '../../src/web/i18n/en-records.ts'
import { enSigning } from '../../src/web/i18n/en-signing.ts'
import { enTimeline } from '../../src/web/i18n/en-timeline.ts'
import { enVerification } from '../../src/web/i18n/en-verification.ts'
import { viFirstHour } from '../../src/web/i18n/vi-firsthour.ts'
import { viOutgoing } from '../../src/web/i18n/vi-outgoing.ts'
import { viRecords } from '../../src/web/i18n/vi-records.ts'
import { viSigning } from '../../src/web/i18n/vi-signing.ts'
import { viTimeline } from '../../src/web/i18n/vi-timeline.ts'
import { viVerification } from '../../src/web/i18n/vi-verification.ts'

/** The keys `vi.ts` / `en.ts` write themselves, after spreading the capability catalogues. */
function ownKeys(file: string): string[] {
  const source = readFileSync(path.resolve(import.meta.dirname, '../../src/web/i18n', file), 'utf8')
  return [...source.matchAll(/^ {2}'([^']+)':/gm)].map((match) => match[1]!)
}

/**
 * The catalogues are spread into one object, so a key defined twice silently takes the last text: the
 * outgoing status "Đang cho ý kiến" became "Đang trình duyệt" that way after two branches met.
 */
describe.each([
  { lang: 'vi', main: 'vi.ts', parts: { viSigning, viRecords, viOutgoing, viTimeline, viFirstHour, viVerification } },
  { lang: 'en', main: 'en.ts', parts: { enSigning, enRecords, enOutgoing, enTimeline, enFirstHour, enVerification } },
])('the $lang message catalogues', ({ main, parts }) => {
  it('GIVEN every catalogue WHEN their keys are put together THEN no key is defined twice', () => {
    const owners = new Map<string, string[]>()
    const add = (key: string, owner: string) => owners.set(key, [...(owners.get(key) ?? []), owner])
    for (const [name, catalogue] of Object.entries(parts)) for (const key of Object.keys(catalogue)) add(key, name)
    for (const key of ownKeys(main)) add(key, main)
    const twice = [...owners].filter(([, where]) => where.length > 1).map(([key, where]) => `${key}: ${where.join(', ')}`)
    expect(twice).toEqual([])
  })
})
