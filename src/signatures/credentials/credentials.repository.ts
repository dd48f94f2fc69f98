import { and, desc, eq, isNull, lte, or, sql } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { agencies, signingCredentials, users } from '../../platform/db/schema/index.ts'

export type CredentialRow = typeof signingCredentials.$inferSelect

const active = isNull(signingCredentials.retiredAt)

export async function insertCredential(db: Executor, row: typeof signingCredentials.$inferInsert) {
  const [inserted] = await db.insert(signingCredentials).values(row).returning()
  return inserted!
}

export async function findCredential(db: Executor, id: string) {
  const [row] = await db.select().from(signingCredentials).where(eq(signingCredentials.id, id))
  return row
}

/** A user's active personal credentials, newest first. */
export function listPersonal(db: Executor, agencyId: string, userId: string) {
  return db
    .select()
    .from(signingCredentials)
    .where(
      and(
        eq(signingCredentials.agencyId, agencyId),
        eq(signingCredentials.userId, userId),
        eq(signingCredentials.kind, 'personal'),
        active,
      ),
    )
    .orderBy(desc(signingCredentials.createdAt))
}

/** The agency's active seal credentials (one, but a list so the import can retire them all). */
export function listAgencySeals(db: Executor, agencyId: string) {
  return db
    .select()
    .from(signingCredentials)
    .where(and(eq(signingCredentials.agencyId, agencyId), eq(signingCredentials.kind, 'agency-seal'), active))
    .orderBy(desc(signingCredentials.createdAt))
}

/** Serialises seal imports of one agency (row lock on the agency until the transaction ends). */
export async function lockAgency(db: Executor, agencyId: string) {
  await db.select({ id: agencies.id }).from(agencies).where(eq(agencies.id, agencyId)).for('update')
}

export async function retire(db: Executor, id: string, at: Date) {
  const [row] = await db
    .update(signingCredentials)
    .set({ retiredAt: at })
    .where(and(eq(signingCredentials.id, id), active))
    .returning({ id: signingCredentials.id })
  return row
}

/**
 * Counts one PIN attempt, unless the credential is locked at `now` (then undefined). The maxAttempts-th
 * attempt locks until `lockUntil` and starts the count anew; a right PIN gives the count back (clearFailures).
 */
export async function reserveAttempt(
  db: Executor,
  id: string,
  maxAttempts: number,
  now: Date,
  lockUntil: Date,
) {
  const next = sql`${signingCredentials.failedAttempts} + 1`
  const [row] = await db
    .update(signingCredentials)
    .set({
      failedAttempts: sql`case when ${next} >= ${maxAttempts} then 0 else ${next} end`,
      lockedUntil: sql`case when ${next} >= ${maxAttempts} then ${lockUntil.toISOString()}::timestamptz else null end`,
    })
    .where(
      and(
        eq(signingCredentials.id, id),
        or(isNull(signingCredentials.lockedUntil), lte(signingCredentials.lockedUntil, now)),
      ),
    )
    .returning({
      failedAttempts: signingCredentials.failedAttempts,
      lockedUntil: signingCredentials.lockedUntil,
    })
  return row
}

export async function clearFailures(db: Executor, id: string) {
  await db
    .update(signingCredentials)
    .set({ failedAttempts: 0, lockedUntil: null })
    .where(eq(signingCredentials.id, id))
}

export async function updateSealedKey(db: Executor, id: string, values: { sealedKey: string; kdf: unknown }) {
  await db
    .update(signingCredentials)
    .set({ ...values, failedAttempts: 0, lockedUntil: null })
    .where(and(eq(signingCredentials.id, id), active))
}

/** Every credential of an agency (retired ones too), or the one with `id`, with its holder, newest first. */
export function listForAgency(db: Executor, agencyId: string, id?: string) {
  return db
    .select({
      credential: signingCredentials,
      holder: { id: users.id, username: users.username, fullName: users.fullName },
    })
    .from(signingCredentials)
    .leftJoin(users, eq(users.id, signingCredentials.userId))
    .where(and(eq(signingCredentials.agencyId, agencyId), id ? eq(signingCredentials.id, id) : undefined))
    .orderBy(desc(signingCredentials.createdAt), desc(signingCredentials.id))
}

/** The row, locked until the transaction ends (an admin's change against a concurrent PIN attempt). */
export async function lockForUpdate(db: Executor, id: string) {
  const [row] = await db.select().from(signingCredentials).where(eq(signingCredentials.id, id)).for('update')
  return row
}

/** The user's full name (whom a personal certificate should name). */
export async function fullNameOf(db: Executor, userId: string): Promise<string | undefined> {
  const [row] = await db.select({ fullName: users.fullName }).from(users).where(eq(users.id, userId))
  return row?.fullName
}

/** The agency's name (whom the seal certificate should name). */
export async function agencyNameOf(db: Executor, agencyId: string): Promise<string | undefined> {
  const [row] = await db.select({ name: agencies.name }).from(agencies).where(eq(agencies.id, agencyId))
  return row?.name
}
