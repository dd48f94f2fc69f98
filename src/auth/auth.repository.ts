import { and, eq, gt, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm'
import type { Executor } from '../platform/db/database.ts'
import {
  agencies,
  apiTokens,
  auditEvents,
  departments,
  loginChallenges,
  loginThrottle,
  positions,
  recoveryCodes,
  sessions,
  users,
} from '../platform/db/schema/index.ts'

export type UserRow = typeof users.$inferSelect
export type SessionRow = typeof sessions.$inferSelect
export type ApiTokenRow = typeof apiTokens.$inferSelect

export async function findUserByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.username, username.toLowerCase()))
  return row
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id))
  return row
}

/** A user with the names of their department and position, as the UI shows them. */
export async function findUserProfile(db: Executor, id: string) {
  const [row] = await db
    .select({ user: users, departmentName: departments.name, positionName: positions.name })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .leftJoin(positions, eq(positions.id, users.positionId))
    .where(eq(users.id, id))
  return row
}

/** The user's agency's 2FA rule, read in the statement that finds a session or token (one round trip less per request). */
function agencyRequiresMfa() {
  return sql<boolean>`coalesce((select a.require_mfa_for_privileged from agencies a where a.id = ${users.agencyId}), false)`
}

export async function findAgency(db: Executor, id: string) {
  const [row] = await db.select().from(agencies).where(eq(agencies.id, id))
  return row
}

export async function updateUser(db: Executor, id: string, values: Partial<typeof users.$inferInsert>) {
  await db.update(users).set({ ...values, updatedAt: new Date() }).where(eq(users.id, id))
}

// Sessions

export async function insertSession(db: Executor, row: typeof sessions.$inferInsert): Promise<void> {
  await db.insert(sessions).values(row)
}

/** A live session (not expired, not idle too long) with its user and the agency's 2FA rule. */
export async function findLiveSession(db: Executor, id: string, idleSince: Date) {
  const [row] = await db
    .select({ session: sessions, user: users, agencyRequiresMfa: agencyRequiresMfa() })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, new Date()), gt(sessions.lastSeenAt, idleSince)))
  return row
}

export async function touchSession(db: Executor, id: string): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.id, id))
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, id))
}

/** Ends a user's sessions, all of them or all but `keep`; answers how many ended. */
export async function deleteUserSessions(db: Executor, userId: string, keep?: string): Promise<number> {
  const deleted = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), keep ? ne(sessions.id, keep) : undefined))
    .returning({ id: sessions.id })
  return deleted.length
}

/** Revokes every live API token of a user. */
export async function revokeUserTokens(db: Executor, userId: string): Promise<number> {
  const revoked = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id })
  return revoked.length
}

// Login challenges (TOTP step)

export async function insertChallenge(db: Executor, row: typeof loginChallenges.$inferInsert) {
  await db.insert(loginChallenges).values(row)
}

export async function findChallenge(db: Executor, id: string) {
  const [row] = await db.select().from(loginChallenges).where(eq(loginChallenges.id, id))
  return row
}

export async function countChallengeAttempt(db: Executor, id: string) {
  await db
    .update(loginChallenges)
    .set({ attempts: sql`${loginChallenges.attempts} + 1` })
    .where(eq(loginChallenges.id, id))
}

export async function deleteChallenge(db: Executor, id: string) {
  await db.delete(loginChallenges).where(eq(loginChallenges.id, id))
}

// Throttle

export async function readThrottle(db: Executor, key: string) {
  const [row] = await db.select().from(loginThrottle).where(eq(loginThrottle.key, key))
  return row
}

/**
 * Counts one more failure atomically (concurrent guesses each count) and returns the new count; a count
 * whose last failure is older than `forgetBefore` starts again at 1.
 */
export async function countFailure(db: Executor, key: string, forgetBefore: Date): Promise<number> {
  const [row] = await db
    .insert(loginThrottle)
    .values({ key, failures: 1, lastFailureAt: new Date() })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: sql`case when ${loginThrottle.lastFailureAt} < ${forgetBefore.toISOString()}::timestamptz then 1 else ${loginThrottle.failures} + 1 end`,
        lastFailureAt: sql`now()`,
      },
    })
    .returning({ failures: loginThrottle.failures })
  return row!.failures
}

export async function lockUntil(db: Executor, key: string, until: Date) {
  await db.update(loginThrottle).set({ lockedUntil: until }).where(eq(loginThrottle.key, key))
}

export async function clearThrottle(db: Executor, key: string) {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, key))
}

// API tokens

export async function insertToken(db: Executor, row: typeof apiTokens.$inferInsert): Promise<ApiTokenRow> {
  const [inserted] = await db.insert(apiTokens).values(row).returning()
  return inserted!
}

export async function findLiveToken(db: Executor, tokenHash: string) {
  const now = new Date()
  const [row] = await db
    .select({ token: apiTokens, user: users, agencyRequiresMfa: agencyRequiresMfa() })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(
        eq(apiTokens.tokenHash, tokenHash),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)),
      ),
    )
  return row
}

export async function touchToken(db: Executor, id: string) {
  await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, id))
}

export async function listUserTokens(db: Executor, userId: string) {
  return db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, new Date()))))
    .orderBy(apiTokens.createdAt)
}

export async function revokeToken(db: Executor, userId: string, id: string): Promise<boolean> {
  const revoked = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id })
  return revoked.length > 0
}

// Recovery codes

export async function replaceRecoveryCodes(db: Executor, userId: string, hashes: string[]) {
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId))
  if (hashes.length > 0) await db.insert(recoveryCodes).values(hashes.map((codeHash) => ({ userId, codeHash })))
}

/** Marks a recovery code used; false when it is unknown or spent. */
export async function spendRecoveryCode(db: Executor, userId: string, codeHash: string): Promise<boolean> {
  const used = await db
    .update(recoveryCodes)
    .set({ usedAt: new Date() })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id })
  return used.length > 0
}

/** Removes expired sessions and challenges (housekeeping job). */
export async function deleteExpired(db: Executor, idleSince: Date) {
  const now = new Date()
  await db.delete(sessions).where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, idleSince)))
  await db.delete(loginChallenges).where(lt(loginChallenges.expiresAt, now))
}

/** Whether anyone has ever signed in as this user (a password accepted, a session or an API token issued). */
export async function hasSignedIn(db: Executor, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ seq: auditEvents.seq })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.targetType, 'user'),
        eq(auditEvents.targetId, userId),
        inArray(auditEvents.action, ['auth.password-accepted', 'auth.login-succeeded', 'auth.token-issued']),
      ),
    )
    .limit(1)
  return row !== undefined
}
