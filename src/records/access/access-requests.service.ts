import { and, desc, eq, inArray, lte, or, sql } from 'drizzle-orm'
import type { Actor } from '../../access/actor.ts'
import { type AuditContext, appendAuditEvent } from '../../audit/audit.service.ts'
import type { Database, Tx } from '../../platform/db/database.ts'
import {
  documentGrants,
  documentParticipants,
  documents,
  recordAccessGrants,
  recordAccessRequests,
  recordFileDocuments,
  recordFiles,
  users,
} from '../../platform/db/schema/index.ts'
import { AppError, fieldError } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { enqueueSearchSync } from '../../search/search-outbox.ts'
import type { JobQueue } from '../../platform/jobs/job-queue.ts'
import { fileLabel, filesByIds, notifyAboutFiles } from '../records-notifications.ts'
import { isArchiveHead } from '../records-settings.ts'
import { vietnamDate } from '../records-policy.ts'

type Deps = { database: Database; jobs: Pick<JobQueue, 'send'> }
type RequestRow = typeof recordAccessRequests.$inferSelect

/** Access lasts at most a year per request; a longer need is a new request. */
const MAX_DAYS = 366

function checkUntil(until: string): void {
  const today = vietnamDate()
  const latest = vietnamDate(new Date(Date.now() + MAX_DAYS * 86_400_000))
  if (!/^\d{4}-\d{2}-\d{2}$/.test(until) || Number.isNaN(Date.parse(until)) || until < today || until > latest) {
    throw new AppError('validation-failed', { errors: [fieldError('until', 'field-invalid-date')] })
  }
}

/**
 * Phiếu yêu cầu khai thác: a user asks to read an archived hồ sơ or document, saying why and until when.
 * Only records in the archive's custody (transferred hồ sơ, archived documents) are requested this way.
 */
export async function requestAccess(
  deps: Deps,
  actor: Actor,
  input: { recordFileId?: string | undefined; documentId?: string | undefined; purpose: string; until: string },
  context: AuditContext,
) {
  const purpose = input.purpose.normalize('NFC').trim()
  if (!purpose) throw new AppError('validation-failed', { errors: [fieldError('purpose', 'field-required')] })
  checkUntil(input.until)
  if (Boolean(input.recordFileId) === Boolean(input.documentId)) throw new AppError('validation-failed', { errors: [fieldError('recordFileId', 'field-required')] })
  return deps.database.db.transaction(async (tx) => {
    if (input.recordFileId) {
      const [file] = isUuid(input.recordFileId) ? await tx.select().from(recordFiles).where(and(eq(recordFiles.id, input.recordFileId), eq(recordFiles.agencyId, actor.agencyId))) : []
      if (file?.status !== 'transferred') throw new AppError('validation-failed', { errors: [fieldError('recordFileId', 'field-invalid-value')] })
    } else {
      const [document] = isUuid(input.documentId!) ? await tx.select().from(documents).where(and(eq(documents.id, input.documentId!), eq(documents.agencyId, actor.agencyId))) : []
      if (document?.status !== 'archived') throw new AppError('validation-failed', { errors: [fieldError('documentId', 'field-invalid-value')] })
    }
    const [request] = await tx
      .insert(recordAccessRequests)
      .values({ agencyId: actor.agencyId, requesterId: actor.userId, recordFileId: input.recordFileId ?? null, documentId: input.documentId ?? null, purpose, requestedUntil: input.until })
      .returning()
    await appendAuditEvent(tx, context, { action: 'access-request.created', targetType: 'access-request', targetId: request!.id, details: { recordFileId: request!.recordFileId, documentId: request!.documentId, purpose, until: input.until } })
    return request!
  })
}

/** The documents a request covers: the one named, or every archived document of the hồ sơ. */
async function documentsOf(tx: Tx, request: RequestRow) {
  const ids = request.documentId
    ? [request.documentId]
    : (await tx.select({ id: recordFileDocuments.documentId }).from(recordFileDocuments).where(eq(recordFileDocuments.recordFileId, request.recordFileId!))).map((row) => row.id)
  if (ids.length === 0) return []
  return tx.select({ id: documents.id, secrecy: documents.secrecy }).from(documents).where(and(inArray(documents.id, ids), eq(documents.status, 'archived')))
}

/**
 * The archive's head approves (with the date access ends, at most the one asked for) or refuses. On
 * approval the requester becomes a `reader` participant of each document until then — the ordinary
 * visibility rules then let them open it, every view audited as any other; secret documents keep their
 * rules: read only with a clearance at least as high, and then with a grant that ends with the request.
 */
export async function decideAccess(
  deps: Deps,
  actor: Actor,
  id: string,
  decision: { approve: boolean; note?: string | undefined; until?: string | undefined },
  context: AuditContext,
) {
  if (!(await isArchiveHead(deps.database.db, actor))) throw new AppError('forbidden', { detail: 'Only the head of the agency archive decides access requests.' })
  return deps.database.db.transaction(async (tx) => {
    const [request] = isUuid(id) ? await tx.select().from(recordAccessRequests).where(and(eq(recordAccessRequests.id, id), eq(recordAccessRequests.agencyId, actor.agencyId))).for('update') : []
    if (!request) throw new AppError('not-found')
    if (request.status !== 'pending') throw new AppError('record-file-state', { detail: `The request is ${request.status}.` })
    if (request.requesterId === actor.userId) throw new AppError('forbidden', { detail: 'A request is decided by someone else.' })
    const note = decision.note?.normalize('NFC').trim() || null
    if (!decision.approve) {
      if (!note) throw new AppError('validation-failed', { errors: [fieldError('note', 'field-required')] })
      const [refused] = await tx.update(recordAccessRequests).set({ status: 'refused', decidedBy: actor.userId, decidedAt: new Date(), decisionNote: note }).where(eq(recordAccessRequests.id, request.id)).returning()
      await appendAuditEvent(tx, context, { action: 'access-request.refused', targetType: 'access-request', targetId: request.id, details: { note } })
      await notifyRequester(tx, actor, request, 'records.access-refused', (file) => ({ title: 'Yêu cầu khai thác hồ sơ bị từ chối', body: `Yêu cầu khai thác hồ sơ ${fileLabel(file)} không được duyệt: ${note}` }))
      return refused!
    }
    const until = decision.until ?? request.requestedUntil
    checkUntil(until)
    if (until > request.requestedUntil) throw new AppError('validation-failed', { errors: [fieldError('until', 'field-invalid-date')] })
    const expiresAt = new Date(`${until}T23:59:59.999+07:00`)
    const [requester] = await tx.select().from(users).where(eq(users.id, request.requesterId))
    const granted: string[] = []
    const withheld: string[] = []
    for (const doc of await documentsOf(tx, request)) {
      if (doc.secrecy > (requester?.clearance ?? 0)) {
        withheld.push(doc.id)
        continue
      }
      const [participant] = await tx.insert(documentParticipants).values({ documentId: doc.id, userId: request.requesterId, role: 'reader', state: 'read' }).returning({ id: documentParticipants.id })
      const addedGrant = doc.secrecy > 0 && (await tx.insert(documentGrants).values({ documentId: doc.id, userId: request.requesterId, grantedBy: actor.userId }).onConflictDoNothing().returning()).length > 0
      await tx.insert(recordAccessGrants).values({ requestId: request.id, documentId: doc.id, participantId: participant!.id, addedSecretGrant: addedGrant })
      await enqueueSearchSync(tx, doc.id, deps.jobs)
      granted.push(doc.id)
    }
    const [approved] = await tx
      .update(recordAccessRequests)
      .set({ status: 'approved', decidedBy: actor.userId, decidedAt: new Date(), decisionNote: note, expiresAt })
      .where(eq(recordAccessRequests.id, request.id))
      .returning()
    await appendAuditEvent(tx, context, { action: 'access-request.approved', targetType: 'access-request', targetId: request.id, details: { until, documents: granted, withheldForClearance: withheld } })
    await notifyRequester(tx, actor, request, 'records.access-approved', (file) => ({
      title: 'Yêu cầu khai thác hồ sơ đã được duyệt',
      body: `Được khai thác hồ sơ ${fileLabel(file)} đến hết ngày ${until.split('-').reverse().join('/')}.`,
    }))
    return approved!
  })
}

/** The requester hears the decision on a request for a hồ sơ (a request for one document names no hồ sơ). */
async function notifyRequester(
  tx: Tx,
  actor: Actor,
  request: typeof recordAccessRequests.$inferSelect,
  kind: 'records.access-approved' | 'records.access-refused',
  message: Parameters<typeof notifyAboutFiles>[3],
): Promise<void> {
  if (!request.recordFileId) return
  await notifyAboutFiles(tx, { kind, actorUserId: actor.userId, recipients: [request.requesterId] }, await filesByIds(tx, [request.recordFileId]), message)
}

/** Ends access given by requests whose date has passed (and withdrawn ones): the rows they added go. */
export async function expireAccess(deps: Deps, context: AuditContext, now = new Date()): Promise<number> {
  const due = await deps.database.db
    .select({ id: recordAccessRequests.id })
    .from(recordAccessRequests)
    .where(and(eq(recordAccessRequests.status, 'approved'), lte(recordAccessRequests.expiresAt, now)))
  for (const { id } of due) await endAccess(deps, id, 'expired', context)
  return due.length
}

async function endAccess(deps: Deps, id: string, status: 'expired' | 'withdrawn', context: AuditContext): Promise<void> {
  await deps.database.db.transaction(async (tx) => {
    const [request] = await tx.select().from(recordAccessRequests).where(eq(recordAccessRequests.id, id)).for('update')
    if (!request || (request.status !== 'approved' && request.status !== 'pending')) return
    const grants = await tx.select().from(recordAccessGrants).where(and(eq(recordAccessGrants.requestId, id), eq(recordAccessGrants.active, true)))
    for (const grant of grants) {
      if (grant.participantId) await tx.delete(documentParticipants).where(eq(documentParticipants.id, grant.participantId))
      if (grant.addedSecretGrant) await tx.delete(documentGrants).where(and(eq(documentGrants.documentId, grant.documentId), eq(documentGrants.userId, request.requesterId)))
      await enqueueSearchSync(tx, grant.documentId, deps.jobs)
    }
    await tx.update(recordAccessGrants).set({ active: false }).where(eq(recordAccessGrants.requestId, id))
    await tx.update(recordAccessRequests).set({ status }).where(eq(recordAccessRequests.id, id))
    await appendAuditEvent(tx, context, { action: `access-request.${status}`, targetType: 'access-request', targetId: id, details: { documents: grants.map((g) => g.documentId) } })
  })
}

/** The requester withdraws a pending request, or gives up access early. */
export async function withdrawAccess(deps: Deps, actor: Actor, id: string, context: AuditContext): Promise<void> {
  const [request] = isUuid(id) ? await deps.database.db.select().from(recordAccessRequests).where(eq(recordAccessRequests.id, id)) : []
  if (!request || request.requesterId !== actor.userId) throw new AppError('not-found')
  await endAccess(deps, id, 'withdrawn', context)
}

/** Requests the actor made, and — for the archive's head and archivists — every request of the agency. */
export async function listAccessRequests(deps: Pick<Deps, 'database'>, actor: Actor) {
  const everyone = actor.roles.has('archivist') || (await isArchiveHead(deps.database.db, actor))
  return deps.database.db
    .select({ request: recordAccessRequests, requesterName: users.fullName, fileCode: recordFiles.fileCode, fileTitle: recordFiles.title, documentSubject: documents.subject })
    .from(recordAccessRequests)
    .innerJoin(users, eq(users.id, recordAccessRequests.requesterId))
    .leftJoin(recordFiles, eq(recordFiles.id, recordAccessRequests.recordFileId))
    .leftJoin(documents, eq(documents.id, recordAccessRequests.documentId))
    .where(and(eq(recordAccessRequests.agencyId, actor.agencyId), everyone ? undefined : or(eq(recordAccessRequests.requesterId, actor.userId), sql`false`)))
    .orderBy(desc(recordAccessRequests.createdAt))
    .limit(300)
}
