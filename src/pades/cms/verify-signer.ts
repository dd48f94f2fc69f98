/**
 * Verifies the one SignerInfo of a SignedData: content-type and message-digest attributes, the signature
 * over the DER of the signed attributes (SET OF, tag 0x31) with the signer certificate's key, and the ESS
 * signing-certificate(-v2) binding. Chain building, validity periods and revocation are not checked here.
 */
import { constants, type X509Certificate, verify } from 'node:crypto'
import { type CertInfo, certInfo, sameIssuerAndSerial } from './certs.ts'
import { type Asn1, bytesOf, children, integerOf, isContext, oidOf } from './der.ts'
import { essIdMatches, parseSigningCertificate } from './ess.ts'
import { HASH_BY_OID, OID } from './oids.ts'
import { findAttribute, type ParsedSignedData, type ParsedSignerInfo } from './parse-cms.ts'

export type SignerReason =
  /** Not exactly one SignerInfo. */
  | 'signer-count'
  /** No signed attributes: PAdES and RFC 3161 tokens require them. */
  | 'signed-attributes-missing'
  /** The content-type attribute is missing or differs from the encapsulated content type. */
  | 'content-type-mismatch'
  /** The message-digest attribute is missing or differs from the digest of the signed bytes. */
  | 'message-digest-mismatch'
  | 'unsupported-digest-algorithm'
  | 'unsupported-signature-algorithm'
  /** No certificate in the CMS (or given) matches the SignerInfo's sid. */
  | 'signer-certificate-missing'
  | 'signature-invalid'
  /** signing-certificate(-v2) names another certificate. */
  | 'signing-certificate-mismatch'

export interface SignerVerification {
  valid: boolean
  reasons: SignerReason[]
  signerInfo?: ParsedSignerInfo
  signerCertificate?: X509Certificate
  certificates: X509Certificate[]
  digestAlgorithm?: string
  signatureAlgorithm?: string
  /** Which ESS attribute bound the signer certificate; 'absent' is not a failure here (policy decides). */
  signingCertificate: 'v2' | 'v1' | 'absent'
}

/** `digestOf(hash)` returns the digest of the signed content with a Node hash name (e.g. 'sha256'). */
export function verifySigner(
  signedData: ParsedSignedData,
  digestOf: (hash: string) => Uint8Array | undefined,
  extraCertificates: Uint8Array[] = [],
): SignerVerification {
  const certs = [...signedData.certificates, ...extraCertificates].flatMap(safeCertInfo)
  const result: SignerVerification = {
    valid: false,
    reasons: [],
    certificates: certs.map((cert) => cert.x509),
    signingCertificate: 'absent',
  }
  const [signerInfo, ...others] = signedData.signerInfos
  if (!signerInfo || others.length > 0) return fail(result, 'signer-count')
  Object.assign(result, {
    signerInfo,
    digestAlgorithm: signerInfo.digestAlgorithm,
    signatureAlgorithm: signerInfo.signatureAlgorithm.oid,
  })
  const signer = certs.find((cert) => identifies(signerInfo, cert))
  result.signerCertificate = signer?.x509
  const hash = HASH_BY_OID[signerInfo.digestAlgorithm]
  if (!hash) return fail(result, 'unsupported-digest-algorithm')
  if (!signerInfo.signedAttributesDer) return fail(result, 'signed-attributes-missing')
  const contentType = findAttribute(signerInfo.signedAttributes, OID.contentType)?.[0]
  if (oidOf(contentType) !== signedData.eContentType) result.reasons.push('content-type-mismatch')
  const messageDigest = findAttribute(signerInfo.signedAttributes, OID.messageDigest)?.[0]
  const expected = digestOf(hash)
  if (!messageDigest || !expected || !bytesOf(messageDigest).equals(Buffer.from(expected))) {
    result.reasons.push('message-digest-mismatch')
  }
  if (!signer) return fail(result, 'signer-certificate-missing')
  const signatureOk = verifySignature(signerInfo, hash, signer.x509)
  if (signatureOk === 'unsupported') result.reasons.push('unsupported-signature-algorithm')
  else if (!signatureOk) result.reasons.push('signature-invalid')
  checkEss(result, signerInfo, signer)
  result.valid = result.reasons.length === 0
  return result
}

function fail(result: SignerVerification, reason: SignerReason) {
  result.reasons.push(reason)
  return result
}

function identifies(signerInfo: ParsedSignerInfo, cert: CertInfo) {
  const sid = signerInfo.sid
  if ('subjectKeyId' in sid) return cert.subjectKeyId?.equals(sid.subjectKeyId) === true
  return sameIssuerAndSerial(cert, sid.issuerDer, sid.serialDer)
}

function checkEss(result: SignerVerification, signerInfo: ParsedSignerInfo, signer: CertInfo) {
  const v2 = findAttribute(signerInfo.signedAttributes, OID.signingCertificateV2)?.[0]
  const v1 = v2 ? undefined : findAttribute(signerInfo.signedAttributes, OID.signingCertificate)?.[0]
  const value = v2 ?? v1
  if (!value) return
  result.signingCertificate = v2 ? 'v2' : 'v1'
  if (!essIdMatches(parseSigningCertificate(value, Boolean(v2))[0], signer)) {
    result.reasons.push('signing-certificate-mismatch')
  }
}

const RSA_WITH: Record<string, string> = {
  [OID.sha256WithRSA]: 'sha256',
  [OID.sha384WithRSA]: 'sha384',
  [OID.sha512WithRSA]: 'sha512',
  [OID.ecdsaWithSha256]: 'sha256',
  [OID.ecdsaWithSha384]: 'sha384',
  [OID.ecdsaWithSha512]: 'sha512',
}

function verifySignature(signerInfo: ParsedSignerInfo, digestHash: string, cert: X509Certificate) {
  const { oid, params } = signerInfo.signatureAlgorithm
  const data = signerInfo.signedAttributesDer!
  try {
    if (oid === OID.rsaEncryption) return verify(digestHash, data, cert.publicKey, signerInfo.signature)
    const hash = RSA_WITH[oid]
    if (hash) return verify(hash, data, cert.publicKey, signerInfo.signature)
    if (oid !== OID.rsassaPss) return 'unsupported'
    const pss = pssParams(params)
    if (!pss) return 'unsupported'
    const key = { key: cert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength }
    return verify(pss.hash, data, key, signerInfo.signature)
  } catch {
    return false
  }
}

/** RSASSA-PSS-params (RFC 4055); MGF1 must use the same hash, as Node applies it. */
function pssParams(params: Asn1 | undefined) {
  let hash = 'sha1'
  let mgfHash = 'sha1'
  let saltLength = 20
  for (const field of children(params)) {
    const inner = children(field)[0]
    if (isContext(field, 0)) hash = HASH_BY_OID[oidOf(children(inner)[0]) ?? ''] ?? ''
    if (isContext(field, 1)) mgfHash = HASH_BY_OID[oidOf(children(children(inner)[1])[0]) ?? ''] ?? ''
    if (isContext(field, 2)) saltLength = Number(integerOf(inner))
  }
  return hash && hash === mgfHash ? { hash, saltLength } : undefined
}

function safeCertInfo(der: Uint8Array): CertInfo[] {
  try {
    return [certInfo(der)]
  } catch {
    return [] // an unreadable extra certificate is ignored, as if absent
  }
}
