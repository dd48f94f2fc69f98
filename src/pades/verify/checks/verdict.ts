/**
 * Check 10 — verdict: each signature's verdict from its reasons (invalid beats indeterminate beats
 * valid; informational reasons never change it), then the document's.
 *
 * Document verdict, the first that applies: `invalid` (some signature is invalid other than for changes
 * made after it) > `modified` (changes some signature does not permit, or a stripped or cloned signature)
 * > `indeterminate` (some signature indeterminate, a revision that cannot be analysed, trailing bytes, a
 * damaged file, no signature at all) > `valid-with-allowed-changes` (form filling, or annotations under
 * P=3, after some signature) > `valid`.
 */
import {
  type DocumentReason,
  type DocumentVerdict,
  INFORMATIONAL_REASONS,
  INVALID_REASONS,
  type SignatureReason,
  type SignatureReport,
} from '../report.ts'
import type { StructureFinding } from './structure.ts'

const INVALID = new Set<SignatureReason>(INVALID_REASONS)
const INFORMATIONAL = new Set<SignatureReason>(INFORMATIONAL_REASONS)
/** Invalid because of what came after the signature: the document is modified, the signature was fine. */
const MODIFICATION_REASONS = new Set<SignatureReason>(['docmdp-violation', 'fieldmdp-violation'])

/** Orders the reasons (verdict-setting first) and sets verdict and reason; an invalid one has no level. */
export function finishSignature(report: SignatureReport, reasons: SignatureReason[]): SignatureReport {
  const unique = [...new Set(reasons)]
  const failing = unique.filter((r) => INVALID.has(r))
  const undecided = unique.filter((r) => !INVALID.has(r) && !INFORMATIONAL.has(r))
  const info = unique.filter((r) => INFORMATIONAL.has(r))
  report.reasons = [...failing, ...undecided, ...info]
  report.verdict = failing.length > 0 ? 'invalid' : undecided.length > 0 ? 'indeterminate' : 'valid'
  report.reason = report.reasons[0] ?? null
  if (report.verdict === 'invalid') report.level = null
  return report
}

export function documentVerdictOf(input: {
  signatures: SignatureReport[]
  findings: StructureFinding[]
  /** Some signature of an earlier revision is held by no field of the final one. */
  stripped: boolean
  /** Some field reuses a signature signed in another revision. */
  cloned: boolean
}): { verdict: DocumentVerdict; reasons: DocumentReason[] } {
  const { signatures, findings } = input
  const reasons: DocumentReason[] = []
  const invalid = signatures.some(
    (s) => s.verdict === 'invalid' && s.reasons.some((r) => INVALID.has(r) && !MODIFICATION_REASONS.has(r)),
  )
  if (invalid) reasons.push('signature-invalid')
  if (signatures.some((s) => s.modification === 'not-allowed')) reasons.push('modified')
  if (input.stripped) reasons.push('signature-stripped')
  if (input.cloned) reasons.push('signature-cloned')
  for (const code of [
    'damaged',
    'trailing-data',
    'revision-chain-broken',
    'xref-offset-wrong',
    'unlisted-object',
  ] as const)
    if (findings.some((finding) => finding.code === code)) reasons.push(code)
  if (signatures.some((s) => s.modification === 'unknown')) reasons.push('changes-unknown')
  if (signatures.some((s) => s.verdict === 'indeterminate')) reasons.push('signature-indeterminate')
  if (signatures.length === 0) reasons.push('no-signatures')
  if (signatures.some((s) => s.modification === 'allowed')) reasons.push('changes-allowed')
  const has = (...codes: DocumentReason[]) => codes.some((code) => reasons.includes(code))
  const verdict: DocumentVerdict = has('signature-invalid')
    ? 'invalid'
    : has('modified', 'signature-stripped', 'signature-cloned')
      ? 'modified'
      : has(
            'damaged',
            'trailing-data',
            'revision-chain-broken',
            'xref-offset-wrong',
            'unlisted-object',
            'changes-unknown',
            'signature-indeterminate',
            'no-signatures',
          )
        ? 'indeterminate'
        : has('changes-allowed')
          ? 'valid-with-allowed-changes'
          : 'valid'
  return { verdict, reasons }
}
