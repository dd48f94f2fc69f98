import { describe, expect, it } from 'vitest'
import { provenTime } from '../../../src/pades/verify/checks/time.ts'

const now = new Date('2026-12-07T10:00:00Z')
const at = (iso: string) => new Date(iso)

describe('check 7 — time: proofs of existence', () => {
  it('GIVEN no timestamp WHEN the time is chosen THEN the current time: a claimed /M is never a proof', () => {
    expect(provenTime({ signatureTimestamp: undefined, revision: 1, documentTimestamps: [], now })).toEqual({
      proof: undefined,
      source: 'verification-time',
      at: now,
    })
  })

  it('GIVEN a trusted signature timestamp THEN its time', () => {
    const ts = at('2026-01-01T00:00:00Z')
    expect(provenTime({ signatureTimestamp: ts, revision: 1, documentTimestamps: [], now })).toMatchObject({
      proof: ts,
      source: 'timestamp',
    })
  })

  it('GIVEN document timestamps WHEN one covers the revision THEN the earliest covering one; one before it proves nothing', () => {
    const proofs = [
      { revision: 1, genTime: at('2025-01-01T00:00:00Z') },
      { revision: 3, genTime: at('2026-03-01T00:00:00Z') },
      { revision: 5, genTime: at('2026-06-01T00:00:00Z') },
    ]
    expect(
      provenTime({ signatureTimestamp: undefined, revision: 2, documentTimestamps: proofs, now }),
    ).toMatchObject({
      proof: at('2026-03-01T00:00:00Z'),
      source: 'document-timestamp',
    })
    expect(
      provenTime({
        signatureTimestamp: at('2026-02-01T00:00:00Z'),
        revision: 2,
        documentTimestamps: proofs,
        now,
      }).source,
    ).toBe('timestamp')
  })
})
