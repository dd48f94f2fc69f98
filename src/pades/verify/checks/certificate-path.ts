/**
 * Check 5 — certificate path: RFC 5280 path building and validation (../../x509/path-validation.ts) for
 * the signer (purpose document signing) or the TSA of a document timestamp, at the validation time.
 */
import type { X509Certificate } from 'node:crypto'
import { type PathPurpose, type PathReason, validatePath } from '../../x509/path-validation.ts'
import type { SignatureReason } from '../report.ts'

export interface PathCheck {
  trusted: boolean
  path: X509Certificate[]
  reasons: SignatureReason[]
  /** Every certificate of the path was valid at the validation time. */
  validAtTime: boolean
  keyUsageOk: boolean
}

export function checkCertificatePath(input: {
  signer: X509Certificate
  pool: X509Certificate[]
  anchors: X509Certificate[]
  at: Date
  purpose: PathPurpose
  /** The validation time is the verification time (no proof of existence). */
  withoutProof: boolean
}): PathCheck {
  const result = validatePath(input.signer, input.pool, input.anchors, {
    at: input.at,
    purpose: input.purpose,
  })
  const reasons = result.reasons.map((reason) => mapReason(reason, input.withoutProof))
  return {
    trusted: result.trusted,
    path: result.path,
    reasons: [...new Set(reasons)],
    validAtTime: !result.reasons.includes('certificate-expired'),
    keyUsageOk: !result.reasons.includes('key-usage') && !result.reasons.includes('extended-key-usage'),
  }
}

function mapReason(reason: PathReason, withoutProof: boolean): SignatureReason {
  if (reason === 'certificate-expired' && withoutProof) return 'expired-no-poe'
  return reason
}
