/**
 * Verifies every signature and document timestamp of a PDF and judges the document as it is shown now.
 * A pipeline of named checks (./checks/): structure → revisions → byte ranges → CMS → certificate path →
 * revocation → time → modifications → DocMDP → verdict. Reason codes and verdicts: see report.ts.
 *
 * Pure: every input is a parameter (trust anchors, the validation time, an optional revocation fetcher).
 */
import type { X509Certificate } from 'node:crypto'
import { type PDFDict, PDFName, PDFRef, type PDFObject, PDFString, PDFHexString } from 'pdf-lib'
import type { DocMdpPermission } from '../pdf/doc-mdp.ts'
import { parseCrl } from '../revocation/crl-check.ts'
import { parseOcsp } from '../revocation/ocsp-check.ts'
import { summarize, toX509 } from '../x509/x509.ts'
import { checkByteRange } from './checks/byte-range.ts'
import { checkCertificatePath } from './checks/certificate-path.ts'
import { type CmsCheck, checkCms } from './checks/cms.ts'
import { docMdpOf, fieldLockOf, judgeChanges, PERMITTED_LEVEL } from './checks/docmdp.ts'
import { analyseUpdates } from './checks/modifications.ts'
import { checkRevocation, type RevocationContext, type RevocationFetcher } from './checks/revocation.ts'
import {
  byteRangeOf,
  contentsOf,
  type DiscoveredSignature,
  discoverSignatures,
  dssOf,
  formFields,
  openRevision,
  recoveredView,
  type RevisionView,
} from './checks/revisions.ts'
import { type FileStructure, NotAPdfError, readStructure, revisionEndingAt } from './checks/structure.ts'
import { provenTime, type TimestampProof } from './checks/time.ts'
import { documentVerdictOf, finishSignature } from './checks/verdict.ts'
import { type ChangeLevel, LEVEL_RANK, type UpdateAnalysis } from './modifications/diff.ts'
import type { PadesLevel, PdfVerification, SignatureReason, SignatureReport } from './report.ts'

export { NotAPdfError }
export { revocationFresh } from './checks/revocation.ts'
export type { FetchedRevocation, RevocationFetcher } from './checks/revocation.ts'
export type * from './report.ts'

export interface VerifyPdfOptions {
  /** Trusted roots or intermediates, PEM or DER. */
  trustAnchors: (string | Uint8Array | X509Certificate)[]
  /** The current time for validation (certificates without a proof of existence are checked at it). */
  now?: Date
  /**
   * Online revocation checking, for paths that end at a trust anchor only: off by default (missing
   * revocation data is then 'unknown').
   */
  fetchRevocation?: false | RevocationFetcher
}

interface Item {
  discovered: DiscoveredSignature
  view: RevisionView
  isTimestamp: boolean
  report: SignatureReport
  reasons: SignatureReason[]
}

/**
 * Throws NotAPdfError when the bytes are not a PDF at all (no header, or nothing readable); a damaged or
 * hostile file is reported with what could be read.
 */
export async function verifyPdf(bytes: Uint8Array, options: VerifyPdfOptions): Promise<PdfVerification> {
  const now = options.now ?? new Date()
  const structure = readStructure(bytes)
  const views = structure.revisions.map((revision) => openRevision(structure, revision))
  const trailing = structure.findings.find((finding) => finding.code === 'trailing-data')
  if (views.length === 0 || (trailing?.code === 'trailing-data' && trailing.objects)) {
    const recovered = await recoveredView(bytes, structure.revisions.length)
    if (recovered) views.push(recovered)
  }
  // Not one revision, and not one object a repairing reader could use: no PDF to report on.
  if (views.length === 0) throw new NotAPdfError('Unreadable PDF: no revision or object could be read')
  const revisionEnding = (end: number) => revisionEndingAt(structure, end)?.index
  const discovered = discoverSignatures(views, revisionEnding)
  const viewOf = (index: number) => views.find((view) => view.index === index)!
  const items = discovered.map((signature) => newItem(signature, viewOf(signature.dictView)))

  const firstSigned = Math.min(...discovered.map((s) => s.signedRevision ?? s.firstSeen))
  const signedRevisionOf = (dict: PDFDict, view: RevisionView) => {
    const range = byteRangeOf(dict, view.context)
    return range ? revisionEnding(range[2] + range[3]) : undefined
  }
  const updates = items.length > 0 ? analyseUpdates(structure, views, firstSigned, signedRevisionOf) : []

  const finalView = views.at(-1)
  const dss = dssOf(finalView)
  const anchors = options.trustAnchors.flatMap((anchor) => toX509(anchor) ?? [])
  const revocation: RevocationContext = {
    anchors,
    crls: dss.crls.flatMap((der) => parseCrl(der) ?? []),
    ocsps: dss.ocsps.flatMap((der) => parseOcsp(der) ?? []),
    fetch: options.fetchRevocation || undefined,
    now,
  }
  const dssCerts = dss.certs.flatMap((der) => toX509(der) ?? [])

  for (const item of items) checkBytesAndCms(structure, item, dss.certs)
  // Document timestamps first, newest first: each is a proof of existence for what it covers.
  const proofs: TimestampProof[] = []
  const byNewest = [...items].sort(
    (a, b) => (b.discovered.signedRevision ?? -1) - (a.discovered.signedRevision ?? -1),
  )
  for (const item of byNewest.filter((i) => i.isTimestamp)) {
    await checkCertificates(item, { anchors, dssCerts, revocation, proofs, now })
    const genTime = item.report.timestamp?.genTime
    if (
      item.report.verdict !== 'invalid' &&
      item.report.chain.trusted &&
      genTime &&
      item.discovered.signedRevision !== undefined &&
      pathClean(item)
    )
      proofs.push({ revision: item.discovered.signedRevision, genTime: new Date(genTime) })
  }
  for (const item of items.filter((i) => !i.isTimestamp))
    await checkCertificates(item, { anchors, dssCerts, revocation, proofs, now })

  const unknownAfter = unanalysableAfter(structure)
  const certification = certificationOf(items)
  for (const item of items) judgeItem(item, { updates, certification, unknownAfter, dss: dss.present })

  const signatures = items.map((item) => finishSignature(item.report, item.reasons))
  const firstSignedRevision = Math.min(
    ...items.map((i) => i.discovered.signedRevision ?? Number.MAX_SAFE_INTEGER),
  )
  const findings = structure.findings.filter(
    (finding) => !('revision' in finding) || finding.revision > firstSignedRevision,
  )
  const document = documentVerdictOf({
    signatures,
    findings,
    stripped: items.some((item) => !item.discovered.inFinal),
    cloned: items.some((item) => item.discovered.clones.length > 0),
  })
  return {
    documentVerdict: document.verdict,
    documentReasons: document.reasons,
    signatures,
    modifiedAfterLastSignature: modifiedAfterLast(items, updates, structure),
    structure: {
      revisions: structure.revisions.length,
      trailingBytes: structure.trailingBytes,
      findings: structure.findings,
    },
  }
}

function newItem(discovered: DiscoveredSignature, view: RevisionView): Item {
  const dict = discovered.dict
  const name = (key: string) => {
    const value = dict.get(PDFName.of(key))
    return value instanceof PDFName ? value.decodeText() : undefined
  }
  const subFilter = name('SubFilter') ?? null
  const isTimestamp = name('Type') === 'DocTimeStamp' || subFilter === 'ETSI.RFC3161'
  const claimed = dateOf(view.context.lookup(dict.get(PDFName.of('M'))))
  const report: SignatureReport = {
    field: discovered.field,
    type: isTimestamp ? 'document-timestamp' : 'signature',
    subFilter,
    signer: null,
    signingTime: { claimed: iso(claimed), timestamped: null, used: '', source: 'verification-time' },
    verdict: 'invalid',
    reason: null,
    reasons: [],
    level: null,
    byteRange: discovered.byteRange ?? [],
    revision: discovered.signedRevision ?? null,
    coversWholeFile: false,
    inFinalRevision: discovered.inFinal,
    integrity: false,
    cmsValid: false,
    chain: { trusted: false, path: [] },
    validAtSigningTime: false,
    keyUsageOk: false,
    revocation: 'unknown',
    revocationSource: null,
    revokedAt: null,
    timestamp: null,
    modification: 'none',
    changesAfter: [],
    docMdpPermission: null,
    fieldLock: null,
    clones: discovered.clones,
  }
  return {
    discovered,
    view,
    isTimestamp,
    report,
    reasons: discovered.clones.length > 0 ? ['signature-cloned'] : [],
  }
}

interface ItemState {
  cms?: CmsCheck
}
const state = new WeakMap<Item, ItemState>()

/** Checks 3 and 4: the byte ranges and the CMS. */
function checkBytesAndCms(structure: FileStructure, item: Item, dssCertDers: Uint8Array[]) {
  const { discovered, view, report, reasons } = item
  const range = discovered.byteRange
  const contents = contentsOf(discovered.dict, view.context)
  const signedRevision =
    discovered.signedRevision === undefined ? undefined : structure.revisions[discovered.signedRevision]
  const lastEnd = structure.revisions.at(-1)
  report.coversWholeFile =
    range !== undefined &&
    lastEnd !== undefined &&
    discovered.signedRevision === lastEnd.index &&
    structure.trailingBytes === 0
  const containerOffset = containerOffsetOf(structure, discovered)
  reasons.push(
    ...checkByteRange({ bytes: structure.bytes, range, contents, signedRevision, containerOffset }),
  )
  if (!range || !contents || range[2] + range[3] > structure.bytes.length || range.some((n) => n < 0)) return
  const cms = checkCms({
    bytes: structure.bytes,
    range,
    contents,
    documentTimestamp: item.isTimestamp,
    subFilter: report.subFilter,
    extraCertificates: dssCertDers,
  })
  state.set(item, { cms })
  reasons.push(...cms.reasons)
  report.integrity = cms.integrity
  report.cmsValid = cms.cmsValid
  if (cms.baseline) report.level = 'B-B'
}

/** Offset of the indirect object holding the signature dictionary, as the signed revision lists it. */
function containerOffsetOf(structure: FileStructure, discovered: DiscoveredSignature): number | undefined {
  const revision =
    discovered.signedRevision === undefined ? undefined : structure.revisions[discovered.signedRevision]
  if (!revision) return undefined
  // A direct /V dictionary lives inside its field object.
  const holder = discovered.valueRef ?? discovered.fieldRef
  const entry = holder ? revision.merged.get(holder.objectNumber) : undefined
  return entry?.type === 'offset' ? entry.offset : undefined
}

/** Checks 5, 6 and 7: certificate path, revocation and time. */
async function checkCertificates(
  item: Item,
  ctx: {
    anchors: X509Certificate[]
    dssCerts: X509Certificate[]
    revocation: RevocationContext
    proofs: TimestampProof[]
    now: Date
  },
) {
  const cms = state.get(item)?.cms
  const { report, reasons } = item
  if (!cms) return finishSignature(report, reasons)
  const pool = [...ctx.dssCerts, ...cms.certificates]
  const claimed = report.signingTime.claimed ? new Date(report.signingTime.claimed) : undefined
  // The signature's own timestamp: a proof of existence when valid, trusted and of sound algorithms.
  let signatureTimestamp: Date | undefined
  const token = cms.timestamp
  if (token && !item.isTimestamp) {
    const tsaTime = provenTime({
      signatureTimestamp: undefined,
      revision: item.discovered.signedRevision,
      documentTimestamps: ctx.proofs,
      now: ctx.now,
    })
    const tsaPath = token.tsaCertificate
      ? checkCertificatePath({
          signer: token.tsaCertificate,
          pool,
          anchors: ctx.anchors,
          at: tsaTime.at,
          purpose: 'timestamping',
          withoutProof: tsaTime.proof === undefined,
        })
      : undefined
    const trusted =
      token.valid && tsaPath?.trusted === true && tsaPath.reasons.length === 0 && !cms.timestampWeak
    report.timestamp = timestampSummary(token, trusted)
    if (trusted && token.genTime) signatureTimestamp = token.genTime
    else if (token.valid) reasons.push('timestamp-untrusted')
  }
  const time = provenTime({
    signatureTimestamp,
    revision: item.discovered.signedRevision,
    documentTimestamps: ctx.proofs,
    now: ctx.now,
  })
  report.signingTime.timestamped = iso(token?.genTime)
  report.signingTime.used = time.at.toISOString()
  report.signingTime.source = time.source
  const signer = cms.signerCertificate
  if (!signer) return
  report.signer = summarize(signer)
  const path = checkCertificatePath({
    signer,
    pool,
    anchors: ctx.anchors,
    at: time.at,
    purpose: item.isTimestamp ? 'timestamping' : 'document-signing',
    withoutProof: time.proof === undefined,
  })
  report.chain = { trusted: path.trusted, path: path.path.map(summarize) }
  if (item.isTimestamp && token)
    report.timestamp = timestampSummary(token, token.valid && path.trusted && path.reasons.length === 0)
  report.validAtSigningTime = path.validAtTime
  report.keyUsageOk = path.keyUsageOk
  reasons.push(...path.reasons)
  const revocation = await checkRevocation(ctx.revocation, path.path, {
    at: time.at,
    proof: time.proof,
    claimed,
    mayFetch: path.trusted,
  })
  report.revocation = revocation.status
  report.revokedAt = revocation.revokedAt?.toISOString() ?? null
  report.revocationSource = revocation.source
  reasons.push(...revocation.reasons)
}

function timestampSummary(
  token: NonNullable<CmsCheck['timestamp']>,
  trusted: boolean,
): SignatureReport['timestamp'] {
  return {
    genTime: iso(token.genTime),
    valid: token.valid,
    trusted,
    tsa: token.tsaCertificate ? summarize(token.tsaCertificate) : null,
  }
}

/** A path that validated without findings (used to accept a document timestamp as a proof). */
const pathClean = (item: Item) =>
  !item.reasons.some((reason) =>
    [
      'untrusted-chain',
      'ca-constraints',
      'certificate-expired',
      'expired-no-poe',
      'key-usage',
      'extended-key-usage',
      'unknown-critical-extension',
      'weak-algorithm',
      'revoked',
      'revoked-no-poe',
    ].includes(reason),
  )

/** The document's certification: its first signature (not a timestamp), when that one has DocMDP. */
function certificationOf(items: Item[]): { item: Item; permission: DocMdpPermission } | undefined {
  const first = items
    .filter((item) => !item.isTimestamp && item.discovered.signedRevision !== undefined)
    .sort((a, b) => a.discovered.signedRevision! - b.discovered.signedRevision!)[0]
  if (!first) return undefined
  const permission = docMdpOf(first.view.context, first.discovered.dict)
  return permission ? { item: first, permission } : undefined
}

/** Checks 8 and 9: what came after the signature, and whether it permits it. */
function judgeItem(
  item: Item,
  ctx: {
    updates: UpdateAnalysis[]
    certification: { item: Item; permission: DocMdpPermission } | undefined
    unknownAfter: (revision: number) => boolean
    dss: boolean
  },
) {
  const { report, reasons, discovered } = item
  const revision = discovered.signedRevision
  const isCertification = ctx.certification?.item === item
  if (isCertification) report.docMdpPermission = ctx.certification!.permission
  const field = fieldDictOf(item)
  const lock = item.isTimestamp ? undefined : fieldLockOf(item.view.context, discovered.dict, field)
  report.fieldLock = lock ?? null
  if (report.level === 'B-B' && report.timestamp?.valid) {
    report.level = 'B-T'
    if (ctx.dss) {
      report.level = 'B-LT'
      if (
        ctx.updates.some(
          (u) => u.revision > (revision ?? 0) && u.signedFields.some((f) => f.documentTimestamp),
        )
      )
        report.level = 'B-LTA'
    }
  }
  if (revision === undefined) {
    report.modification = 'unknown'
    return
  }
  const certification = ctx.certification
  const applies = certification && revision >= (certification.item.discovered.signedRevision ?? 0)
  let level: ChangeLevel = 'form-fill'
  if (applies && LEVEL_RANK[PERMITTED_LEVEL[certification.permission]] < LEVEL_RANK[level])
    level = PERMITTED_LEVEL[certification.permission]
  if (isCertification) level = PERMITTED_LEVEL[certification!.permission]
  const judged = judgeChanges({
    revision,
    updates: ctx.updates,
    level,
    certification: applies ? certification.permission : undefined,
    lock,
    unknown: ctx.unknownAfter(revision),
  })
  report.modification = judged.modification
  report.changesAfter = judged.changes
  if (!report.coversWholeFile) reasons.push('not-whole-file')
  if (judged.fieldMdpViolated) reasons.push('fieldmdp-violation')
  const beyondLevel = judged.changes.some((change) => LEVEL_RANK[change.level] > LEVEL_RANK[level])
  if (isCertification && judged.docMdpViolated) reasons.push('docmdp-violation')
  else if (judged.modification === 'not-allowed' && (beyondLevel || !judged.fieldMdpViolated))
    reasons.push('modified-after-signing')
  if (judged.modification === 'unknown') reasons.push('changes-unknown')
  if (judged.modification === 'allowed') reasons.push('changes-allowed')
}

/** The signature field holding this signature, in the revision it signed. */
function fieldDictOf(item: Item): PDFDict | undefined {
  const field = formFields(item.view).find(
    (f) => f.name === item.discovered.field || sameRef(f.rawValue, item.discovered.valueRef),
  )
  return field?.dict
}

const sameRef = (a: PDFObject | undefined, b: PDFRef | undefined) =>
  a instanceof PDFRef && b !== undefined && a.objectNumber === b.objectNumber

/** Updates after `revision` the structure check could not vouch for. */
function unanalysableAfter(structure: FileStructure) {
  return (revision: number) =>
    structure.findings.some(
      (finding) =>
        finding.code === 'damaged' ||
        (finding.code === 'trailing-data' && !finding.objects) ||
        ('revision' in finding && finding.revision > revision),
    )
}

/** Something but DSS, metadata and document timestamps after the newest signature, or trailing bytes. */
function modifiedAfterLast(items: Item[], updates: UpdateAnalysis[], structure: FileStructure): boolean {
  if (items.length === 0) return false
  if (structure.trailingBytes > 0) return true
  const newest = Math.max(...items.map((item) => item.discovered.signedRevision ?? -1))
  return updates.some(
    (update) =>
      update.revision > newest &&
      (!update.complete || update.changes.some((change) => change.level !== 'lta')),
  )
}

function dateOf(object: PDFObject | undefined): Date | undefined {
  try {
    if (object instanceof PDFString || object instanceof PDFHexString) return object.decodeDate()
  } catch {
    return undefined
  }
  return undefined
}

const iso = (date: Date | undefined) => (date && !Number.isNaN(date.getTime()) ? date.toISOString() : null)

export type { PadesLevel }
