/**
 * The verifier's answer: one report per signature or document timestamp, and a document verdict.
 *
 * Signature verdicts follow ETSI EN 319 102-1: `valid` (TOTAL-PASSED), `invalid` (TOTAL-FAILED),
 * `indeterminate` (it may be fine, but something could not be established). `reasons` lists every
 * finding, the verdict-setting one first; the codes are stable API:
 *
 * invalid —
 *   byterange-malformed   /ByteRange is not [0 a b c] excluding exactly the signature dictionary's own
 *                         /Contents hex string, or does not end at a real revision end
 *   cms-malformed         /Contents is not a CMS SignedData (or an RFC 3161 token for a DocTimeStamp)
 *   digest-mismatch       the bytes covered by /ByteRange changed
 *   signature-invalid     the signature value does not verify with the signer's key
 *   cms-attributes-invalid  content-type, signed attributes or signer count are wrong
 *   signing-certificate-mismatch  the ESS signing-certificate(-v2) names another certificate
 *   timestamp-invalid     the signature timestamp token is present but fails
 *   revoked               a certificate of the path was revoked before the proven (timestamp) time, or
 *                         before the time the signer claims to have signed
 *   docmdp-violation      a certification signature (DocMDP P) followed by changes P does not permit
 *                         (ISO 32000-2 §12.8.2.2: such changes invalidate the certification)
 *   fieldmdp-violation    a field this signature locks (FieldMDP /Reference or the field's /Lock) was changed
 * indeterminate —
 *   signer-certificate-missing  no certificate matches the SignerInfo
 *   unsupported-algorithm an algorithm this verifier does not implement
 *   weak-algorithm        SHA-1/MD5, or an RSA key under 2048 bits (ETSI TS 119 312)
 *   untrusted-chain       no path to an active trust anchor
 *   ca-constraints        an issuing certificate is no CA (basicConstraints, keyCertSign) or exceeds its path length
 *   certificate-expired   a certificate of the path was not valid at the proven (timestamp) time
 *   expired-no-poe        a certificate of the path has expired and no timestamp proves the signature older
 *                         (the signer's /M is a claim, never a proof of existence)
 *   key-usage             the signer certificate allows neither digitalSignature nor nonRepudiation
 *   extended-key-usage    its extendedKeyUsage excludes document signing (e.g. a TSA certificate)
 *   unknown-critical-extension  a certificate carries a critical extension that is not processed
 *   revoked-no-poe        revoked, and nothing proves the signature existed before the revocation
 *   revocation-unknown    no CRL or OCSP response for some certificate of the path
 *   revocation-not-fresh  the revocation data predates the validation time and has expired
 *   signed-bytes-missing  /ByteRange reaches past the end of the file (truncated)
 *   modified-after-signing  an approval signature followed by changes not permitted after it (content,
 *                         pages, overlays, removed annotations…): it no longer vouches for what is shown
 *   changes-unknown       a later revision could not be analysed (broken or hostile cross-references)
 * informational —
 *   timestamp-untrusted   a signature timestamp is present but proves nothing (TSA not trusted)
 *   not-whole-file        later incremental updates follow the signed revision
 *   changes-allowed       they made changes the signature permits (form filling, annotations under P=3)
 *   signature-cloned      other fields point at this signature; they are not signatures of their own
 */
import type { DocMdpPermission } from '../pdf/doc-mdp.ts'
import type { CertSummary } from '../x509/x509.ts'
import type { StructureFinding } from './checks/structure.ts'
import type { Change } from './modifications/diff.ts'

export type Verdict = 'valid' | 'invalid' | 'indeterminate'

export type DocumentVerdict =
  | 'valid'
  | 'valid-with-allowed-changes'
  | 'modified'
  | 'invalid'
  | 'indeterminate'

export const INVALID_REASONS = [
  'byterange-malformed',
  'cms-malformed',
  'digest-mismatch',
  'signature-invalid',
  'cms-attributes-invalid',
  'signing-certificate-mismatch',
  'timestamp-invalid',
  'revoked',
  'docmdp-violation',
  'fieldmdp-violation',
] as const

export const INDETERMINATE_REASONS = [
  'signer-certificate-missing',
  'unsupported-algorithm',
  'weak-algorithm',
  'untrusted-chain',
  'ca-constraints',
  'certificate-expired',
  'expired-no-poe',
  'key-usage',
  'extended-key-usage',
  'unknown-critical-extension',
  'revoked-no-poe',
  'revocation-unknown',
  'revocation-not-fresh',
  'signed-bytes-missing',
  'modified-after-signing',
  'changes-unknown',
] as const

export const INFORMATIONAL_REASONS = [
  'timestamp-untrusted',
  'not-whole-file',
  'changes-allowed',
  'signature-cloned',
] as const

export type SignatureReason =
  | (typeof INVALID_REASONS)[number]
  | (typeof INDETERMINATE_REASONS)[number]
  | (typeof INFORMATIONAL_REASONS)[number]

/**
 * Why the document verdict is what it is, most severe first:
 *   signature-invalid       some signature is invalid (broken bytes, CMS, revoked…)
 *   modified                changes not permitted after some signature (DocMDP/FieldMDP violations included)
 *   signature-stripped      a signature of an earlier revision is gone from the final one
 *   signature-cloned        a field reuses another revision's signature
 *   damaged                 no complete revision could be read (truncated or broken file)
 *   trailing-data           bytes after the last revision
 *   revision-chain-broken   an update does not chain to the previous revision (/Prev)
 *   xref-offset-wrong       an update's cross-references point at the wrong bytes
 *   unlisted-object         an update carries objects its cross-references do not list
 *   changes-unknown         a revision after a signature could not be analysed
 *   signature-indeterminate some signature is indeterminate
 *   no-signatures           the file holds no signature
 *   changes-allowed         permitted changes after some signature (form filling, annotations under P=3)
 */
export type DocumentReason =
  | 'signature-invalid'
  | 'modified'
  | 'signature-stripped'
  | 'signature-cloned'
  | 'damaged'
  | 'trailing-data'
  | 'revision-chain-broken'
  | 'xref-offset-wrong'
  | 'unlisted-object'
  | 'changes-unknown'
  | 'signature-indeterminate'
  | 'no-signatures'
  | 'changes-allowed'

export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA'

export type Modification = 'none' | 'allowed' | 'not-allowed' | 'unknown'

export interface FieldLock {
  action: 'All' | 'Include' | 'Exclude'
  fields: string[]
}

export interface SignatureReport {
  field: string
  type: 'signature' | 'document-timestamp'
  subFilter: string | null
  signer: CertSummary | null
  signingTime: {
    /** /M of the signature dictionary as signed: the signer's claim, never a proof. */
    claimed: string | null
    /** genTime of the signature timestamp token (or of the document timestamp). */
    timestamped: string | null
    /** The time the certificates were checked at, and where it came from. */
    used: string
    source: 'timestamp' | 'document-timestamp' | 'verification-time'
  }
  verdict: Verdict
  /** The verdict-setting reason; null when valid with nothing to note. */
  reason: SignatureReason | null
  reasons: SignatureReason[]
  /** PAdES baseline level; null for other SubFilters (e.g. adbe.pkcs7.detached) or broken signatures. */
  level: PadesLevel | null
  byteRange: number[]
  /** Index of the revision the signature covers (0 = the original document); null when none. */
  revision: number | null
  /** The signature covers the whole file (no later update). */
  coversWholeFile: boolean
  /** Some field of the final revision still holds this signature. */
  inFinalRevision: boolean
  integrity: boolean
  cmsValid: boolean
  chain: { trusted: boolean; path: CertSummary[] }
  validAtSigningTime: boolean
  keyUsageOk: boolean
  revocation: 'good' | 'revoked' | 'unknown'
  revocationSource: 'dss' | 'fetched' | null
  revokedAt: string | null
  timestamp: { genTime: string | null; valid: boolean; trusted: boolean; tsa: CertSummary | null } | null
  /** What the later revisions did, and whether this signature permits it. */
  modification: Modification
  changesAfter: (Change & { allowed: boolean })[]
  /** A certification signature's DocMDP permission (1, 2 or 3); null for approval signatures. */
  docMdpPermission: DocMdpPermission | null
  /** Fields this signature locks (FieldMDP), if any. */
  fieldLock: FieldLock | null
  /** Other fields pointing at this same signature. */
  clones: string[]
}

export interface PdfVerification {
  /** The answer for the document as it is shown now; read it first. */
  documentVerdict: DocumentVerdict
  documentReasons: DocumentReason[]
  signatures: SignatureReport[]
  /** Something other than validation material (DSS, document timestamps) follows the newest signature. */
  modifiedAfterLastSignature: boolean
  structure: {
    revisions: number
    trailingBytes: number
    findings: StructureFinding[]
  }
}
