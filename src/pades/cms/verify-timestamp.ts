/**
 * Verifies an RFC 3161 TimeStampToken: a SignedData over a TSTInfo whose message imprint must be the hash
 * of the timestamped bytes (for a signature timestamp: the signature value), signed by a certificate
 * with the timeStamping extended key usage. The TSA's chain and revocation are checked elsewhere.
 */
import { createHash, type X509Certificate } from 'node:crypto'
import { HASH_BY_OID, OID } from './oids.ts'
import { CmsFormatError, parseCms } from './parse-cms.ts'
import { parseTstInfo, type TstInfo } from './tsp.ts'
import { type SignerReason, verifySigner } from './verify-signer.ts'

export type TimestampReason =
  /** Not a SignedData holding a TSTInfo. */
  | 'malformed'
  /** The imprint is not the hash of the timestamped bytes (or uses an unknown hash). */
  | 'imprint-mismatch'
  | 'nonce-mismatch'
  /** The signer certificate lacks the timeStamping extended key usage. */
  | 'tsa-not-timestamping'
  | `token-${SignerReason}`

export interface TimestampVerification {
  valid: boolean
  reasons: TimestampReason[]
  tstInfo?: TstInfo
  /** The TSA's time, when the token could be read. */
  genTime?: Date
  tsaCertificate?: X509Certificate
  certificates: X509Certificate[]
}

export function verifyTimestampToken(
  token: Uint8Array,
  expected: { data: Uint8Array; nonce?: bigint; extraCertificates?: Uint8Array[] },
): TimestampVerification {
  const result: TimestampVerification = { valid: false, reasons: [], certificates: [] }
  let tstInfo: TstInfo
  let eContent: Buffer
  let signedData: ReturnType<typeof parseCms>
  try {
    signedData = parseCms(token)
    if (signedData.eContentType !== OID.tstInfo || !signedData.eContent)
      throw new CmsFormatError('no TSTInfo')
    eContent = signedData.eContent
    tstInfo = parseTstInfo(eContent)
  } catch {
    result.reasons.push('malformed')
    return result
  }
  Object.assign(result, { tstInfo, genTime: tstInfo.genTime })
  const imprintHash = HASH_BY_OID[tstInfo.hashAlgorithm]
  const imprint = imprintHash ? createHash(imprintHash).update(expected.data).digest() : undefined
  if (!imprint?.equals(tstInfo.hashedMessage)) result.reasons.push('imprint-mismatch')
  if (expected.nonce !== undefined && tstInfo.nonce !== expected.nonce) result.reasons.push('nonce-mismatch')
  const digestOf = (hash: string) => createHash(hash).update(eContent).digest()
  const signer = verifySigner(signedData, digestOf, expected.extraCertificates)
  result.certificates = signer.certificates
  result.tsaCertificate = signer.signerCertificate
  result.reasons.push(...signer.reasons.map((reason) => `token-${reason}` as const))
  // RFC 3161 2.3: the TSA certificate carries the timeStamping extended key usage.
  if (signer.signerCertificate && !signer.signerCertificate.keyUsage?.includes(OID.timeStamping)) {
    result.reasons.push('tsa-not-timestamping')
  }
  result.valid = result.reasons.length === 0
  return result
}
