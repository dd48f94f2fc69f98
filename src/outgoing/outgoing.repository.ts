import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Executor } from '../platform/db/database.ts'
import {
  departments,
  documentParticipants,
  externalAgencies,
  outgoingDocuments,
  outgoingRecipients,
  outgoingReviews,
  outgoingVersions,
  users,
} from '../platform/db/schema/index.ts'

export type OutgoingRow = typeof outgoingDocuments.$inferSelect
export type VersionRow = typeof outgoingVersions.$inferSelect
export type ReviewRow = typeof outgoingReviews.$inferSelect
export type RecipientRow = typeof outgoingRecipients.$inferSelect
export type ExternalAgencyRow = typeof externalAgencies.$inferSelect

export async function insertOutgoing(
  db: Executor,
  row: typeof outgoingDocuments.$inferInsert,
): Promise<OutgoingRow> {
  const [inserted] = await db.insert(outgoingDocuments).values(row).returning()
  return inserted!
}

export async function findOutgoing(db: Executor, documentId: string): Promise<OutgoingRow | undefined> {
  const [row] = await db.select().from(outgoingDocuments).where(eq(outgoingDocuments.documentId, documentId))
  return row
}

export async function updateOutgoing(
  db: Executor,
  documentId: string,
  values: Partial<typeof outgoingDocuments.$inferInsert>,
): Promise<OutgoingRow> {
  const [row] = await db
    .update(outgoingDocuments)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(outgoingDocuments.documentId, documentId))
    .returning()
  return row!
}

export async function insertVersion(
  db: Executor,
  row: typeof outgoingVersions.$inferInsert,
): Promise<VersionRow> {
  const [inserted] = await db.insert(outgoingVersions).values(row).returning()
  return inserted!
}

export async function versionsOf(db: Executor, documentId: string) {
  return db
    .select({ version: outgoingVersions, authorName: users.fullName })
    .from(outgoingVersions)
    .leftJoin(users, eq(users.id, outgoingVersions.createdBy))
    .where(eq(outgoingVersions.documentId, documentId))
    .orderBy(asc(outgoingVersions.version))
}

export async function insertReviews(
  db: Executor,
  rows: (typeof outgoingReviews.$inferInsert)[],
): Promise<ReviewRow[]> {
  if (rows.length === 0) return []
  return db.insert(outgoingReviews).values(rows).returning()
}

export async function reviewsOf(db: Executor, documentId: string) {
  return db
    .select({ review: outgoingReviews, reviewerName: users.fullName })
    .from(outgoingReviews)
    .leftJoin(users, eq(users.id, outgoingReviews.reviewerUserId))
    .where(eq(outgoingReviews.documentId, documentId))
    .orderBy(asc(outgoingReviews.round), asc(outgoingReviews.position))
}

/** The open step of the document's current round, if any. */
export async function pendingReview(db: Executor, documentId: string): Promise<ReviewRow | undefined> {
  const [row] = await db
    .select()
    .from(outgoingReviews)
    .where(and(eq(outgoingReviews.documentId, documentId), eq(outgoingReviews.state, 'pending')))
    .orderBy(desc(outgoingReviews.round), asc(outgoingReviews.position))
    .limit(1)
  return row
}

export async function nextWaitingReview(db: Executor, documentId: string, round: number) {
  const [row] = await db
    .select()
    .from(outgoingReviews)
    .where(
      and(
        eq(outgoingReviews.documentId, documentId),
        eq(outgoingReviews.round, round),
        eq(outgoingReviews.state, 'waiting'),
      ),
    )
    .orderBy(asc(outgoingReviews.position))
    .limit(1)
  return row
}

export async function lastRound(db: Executor, documentId: string): Promise<number> {
  const [row] = await db
    .select({ round: sql<number>`coalesce(max(${outgoingReviews.round}), 0)::int` })
    .from(outgoingReviews)
    .where(eq(outgoingReviews.documentId, documentId))
  return Number(row?.round ?? 0)
}

export async function decideReview(
  db: Executor,
  id: string,
  values: { state: 'approved' | 'returned' | 'pending' | 'cancelled'; comment?: string | null },
) {
  await db
    .update(outgoingReviews)
    .set({
      state: values.state,
      comment: values.comment ?? null,
      decidedAt: values.state === 'pending' ? null : new Date(),
    })
    .where(eq(outgoingReviews.id, id))
}

/** Closes every open step of the document (a recall, a return). */
export async function cancelOpenReviews(db: Executor, documentId: string) {
  await db
    .update(outgoingReviews)
    .set({ state: 'cancelled', decidedAt: new Date() })
    .where(
      and(eq(outgoingReviews.documentId, documentId), inArray(outgoingReviews.state, ['waiting', 'pending'])),
    )
}

export async function replaceRecipients(
  db: Executor,
  documentId: string,
  rows: (typeof outgoingRecipients.$inferInsert)[],
) {
  await db.delete(outgoingRecipients).where(eq(outgoingRecipients.documentId, documentId))
  if (rows.length > 0) await db.insert(outgoingRecipients).values(rows)
}

export async function recipientsOf(db: Executor, documentId: string) {
  return db
    .select({ recipient: outgoingRecipients, organId: externalAgencies.organId })
    .from(outgoingRecipients)
    .leftJoin(externalAgencies, eq(externalAgencies.id, outgoingRecipients.externalAgencyId))
    .where(eq(outgoingRecipients.documentId, documentId))
    .orderBy(asc(outgoingRecipients.position))
}

export async function updateRecipient(
  db: Executor,
  id: string,
  values: Partial<typeof outgoingRecipients.$inferInsert>,
): Promise<RecipientRow | undefined> {
  const [row] = await db
    .update(outgoingRecipients)
    .set(values)
    .where(eq(outgoingRecipients.id, id))
    .returning()
  return row
}

export async function externalAgenciesByOrganId(db: Executor, agencyId: string, organIds: string[]) {
  if (organIds.length === 0) return []
  return db
    .select()
    .from(externalAgencies)
    .where(and(eq(externalAgencies.agencyId, agencyId), inArray(externalAgencies.organId, organIds)))
}

export async function listExternalAgencies(db: Executor, agencyId: string, includeInactive: boolean) {
  return db
    .select()
    .from(externalAgencies)
    .where(
      and(
        eq(externalAgencies.agencyId, agencyId),
        includeInactive ? undefined : eq(externalAgencies.active, true),
      ),
    )
    .orderBy(asc(externalAgencies.name))
}

export async function insertExternalAgency(db: Executor, row: typeof externalAgencies.$inferInsert) {
  const [inserted] = await db.insert(externalAgencies).values(row).returning()
  return inserted!
}

export async function updateExternalAgency(
  db: Executor,
  agencyId: string,
  id: string,
  values: Partial<typeof externalAgencies.$inferInsert>,
) {
  const [row] = await db
    .update(externalAgencies)
    .set(values)
    .where(and(eq(externalAgencies.agencyId, agencyId), eq(externalAgencies.id, id)))
    .returning()
  return row
}

/** Adds a participant unless an active one with the same role and target exists. */
export async function addParticipant(
  db: Executor,
  documentId: string,
  role: string,
  target: { userId?: string | null; departmentId?: string | null },
) {
  const userId = target.userId ?? null
  const departmentId = userId ? null : (target.departmentId ?? null)
  const [existing] = await db
    .select({ id: documentParticipants.id })
    .from(documentParticipants)
    .where(
      and(
        eq(documentParticipants.documentId, documentId),
        eq(documentParticipants.role, role),
        eq(documentParticipants.active, true),
        userId ? eq(documentParticipants.userId, userId) : sql`${documentParticipants.userId} is null`,
        departmentId
          ? eq(documentParticipants.departmentId, departmentId)
          : sql`${documentParticipants.departmentId} is null`,
      ),
    )
  if (existing) return
  await db.insert(documentParticipants).values({ documentId, role, userId, departmentId })
}

export async function deactivateParticipants(db: Executor, documentId: string, role: string) {
  await db
    .update(documentParticipants)
    .set({ active: false })
    .where(
      and(
        eq(documentParticipants.documentId, documentId),
        eq(documentParticipants.role, role),
        eq(documentParticipants.active, true),
      ),
    )
}

/** Departments that have active clerks: the agency's văn thư, who number, seal and issue. */
export async function clerkDepartments(db: Executor, agencyId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ departmentId: users.departmentId })
    .from(users)
    .where(and(eq(users.agencyId, agencyId), eq(users.active, true), sql`'clerk' = any(${users.roles})`))
  return rows.flatMap((row) => (row.departmentId ? [row.departmentId] : []))
}

export async function userById(db: Executor, agencyId: string, id: string) {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.agencyId, agencyId), eq(users.id, id)))
  return row
}

export async function departmentById(db: Executor, agencyId: string, id: string) {
  const [row] = await db
    .select()
    .from(departments)
    .where(and(eq(departments.agencyId, agencyId), eq(departments.id, id)))
  return row
}
