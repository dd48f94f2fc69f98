import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm'
import type { Actor } from '../../access/actor.ts'
import { documentVisibility } from '../../access/policy.ts'
import { type AuditContext, appendAuditEvent } from '../../audit/audit.service.ts'
import type { Database, Tx } from '../../platform/db/database.ts'
import { documents, legalHoldItems, legalHolds, recordFileDocuments, recordFiles } from '../../platform/db/schema/index.ts'
import { AppError, fieldError } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import type { JobQueue } from '../../platform/jobs/job-queue.ts'
import type { SearchEngine, SearchFilters } from '../../search/search-engine.ts'
import { queueObjectLockSync } from '../storage/object-lock.job.ts'
import { isArchiveHead } from '../records-settings.ts'
import { recordTimeline } from '../timeline-link.ts'

type Deps = { database: Database; search: SearchEngine; jobs: JobQueue }

export interface HoldInput {
  title: string
  reason: string
  legalBasis: string
  documentIds?: string[] | undefined
  recordFileIds?: string[] | undefined
  /** A search whose matching documents (as the placer sees them) are held. */
  search?: { text: string; filters?: SearchFilters | undefined } | undefined
}

/** Holds cover at most this many documents found by one search (a search that wide is a mistake). */
const SEARCH_HOLD_LIMIT = 5000

async function mayManageHolds(deps: Deps, actor: Actor): Promise<void> {
  if (actor.roles.has('admin') || (await isArchiveHead(deps.database.db, actor))) return
  throw new AppError('forbidden', { detail: 'Only an admin or the head of the agency archive places or lifts legal holds.' })
}

async function documentsFound(deps: Deps, actor: Actor, search: NonNullable<HoldInput['search']>): Promise<string[]> {
  const ids: string[] = []
  let cursor: string | undefined
  do {
    const result = await deps.search.search(actor, { text: search.text, filters: search.filters ?? {}, sort: 'date-desc', limit: 100, ...(cursor ? { cursor } : {}) })
    ids.push(...result.hits.map((hit) => hit.documentId))
    cursor = result.nextCursor ?? undefined
  } while (cursor && ids.length < SEARCH_HOLD_LIMIT)
  return ids.slice(0, SEARCH_HOLD_LIMIT)
}

/**
 * Places a legal hold (tạm dừng hủy, phong tỏa): its scope — documents, hồ sơ, or the documents a
 * search finds now (the query is kept with the hold) — is frozen against disposition, deletion and edits
 * until lifted. Stored bytes get an S3 legal hold where the store supports it (a job after commit).
 */
export async function placeHold(deps: Deps, actor: Actor, input: HoldInput, context: AuditContext) {
  await mayManageHolds(deps, actor)
  const title = input.title.normalize('NFC').trim()
  const reason = input.reason.normalize('NFC').trim()
  const legalBasis = input.legalBasis.normalize('NFC').trim()
  const missing = [!title && 'title', !reason && 'reason', !legalBasis && 'legalBasis'].filter(Boolean) as string[]
  if (missing.length) throw new AppError('validation-failed', { errors: missing.map((field) => fieldError(field, 'field-required')) })
  const searched = input.search ? await documentsFound(deps, actor, input.search) : []
  return deps.database.db.transaction(async (tx) => {
    const documentIds = [...new Set([...(input.documentIds ?? []), ...searched])]
    const fileIds = [...new Set(input.recordFileIds ?? [])]
    const visibleDocs = documentIds.length
      ? await tx
          .select({ id: documents.id })
          .from(documents)
          .where(and(inArray(documents.id, documentIds.filter(isUuid)), documentVisibility(actor, 'metadata')))
      : []
    if (visibleDocs.length !== documentIds.length) throw new AppError('validation-failed', { errors: [fieldError('documentIds', 'field-invalid-value')] })
    const files = fileIds.length
      ? await tx.select({ id: recordFiles.id }).from(recordFiles).where(and(inArray(recordFiles.id, fileIds.filter(isUuid)), eq(recordFiles.agencyId, actor.agencyId)))
      : []
    if (files.length !== fileIds.length) throw new AppError('validation-failed', { errors: [fieldError('recordFileIds', 'field-invalid-value')] })
    if (documentIds.length + fileIds.length === 0) throw new AppError('validation-failed', { errors: [fieldError('documentIds', 'field-required')] })
    const [hold] = await tx
      .insert(legalHolds)
      .values({
        agencyId: actor.agencyId,
        title,
        reason,
        legalBasis,
        scopeKind: input.search ? 'search' : fileIds.length ? 'files' : 'documents',
        searchQuery: input.search ?? null,
        placedBy: actor.userId,
      })
      .returning()
    const items = [...documentIds.map((documentId) => ({ holdId: hold!.id, documentId })), ...fileIds.map((recordFileId) => ({ holdId: hold!.id, recordFileId }))]
    for (let i = 0; i < items.length; i += 500) await tx.insert(legalHoldItems).values(items.slice(i, i + 500))
    const affected = await documentsCovered(tx, hold!.id)
    // Document rows (through the timeline) before the audit head, the order every writer keeps.
    for (const documentId of affected.slice(0, 1000)) await recordTimeline(tx, actor, documentId, 'record-hold-placed', { holdId: hold!.id, title })
    await appendAuditEvent(tx, context, {
      action: 'legal-hold.placed',
      targetType: 'legal-hold',
      targetId: hold!.id,
      details: { title, legalBasis, documents: documentIds.length, recordFiles: fileIds.length, search: input.search ?? null },
    })
    await queueObjectLockSync(tx, deps.jobs, affected)
    return { hold: hold!, documentCount: affected.length }
  })
}

/** Every document a hold covers: named, or filed in a named hồ sơ. */
async function documentsCovered(tx: Tx, holdId: string): Promise<string[]> {
  const rows = await tx.execute(sql`select document_id from ${legalHoldItems} where hold_id = ${holdId} and document_id is not null
    union select d.document_id from ${legalHoldItems} i join ${recordFileDocuments} d on d.record_file_id = i.record_file_id where i.hold_id = ${holdId}`)
  return ((Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as { document_id: string }[]).map((row) => row.document_id)
}

/** Lifts a hold with a reason; the records it covered may change again unless another hold covers them. */
export async function liftHold(deps: Deps, actor: Actor, id: string, reason: string | undefined, context: AuditContext) {
  await mayManageHolds(deps, actor)
  const why = reason?.normalize('NFC').trim()
  if (!why) throw new AppError('validation-failed', { errors: [fieldError('reason', 'field-required')] })
  return deps.database.db.transaction(async (tx) => {
    const [hold] = isUuid(id) ? await tx.select().from(legalHolds).where(and(eq(legalHolds.id, id), eq(legalHolds.agencyId, actor.agencyId))).for('update') : []
    if (!hold) throw new AppError('not-found')
    if (hold.status !== 'active') return hold
    const [lifted] = await tx
      .update(legalHolds)
      .set({ status: 'lifted', liftedBy: actor.userId, liftedAt: new Date(), liftReason: why })
      .where(eq(legalHolds.id, hold.id))
      .returning()
    const affected = await documentsCovered(tx, hold.id)
    for (const documentId of affected.slice(0, 1000)) await recordTimeline(tx, actor, documentId, 'record-hold-lifted', { holdId: hold.id, title: hold.title })
    await appendAuditEvent(tx, context, { action: 'legal-hold.lifted', targetType: 'legal-hold', targetId: hold.id, details: { title: hold.title, reason: why, documents: affected.length } })
    await queueObjectLockSync(tx, deps.jobs, affected)
    return lifted!
  })
}

export async function listHolds(deps: Pick<Deps, 'database'>, actor: Actor) {
  // The outer table is named in full: drizzle writes a lone column unqualified, which the subquery
  // would take for its own "id" (every count was 0).
  return deps.database.db
    .select({
      hold: legalHolds,
      documentItems: sql<number>`(select count(*)::int from ${legalHoldItems} i where i.hold_id = ${legalHolds}.id and i.document_id is not null)`,
      fileItems: sql<number>`(select count(*)::int from ${legalHoldItems} i where i.hold_id = ${legalHolds}.id and i.record_file_id is not null)`,
    })
    .from(legalHolds)
    .where(eq(legalHolds.agencyId, actor.agencyId))
    .orderBy(desc(legalHolds.placedAt))
}

/** The hồ sơ a hold names (for its page). */
export async function holdFiles(deps: Pick<Deps, 'database'>, holdId: string) {
  return deps.database.db
    .select({ id: recordFiles.id, fileCode: recordFiles.fileCode, title: recordFiles.title })
    .from(legalHoldItems)
    .innerJoin(recordFiles, eq(recordFiles.id, legalHoldItems.recordFileId))
    .where(and(eq(legalHoldItems.holdId, holdId), isNotNull(legalHoldItems.recordFileId)))
}
