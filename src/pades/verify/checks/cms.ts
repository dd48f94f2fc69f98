/**
 * Check 4 — CMS: the signature value over the byte ranges (or the RFC 3161 token of a document
 * timestamp), the signer certificate it names, its signature timestamp, and the algorithm policy.
 */
import type { X509Certificate } from 'node:crypto'
import { weakDigest, weakKey, weakSignatureAlgorithm } from '../../cms/algorithm-policy.ts'
import { decode, encode } from '../../cms/der.ts'
import { cmsFromContents } from '../../cms/parse-cms.ts'
import { verifyCms } from '../../cms/verify-cms.ts'
import { type TimestampVerification, verifyTimestampToken } from '../../cms/verify-timestamp.ts'
import { coveredBytes, digestByteRange } from '../../pdf/byte-range.ts'
import type { SignatureReason } from '../report.ts'
import type { ByteRangeValue } from './revisions.ts'

export interface CmsCheck {
  reasons: SignatureReason[]
  /** The covered bytes are those signed (message digest or imprint). */
  integrity: boolean
  cmsValid: boolean
  signerCertificate: X509Certificate | undefined
  /** Certificates from the CMS (and its timestamp) to build paths with. */
  certificates: X509Certificate[]
  /** The signature timestamp, or the document timestamp's own token. */
  timestamp: TimestampVerification | undefined
  /** A weak algorithm in the signature timestamp: it proves nothing. */
  timestampWeak: boolean
  /** ETSI.CAdES.detached with signing-certificate-v2: PAdES baseline B-B at least. */
  baseline: boolean
}

export interface CmsInput {
  bytes: Uint8Array
  range: ByteRangeValue
  contents: Uint8Array
  documentTimestamp: boolean
  subFilter: string | null
  /** Certificates of the DSS, DER. */
  extraCertificates: Uint8Array[]
}

export function checkCms(input: CmsInput): CmsCheck {
  return input.documentTimestamp ? documentTimestamp(input) : signature(input)
}

function documentTimestamp(input: CmsInput): CmsCheck {
  const token = verifyTimestampToken(safeCms(input.contents) ?? new Uint8Array(), {
    data: coveredBytes(input.bytes, input.range),
    extraCertificates: input.extraCertificates,
  })
  const reasons: SignatureReason[] = []
  const malformed = token.reasons.includes('malformed')
  if (malformed) reasons.push('cms-malformed')
  const integrity = !malformed && !token.reasons.includes('imprint-mismatch')
  if (!integrity && !malformed) reasons.push('digest-mismatch')
  mapSignerReasons(
    token.reasons.map((reason) => reason.replace(/^token-/, '')),
    reasons,
  )
  if (timestampWeak(token)) reasons.push('weak-algorithm')
  return {
    reasons,
    integrity,
    cmsValid: token.valid,
    signerCertificate: token.tsaCertificate,
    certificates: token.certificates,
    timestamp: token,
    timestampWeak: false,
    baseline: false,
  }
}

function signature(input: CmsInput): CmsCheck {
  const cms = verifyCms({
    contents: safeCms(input.contents) ?? input.contents,
    digest: (hash) => digestByteRange(input.bytes, input.range, hash),
    extraCertificates: input.extraCertificates,
  })
  const reasons: SignatureReason[] = []
  const malformed = cms.reasons.includes('malformed')
  if (malformed) reasons.push('cms-malformed')
  mapSignerReasons(cms.reasons, reasons)
  const weak =
    weakDigest(cms.digestAlgorithm) ||
    weakSignatureAlgorithm(cms.signatureAlgorithm) ||
    (cms.signerCertificate !== undefined && weakKey(cms.signerCertificate.publicKey))
  if (weak) reasons.push('weak-algorithm')
  const cmsValid = cms.reasons.every((reason) => reason === 'timestamp-invalid')
  return {
    reasons,
    integrity: !malformed && !cms.reasons.includes('message-digest-mismatch'),
    cmsValid,
    signerCertificate: cms.signerCertificate,
    certificates: [...cms.certificates, ...(cms.timestamp?.certificates ?? [])],
    timestamp: cms.timestamp,
    timestampWeak: cms.timestamp !== undefined && timestampWeak(cms.timestamp),
    baseline: input.subFilter === 'ETSI.CAdES.detached' && cms.signingCertificate === 'v2' && cmsValid,
  }
}

function timestampWeak(token: TimestampVerification): boolean {
  return (
    weakDigest(token.tstInfo?.hashAlgorithm) ||
    (token.tsaCertificate !== undefined && weakKey(token.tsaCertificate.publicKey))
  )
}

const SIGNER_REASONS: Record<string, SignatureReason | undefined> = {
  'message-digest-mismatch': 'digest-mismatch',
  'imprint-mismatch': 'digest-mismatch',
  'signature-invalid': 'signature-invalid',
  'signing-certificate-mismatch': 'signing-certificate-mismatch',
  'signer-certificate-missing': 'signer-certificate-missing',
  'unsupported-digest-algorithm': 'unsupported-algorithm',
  'unsupported-signature-algorithm': 'unsupported-algorithm',
  'timestamp-invalid': 'timestamp-invalid',
  malformed: undefined,
  // A TSA certificate without timeStamping: judged by path validation (extended-key-usage).
  'tsa-not-timestamping': undefined,
}

function mapSignerReasons(cmsReasons: string[], reasons: SignatureReason[]) {
  for (const reason of cmsReasons) {
    const mapped = reason in SIGNER_REASONS ? SIGNER_REASONS[reason] : 'cms-attributes-invalid'
    if (mapped && !reasons.includes(mapped)) reasons.push(mapped)
  }
}

function safeCms(contents: Uint8Array): Uint8Array | undefined {
  try {
    return cmsFromContents(contents)
  } catch {
    return berToDer(contents)
  }
}

/**
 * Some signers (NSS, hence poppler's pdfsig) write the CMS in BER with indefinite lengths: its end is
 * a run of end-of-contents zeros that the padding hides. Finds the shortest prefix that parses and
 * re-encodes it with definite lengths (signed attributes are DER already, so their bytes survive).
 */
function berToDer(contents: Uint8Array): Buffer | undefined {
  let end = contents.length
  while (end > 0 && contents[end - 1] === 0) end--
  for (let extra = 0; extra <= 64 && end + extra <= contents.length; extra++) {
    try {
      return encode(decode(contents.subarray(0, end + extra)))
    } catch {
      // not yet the whole value
    }
  }
  return undefined
}
