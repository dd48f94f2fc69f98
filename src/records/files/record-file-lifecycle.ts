import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Actor } from '../../access/actor.ts'
import { documentVisibility } from '../../access/policy.ts'
import { type AuditContext, appendAuditEvent } from '../../audit/audit.service.ts'
import type { Database, Tx } from '../../platform/db/database.ts'
import { documents, recordFileDocuments } from '../../platform/db/schema/index.ts'
import { AppError, fieldError } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import type { JobQueue } from '../../platform/jobs/job-queue.ts'
import { vietnamDate } from '../records-policy.ts'
import { queueObjectLockSync } from '../storage/object-lock.job.ts'
import { recordTimeline } from '../timeline-link.ts'
import * as repository from './record-files.repository.ts'
import { lockForChange } from './record-files.service.ts'

type Deps = { database: Database }

export interface FiledDocument {
  recordFileId: string
  fileCode: string
  documentId: string
  /** false when the document was already in the hồ sơ (filing is idempotent). */
  added: boolean
}

/**
 * Lập hồ sơ: files a document into a planned or open hồ sơ, inside the caller's transaction (the
 * officer's completion, the outgoing document's issue, or the records API). The document must be one
 * the actor may open; the hồ sơ one they manage, not closed, not under hold. One document may be filed
 * in several hồ sơ. A planned hồ sơ opens with its first document. Writes its audit event and timeline
 * entry in the same transaction.
 */
export async function fileDocument(
  tx: Tx,
  actor: Actor,
  input: { recordFileId: string; documentId: string },
  context: AuditContext,
): Promise<FiledDocument> {
  const file = await lockForChange(tx, actor, input.recordFileId, ['planned', 'open'])
  const [document] = isUuid(input.documentId)
    ? await tx
        .select({ id: documents.id, subject: documents.subject })
        .from(documents)
        .where(and(eq(documents.id, input.documentId), documentVisibility(actor, 'content')))
    : []
  if (!document) throw new AppError('validation-failed', { errors: [fieldError('documentId', 'field-invalid-value')] })
  const inserted = await tx
    .insert(recordFileDocuments)
    .values({ recordFileId: file.id, documentId: document.id, filedBy: actor.userId })
    .onConflictDoNothing()
    .returning({ documentId: recordFileDocuments.documentId })
  const added = inserted.length > 0
  if (added) {
    if (file.status === 'planned') {
      await repository.updateRecordFile(tx, file.id, { status: 'open', startDate: vietnamDate(), keeperUserId: file.keeperUserId ?? actor.userId })
    }
    // The timeline locks the document row; the audit head is taken last, as every writer does, so two
    // transactions never hold them in opposite orders (a deadlock seen with the extraction jobs).
    await recordTimeline(tx, actor, document.id, 'record-filed', { recordFileId: file.id, fileCode: file.fileCode, title: file.title })
    await appendAuditEvent(tx, context, {
      action: 'record-file.document-filed',
      targetType: 'document',
      targetId: document.id,
      details: { recordFileId: file.id, fileCode: file.fileCode },
    })
  }
  return { recordFileId: file.id, fileCode: file.fileCode, documentId: document.id, added }
}

/** fileDocument in a transaction of its own (the records API). */
export async function fileDocumentInto(deps: Deps, actor: Actor, recordFileId: string, documentIds: string[], context: AuditContext) {
  return deps.database.db.transaction(async (tx) => {
    // The hồ sơ, then every document row in one order (as closing takes them): the audit head the first
    // filing takes is then never held while waiting for a later document's row.
    await lockForChange(tx, actor, recordFileId, ['planned', 'open'])
    const ids = [...new Set(documentIds.filter(isUuid))].sort()
    if (ids.length > 0) await tx.select({ id: documents.id }).from(documents).where(inArray(documents.id, ids)).orderBy(documents.id).for('update')
    const results: FiledDocument[] = []
    for (const documentId of documentIds) results.push(await fileDocument(tx, actor, { recordFileId, documentId }, context))
    return results
  })
}

/** Takes a document out of an open hồ sơ (filed by mistake); closed hồ sơ are records and refuse. */
export async function unfileDocument(deps: Deps, actor: Actor, recordFileId: string, documentId: string, context: AuditContext) {
  return deps.database.db.transaction(async (tx) => {
    const file = await lockForChange(tx, actor, recordFileId, ['planned', 'open'])
    const removed = isUuid(documentId)
      ? await tx
          .delete(recordFileDocuments)
          .where(and(eq(recordFileDocuments.recordFileId, file.id), eq(recordFileDocuments.documentId, documentId)))
          .returning()
      : []
    if (removed.length === 0) throw new AppError('not-found')
    await recordTimeline(tx, actor, documentId, 'record-unfiled', { recordFileId: file.id, fileCode: file.fileCode })
    await appendAuditEvent(tx, context, {
      action: 'record-file.document-unfiled',
      targetType: 'document',
      targetId: documentId,
      details: { recordFileId: file.id, fileCode: file.fileCode },
    })
  })
}

/**
 * Closes a hồ sơ (kết thúc hồ sơ): its documents are numbered in mục lục order (ordinal, tờ số from
 * their page counts), the start and end dates and the document and page counts are computed, and from
 * now on its documents are records the database refuses to change.
 */
export async function closeRecordFile(deps: Deps & { jobs: Pick<JobQueue, 'send'> }, actor: Actor, id: string, context: AuditContext) {
  return deps.database.db.transaction(async (tx) => {
    const file = await lockForChange(tx, actor, id, ['open'])
    const rows = await repository.documentsOf(tx, file.id)
    if (rows.length === 0) throw new AppError('record-file-state', { detail: 'A hồ sơ without documents cannot be closed.' })
    await tx.update(recordFileDocuments).set({ ordinal: null }).where(eq(recordFileDocuments.recordFileId, file.id))
    const ordered = await repository.documentsOf(tx, file.id)
    let sheet = 1
    const dates: string[] = []
    for (const [index, { document }] of ordered.entries()) {
      const pages = Math.max(1, document.pageCount ?? 1)
      await tx
        .update(recordFileDocuments)
        .set({ ordinal: index + 1, pageFrom: sheet, pageTo: sheet + pages - 1 })
        .where(and(eq(recordFileDocuments.recordFileId, file.id), eq(recordFileDocuments.documentId, document.id)))
      sheet += pages
      const date = document.issuedDate ?? document.arrivalDate
      if (date) dates.push(date)
    }
    dates.sort()
    const closed = await repository.updateRecordFile(tx, file.id, {
      status: 'closed',
      startDate: dates[0] ?? file.startDate ?? vietnamDate(),
      endDate: dates.at(-1) ?? vietnamDate(),
      documentCount: ordered.length,
      pageCount: sheet - 1,
      closedAt: new Date(),
      closedBy: actor.userId,
    })
    for (const { document } of ordered) {
      await recordTimeline(tx, actor, document.id, 'record-file-closed', { recordFileId: file.id, fileCode: file.fileCode })
    }
    await appendAuditEvent(tx, context, {
      action: 'record-file.closed',
      targetType: 'record-file',
      targetId: file.id,
      details: { fileCode: file.fileCode, documentCount: closed.documentCount, pageCount: closed.pageCount, startDate: closed.startDate, endDate: closed.endDate },
    })
    await queueObjectLockSync(tx, deps.jobs, ordered.map(({ document }) => document.id))
    return closed
  })
}

/** Reopens a closed hồ sơ (not yet transferred) with a reason: its documents may change again. */
export async function reopenRecordFile(deps: Deps, actor: Actor, id: string, reason: string | undefined, context: AuditContext) {
  const why = reason?.normalize('NFC').trim()
  if (!why) throw new AppError('validation-failed', { errors: [fieldError('reason', 'field-required')] })
  return deps.database.db.transaction(async (tx) => {
    const file = await lockForChange(tx, actor, id, ['closed'])
    await tx.update(recordFileDocuments).set({ ordinal: null, pageFrom: null, pageTo: null }).where(eq(recordFileDocuments.recordFileId, file.id))
    const reopened = await repository.updateRecordFile(tx, file.id, { status: 'open', reopenReason: why, closedAt: null, closedBy: null, endDate: null })
    await appendAuditEvent(tx, context, {
      action: 'record-file.reopened',
      targetType: 'record-file',
      targetId: file.id,
      details: { fileCode: file.fileCode, reason: why, closedAt: file.closedAt?.toISOString() ?? null },
    })
    return reopened
  })
}

/** Open hồ sơ a document could be filed into by this actor (for the "lập hồ sơ" step of completing). */
export async function fileChoicesFor(deps: Deps, actor: Actor, year: number) {
  const rows = await repository.listRecordFiles(deps.database.db, {
    agencyId: actor.agencyId,
    year,
    status: ['planned', 'open'],
    visible: actor.roles.has('archivist')
      ? undefined
      : sql`(${actor.departmentId ? sql`record_files.department_id = ${actor.departmentId} or ` : sql``}record_files.keeper_user_id = ${actor.userId})`,
  })
  return rows.filter((row) => !row.held)
}
