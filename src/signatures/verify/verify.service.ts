/**
 * Verification as a service: the actor's agency's active trust anchors, an audit event per verification
 * (in the same transaction as the stored report, when there is one). Online revocation fetching stays off:
 * without CRLs in the PDF's DSS revocation is 'unknown' (see verify-pdf.ts).
 */
import { createHash } from 'node:crypto'
import { buffer } from 'node:stream/consumers'
import { and, desc, eq, isNull } from 'drizzle-orm'
import type { Actor } from '../../access/actor.ts'
import { documentVisibility } from '../../access/policy.ts'
import { type AuditContext, appendAuditEvent } from '../../audit/audit.service.ts'
import * as documentsRepository from '../../documents/documents.repository.ts'
import type { DocumentsDeps } from '../../documents/documents.service.ts'
import type { Config } from '../../platform/config.ts'
import type { Executor, Tx } from '../../platform/db/database.ts'
import { signatureReports, trustAnchors } from '../../platform/db/schema/index.ts'
import { AppError } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { agencyRevocationFetcher } from '../revocation-lists/stored-revocation.ts'
import { NotAPdfError, type PdfVerification, verifyPdf } from '../../pades/verify/verify-pdf.ts'

/** The job that verifies a signed PDF on arrival (verify-signatures.job.ts). */
export const SIGNATURE_VERIFY_JOB = 'signatures.verify'

export type OverallVerdict = 'valid' | 'invalid' | 'indeterminate' | 'none'

/** The worst verdict over the file's signatures: invalid, then indeterminate; none without any. */
export function overallVerdict(report: PdfVerification): OverallVerdict {
  const verdicts = new Set(report.signatures.map((signature) => signature.verdict))
  if (verdicts.size === 0) return 'none'
  if (verdicts.has('invalid')) return 'invalid'
  return verdicts.has('indeterminate') ? 'indeterminate' : 'valid'
}

/** What the audit event keeps of a verification: counts and, per signature, who, verdict and why. */
function summary(report: PdfVerification, bytes: Uint8Array) {
  const counts = { valid: 0, invalid: 0, indeterminate: 0 }
  for (const signature of report.signatures) counts[signature.verdict]++
  return {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
    signatureCount: report.signatures.length,
    documentVerdict: report.documentVerdict ?? null,
    documentReasons: report.documentReasons ?? [],
    counts,
    modifiedAfterLastSignature: report.modifiedAfterLastSignature,
    signatures: report.signatures.map((signature) => ({
      field: signature.field,
      signer: signature.signer?.commonName ?? null,
      verdict: signature.verdict,
      reason: signature.reason,
      level: signature.level,
    })),
  }
}

export async function activeAnchors(db: Executor, agencyId: string): Promise<string[]> {
  const rows = await db
    .select({ pem: trustAnchors.certificatePem })
    .from(trustAnchors)
    .where(and(eq(trustAnchors.agencyId, agencyId), isNull(trustAnchors.removedAt)))
  return rows.map((row) => row.pem)
}

async function verifyBytes(
  db: Executor,
  config: Config,
  actor: Actor,
  bytes: Uint8Array,
): Promise<PdfVerification> {
  const trustAnchors = await activeAnchors(db, actor.agencyId)
  try {
    // The agency's loaded CRLs, then (when allowed) the network: offline agencies verify too.
    return await verifyPdf(bytes, { trustAnchors, fetchRevocation: agencyRevocationFetcher(config.signing, db, actor.agencyId) })
  } catch (error) {
    if (error instanceof NotAPdfError) throw new AppError('upload-type-mismatch')
    throw error
  }
}

/** Verifies an uploaded PDF; nothing is stored but the audit event. */
export async function verifyUpload(
  deps: Pick<DocumentsDeps, 'database'> & { config: Config },
  actor: Actor,
  bytes: Uint8Array,
  context: AuditContext,
): Promise<PdfVerification> {
  const report = await verifyBytes(deps.database.db, deps.config, actor, bytes)
  await deps.database.db.transaction(async (tx) => {
    await appendAuditEvent(tx, context, {
      action: 'signature.verified',
      targetType: 'upload',
      details: { ...summary(report, bytes), verdict: overallVerdict(report) },
    })
  })
  return report
}

/** Verifies a stored file of a document the actor may read the content of, and keeps the report. */
export async function verifyStoredFile(
  deps: Pick<DocumentsDeps, 'database' | 'blobStore'> & { config: Config },
  actor: Actor,
  documentId: string,
  fileId: string,
  context: AuditContext,
) {
  if (!isUuid(documentId) || !isUuid(fileId)) throw new AppError('not-found')
  const db = deps.database.db
  const file = await documentsRepository.findFile(
    db,
    documentId,
    fileId,
    documentVisibility(actor, 'content'),
  )
  if (!file) throw new AppError('not-found')
  const bytes = await buffer(await deps.blobStore.get(file.blobKey))
  const report = await verifyBytes(db, deps.config, actor, bytes)
  return db.transaction((tx) => insertReport(tx, context, { documentId, fileId, report, bytes }))
}

/** Stores a file's report and its 'signature.verified' audit event (the caller's transaction). */
export async function insertReport(
  tx: Tx,
  context: AuditContext,
  input: {
    documentId: string
    fileId: string
    report: PdfVerification
    bytes: Uint8Array
    /** The file could not be read as a PDF: an invalid report without signatures. */
    error?: 'unreadable-pdf' | undefined
  },
) {
  const { documentId, fileId, bytes, error } = input
  const report = error ? { ...input.report, error } : input.report
  const verdict = error ? 'invalid' : overallVerdict(report)
  const [row] = await tx
    .insert(signatureReports)
    .values({
      documentId,
      fileId,
      verdict,
      signatureCount: report.signatures.length,
      modifiedAfterLastSignature: report.modifiedAfterLastSignature,
      report,
      verifiedBy: context.actor,
    })
    .returning()
  await appendAuditEvent(tx, context, {
    action: 'signature.verified',
    targetType: 'document',
    targetId: documentId,
    details: {
      fileId,
      reportId: row!.id,
      verdict,
      ...summary(report, bytes),
      ...(error ? { errorCode: error } : {}),
    },
  })
  return toReportView(row!)
}

/**
 * A document's stored reports, newest first (only each file's newest with `latest`), and per PDF file in
 * which the upload saw signatures: its newest verdict, and `verifying` while a signatures.verify job for it
 * is queued or running (a signed file nobody asked to verify has neither).
 */
export async function listSignatureReports(
  deps: Pick<DocumentsDeps, 'database' | 'jobs'>,
  actor: Actor,
  documentId: string,
  options: { latest?: boolean | undefined } = {},
) {
  if (!isUuid(documentId)) throw new AppError('not-found')
  const db = deps.database.db
  const document = await documentsRepository.findDocument(
    db,
    documentId,
    documentVisibility(actor, 'content'),
  )
  if (!document) throw new AppError('not-found')
  const rows = await db
    .select()
    .from(signatureReports)
    .where(eq(signatureReports.documentId, documentId))
    .orderBy(desc(signatureReports.verifiedAt), desc(signatureReports.id))
  const newest = new Map<string, typeof signatureReports.$inferSelect>()
  for (const row of rows) if (!newest.has(row.fileId)) newest.set(row.fileId, row)
  // Files whose signatures.verify job has not finished yet: the UI says "đang kiểm tra".
  const pending = new Set(
    (await deps.jobs.unfinishedPayloads(SIGNATURE_VERIFY_JOB, { documentId })).map((job) =>
      String(job.fileId),
    ),
  )
  const files = (await documentsRepository.filesOf(db, [documentId]))
    .filter((file) => file.signatureCount > 0 || newest.has(file.id))
    .map((file) => {
      const report = newest.get(file.id)
      return {
        fileId: file.id,
        signatureCount: report?.signatureCount ?? file.signatureCount,
        verdict: report ? (report.verdict as OverallVerdict) : null,
        documentVerdict: report
          ? ((report.report as Partial<PdfVerification>).documentVerdict ?? null)
          : null,
        reportId: report?.id ?? null,
        verifiedAt: report?.verifiedAt.toISOString() ?? null,
        verifying: pending.has(file.id),
      }
    })
  const items = options.latest ? rows.filter((row) => newest.get(row.fileId) === row) : rows
  return { items: items.map(toReportView), files }
}

function toReportView(row: typeof signatureReports.$inferSelect) {
  const report = row.report as Partial<PdfVerification> & { signatures: unknown[]; error?: string }
  return {
    id: row.id,
    documentId: row.documentId,
    fileId: row.fileId,
    verdict: row.verdict as OverallVerdict,
    // Reports stored before the document verdict existed have none.
    documentVerdict: report.documentVerdict ?? null,
    documentReasons: report.documentReasons ?? [],
    signatureCount: row.signatureCount,
    modifiedAfterLastSignature: row.modifiedAfterLastSignature,
    verifiedBy: row.verifiedBy,
    verifiedAt: row.verifiedAt.toISOString(),
    error: report.error ?? null,
    signatures: report.signatures,
  }
}
