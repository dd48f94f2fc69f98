import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { Actor } from '../../access/actor.ts'
import { type AuditContext, appendAuditEvent } from '../../audit/audit.service.ts'
import type { Database } from '../../platform/db/database.ts'
import { departments, documentGrants, documents, recordFileDocuments, recordFiles, recordTransfers, users } from '../../platform/db/schema/index.ts'
import { AppError, fieldError } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import type { JobQueue } from '../../platform/jobs/job-queue.ts'
import { enqueueSearchSync } from '../../search/search-outbox.ts'
import { lockBlobKey } from '../../storage/blob-references.ts'
import type { BlobStore } from '../../storage/blob-store.ts'
import { canManageRecordFile } from '../files/record-file-access.ts'
import { agencyOf, liveFilesOf } from '../files/record-files.repository.ts'
import { activeHoldOnFile } from '../holds/holds.repository.ts'
import { allowRecordChanges } from '../record-lock.ts'
import type { RecordsConfig } from '../../platform/config.ts'
import { renderTableForm } from '../reports/table-pdf.ts'
import { transferInventoryForm, transferReceiptForm } from '../reports/records-forms.ts'
import { archivistsOf, fileLabel, notifyAboutFiles } from '../records-notifications.ts'
import { queueObjectLockSync } from '../storage/object-lock.job.ts'
import { recordTimeline } from '../timeline-link.ts'

export interface TransferDeps {
  database: Database
  blobStore: BlobStore
  jobs: JobQueue
  config: { records: RecordsConfig }
}

type TransferRow = typeof recordTransfers.$inferSelect

async function storePdf(deps: TransferDeps, pdf: Buffer) {
  return deps.blobStore.put(Readable.from([pdf]))
}

/**
 * Closed hồ sơ not yet handed to the archive, with their nộp lưu deadline (RECORDS_TRANSFER_DUE_DAYS
 * after closing) — the department's list, or the whole agency's for archivists.
 */
export async function transfersDue(deps: TransferDeps, actor: Actor) {
  const everyDepartment = actor.roles.has('archivist') || actor.roles.has('leader')
  const rows = await deps.database.db
    .select({ file: recordFiles, departmentName: departments.name })
    .from(recordFiles)
    .leftJoin(departments, eq(departments.id, recordFiles.departmentId))
    .where(
      and(
        eq(recordFiles.agencyId, actor.agencyId),
        eq(recordFiles.status, 'closed'),
        isNull(recordFiles.transferId),
        everyDepartment ? undefined : actor.departmentId ? eq(recordFiles.departmentId, actor.departmentId) : sql`false`,
      ),
    )
    .orderBy(recordFiles.closedAt)
  const dueDays = deps.config.records.transferDueDays
  return rows.map(({ file, departmentName }) => ({
    file,
    departmentName,
    dueDate: file.closedAt ? new Date(file.closedAt.getTime() + dueDays * 86_400_000).toISOString().slice(0, 10) : null,
  }))
}

/**
 * The department hands closed hồ sơ to the agency archive (nộp lưu) with their mục lục hồ sơ (a PDF
 * kept with the transfer). Every hồ sơ must be closed, of one department, not already in a transfer,
 * not under hold, and managed by the actor.
 */
export async function submitTransfer(deps: TransferDeps, actor: Actor, input: { recordFileIds: string[]; note?: string | undefined }, context: AuditContext) {
  const ids = [...new Set(input.recordFileIds)].filter(isUuid)
  if (ids.length === 0 || ids.length !== input.recordFileIds.length) throw new AppError('validation-failed', { errors: [fieldError('recordFileIds', 'field-invalid-value')] })
  const preview = await deps.database.db.select().from(recordFiles).where(and(inArray(recordFiles.id, ids), eq(recordFiles.agencyId, actor.agencyId)))
  if (preview.length !== ids.length) throw new AppError('validation-failed', { errors: [fieldError('recordFileIds', 'field-invalid-value')] })
  const agency = await agencyOf(deps.database.db, actor.agencyId)
  const departmentId = preview[0]!.departmentId
  const [department] = departmentId ? await deps.database.db.select().from(departments).where(eq(departments.id, departmentId)) : []
  const inventory = await storePdf(deps, await renderTableForm(transferInventoryForm(agency.name, department?.name ?? '', preview)))
  return deps.database.db.transaction(async (tx) => {
    await lockBlobKey(tx, inventory.key)
    const files = await tx.select().from(recordFiles).where(inArray(recordFiles.id, ids)).for('update')
    for (const file of files) {
      if (!canManageRecordFile(actor, file)) throw new AppError('forbidden')
      if (file.status !== 'closed' || file.transferId) throw new AppError('record-file-state', { detail: `Hồ sơ ${file.fileCode} is ${file.transferId ? 'already in a transfer' : file.status}.`, extensions: { recordFileId: file.id } })
      if (file.departmentId !== departmentId) throw new AppError('validation-failed', { errors: [fieldError('recordFileIds', 'field-invalid-value')], detail: 'One transfer holds the hồ sơ of one department.' })
      const hold = await activeHoldOnFile(tx, file.id)
      if (hold) throw new AppError('record-on-hold', { detail: `Legal hold "${hold.title}" covers ${file.fileCode}.`, extensions: { holdId: hold.id, holdTitle: hold.title } })
    }
    const counts = await contentOf(tx, ids)
    const [transfer] = await tx
      .insert(recordTransfers)
      .values({
        agencyId: actor.agencyId,
        departmentId,
        note: input.note?.normalize('NFC').trim() || null,
        submittedBy: actor.userId,
        fileCount: files.length,
        documentCount: counts.documents,
        byteCount: counts.bytes,
        inventoryBlobKey: inventory.key,
        inventorySha256: inventory.sha256,
      })
      .returning()
    await tx.update(recordFiles).set({ transferId: transfer!.id, updatedAt: new Date() }).where(inArray(recordFiles.id, ids))
    await appendAuditEvent(tx, context, {
      action: 'record-transfer.submitted',
      targetType: 'record-transfer',
      targetId: transfer!.id,
      details: { recordFiles: files.map((f) => f.fileCode), documents: counts.documents, inventorySha256: inventory.sha256 },
    })
    await notifyAboutFiles(tx, { kind: 'records.transfer-submitted', actorUserId: actor.userId, recipients: await archivistsOf(tx, actor.agencyId) }, files, (file) => ({
      title: 'Hồ sơ nộp lưu chờ tiếp nhận',
      body: `Hồ sơ ${fileLabel(file)} đã được nộp lưu vào lưu trữ cơ quan, chờ kiểm tra và tiếp nhận.`,
    }))
    return transfer!
  })
}

async function contentOf(db: Database['db'] | Parameters<Parameters<Database['db']['transaction']>[0]>[0], fileIds: string[]) {
  const docs = await db.select({ documentId: recordFileDocuments.documentId }).from(recordFileDocuments).where(inArray(recordFileDocuments.recordFileId, fileIds))
  const documentIds = [...new Set(docs.map((d) => d.documentId))]
  const stored = await liveFilesOf(db, documentIds)
  return { documentIds, documents: documentIds.length, files: stored, bytes: stored.reduce((sum, f) => sum + f.size, 0) }
}

/** Re-reads every file of the transfer and compares its SHA-256 and size with the row. */
async function checkIntegrity(deps: TransferDeps, files: Awaited<ReturnType<typeof liveFilesOf>>) {
  const problems: { fileId: string; documentId: string; problem: string }[] = []
  for (const file of files) {
    const info = await deps.blobStore.stat(file.blobKey)
    if (!info) {
      problems.push({ fileId: file.id, documentId: file.documentId, problem: 'missing' })
      continue
    }
    const hash = createHash('sha256')
    for await (const chunk of await deps.blobStore.get(file.blobKey)) hash.update(chunk as Buffer)
    const actual = hash.digest('hex')
    if (actual !== file.sha256 || info.size !== file.size) problems.push({ fileId: file.id, documentId: file.documentId, problem: `sha256 ${actual}` })
  }
  return problems
}

/**
 * The archive receives a transfer: completeness (every hồ sơ closed with its documents, every file
 * present) and every file's SHA-256 re-computed; on success the hồ sơ become the archive's — transferred,
 * their documents archived (read-only, visible to archivists) — with a biên bản giao nhận PDF. A secret
 * document needs a receiving archivist cleared for it (who then gets its grant).
 */
export async function receiveTransfer(deps: TransferDeps, actor: Actor, id: string, context: AuditContext) {
  const transfer = await findTransfer(deps, actor, id)
  if (transfer.status !== 'submitted') throw new AppError('record-file-state', { detail: `The transfer is ${transfer.status}.` })
  const files = await deps.database.db.select().from(recordFiles).where(eq(recordFiles.transferId, transfer.id)).orderBy(recordFiles.fileCode)
  const content = await contentOf(deps.database.db, files.map((f) => f.id))
  const secrecy = content.documentIds.length
    ? await deps.database.db.select({ max: sql<number>`coalesce(max(${documents.secrecy}), 0)::int` }).from(documents).where(inArray(documents.id, content.documentIds))
    : [{ max: 0 }]
  if ((secrecy[0]?.max ?? 0) > actor.clearance) throw new AppError('forbidden', { detail: 'The transfer holds secret documents above your clearance.' })
  const problems = await checkIntegrity(deps, content.files)
  const incomplete = files.filter((f) => f.status !== 'closed' || (f.documentCount ?? 0) === 0).map((f) => f.fileCode)
  const checkReport = { checkedAt: new Date().toISOString(), files: content.files.length, bytes: content.bytes, problems, incomplete }
  if (problems.length > 0 || incomplete.length > 0) {
    await deps.database.db.transaction(async (tx) => {
      await tx.update(recordTransfers).set({ checkReport }).where(eq(recordTransfers.id, transfer.id))
      await appendAuditEvent(tx, context, { action: 'record-transfer.check-failed', targetType: 'record-transfer', targetId: transfer.id, details: checkReport })
    })
    throw new AppError('record-file-state', { detail: 'The transfer failed its completeness or integrity check.', extensions: { checkReport } })
  }
  const agency = await agencyOf(deps.database.db, actor.agencyId)
  const [department] = transfer.departmentId ? await deps.database.db.select().from(departments).where(eq(departments.id, transfer.departmentId)) : []
  const [submitter] = transfer.submittedBy ? await deps.database.db.select({ name: users.fullName }).from(users).where(eq(users.id, transfer.submittedBy)) : []
  const [receiver] = await deps.database.db.select({ name: users.fullName }).from(users).where(eq(users.id, actor.userId))
  const receipt = await storePdf(
    deps,
    await renderTableForm(
      transferReceiptForm({
        agencyName: agency.name,
        departmentName: department?.name ?? '',
        transferId: transfer.id,
        files,
        documentCount: content.documents,
        fileCount: content.files.length,
        byteCount: content.bytes,
        submittedBy: submitter?.name ?? '',
        receivedBy: receiver?.name ?? '',
        inventorySha256: transfer.inventorySha256,
      }),
    ),
  )
  return deps.database.db.transaction(async (tx) => {
    await lockBlobKey(tx, receipt.key)
    const [locked] = await tx.select().from(recordTransfers).where(eq(recordTransfers.id, transfer.id)).for('update')
    if (locked?.status !== 'submitted') throw new AppError('record-file-state', { detail: 'The transfer changed meanwhile.' })
    const now = new Date()
    await allowRecordChanges(tx)
    await tx.update(recordFiles).set({ status: 'transferred', transferredAt: now, updatedAt: now }).where(eq(recordFiles.transferId, transfer.id))
    if (content.documentIds.length) {
      await tx.update(documents).set({ status: 'archived', updatedAt: now }).where(inArray(documents.id, content.documentIds))
      const secret = await tx.select({ id: documents.id }).from(documents).where(and(inArray(documents.id, content.documentIds), sql`${documents.secrecy} > 0`))
      for (const doc of secret) await tx.insert(documentGrants).values({ documentId: doc.id, userId: actor.userId, grantedBy: actor.userId }).onConflictDoNothing()
    }
    const [received] = await tx
      .update(recordTransfers)
      .set({ status: 'received', receivedBy: actor.userId, receivedAt: now, checkReport, receiptBlobKey: receipt.key, receiptSha256: receipt.sha256 })
      .where(eq(recordTransfers.id, transfer.id))
      .returning()
    // Document rows (through the timeline) before the audit head, the order every writer keeps.
    for (const documentId of content.documentIds) {
      await recordTimeline(tx, actor, documentId, 'record-transferred', { transferId: transfer.id })
      await enqueueSearchSync(tx, documentId, deps.jobs)
    }
    await appendAuditEvent(tx, context, {
      action: 'record-transfer.received',
      targetType: 'record-transfer',
      targetId: transfer.id,
      details: { recordFiles: files.map((f) => f.fileCode), documents: content.documents, files: content.files.length, bytes: content.bytes, receiptSha256: receipt.sha256 },
    })
    await queueObjectLockSync(tx, deps.jobs, content.documentIds)
    await notifyAboutFiles(tx, { kind: 'records.transfer-received', actorUserId: actor.userId, recipients: [transfer.submittedBy, ...files.map((f) => f.keeperUserId)] }, files, (file) => ({
      title: 'Hồ sơ đã được lưu trữ cơ quan tiếp nhận',
      body: `Hồ sơ ${fileLabel(file)} đã được tiếp nhận vào lưu trữ cơ quan (có biên bản giao nhận).`,
    }))
    return received!
  })
}

/** The archive sends a transfer back (incomplete, wrong hồ sơ) with a reason; the hồ sơ stay closed with the department. */
export async function returnTransfer(deps: TransferDeps, actor: Actor, id: string, reason: string | undefined, context: AuditContext) {
  const why = reason?.normalize('NFC').trim()
  if (!why) throw new AppError('validation-failed', { errors: [fieldError('reason', 'field-required')] })
  return deps.database.db.transaction(async (tx) => {
    const [transfer] = isUuid(id) ? await tx.select().from(recordTransfers).where(and(eq(recordTransfers.id, id), eq(recordTransfers.agencyId, actor.agencyId))).for('update') : []
    if (!transfer) throw new AppError('not-found')
    if (transfer.status !== 'submitted') throw new AppError('record-file-state', { detail: `The transfer is ${transfer.status}.` })
    const files = await tx.select().from(recordFiles).where(eq(recordFiles.transferId, transfer.id))
    await tx.update(recordFiles).set({ transferId: null, updatedAt: new Date() }).where(eq(recordFiles.transferId, transfer.id))
    const [returned] = await tx.update(recordTransfers).set({ status: 'returned', returnReason: why, receivedBy: actor.userId, receivedAt: new Date() }).where(eq(recordTransfers.id, transfer.id)).returning()
    await appendAuditEvent(tx, context, { action: 'record-transfer.returned', targetType: 'record-transfer', targetId: transfer.id, details: { reason: why } })
    await notifyAboutFiles(tx, { kind: 'records.transfer-returned', actorUserId: actor.userId, recipients: [transfer.submittedBy, ...files.map((f) => f.keeperUserId)] }, files, (file) => ({
      title: 'Hồ sơ nộp lưu bị trả lại',
      body: `Lưu trữ cơ quan trả lại hồ sơ ${fileLabel(file)}: ${why}`,
    }))
    return returned!
  })
}

export async function findTransfer(deps: Pick<TransferDeps, 'database'>, actor: Actor, id: string): Promise<TransferRow> {
  const [transfer] = isUuid(id) ? await deps.database.db.select().from(recordTransfers).where(and(eq(recordTransfers.id, id), eq(recordTransfers.agencyId, actor.agencyId))) : []
  const mayRead = transfer && (actor.roles.has('archivist') || actor.roles.has('leader') || transfer.departmentId === actor.departmentId)
  if (!transfer || !mayRead) throw new AppError('not-found')
  return transfer
}

export async function listTransfers(deps: Pick<TransferDeps, 'database'>, actor: Actor, status?: string) {
  const everyDepartment = actor.roles.has('archivist') || actor.roles.has('leader')
  return deps.database.db
    .select({ transfer: recordTransfers, departmentName: departments.name })
    .from(recordTransfers)
    .leftJoin(departments, eq(departments.id, recordTransfers.departmentId))
    .where(
      and(
        eq(recordTransfers.agencyId, actor.agencyId),
        status ? eq(recordTransfers.status, status) : undefined,
        everyDepartment ? undefined : actor.departmentId ? eq(recordTransfers.departmentId, actor.departmentId) : sql`false`,
      ),
    )
    .orderBy(desc(recordTransfers.submittedAt))
    .limit(200)
}
