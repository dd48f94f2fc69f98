import { PDFContext, PDFString } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { fieldLockOf, isLocked, judgeChanges } from '../../../src/pades/verify/checks/docmdp.ts'
import type { Change, UpdateAnalysis } from '../../../src/pades/verify/modifications/diff.ts'

const change = (kind: Change['kind'], level: Change['level'], revision = 2, field?: string): Change => ({
  revision,
  object: '9 0 R',
  kind,
  level,
  ...(field ? { field } : {}),
})
const update = (changes: Change[], extra: Partial<UpdateAnalysis> = {}): UpdateAnalysis => ({
  revision: changes[0]?.revision ?? 2,
  changes,
  filledFields: [],
  signedFields: [],
  complete: true,
  ...extra,
})
const judge = (
  updates: UpdateAnalysis[],
  level: Change['level'],
  certification?: 1 | 2 | 3,
  lock?: Parameters<typeof isLocked>[0],
) => judgeChanges({ revision: 1, updates, level, certification, lock, unknown: false })

describe('check 9 — DocMDP and FieldMDP', () => {
  it('GIVEN form filling and a new signature after P=2 THEN allowed; the same after P=1 THEN a DocMDP violation', () => {
    const updates = [
      update([change('form-filled', 'form-fill', 2, 'so')], { filledFields: ['so'] }),
      update([change('signature-added', 'signing', 3)]),
    ]
    expect(judge(updates, 'form-fill', 2)).toMatchObject({ modification: 'allowed', docMdpViolated: false })
    expect(judge(updates, 'lta', 1)).toMatchObject({ modification: 'not-allowed', docMdpViolated: true })
  })

  it('GIVEN only DSS and a document timestamp, each in its own update, after P=1 THEN nothing modified', () => {
    const updates = [
      update([change('dss', 'lta', 2)]),
      update([change('document-timestamp-added', 'lta', 3), change('form-plumbing', 'lta', 3)], {
        signedFields: [{ name: 'ts', documentTimestamp: true, visible: false }],
      }),
    ]
    expect(judge(updates, 'lta', 1)).toMatchObject({ modification: 'none', docMdpViolated: false })
  })

  it('GIVEN P=1 and an update carrying a document timestamp and a DSS change together THEN a violation', () => {
    const updates = [
      update([change('document-timestamp-added', 'lta', 2), change('dss', 'lta', 2)], {
        signedFields: [{ name: 'ts', documentTimestamp: true, visible: false }],
      }),
    ]
    expect(judge(updates, 'lta', 1)).toMatchObject({ modification: 'not-allowed', docMdpViolated: true })
  })

  it('GIVEN a forbidden change or an annotation after an approval signature THEN not allowed; earlier updates do not count', () => {
    expect(judge([update([change('annotation-added', 'annotation')])], 'form-fill').modification).toBe(
      'not-allowed',
    )
    expect(judge([update([change('content-modified', 'forbidden', 1)])], 'form-fill').modification).toBe(
      'none',
    )
    expect(judge([update([change('dss', 'lta')], { complete: false })], 'form-fill').modification).toBe(
      'unknown',
    )
  })

  it('GIVEN a FieldMDP lock WHEN a locked field is filled THEN fieldmdp violated; an excluded field stays free', () => {
    const filled = [update([change('form-filled', 'form-fill', 2, 'so')], { filledFields: ['so'] })]
    expect(judge(filled, 'form-fill', undefined, { action: 'Include', fields: ['so'] })).toMatchObject({
      modification: 'not-allowed',
      fieldMdpViolated: true,
    })
    expect(judge(filled, 'form-fill', undefined, { action: 'Exclude', fields: ['so'] })).toMatchObject({
      modification: 'allowed',
      fieldMdpViolated: false,
    })
    expect(isLocked({ action: 'All', fields: [] }, 'any')).toBe(true)
    expect(isLocked({ action: 'Include', fields: ['a'] }, 'a.b')).toBe(true)
  })

  it('GIVEN a signature field with a /Lock dictionary WHEN read THEN its action and fields', () => {
    const context = PDFContext.create()
    const field = context.obj({
      Lock: { Type: 'SigFieldLock', Action: 'Include', Fields: [PDFString.of('so')] },
    })
    expect(fieldLockOf(context, context.obj({}), field)).toEqual({ action: 'Include', fields: ['so'] })
    expect(fieldLockOf(context, context.obj({}), context.obj({}))).toBeUndefined()
  })
})
