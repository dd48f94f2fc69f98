/**
 * Verifies every signature and document timestamp of a PDF (issue 6 §6): ByteRange sanity, integrity,
 * the CMS, the signer's chain to a trust anchor, validity at the signing time, key usage, revocation,
 * PAdES level and what later incremental updates changed.
 *
 * Verdicts follow ETSI EN 319 102-1 / EU DSS: `valid` (TOTAL-PASSED), `invalid` (TOTAL-FAILED),
 * `indeterminate` (the signature may be fine but something could not be established). `reasons` lists
 * every finding, the verdict-setting one first; the codes are stable API:
 *
 * invalid —
 *   byterange-malformed   /ByteRange is not [0 a b c] excluding exactly the /Contents hex string, or its
 *                         second range does not end at a revision's %%EOF
 *   cms-malformed         /Contents is not a CMS SignedData (or an RFC 3161 token for a DocTimeStamp)
 *   digest-mismatch       the bytes covered by /ByteRange changed (message digest / imprint differ)
 *   signature-invalid     the signature value does not verify with the signer's key
 *   cms-attributes-invalid  content-type, signed attributes or signer count are wrong
 *   signing-certificate-mismatch  the ESS signing-certificate(-v2) names another certificate
 *   timestamp-invalid     the signature timestamp token is present but fails
 *   revoked               a certificate of the chain was revoked at or before the signing time
 *   docmdp-violation      the signature certifies the document (DocMDP, `docMdpPermission` P) and a later
 *                         update made changes P does not permit (P=1: anything but DSS and document
 *                         timestamps; P=2: anything but form filling and signatures; P=3: also annotations
 *                         allowed; see exceedsDocMdp). ISO 32000-1 12.8.2.2 says such changes invalidate
 *                         the certification; Acrobat shows it invalid and pyHanko fails its bottom line
 *                         (docmdp_ok), hence invalid rather than indeterminate. Later approval signatures
 *                         are judged on their own.
 * indeterminate —
 *   signer-certificate-missing  no certificate matches the SignerInfo
 *   unsupported-algorithm untrusted-chain (no path to an active trust anchor)
 *   certificate-expired   a certificate of the chain was not valid at the signing time (no proof of
 *                         existence before expiry: EU DSS OUT_OF_BOUNDS_NO_POE)
 *   key-usage             the signer certificate allows neither digitalSignature nor nonRepudiation
 *   revoked-no-poe        revoked after the claimed signing time but no timestamp proves that time
 *   revocation-unknown    no CRL or OCSP response for some certificate of the chain (offline: never assumed good). EU DSS
 *                         INDETERMINATE/TRY_LATER; `chain.trusted` stays true so a UI can say "valid
 *                         except revocation".
 *   revocation-not-fresh  every certificate has a 'good' status, but for some the CRL/OCSP response was
 *                         issued before the best signature time and its nextUpdate has passed (or is
 *                         missing): it cannot vouch for the signing time (EU DSS TRY_LATER; see
 *                         revocationFresh). `revocation` is 'unknown'; a fresher CRL fixes it.
 * informational (do not change the verdict) —
 *   timestamp-untrusted   the signature timestamp's TSA has no path to a trust anchor: the claimed /M
 *                         time is used instead
 *   not-whole-file        later incremental updates follow the signed revision (see changesAfter)
 *   changes-flagged       some of those updates changed content a signature must freeze
 */
import type { X509Certificate } from 'node:crypto'
import { PDFArray, type PDFDict, PDFHexString, PDFName, PDFNumber, type PDFObject, PDFString } from 'pdf-lib'
import { decode, encode } from '../cms/der.ts'
import { cmsFromContents } from '../cms/parse-cms.ts'
import { verifyCms } from '../cms/verify-cms.ts'
import { verifyTimestampToken, type TimestampVerification } from '../cms/verify-timestamp.ts'
import { coveredBytes, digestByteRange } from '../pdf/byte-range.ts'
import { type Change, changesAfter, exceedsDocMdp } from './changes.ts'
import { type DocMdpPermission, signatureDocMdp } from '../pdf/doc-mdp.ts'
import { type CertRevocation, crlStatus, type ParsedCrl, parseCrl, preferredStatus } from '../revocation/crl-check.ts'
import { ocspStatus, type ParsedOcsp, parseOcsp } from '../revocation/ocsp-check.ts'
import {
  type DssContents,
  NotAPdfError,
  type PdfStructure,
  readDss,
  readPdf,
  signatureFields,
} from './pdf-structure.ts'

export { NotAPdfError }
import {
  buildChain,
  type CertSummary,
  fingerprint,
  isSelfSigned,
  keyUsageBits,
  summarize,
  toX509,
  validAt,
} from '../x509/x509.ts'

export type Verdict = 'valid' | 'invalid' | 'indeterminate'

export type SignatureReason =
  | 'byterange-malformed'
  | 'cms-malformed'
  | 'digest-mismatch'
  | 'signature-invalid'
  | 'cms-attributes-invalid'
  | 'signing-certificate-mismatch'
  | 'timestamp-invalid'
  | 'revoked'
  | 'docmdp-violation'
  | 'signer-certificate-missing'
  | 'unsupported-algorithm'
  | 'untrusted-chain'
  | 'certificate-expired'
  | 'key-usage'
  | 'revoked-no-poe'
  | 'revocation-unknown'
  | 'revocation-not-fresh'
  | 'timestamp-untrusted'
  | 'not-whole-file'
  | 'changes-flagged'

const INVALID = new Set<SignatureReason>([
  'byterange-malformed',
  'cms-malformed',
  'digest-mismatch',
  'signature-invalid',
  'cms-attributes-invalid',
  'signing-certificate-mismatch',
  'timestamp-invalid',
  'revoked',
  'docmdp-violation',
])
const INFORMATIONAL = new Set<SignatureReason>(['timestamp-untrusted', 'not-whole-file', 'changes-flagged'])

/** Revocation data (DER) fetched for `cert` issued by `issuer`: CRLs and/or OCSP responses. */
export interface FetchedRevocation {
  crls: Uint8Array[]
  ocsps: Uint8Array[]
}
export type RevocationFetcher = (cert: X509Certificate, issuer: X509Certificate) => Promise<FetchedRevocation>

export interface VerifyPdfOptions {
  /** Trusted roots or intermediates, PEM or DER. */
  trustAnchors: (string | Uint8Array | X509Certificate)[]
  /**
   * The validation time: the signing time of a signature with neither a timestamp nor /M, and what
   * revocation data must still be current at (revocationFresh). Default: now.
   */
  now?: Date
  /**
   * Online revocation checking, for chains that end at a trust anchor only: off by default (missing
   * revocation data is then 'unknown').
   */
  fetchRevocation?: false | RevocationFetcher
}

export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA'

export interface SignatureReport {
  field: string
  type: 'signature' | 'document-timestamp'
  subFilter: string | null
  signer: CertSummary | null
  signingTime: {
    /** /M of the signature dictionary (signer's claim). */
    claimed: string | null
    /** genTime of the signature timestamp token (or of the document timestamp). */
    timestamped: string | null
    /** The time the certificates were checked at, and where it came from. */
    used: string
    source: 'timestamp' | 'claimed' | 'verification-time'
  }
  verdict: Verdict
  /** The verdict-setting reason; null when valid with nothing to note. */
  reason: SignatureReason | null
  reasons: SignatureReason[]
  /** PAdES baseline level; null for other SubFilters (e.g. adbe.pkcs7.detached) or broken signatures. */
  level: PadesLevel | null
  byteRange: number[]
  /** The signature covers the whole file (no later update). */
  coversWholeFile: boolean
  integrity: boolean
  cmsValid: boolean
  chain: { trusted: boolean; path: CertSummary[] }
  validAtSigningTime: boolean
  keyUsageOk: boolean
  revocation: 'good' | 'revoked' | 'unknown'
  revocationSource: 'dss' | 'fetched' | null
  revokedAt: string | null
  timestamp: { genTime: string | null; valid: boolean; trusted: boolean; tsa: CertSummary | null } | null
  changesAfter: Change[]
  /** A certification signature's DocMDP permission (1, 2 or 3); null for approval signatures. */
  docMdpPermission: DocMdpPermission | null
}

export interface PdfVerification {
  signatures: SignatureReport[]
  modifiedAfterLastSignature: boolean
}

interface Located {
  field: string
  dict: PDFDict
  range?: [number, number, number, number]
  end: number
  isTimestamp: boolean
}

/** Throws NotAPdfError when the bytes are not a readable PDF; every other finding is in the result. */
export async function verifyPdf(bytes: Uint8Array, options: VerifyPdfOptions): Promise<PdfVerification> {
  try {
    return await verifyStructure(await readPdf(bytes), options)
  } catch (lazyError) {
    if (lazyError instanceof NotAPdfError) throw lazyError
    // A broken object reached through the cross-references: retry on a full parse, which scans.
    try {
      return await verifyStructure(await readPdf(bytes, 'full'), options)
    } catch (error) {
      if (error instanceof NotAPdfError) throw error
      throw new NotAPdfError(`Unreadable PDF: ${(error as Error).message}`)
    }
  }
}

async function verifyStructure(structure: PdfStructure, options: VerifyPdfOptions): Promise<PdfVerification> {
  const fields = signatureFields(structure)
  if (fields.length === 0) return { signatures: [], modifiedAfterLastSignature: false }
  const dss = readDss(structure)
  const anchors = options.trustAnchors.flatMap((anchor) => toX509(anchor) ?? [])
  const dssCerts = dss.certs.flatMap((der) => toX509(der) ?? [])
  const dssCrls = dss.crls.flatMap((der) => parseCrl(der) ?? [])
  const dssOcsps = dss.ocsps.flatMap((der) => parseOcsp(der) ?? [])
  const located = fields.map(({ name, value }): Located => {
    const range = byteRangeOf(value)
    const subFilter = nameOf(value.get(PDFName.of('SubFilter')))
    return {
      field: name,
      dict: value,
      range,
      end: range ? range[2] + range[3] : 0,
      isTimestamp: nameOf(value.get(PDFName.of('Type'))) === 'DocTimeStamp' || subFilter === 'ETSI.RFC3161',
    }
  })
  const context: Context = { structure, options, anchors, dss, dssCerts, dssCrls, dssOcsps, located }
  const signatures: SignatureReport[] = []
  for (const item of [...located].sort((a, b) => a.end - b.end))
    signatures.push(await verifyOne(context, item))
  return { signatures, modifiedAfterLastSignature: modifiedAfterLast(structure, located) }
}

interface Context {
  structure: PdfStructure
  options: VerifyPdfOptions
  anchors: X509Certificate[]
  dss: DssContents
  dssCerts: X509Certificate[]
  dssCrls: ParsedCrl[]
  dssOcsps: ParsedOcsp[]
  located: Located[]
}

async function verifyOne(ctx: Context, item: Located): Promise<SignatureReport> {
  const { bytes } = ctx.structure
  const reasons: SignatureReason[] = []
  const dict = item.dict
  const subFilter = nameOf(dict.get(PDFName.of('SubFilter'))) ?? null
  const contents = contentsOf(dict.get(PDFName.of('Contents')))
  const range = item.range
  const rangeOk =
    range !== undefined && contents !== undefined && byteRangeSane(ctx.structure, range, contents)
  if (!rangeOk) reasons.push('byterange-malformed')
  const inBounds = range !== undefined && rangeInBounds(range, bytes.length)
  const claimed = dateOf(dict.get(PDFName.of('M')))
  const report: SignatureReport = {
    field: item.field,
    type: item.isTimestamp ? 'document-timestamp' : 'signature',
    subFilter,
    signer: null,
    signingTime: { claimed: iso(claimed), timestamped: null, used: '', source: 'claimed' },
    verdict: 'invalid',
    reason: null,
    reasons,
    level: null,
    byteRange: range ?? [],
    coversWholeFile: inBounds && onlyWhitespaceAfter(bytes, item.end),
    integrity: false,
    cmsValid: false,
    chain: { trusted: false, path: [] },
    validAtSigningTime: false,
    keyUsageOk: false,
    revocation: 'unknown',
    revocationSource: null,
    revokedAt: null,
    timestamp: null,
    changesAfter: [],
    docMdpPermission: certificationOf(ctx, item) ?? null,
  }
  if (!contents || !range || !inBounds) return finish(report, reasons)
  const extra = ctx.dss.certs
  let signerCert: X509Certificate | undefined
  let pool: X509Certificate[] = [...ctx.dssCerts]
  let timestamp: TimestampVerification | undefined
  if (item.isTimestamp) {
    timestamp = verifyTimestampToken(safeCms(contents) ?? new Uint8Array(), {
      data: coveredBytes(bytes, range),
      extraCertificates: extra,
    })
    const tsReasons = timestamp.reasons
    if (tsReasons.includes('malformed')) reasons.push('cms-malformed')
    report.integrity = !tsReasons.includes('malformed') && !tsReasons.includes('imprint-mismatch')
    if (!report.integrity && !tsReasons.includes('malformed')) reasons.push('digest-mismatch')
    report.cmsValid = timestamp.valid
    mapSignerReasons(
      tsReasons.map((r) => r.replace(/^token-/, '')),
      reasons,
    )
    signerCert = timestamp.tsaCertificate
    pool = [...pool, ...timestamp.certificates]
  } else {
    const cms = verifyCms({
      contents: safeCms(contents) ?? contents,
      digest: (hash) => digestByteRange(bytes, range, hash),
      extraCertificates: extra,
    })
    if (cms.reasons.includes('malformed')) reasons.push('cms-malformed')
    report.integrity = !cms.reasons.includes('malformed') && !cms.reasons.includes('message-digest-mismatch')
    report.cmsValid = cms.reasons.every((r) => r === 'timestamp-invalid')
    mapSignerReasons(cms.reasons, reasons)
    signerCert = cms.signerCertificate
    pool = [...pool, ...cms.certificates]
    if (cms.timestamp) {
      timestamp = cms.timestamp
      pool = [...pool, ...cms.timestamp.certificates]
    }
    if (subFilter === 'ETSI.CAdES.detached' && cms.signingCertificate === 'v2' && report.cmsValid)
      report.level = 'B-B'
  }

  // The time the certificates must have been valid at.
  let tsTrusted = false
  if (timestamp) {
    const tsa = timestamp.tsaCertificate
    tsTrusted = timestamp.valid && tsa !== undefined && buildChain(tsa, pool, ctx.anchors).trusted
    report.timestamp = {
      genTime: iso(timestamp.genTime),
      valid: timestamp.valid,
      trusted: tsTrusted,
      tsa: tsa ? summarize(tsa) : null,
    }
    report.signingTime.timestamped = iso(timestamp.genTime)
    if (timestamp.valid && !tsTrusted && !item.isTimestamp) reasons.push('timestamp-untrusted')
  }
  const now = ctx.options.now ?? new Date()
  const at = tsTrusted && timestamp?.genTime ? timestamp.genTime : (claimed ?? now)
  report.signingTime.used = at.toISOString()
  report.signingTime.source =
    tsTrusted && timestamp?.genTime ? 'timestamp' : claimed ? 'claimed' : 'verification-time'

  if (signerCert) {
    report.signer = summarize(signerCert)
    const chain = buildChain(signerCert, pool, ctx.anchors)
    report.chain = { trusted: chain.trusted, path: chain.path.map(summarize) }
    if (!chain.trusted) reasons.push('untrusted-chain')
    report.validAtSigningTime = validAt(chain.path, at)
    if (!report.validAtSigningTime) reasons.push('certificate-expired')
    const usage = keyUsageBits(signerCert)
    report.keyUsageOk = item.isTimestamp || !usage || usage.digitalSignature || usage.nonRepudiation
    if (!report.keyUsageOk) reasons.push('key-usage')
    const timeProven = report.signingTime.source === 'timestamp'
    await checkRevocation(ctx, chain.path, at, report, reasons, timeProven, chain.trusted)
  }

  if (report.level === 'B-B' && report.timestamp?.valid) {
    report.level = 'B-T'
    if (ctx.dss.crls.length + ctx.dss.ocsps.length > 0) {
      report.level = 'B-LT'
      if (ctx.located.some((other) => other.isTimestamp && other.end > item.end)) report.level = 'B-LTA'
    }
  }
  if (!report.coversWholeFile) {
    reasons.push('not-whole-file')
    report.changesAfter = ctx.structure.sections.length > 0 ? changesAfter(ctx.structure, item.end) : []
    if (report.changesAfter.some((change) => !change.allowed)) reasons.push('changes-flagged')
    if (report.docMdpPermission !== null && exceedsDocMdp(report.changesAfter, report.docMdpPermission))
      reasons.push('docmdp-violation')
  }
  return finish(report, reasons)
}

async function checkRevocation(
  ctx: Context,
  path: X509Certificate[],
  at: Date,
  report: SignatureReport,
  reasons: SignatureReason[],
  timeProven: boolean,
  /** Only a chain the agency trusts may make this server fetch the URLs its certificates name. */
  mayFetch: boolean,
) {
  const anchorPrints = new Set(ctx.anchors.map(fingerprint))
  const now = ctx.options.now ?? new Date()
  const statuses: CertRevocation[] = []
  let fetched = false
  for (let i = 0; i < path.length; i++) {
    const cert = path[i]!
    if (anchorPrints.has(fingerprint(cert)) || isSelfSigned(cert)) break
    const issuer = path[i + 1]
    if (!issuer) {
      statuses.push({ status: 'unknown' })
      continue
    }
    let status = preferredStatus(crlStatus(cert, issuer, ctx.dssCrls), ocspStatus(cert, issuer, ctx.dssOcsps))
    const settled =
      status.status === 'revoked' || (status.status === 'good' && revocationFresh(status, at, now))
    if (!settled && mayFetch && ctx.options.fetchRevocation) {
      const data = await ctx.options.fetchRevocation(cert, issuer).catch(() => ({ crls: [], ocsps: [] }))
      const online = preferredStatus(
        crlStatus(
          cert,
          issuer,
          data.crls.flatMap((der) => parseCrl(der) ?? []),
        ),
        ocspStatus(
          cert,
          issuer,
          data.ocsps.flatMap((der) => parseOcsp(der) ?? []),
        ),
      )
      const chosen = preferredStatus(status, online)
      if (chosen === online && online.status !== 'unknown') fetched = true
      status = chosen
    }
    statuses.push(status)
  }
  const revoked = statuses.find((s) => s.status === 'revoked')
  if (revoked?.status === 'revoked') {
    report.revocation = 'revoked'
    report.revokedAt = revoked.revokedAt.toISOString()
    if (revoked.revokedAt <= at) reasons.push('revoked')
    else if (!timeProven) reasons.push('revoked-no-poe')
  } else if (statuses.length === 0 || statuses.some((s) => s.status === 'unknown')) {
    reasons.push('revocation-unknown')
  } else if (statuses.every((s) => s.status === 'good' && revocationFresh(s, at, now))) {
    report.revocation = 'good'
  } else {
    reasons.push('revocation-not-fresh')
  }
  if (report.revocation !== 'unknown') report.revocationSource = fetched ? 'fetched' : 'dss'
}

/**
 * Whether a 'good' status can vouch for the certificate at the best signature time `at` (ETSI EN 319 102-1
 * 5.2.5 revocation freshness; EU DSS RevocationFreshnessChecker and "revocation issued after the best
 * signature time"; pyHanko's TIME_AFTER_SIGNATURE with no cooldown, falling back to its DEFAULT window):
 * - issued (CRL thisUpdate, OCSP thisUpdate) at or after `at`: it saw the certificate after the signature;
 * - else still current now (nextUpdate after the validation time, so nothing newer can exist) and issued
 *   no later than now: the newest word of the CA, which also covers `at`.
 * Data issued before the signature whose nextUpdate has passed is stale: a revocation between its issue
 * and the signature would be in a newer CRL we do not have. A revocation entry is always binding.
 */
export function revocationFresh(status: CertRevocation, at: Date, now: Date): boolean {
  if (status.status !== 'good' || !status.issuedAt) return false
  if (status.issuedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) return false
  if (status.issuedAt >= at) return true
  return status.nextUpdate !== undefined && status.nextUpdate > now && status.nextUpdate > at
}

/** Clocks of CAs, TSAs and this server disagree a little. */
const CLOCK_SKEW_MS = 5 * 60_000

/** The DocMDP permission of the document's first signature, when it is a certification signature. */
function certificationOf(ctx: Context, item: Located): DocMdpPermission | undefined {
  if (item.isTimestamp) return undefined
  const first = ctx.located.filter((other) => !other.isTimestamp).sort((a, b) => a.end - b.end)[0]
  if (first !== item) return undefined
  try {
    return signatureDocMdp(ctx.structure.context, item.dict)
  } catch {
    return undefined
  }
}

function mapSignerReasons(cmsReasons: string[], reasons: SignatureReason[]) {
  for (const reason of cmsReasons) {
    const mapped: SignatureReason | undefined =
      reason === 'message-digest-mismatch' || reason === 'imprint-mismatch'
        ? 'digest-mismatch'
        : reason === 'signature-invalid'
          ? 'signature-invalid'
          : reason === 'signing-certificate-mismatch'
            ? 'signing-certificate-mismatch'
            : reason === 'signer-certificate-missing'
              ? 'signer-certificate-missing'
              : reason === 'unsupported-digest-algorithm' || reason === 'unsupported-signature-algorithm'
                ? 'unsupported-algorithm'
                : reason === 'timestamp-invalid'
                  ? 'timestamp-invalid'
                  : reason === 'malformed'
                    ? undefined
                    : 'cms-attributes-invalid'
    if (mapped && !reasons.includes(mapped)) reasons.push(mapped)
  }
}

function finish(report: SignatureReport, reasons: SignatureReason[]): SignatureReport {
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

/**
 * True when an update after the newest signature or document timestamp changed anything but the DSS
 * (validation material); trailing bytes without a cross-reference section count as a change too.
 */
function modifiedAfterLast(structure: PdfStructure, located: Located[]): boolean {
  const lastEnd = Math.max(...located.map((item) => item.end))
  if (lastEnd <= 0) return false
  if (structure.sections.some((section) => section.offset >= lastEnd)) {
    return changesAfter(structure, lastEnd).some(
      (change) => change.kind !== 'dss' && change.kind !== 'catalog',
    )
  }
  return !onlyWhitespaceAfter(structure.bytes, lastEnd)
}

/** A trailing end-of-line after the signed %%EOF does not make the signature partial. */
const onlyWhitespaceAfter = (bytes: Uint8Array, end: number) =>
  Buffer.from(bytes.subarray(end)).toString('latin1').trim().length === 0

const rangeInBounds = (range: [number, number, number, number], length: number) =>
  range.every((n) => n >= 0) && range[2] + range[3] <= length && range[1] <= range[2]

function byteRangeOf(dict: PDFDict): [number, number, number, number] | undefined {
  const raw = dict.get(PDFName.of('ByteRange'))
  if (!(raw instanceof PDFArray) || raw.size() !== 4) return undefined
  const numbers = raw.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : Number.NaN))
  return numbers.every((n) => Number.isInteger(n)) ? (numbers as [number, number, number, number]) : undefined
}

/** [0 a b c]: the gap is exactly `<hex>` of /Contents, and the second range ends at a revision's end. */
function byteRangeSane(
  structure: PdfStructure,
  range: [number, number, number, number],
  contents: Uint8Array,
) {
  const { bytes } = structure
  const [start, length1, start2, length2] = range
  if (start !== 0 || length1 <= 0 || length2 < 0 || start2 <= length1 + 1) return false
  if (start2 + length2 > bytes.length) return false
  if (bytes[length1] !== 0x3c || bytes[start2 - 1] !== 0x3e) return false
  const hex = Buffer.from(bytes.subarray(length1 + 1, start2 - 1)).toString('latin1')
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) return false
  if (!Buffer.from(hex, 'hex').equals(Buffer.from(contents))) return false
  return structure.revisionEnds.has(start2 + length2)
}

function contentsOf(object: PDFObject | undefined): Uint8Array | undefined {
  if (object instanceof PDFHexString || object instanceof PDFString) return object.asBytes()
  return undefined
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

const nameOf = (object: PDFObject | undefined) =>
  object instanceof PDFName ? object.decodeText() : undefined

function dateOf(object: PDFObject | undefined): Date | undefined {
  try {
    if (object instanceof PDFString || object instanceof PDFHexString) return object.decodeDate()
  } catch {
    return undefined
  }
  return undefined
}

const iso = (date: Date | undefined) => (date && !Number.isNaN(date.getTime()) ? date.toISOString() : null)
