/**
 * Verification building blocks for a PAdES signature's CMS: given /Contents and the digest of the byte
 * ranges, checks the SignerInfo (message digest, signature, signer certificate, signing-certificate-v2)
 * and a signature timestamp token when present. Returns reason codes rather than throwing.
 *
 * Not here yet: building and validating the certificate chain to a trusted root, validity at signing or
 * timestamp time, revocation (CRL/OCSP, DSS), key usage policy. Those consume `signerCertificate`,
 * `certificates` and `timestamp.genTime` from this result.
 */
import { encode } from './der.ts'
import { OID } from './oids.ts'
import { cmsFromContents, findAttribute, parseCms, type ParsedSignedData } from './parse-cms.ts'
import { type SignerReason, type SignerVerification, verifySigner } from './verify-signer.ts'
import { type TimestampVerification, verifyTimestampToken } from './verify-timestamp.ts'

export type CmsReason =
  /** /Contents is not a CMS SignedData. */
  | 'malformed'
  | SignerReason
  /** The signature timestamp token is present and fails (see timestamp.reasons). */
  | 'timestamp-invalid'

export interface CmsVerification extends Omit<SignerVerification, 'reasons' | 'valid'> {
  valid: boolean
  reasons: CmsReason[]
  signedData?: ParsedSignedData
  /** Present when the SignerInfo has an id-aa-signatureTimeStampToken attribute. */
  timestamp?: TimestampVerification
}

export interface VerifyCmsInput {
  /** The /Contents value (bytes or hex, zero padding allowed) or the bare CMS DER. */
  contents: Uint8Array | string
  /** SHA-256 digest of the byte ranges, or a function giving the digest for a Node hash name. */
  digest: Uint8Array | ((hash: string) => Uint8Array | undefined)
  /** Certificates from elsewhere (e.g. the PDF's DSS) to find the signer and the TSA among. */
  extraCertificates?: Uint8Array[]
}

export function verifyCms(input: VerifyCmsInput): CmsVerification {
  let signedData: ParsedSignedData
  try {
    signedData = parseCms(cmsFromContents(input.contents))
  } catch {
    return { valid: false, reasons: ['malformed'], certificates: [], signingCertificate: 'absent' }
  }
  const digest = input.digest
  const digestOf =
    typeof digest === 'function' ? digest : (hash: string) => (hash === 'sha256' ? digest : undefined)
  const signer = verifySigner(signedData, digestOf, input.extraCertificates)
  const result: CmsVerification = { ...signer, reasons: [...signer.reasons], signedData }
  const token =
    signer.signerInfo && findAttribute(signer.signerInfo.unsignedAttributes, OID.signatureTimeStampToken)?.[0]
  if (token && signer.signerInfo) {
    result.timestamp = verifyTimestampToken(encode(token), {
      data: signer.signerInfo.signature,
      extraCertificates: input.extraCertificates,
    })
    if (!result.timestamp.valid) result.reasons.push('timestamp-invalid')
  }
  result.valid = result.reasons.length === 0
  return result
}
