import { and, asc, count, desc, eq, inArray, type SQL, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Executor } from '../../platform/db/database.ts'
import { documentFiles, documents, signatureRequests, users } from '../../platform/db/schema/index.ts'

export type SignatureRequestRow = typeof signatureRequests.$inferSelect
export type RequestState = 'pending' | 'signed' | 'refused' | 'withdrawn'

const requester = alias(users, 'requester')
const signer = alias(users, 'signer')

/** One request with what its list item shows: the document, the file put forward, both people. */
function selectViews(db: Executor) {
  return db
    .select({
      request: signatureRequests,
      document: {
        id: documents.id,
        direction: documents.direction,
        kind: documents.kind,
        codeNumber: documents.codeNumber,
        codeNotation: documents.codeNotation,
        subject: documents.subject,
        issuerName: documents.issuerName,
        urgency: documents.urgency,
        secrecy: documents.secrecy,
        dueDate: documents.dueDate,
      },
      file: { id: documentFiles.id, fileName: documentFiles.fileName, pageCount: documentFiles.pageCount },
      requestedBy: { id: requester.id, fullName: requester.fullName },
      signer: { id: signer.id, fullName: signer.fullName },
    })
    .from(signatureRequests)
    .innerJoin(documents, eq(documents.id, signatureRequests.documentId))
    .innerJoin(documentFiles, eq(documentFiles.id, signatureRequests.fileId))
    .innerJoin(requester, eq(requester.id, signatureRequests.requestedBy))
    .innerJoin(signer, eq(signer.id, signatureRequests.signerId))
}

export type SignatureRequestJoined = Awaited<ReturnType<typeof selectViews>>[number]

export async function findView(db: Executor, id: string): Promise<SignatureRequestJoined | undefined> {
  const [row] = await selectViews(db).where(eq(signatureRequests.id, id))
  return row
}

export interface ListFilter {
  /** mine: the caller is the signer; sent: the caller asked. */
  scope: 'mine' | 'sent'
  userId: string
  states: RequestState[]
  /** documentVisibility of the caller: a document they can no longer open drops out of the list. */
  visible: SQL
  limit: number
  offset: number
}

/**
 * The leader's pending queue (chờ ký) puts the most urgent documents first (hỏa tốc, thượng khẩn, khẩn),
 * then the nearest thời hạn, then the longest waiting; every other list shows the latest activity first.
 */
function orderOf(filter: ListFilter) {
  if (filter.scope === 'mine' && filter.states.length === 1 && filter.states[0] === 'pending')
    return [
      desc(documents.urgency),
      sql`${documents.dueDate} asc nulls last`,
      asc(signatureRequests.createdAt),
      asc(signatureRequests.id),
    ]
  return [
    desc(sql`coalesce(${signatureRequests.decidedAt}, ${signatureRequests.createdAt})`),
    desc(signatureRequests.id),
  ]
}

function whereOf(filter: ListFilter) {
  const person = filter.scope === 'mine' ? signatureRequests.signerId : signatureRequests.requestedBy
  return and(eq(person, filter.userId), inArray(signatureRequests.state, filter.states), filter.visible)
}

export async function list(db: Executor, filter: ListFilter) {
  const [items, [total]] = await Promise.all([
    selectViews(db)
      .where(whereOf(filter))
      .orderBy(...orderOf(filter))
      .limit(filter.limit)
      .offset(filter.offset),
    db
      .select({ n: count() })
      .from(signatureRequests)
      .innerJoin(documents, eq(documents.id, signatureRequests.documentId))
      .where(whereOf(filter)),
  ])
  return { items, total: Number(total?.n ?? 0) }
}

export async function countPending(db: Executor, signerId: string, visible: SQL): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(signatureRequests)
    .innerJoin(documents, eq(documents.id, signatureRequests.documentId))
    .where(and(eq(signatureRequests.signerId, signerId), eq(signatureRequests.state, 'pending'), visible))
  return Number(row?.n ?? 0)
}

export function listForDocument(db: Executor, documentId: string) {
  return selectViews(db)
    .where(eq(signatureRequests.documentId, documentId))
    .orderBy(desc(signatureRequests.createdAt), desc(signatureRequests.id))
}

/** Serialises changes to one document's requests (the one-pending rule, a signature settling one). */
export async function lockDocument(tx: Executor, documentId: string): Promise<void> {
  await tx.execute(sql`select 1 from ${documents} where ${documents.id} = ${documentId} for update`)
}

export async function findPendingOfDocument(db: Executor, documentId: string) {
  const [row] = await db
    .select()
    .from(signatureRequests)
    .where(and(eq(signatureRequests.documentId, documentId), eq(signatureRequests.state, 'pending')))
    .for('update')
  return row
}

/** The request locked for a decision; the visibility condition applies to its document. */
/** The document a request is about (no visibility check: callers check with findForUpdate). */
export async function documentIdOf(db: Executor, id: string): Promise<string | undefined> {
  const [row] = await db
    .select({ documentId: signatureRequests.documentId })
    .from(signatureRequests)
    .where(eq(signatureRequests.id, id))
  return row?.documentId
}

export async function findForUpdate(db: Executor, id: string, visible: SQL) {
  const [row] = await db
    .select({ request: signatureRequests })
    .from(signatureRequests)
    .innerJoin(documents, eq(documents.id, signatureRequests.documentId))
    .where(and(eq(signatureRequests.id, id), visible))
    .for('update', { of: signatureRequests })
  return row?.request
}

/** The latest request of the document the signer settled with a signature. */
export async function latestSigned(db: Executor, documentId: string) {
  const [row] = await db
    .select()
    .from(signatureRequests)
    .where(and(eq(signatureRequests.documentId, documentId), eq(signatureRequests.state, 'signed')))
    .orderBy(desc(signatureRequests.decidedAt), desc(signatureRequests.id))
    .limit(1)
  return row
}

export async function insert(tx: Executor, values: typeof signatureRequests.$inferInsert) {
  const [row] = await tx.insert(signatureRequests).values(values).returning()
  return row!
}

/** Moves a pending request to its decision; false when it was no longer pending. */
export async function decide(
  tx: Executor,
  id: string,
  change: { state: Exclude<RequestState, 'pending'>; decisionComment?: string | null; signedFileId?: string },
): Promise<boolean> {
  const rows = await tx
    .update(signatureRequests)
    .set({ ...change, decidedAt: new Date() })
    .where(and(eq(signatureRequests.id, id), eq(signatureRequests.state, 'pending')))
    .returning({ id: signatureRequests.id })
  return rows.length > 0
}

export async function findUser(db: Executor, id: string, agencyId: string) {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, id), eq(users.agencyId, agencyId)))
  return row
}

export async function fullNameOf(db: Executor, id: string): Promise<string | undefined> {
  const [row] = await db.select({ fullName: users.fullName }).from(users).where(eq(users.id, id))
  return row?.fullName
}
