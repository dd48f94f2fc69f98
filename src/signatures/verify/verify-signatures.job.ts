/**
 * Kiểm tra chữ ký số khi tiếp nhận: a PDF that arrives with signatures (upload, incoming registration,
 * draft) is verified by a job queued in the transaction that stores the file, against the trust anchors of
 * the document's agency. The report and its audit event are stored together, once per file: a retried
 * or duplicated job finds the registration report and stores nothing more (later verifications through
 * POST /api/documents/:id/files/:fileId/verify add newer reports).
 */
import { buffer } from 'node:stream/consumers'
import { and, eq, sql } from 'drizzle-orm'
import { findDocument, findFile } from '../../documents/documents.repository.ts'
import type { Database, Tx } from '../../platform/db/database.ts'
import { signatureReports } from '../../platform/db/schema/index.ts'
import type { JobDefinition, JobQueue } from '../../platform/jobs/job-queue.ts'
import type { Config } from '../../platform/config.ts'
import { verificationFetcher } from '../revocation/online-revocation.ts'
import { agencyRevocationFetcher } from '../revocation-lists/stored-revocation.ts'
import type { BlobStore } from '../../storage/blob-store.ts'
import { NotAPdfError, type PdfVerification, verifyPdf } from '../../pades/verify/verify-pdf.ts'
import { activeAnchors, insertReport, SIGNATURE_VERIFY_JOB } from './verify.service.ts'

export { SIGNATURE_VERIFY_JOB }
export const SIGNATURE_VERIFY_ACTOR = `job:${SIGNATURE_VERIFY_JOB}`

export interface SignatureVerifyPayload {
  documentId: string
  fileId: string
}

/** Files verified on arrival: PDFs in which the upload saw at least one signature dictionary. */
export function needsSignatureVerification(file: { mediaType: string; signatureCount: number }): boolean {
  return file.mediaType === 'application/pdf' && file.signatureCount > 0
}

/**
 * Queues the verification of a stored file inside the transaction that stores it (or the signed file
 * that signing stores), so the file never exists without its job and the job never runs for a rollback.
 */
export function sendSignatureVerification(
  tx: Tx,
  jobs: Pick<JobQueue, 'send'>,
  payload: SignatureVerifyPayload,
): Promise<string> {
  return jobs.send(
    SIGNATURE_VERIFY_JOB,
    { documentId: payload.documentId, fileId: payload.fileId },
    { executor: tx },
  )
}

export interface SignatureVerifyDeps {
  database: Database
  blobStore: BlobStore
  config: Config
}

export function verifySignaturesJob(deps: SignatureVerifyDeps): JobDefinition<SignatureVerifyPayload> {
  return {
    name: SIGNATURE_VERIFY_JOB,
    retryLimit: 2,
    retryDelaySeconds: 10,
    expireInSeconds: 10 * 60,
    handler: (payload) => verifyOnArrival(deps, payload),
  }
}

/**
 * Storage and database errors throw (the job is retried); a file that is not a readable PDF completes the
 * job with an 'invalid' report whose `error` is 'unreadable-pdf'.
 */
const context = { actor: SIGNATURE_VERIFY_ACTOR }

export async function verifyOnArrival(
  deps: SignatureVerifyDeps,
  { documentId, fileId }: SignatureVerifyPayload,
) {
  const db = deps.database.db
  const file = await findFile(db, documentId, fileId)
  const document = file ? await findDocument(db, documentId) : undefined
  if (!file || !document) return { skipped: 'file-gone' as const }
  if (await registrationReport(db, fileId)) return { skipped: 'already-verified' as const }
  const bytes = await buffer(await deps.blobStore.get(file.blobKey))
  // A document without an agency (none is created so today) trusts nothing: indeterminate, never valid.
  const trustAnchors = document.agencyId ? await activeAnchors(db, document.agencyId) : []
  let report: PdfVerification
  let error: 'unreadable-pdf' | undefined
  try {
    report = await verifyPdf(bytes, {
      trustAnchors,
      // The agency's loaded CRLs, then (when allowed) the network: offline agencies verify too.
      fetchRevocation: document.agencyId
        ? agencyRevocationFetcher(deps.config.signing, db, document.agencyId)
        : verificationFetcher(deps.config.signing),
    })
  } catch (cause) {
    if (!(cause instanceof NotAPdfError)) throw cause
    // Reading the same bytes again gives the same answer: an invalid report (EU DSS FORMAT_FAILURE).
    report = {
      documentVerdict: 'invalid',
      documentReasons: [],
      signatures: [],
      modifiedAfterLastSignature: false,
      structure: { revisions: 0, trailingBytes: 0, findings: [] },
    }
    error = 'unreadable-pdf'
  }
  return db.transaction(async (tx) => {
    // Two runs of the job at once: the second waits here, then finds the first one's report.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`signature-verify:${fileId}`}, 0))`)
    if (await registrationReport(tx, fileId)) return { skipped: 'already-verified' as const }
    const stored = await insertReport(tx, context, { documentId, fileId, report, bytes, error })
    return { state: 'done' as const, reportId: stored.id, verdict: stored.verdict }
  })
}

async function registrationReport(db: Database['db'] | Tx, fileId: string) {
  const [row] = await db
    .select({ id: signatureReports.id })
    .from(signatureReports)
    .where(and(eq(signatureReports.fileId, fileId), eq(signatureReports.verifiedBy, SIGNATURE_VERIFY_ACTOR)))
    .limit(1)
  return row
}
