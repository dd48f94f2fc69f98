import { describe, expect, it } from 'vitest'
import { documentVerdictOf, finishSignature } from '../../../src/pades/verify/checks/verdict.ts'
import type { SignatureReason, SignatureReport } from '../../../src/pades/verify/report.ts'

const signature = (reasons: SignatureReason[], modification: SignatureReport['modification'] = 'none') =>
  finishSignature({ reasons: [], modification, level: 'B-B' } as unknown as SignatureReport, reasons)

describe('check 10 — verdicts', () => {
  it('GIVEN reasons WHEN a signature is finished THEN invalid beats indeterminate beats valid, informational ones change nothing', () => {
    expect(signature(['not-whole-file', 'revocation-unknown', 'digest-mismatch'])).toMatchObject({
      verdict: 'invalid',
      reason: 'digest-mismatch',
      reasons: ['digest-mismatch', 'revocation-unknown', 'not-whole-file'],
      level: null,
    })
    expect(signature(['not-whole-file', 'changes-allowed'])).toMatchObject({
      verdict: 'valid',
      reason: 'not-whole-file',
    })
    expect(signature(['modified-after-signing']).verdict).toBe('indeterminate')
  })

  it('GIVEN signatures WHEN the document is judged THEN invalid > modified > indeterminate > valid-with-allowed-changes > valid', () => {
    const judge = (
      signatures: SignatureReport[],
      extra: Partial<Parameters<typeof documentVerdictOf>[0]> = {},
    ) => documentVerdictOf({ signatures, findings: [], stripped: false, cloned: false, ...extra }).verdict
    const valid = signature([])
    expect(judge([valid])).toBe('valid')
    expect(judge([signature(['changes-allowed'], 'allowed'), valid])).toBe('valid-with-allowed-changes')
    expect(judge([valid, signature(['revocation-unknown'])])).toBe('indeterminate')
    expect(judge([valid], { findings: [{ code: 'trailing-data', bytes: 3, objects: false }] })).toBe(
      'indeterminate',
    )
    expect(
      judge([signature(['modified-after-signing'], 'not-allowed'), signature(['revocation-unknown'])]),
    ).toBe('modified')
    expect(judge([valid], { stripped: true })).toBe('modified')
    // A DocMDP violation is a modification of the document, not a broken signature.
    expect(judge([signature(['docmdp-violation'], 'not-allowed')])).toBe('modified')
    expect(judge([signature(['docmdp-violation'], 'not-allowed'), signature(['digest-mismatch'])])).toBe(
      'invalid',
    )
    expect(documentVerdictOf({ signatures: [], findings: [], stripped: false, cloned: false })).toEqual({
      verdict: 'indeterminate',
      reasons: ['no-signatures'],
    })
  })
})
