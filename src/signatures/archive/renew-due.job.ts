/**
 * Daily: documents whose newest signed PDF is kept at PAdES B-LTA get renewed before the certificate of
 * their newest document timestamp's TSA expires (SIGNING_RENEW_BEFORE_DAYS ahead). Only files that carry
 * a document timestamp already: upgrading every B-B/B-T arrival is an archivist's choice, made by hand
 * (POST /api/documents/:id/signatures/renew). One failing document does not stop the others.
 */
import { and, desc, eq, gt, inArray } from 'drizzle-orm'
import { documentFiles, documents, signatureReports } from '../../platform/db/schema/index.ts'
import { AppError } from '../../platform/errors.ts'
import type { JobDefinition } from '../../platform/jobs/job-queue.ts'
import type { SignatureReport } from '../../pades/verify/verify-pdf.ts'
import { type RenewDeps, renewFile } from './renew.service.ts'

export const RENEW_DUE_JOB = 'signatures.renew-due'
const context = { actor: `job:${RENEW_DUE_JOB}` }
const DAY_MS = 86_400_000

export interface RenewDueOptions {
  renewBeforeDays: number
  /** Renewals per run at most: each asks the TSA and the CAs. */
  limit?: number
  now?: Date
}

export async function renewDueSignatures(deps: RenewDeps, options: RenewDueOptions) {
  const tsa = deps.policy.tsa
  if (!tsa) return { skipped: 'no-tsa' as const }
  const now = options.now ?? new Date()
  const dueBefore = new Date(now.getTime() + options.renewBeforeDays * DAY_MS)
  const db = deps.database.db
  // The newest signable file of each document (as signing.repository's newestSignable orders them).
  const newest = await db
    .selectDistinctOn([documentFiles.documentId], { file: documentFiles, agencyId: documents.agencyId })
    .from(documentFiles)
    .innerJoin(documents, eq(documents.id, documentFiles.documentId))
    .where(inArray(documentFiles.role, ['signed', 'original']))
    .orderBy(
      documentFiles.documentId,
      desc(eq(documentFiles.role, 'signed')),
      desc(documentFiles.createdAt),
      desc(documentFiles.id),
    )
  const signed = newest.filter(({ file }) => file.signatureCount > 0)
  // Each file's newest report with signatures, in one query.
  const reports = signed.length
    ? await db
        .selectDistinctOn([signatureReports.fileId], {
          fileId: signatureReports.fileId,
          report: signatureReports.report,
        })
        .from(signatureReports)
        .where(
          and(
            inArray(
              signatureReports.fileId,
              signed.map(({ file }) => file.id),
            ),
            gt(signatureReports.signatureCount, 0),
          ),
        )
        .orderBy(signatureReports.fileId, desc(signatureReports.verifiedAt))
    : []
  const reportOf = new Map(reports.map((row) => [row.fileId, row.report]))
  const due: { file: (typeof newest)[number]['file']; agencyId: string; expires: Date }[] = []
  for (const { file, agencyId } of signed) {
    const expires = newestTimestampExpiry(reportOf.get(file.id))
    if (agencyId && expires && expires < dueBefore) due.push({ file, agencyId, expires })
  }
  due.sort((a, b) => a.expires.getTime() - b.expires.getTime())
  const renewed: string[] = []
  const failed: { documentId: string; code: string }[] = []
  for (const { file, agencyId } of due.slice(0, options.limit ?? 50)) {
    try {
      renewed.push((await renewFile(deps, tsa, { source: file, agencyId }, context)).fileId)
    } catch (error) {
      failed.push({ documentId: file.documentId, code: error instanceof AppError ? error.code : 'error' })
    }
  }
  return { due: due.length, renewed: renewed.length, failed }
}

/** When the TSA certificate of the file's newest document timestamp expires; undefined without one. */
function newestTimestampExpiry(report: unknown): Date | undefined {
  const signatures = (report as { signatures?: SignatureReport[] } | undefined)?.signatures ?? []
  const stamps = signatures.filter((signature) => signature.type === 'document-timestamp' && signature.signer)
  const last = stamps[stamps.length - 1]
  return last?.signer ? new Date(last.signer.notAfter) : undefined
}

export function renewDueJob(deps: RenewDeps, renewBeforeDays: number): JobDefinition {
  return {
    name: RENEW_DUE_JOB,
    cron: '30 2 * * *',
    retryLimit: 1,
    expireInSeconds: 60 * 60,
    handler: () => renewDueSignatures(deps, { renewBeforeDays }),
  }
}
