import { Readable } from 'node:stream'
import { and, desc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm'
import type { Actor } from '../../access/actor.ts'
import { type AuditContext, appendAuditEvent } from '../../audit/audit.service.ts'
import type { Database } from '../../platform/db/database.ts'
import {
  auditEvents,
  documentFiles,
  documentPages,
  documents,
  recordDisposalFiles,
  recordDisposals,
  recordFileDocuments,
  recordFiles,
  recordTombstones,
  searchPages,
  textExtractions,
  users,
} from '../../platform/db/schema/index.ts'
import { AppError, fieldError } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import type { SearchEngine } from '../../search/search-engine.ts'
import { lockBlobKey } from '../../storage/blob-references.ts'
import { type BlobStore, retentionOf } from '../../storage/blob-store.ts'
import { agencyOf, type RecordFileRow } from '../files/record-files.repository.ts'
import { activeHoldOnFile } from '../holds/holds.repository.ts'
import { allowRecordChanges, holdRefusal } from '../record-lock.ts'
import { disposalEligibleFrom, retentionLabel, vietnamDate } from '../records-policy.ts'
import { destructionCertificateForm } from '../reports/records-forms.ts'
import { renderTableForm } from '../reports/table-pdf.ts'
import { archivistsOf, fileLabel, filesByIds, notifyAboutFiles } from '../records-notifications.ts'
import { recordTimeline } from '../timeline-link.ts'

export interface DispositionDeps {
  database: Database
  blobStore: BlobStore
  search: SearchEngine
}

const eligibleFrom = (file: RecordFileRow) =>
  file.endDate ? disposalEligibleFrom({ permanent: file.permanent, years: file.retentionYears }, file.endDate) : undefined

/** Xem xét hủy: closed or transferred hồ sơ past their retention (with whether a hold stops them). */
export async function filesDueForDisposal(deps: Pick<DispositionDeps, 'database'>, actor: Actor, today = vietnamDate()) {
  const rows = await deps.database.db
    .select()
    .from(recordFiles)
    .where(and(eq(recordFiles.agencyId, actor.agencyId), inArray(recordFiles.status, ['closed', 'transferred']), eq(recordFiles.permanent, false)))
    .orderBy(recordFiles.endDate)
  const due = rows.filter((file) => {
    const from = eligibleFrom(file)
    return from !== undefined && from <= today
  })
  const result = []
  for (const file of due) result.push({ file, eligibleFrom: eligibleFrom(file)!, hold: (await activeHoldOnFile(deps.database.db, file.id)) ?? null })
  return result
}

async function checkDisposable(deps: Pick<DispositionDeps, 'database'>, files: RecordFileRow[], today: string) {
  for (const file of files) {
    if (file.status !== 'closed' && file.status !== 'transferred') throw new AppError('record-file-state', { detail: `Hồ sơ ${file.fileCode} is ${file.status}.` })
    const from = eligibleFrom(file)
    if (!from || from > today) throw new AppError('retention-not-expired', { detail: `Hồ sơ ${file.fileCode} may be destroyed from ${from ?? 'never (Vĩnh viễn)'}.`, extensions: { recordFileId: file.id, eligibleFrom: from ?? null } })
    const hold = await activeHoldOnFile(deps.database.db, file.id)
    if (hold) throw holdRefusal(hold)
  }
}

/** The archivist proposes hồ sơ past retention for destruction (danh mục tài liệu hết giá trị). */
export async function proposeDisposal(deps: DispositionDeps, actor: Actor, input: { recordFileIds: string[]; reason?: string | undefined }, context: AuditContext, today = vietnamDate()) {
  const ids = [...new Set(input.recordFileIds)].filter(isUuid)
  if (ids.length === 0 || ids.length !== input.recordFileIds.length) throw new AppError('validation-failed', { errors: [fieldError('recordFileIds', 'field-invalid-value')] })
  const files = await deps.database.db.select().from(recordFiles).where(and(inArray(recordFiles.id, ids), eq(recordFiles.agencyId, actor.agencyId)))
  if (files.length !== ids.length) throw new AppError('validation-failed', { errors: [fieldError('recordFileIds', 'field-invalid-value')] })
  await checkDisposable(deps, files, today)
  return deps.database.db.transaction(async (tx) => {
    const busy = await tx
      .select({ id: recordDisposalFiles.recordFileId })
      .from(recordDisposalFiles)
      .innerJoin(recordDisposals, eq(recordDisposals.id, recordDisposalFiles.disposalId))
      .where(and(inArray(recordDisposalFiles.recordFileId, ids), inArray(recordDisposals.status, ['proposed', 'approved'])))
    if (busy.length > 0) throw new AppError('record-file-state', { detail: 'A hồ sơ is already in a pending disposition.' })
    const [disposal] = await tx.insert(recordDisposals).values({ agencyId: actor.agencyId, reason: input.reason?.normalize('NFC').trim() || null, proposedBy: actor.userId }).returning()
    await tx.insert(recordDisposalFiles).values(ids.map((recordFileId) => ({ disposalId: disposal!.id, recordFileId })))
    await appendAuditEvent(tx, context, { action: 'disposal.proposed', targetType: 'disposal', targetId: disposal!.id, details: { recordFiles: files.map((f) => f.fileCode) } })
    return disposal!
  })
}

/**
 * The head of the agency records the appraisal council's decision (Quyết định hủy tài liệu hết giá trị:
 * number, date, council members); from then the archivist may carry it out.
 */
export async function approveDisposal(
  deps: DispositionDeps,
  actor: Actor,
  id: string,
  input: { decisionNumber: string; decisionDate: string; councilMembers?: string | undefined },
  context: AuditContext,
) {
  const decisionNumber = input.decisionNumber.normalize('NFC').trim()
  if (!decisionNumber) throw new AppError('validation-failed', { errors: [fieldError('decisionNumber', 'field-required')] })
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.decisionDate) || input.decisionDate > vietnamDate()) throw new AppError('validation-failed', { errors: [fieldError('decisionDate', 'field-invalid-date')] })
  return deps.database.db.transaction(async (tx) => {
    const [disposal] = isUuid(id) ? await tx.select().from(recordDisposals).where(and(eq(recordDisposals.id, id), eq(recordDisposals.agencyId, actor.agencyId))).for('update') : []
    if (!disposal) throw new AppError('not-found')
    if (disposal.status !== 'proposed') throw new AppError('record-file-state', { detail: `The disposition is ${disposal.status}.` })
    const [approved] = await tx
      .update(recordDisposals)
      .set({ status: 'approved', decisionNumber, decisionDate: input.decisionDate, councilMembers: input.councilMembers?.normalize('NFC').trim() || null, approvedBy: actor.userId, approvedAt: new Date() })
      .where(eq(recordDisposals.id, disposal.id))
      .returning()
    await appendAuditEvent(tx, context, { action: 'disposal.approved', targetType: 'disposal', targetId: disposal.id, details: { decisionNumber, decisionDate: input.decisionDate, councilMembers: approved!.councilMembers } })
    const fileIds = (await tx.select({ id: recordDisposalFiles.recordFileId }).from(recordDisposalFiles).where(eq(recordDisposalFiles.disposalId, disposal.id))).map((row) => row.id)
    await notifyAboutFiles(tx, { kind: 'records.disposal-approved', actorUserId: actor.userId, recipients: [disposal.proposedBy, ...(await archivistsOf(tx, actor.agencyId))] }, await filesByIds(tx, fileIds), (file) => ({
      title: 'Hồ sơ được duyệt hủy',
      body: `Hồ sơ ${fileLabel(file)} được hủy theo quyết định số ${decisionNumber} ngày ${input.decisionDate.split('-').reverse().join('/')}.`,
    }))
    return approved!
  })
}

interface DestroyedFileReport {
  file: RecordFileRow
  documents: number
  bytesDestroyed: number
  blobsKept: number
  keysToDestroy: string[]
}

/**
 * Carries out an approved disposition — the only path that destroys records. In one transaction: a
 * tombstone per hồ sơ (its metadata, every document's metadata and file hashes, the decision, the audit
 * events that concern them), files marked destroyed, OCR text and search pages deleted, documents and
 * hồ sơ marked destroyed, audit events and timeline steps. Then the bytes go from storage (every version)
 * and from the search index, and the biên bản hủy is made. A document also filed in a hồ sơ that is not
 * being destroyed keeps its bytes (the tombstone says so); so do bytes another live document shares.
 */
export async function executeDisposal(deps: DispositionDeps, actor: Actor, id: string, context: AuditContext, today = vietnamDate()) {
  const [disposal] = isUuid(id) ? await deps.database.db.select().from(recordDisposals).where(and(eq(recordDisposals.id, id), eq(recordDisposals.agencyId, actor.agencyId))) : []
  if (!disposal) throw new AppError('not-found')
  if (disposal.status !== 'approved') throw new AppError('disposal-not-approved', { detail: `The disposition is ${disposal.status}.` })
  const fileIds = (await deps.database.db.select({ id: recordDisposalFiles.recordFileId }).from(recordDisposalFiles).where(eq(recordDisposalFiles.disposalId, disposal.id))).map((r) => r.id)
  const files = await deps.database.db.select().from(recordFiles).where(inArray(recordFiles.id, fileIds)).orderBy(recordFiles.fileCode)
  await checkDisposable(deps, files, today)
  const reports: DestroyedFileReport[] = []
  const destroyedDocumentIds: string[] = []
  await deps.database.db.transaction(async (tx) => {
    await allowRecordChanges(tx)
    const now = new Date()
    for (const file of files) {
      const docs = await tx.select({ document: documents }).from(recordFileDocuments).innerJoin(documents, eq(documents.id, recordFileDocuments.documentId)).where(eq(recordFileDocuments.recordFileId, file.id))
      const report: DestroyedFileReport = { file, documents: docs.length, bytesDestroyed: 0, blobsKept: 0, keysToDestroy: [] }
      const snapshotDocs = []
      for (const { document } of docs) {
        const keptBy = await tx
          .select({ id: recordFiles.id, fileCode: recordFiles.fileCode })
          .from(recordFileDocuments)
          .innerJoin(recordFiles, eq(recordFiles.id, recordFileDocuments.recordFileId))
          .where(and(eq(recordFileDocuments.documentId, document.id), ne(recordFiles.status, 'destroyed'), sql`${recordFiles.id} not in (${sql.join(fileIds.map((f) => sql`${f}::uuid`), sql`, `)})`))
        const stored = await tx.select().from(documentFiles).where(and(eq(documentFiles.documentId, document.id), isNull(documentFiles.destroyedAt)))
        snapshotDocs.push({ document, files: stored.map(({ id, role, fileName, mediaType, size, sha256, blobKey, createdAt }) => ({ id, role, fileName, mediaType, size, sha256, blobKey, createdAt })), keptBecauseFiledIn: keptBy })
        if (keptBy.length > 0) continue
        for (const f of stored) {
          await lockBlobKey(tx, f.blobKey)
          const shared = await tx.select({ id: documentFiles.id }).from(documentFiles).where(and(eq(documentFiles.blobKey, f.blobKey), isNull(documentFiles.destroyedAt), ne(documentFiles.documentId, document.id))).limit(1)
          if (shared.length > 0 && !destroyedDocumentIds.includes(document.id)) report.blobsKept++
          else if (!report.keysToDestroy.includes(f.blobKey)) {
            report.keysToDestroy.push(f.blobKey)
            report.bytesDestroyed += f.size
          }
        }
        await tx.update(documentFiles).set({ destroyedAt: now }).where(and(eq(documentFiles.documentId, document.id), isNull(documentFiles.destroyedAt)))
        await tx.delete(documentPages).where(eq(documentPages.documentId, document.id))
        await tx.delete(textExtractions).where(eq(textExtractions.documentId, document.id))
        await tx.delete(searchPages).where(eq(searchPages.documentId, document.id))
        await tx.update(documents).set({ status: 'destroyed', updatedAt: now }).where(eq(documents.id, document.id))
        await recordTimeline(tx, actor, document.id, 'record-destroyed', { disposalId: disposal.id, decisionNumber: disposal.decisionNumber })
        destroyedDocumentIds.push(document.id)
      }
      const events = await tx
        .select({ seq: auditEvents.seq, action: auditEvents.action, occurredAt: auditEvents.occurredAt, hash: auditEvents.hash })
        .from(auditEvents)
        .where(or(and(eq(auditEvents.targetType, 'record-file'), eq(auditEvents.targetId, file.id)), and(eq(auditEvents.targetType, 'document'), inArray(auditEvents.targetId, docs.length ? docs.map((d) => d.document.id) : ['-']))))
        .orderBy(auditEvents.seq)
      await tx.insert(recordTombstones).values({
        disposalId: disposal.id,
        recordFileId: file.id,
        snapshot: JSON.parse(JSON.stringify({ recordFile: file, documents: snapshotDocs, decision: { number: disposal.decisionNumber, date: disposal.decisionDate, approvedBy: disposal.approvedBy, councilMembers: disposal.councilMembers }, auditEvents: events })),
      })
      await tx.update(recordFiles).set({ status: 'destroyed', destroyedAt: now, updatedAt: now }).where(eq(recordFiles.id, file.id))
      await appendAuditEvent(tx, context, { action: 'record-file.destroyed', targetType: 'record-file', targetId: file.id, details: { disposalId: disposal.id, fileCode: file.fileCode, documents: docs.length, bytes: report.bytesDestroyed, blobsKept: report.blobsKept } })
      reports.push(report)
    }
    await tx.update(recordDisposals).set({ status: 'destroyed', destroyedBy: actor.userId, destroyedAt: now }).where(eq(recordDisposals.id, disposal.id))
  })
  await destroyBytes(deps, reports.flatMap((r) => r.keysToDestroy))
  if (destroyedDocumentIds.length) await deps.search.remove(destroyedDocumentIds)
  return finishCertificate(deps, actor, disposal.id, reports, context)
}

/** Deletes every stored copy; on a locking store through its destroy (all versions), which refuses locked bytes. */
async function destroyBytes(deps: DispositionDeps, keys: string[]): Promise<void> {
  const retention = retentionOf(deps.blobStore)
  for (const key of keys) {
    if (retention) await retention.destroy(key)
    else await deps.blobStore.delete(key)
  }
}

async function finishCertificate(deps: DispositionDeps, actor: Actor, disposalId: string, reports: DestroyedFileReport[], context: AuditContext) {
  const [disposal] = await deps.database.db.select().from(recordDisposals).where(eq(recordDisposals.id, disposalId))
  const agency = await agencyOf(deps.database.db, actor.agencyId)
  const name = async (id: string | null) => (id ? ((await deps.database.db.select({ n: users.fullName }).from(users).where(eq(users.id, id)))[0]?.n ?? '') : '')
  const pdf = await renderTableForm(
    destructionCertificateForm({
      agencyName: agency.name,
      disposalId,
      decisionNumber: disposal!.decisionNumber ?? '',
      decisionDate: disposal!.decisionDate ?? '',
      approvedBy: await name(disposal!.approvedBy),
      councilMembers: disposal!.councilMembers ?? '',
      destroyedBy: await name(actor.userId),
      files: reports.map(({ file, documents, bytesDestroyed, blobsKept }) => ({
        fileCode: file.fileCode,
        title: file.title,
        period: [file.startDate, file.endDate].filter(Boolean).join(' – '),
        retention: retentionLabel({ permanent: file.permanent, years: file.retentionYears }),
        documents,
        bytesDestroyed,
        blobsKept,
      })),
    }),
  )
  const stored = await deps.blobStore.put(Readable.from([pdf]))
  return deps.database.db.transaction(async (tx) => {
    await lockBlobKey(tx, stored.key)
    const [done] = await tx.update(recordDisposals).set({ certificateBlobKey: stored.key, certificateSha256: stored.sha256 }).where(eq(recordDisposals.id, disposalId)).returning()
    await appendAuditEvent(tx, context, { action: 'disposal.destroyed', targetType: 'disposal', targetId: disposalId, details: { recordFiles: reports.map((r) => r.file.fileCode), certificateSha256: stored.sha256, bytes: reports.reduce((s, r) => s + r.bytesDestroyed, 0) } })
    return done!
  })
}

export async function listDisposals(deps: Pick<DispositionDeps, 'database'>, actor: Actor) {
  return deps.database.db
    .select({
      disposal: recordDisposals,
      files: sql<string[]>`(select coalesce(array_agg(f.file_code order by f.file_code), '{}') from ${recordDisposalFiles} d join ${recordFiles} f on f.id = d.record_file_id where d.disposal_id = ${recordDisposals.id})`,
    })
    .from(recordDisposals)
    .where(eq(recordDisposals.agencyId, actor.agencyId))
    .orderBy(desc(recordDisposals.proposedAt))
}

export async function tombstonesOf(deps: Pick<DispositionDeps, 'database'>, actor: Actor, disposalId: string) {
  if (!isUuid(disposalId)) throw new AppError('not-found')
  const [disposal] = await deps.database.db.select().from(recordDisposals).where(and(eq(recordDisposals.id, disposalId), eq(recordDisposals.agencyId, actor.agencyId)))
  if (!disposal) throw new AppError('not-found')
  return { disposal, tombstones: await deps.database.db.select().from(recordTombstones).where(eq(recordTombstones.disposalId, disposalId)) }
}
