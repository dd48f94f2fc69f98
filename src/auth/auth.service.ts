import type { Actor, TokenScope } from '../access/actor.ts'
import { type AuditContext, appendAuditEvent } from '../audit/audit.service.ts'
import type { AuthConfig } from '../platform/config.ts'
import type { Database } from '../platform/db/database.ts'
import type { Role } from '../platform/db/schema/index.ts'
import { AppError } from '../platform/errors.ts'
import * as repository from './auth.repository.ts'
import { decoyPasswordHash, verifyPassword } from './passwords.ts'
import { randomSecret, type SecretBox, sha256Hex } from './secrets.ts'
import { verifyTotp } from './totp.ts'

export interface AuthDeps {
  database: Database
  secretBox: SecretBox
  auth: AuthConfig
}

export interface NewSession {
  /** The cookie value; only its hash is stored. */
  secret: string
  csrfToken: string
  expiresAt: Date
  user: repository.UserRow
}

export type LoginOutcome = ({ kind: 'session' } & NewSession) | { kind: 'mfa-required'; challengeId: string }

const CHALLENGE_MINUTES = 5
const CHALLENGE_MAX_ATTEMPTS = 5
const LOCK_AFTER_FAILURES = 5
const FAILURES_FORGOTTEN_AFTER_MS = 24 * 3600_000

/** Password step. Says nothing about which of username or password was wrong. */
export async function attemptLogin(
  deps: AuthDeps,
  credentials: { username: string; password: string },
  context: AuditContext,
): Promise<LoginOutcome> {
  const user = await checkPassword(deps, credentials, context)
  if (user.totpSecret) {
    const challengeId = randomSecret()
    await deps.database.db.transaction(async (tx) => {
      await repository.insertChallenge(tx, {
        id: sha256Hex(challengeId),
        userId: user.id,
        expiresAt: new Date(Date.now() + CHALLENGE_MINUTES * 60_000),
      })
      await appendAuditEvent(tx, { ...context, actor: `user:${user.id}` }, authEvent('auth.password-accepted', user.id))
    })
    return { kind: 'mfa-required', challengeId }
  }
  return { kind: 'session', ...(await openSession(deps, user, context, 'password')) }
}

/** TOTP step: a 6-digit code, or a one-time recovery code. */
export async function completeTotpLogin(
  deps: AuthDeps,
  input: { challengeId: string; code: string },
  context: AuditContext,
): Promise<NewSession> {
  const challengeKey = sha256Hex(input.challengeId)
  const challenge = await repository.findChallenge(deps.database.db, challengeKey)
  if (!challenge || challenge.expiresAt < new Date() || challenge.attempts >= CHALLENGE_MAX_ATTEMPTS) {
    throw new AppError('login-challenge-expired')
  }
  const user = await repository.findUserById(deps.database.db, challenge.userId)
  if (!user?.active || !user.totpSecret) throw new AppError('login-challenge-expired')
  if (!(await acceptSecondFactor(deps, user, input.code))) {
    await repository.countChallengeAttempt(deps.database.db, challengeKey)
    await recordFailure(deps, user.username, user.id, 'bad-totp', context)
    throw new AppError('invalid-totp')
  }
  await repository.deleteChallenge(deps.database.db, challengeKey)
  return openSession(deps, user, context, 'totp')
}

/** For scripts: username, password and (when enrolled) a TOTP code in one call; a 1-hour bearer token. */
export async function issueScriptToken(
  deps: AuthDeps,
  credentials: { username: string; password: string; totp?: string | undefined },
  context: AuditContext,
): Promise<{ token: string; expiresAt: Date }> {
  const user = await checkPassword(deps, credentials, context)
  if (user.totpSecret && !(credentials.totp && (await acceptSecondFactor(deps, user, credentials.totp)))) {
    await recordFailure(deps, user.username, user.id, 'bad-totp', context)
    throw new AppError('invalid-credentials')
  }
  const token = `vt_${randomSecret()}`
  const expiresAt = new Date(Date.now() + 3600_000)
  await deps.database.db.transaction(async (tx) => {
    const row = await repository.insertToken(tx, {
      userId: user.id,
      name: 'Đăng nhập bằng lệnh (POST /api/auth/token)',
      tokenHash: sha256Hex(token),
      scopes: ['read', 'write'],
      expiresAt,
    })
    await appendAuditEvent(tx, { ...context, actor: `user:${user.id}` }, {
      ...authEvent('auth.token-issued', user.id),
      details: { tokenId: row.id, expiresAt: expiresAt.toISOString() },
    })
  })
  return { token, expiresAt }
}

async function checkPassword(
  deps: AuthDeps,
  { username, password }: { username: string; password: string },
  context: AuditContext,
): Promise<repository.UserRow> {
  const key = throttleKey(username)
  const throttle = await repository.readThrottle(deps.database.db, key)
  if (throttle?.lockedUntil && throttle.lockedUntil > new Date()) {
    const seconds = Math.ceil((throttle.lockedUntil.getTime() - Date.now()) / 1000)
    await audit(deps, context, 'auth.login-refused', null, { username: username.slice(0, 50), reason: 'locked' })
    throw new AppError('login-locked', {
      headers: { 'retry-after': String(seconds) },
      detail: `Thử lại sau ${Math.ceil(seconds / 60)} phút. / Try again in ${Math.ceil(seconds / 60)} minute(s).`,
    })
  }
  const user = await repository.findUserByUsername(deps.database.db, username)
  // Always spend one argon2 verification, so timing does not tell whether the account exists.
  const valid = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password)
  if (!user || !valid || !user.active) {
    const reason = !user ? 'unknown-user' : !user.active ? 'inactive' : 'bad-password'
    await recordFailure(deps, username, user?.id ?? null, reason, context)
    throw new AppError('invalid-credentials')
  }
  if (throttle) await repository.clearThrottle(deps.database.db, key)
  return user
}

/**
 * Counts a failure for the username. From the fifth in a row the account is locked, twice as long each
 * time (1, 2, 4 … 60 minutes); each failure also costs a growing delay, so guessing stays slow.
 */
async function recordFailure(
  deps: AuthDeps,
  username: string,
  userId: string | null,
  reason: string,
  context: AuditContext,
): Promise<void> {
  const key = throttleKey(username)
  const failures = await repository.countFailure(deps.database.db, key, new Date(Date.now() - FAILURES_FORGOTTEN_AFTER_MS))
  if (failures >= LOCK_AFTER_FAILURES) {
    const lockMinutes = Math.min(2 ** (failures - LOCK_AFTER_FAILURES), 60)
    await repository.lockUntil(deps.database.db, key, new Date(Date.now() + lockMinutes * 60_000))
  }
  await audit(deps, context, 'auth.login-failed', userId, { username: username.slice(0, 50), reason, failures })
  await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** (failures - 1), 2000)))
}

/** A current TOTP code (never one already used) or an unused recovery code. */
export async function acceptSecondFactor(deps: AuthDeps, user: repository.UserRow, code: string): Promise<boolean> {
  const secret = deps.secretBox.open(user.totpSecret!)
  const step = verifyTotp(secret, code)
  if (step !== undefined) {
    if (user.totpLastStep !== null && step <= user.totpLastStep) return false
    await repository.updateUser(deps.database.db, user.id, { totpLastStep: step })
    return true
  }
  const normalised = code.replace(/[\s-]/g, '').toLowerCase()
  return /^[a-z0-9]{10}$/.test(normalised) && repository.spendRecoveryCode(deps.database.db, user.id, sha256Hex(normalised))
}

async function openSession(
  deps: AuthDeps,
  user: repository.UserRow,
  context: AuditContext,
  method: 'password' | 'totp',
): Promise<NewSession> {
  const secret = randomSecret()
  const csrfToken = randomSecret(24)
  const expiresAt = new Date(Date.now() + deps.auth.sessionMaxHours * 3600_000)
  await deps.database.db.transaction(async (tx) => {
    await repository.insertSession(tx, {
      id: sha256Hex(secret),
      userId: user.id,
      csrfToken,
      ip: context.ip?.slice(0, 64) ?? null,
      userAgent: context.userAgent?.slice(0, 300) ?? null,
      expiresAt,
    })
    await appendAuditEvent(tx, { ...context, actor: `user:${user.id}` }, {
      ...authEvent('auth.login-succeeded', user.id),
      details: { method },
    })
  })
  return { secret, csrfToken, expiresAt, user }
}

export async function logout(deps: AuthDeps, sessionSecretHash: string, actor: Actor, context: AuditContext) {
  await deps.database.db.transaction(async (tx) => {
    await repository.deleteSession(tx, sessionSecretHash)
    await appendAuditEvent(tx, context, authEvent('auth.logout', actor.userId))
  })
}

export interface ResolvedSession {
  actor: Actor
  csrfToken: string
  user: repository.UserRow
}

/** The session behind a cookie value, if it is live; refreshes its idle timer at most once a minute. */
export async function resolveSession(deps: AuthDeps, secret: string): Promise<ResolvedSession | undefined> {
  const id = sha256Hex(secret)
  const idleSince = new Date(Date.now() - deps.auth.sessionIdleMinutes * 60_000)
  const found = await repository.findLiveSession(deps.database.db, id, idleSince)
  if (!found?.user.active) return undefined
  if (Date.now() - found.session.lastSeenAt.getTime() > 60_000) await repository.touchSession(deps.database.db, id)
  return {
    actor: actorOf(found.user, { kind: 'session', sessionId: id }, found.agencyRequiresMfa),
    csrfToken: found.session.csrfToken,
    user: found.user,
  }
}

export async function resolveBearer(deps: AuthDeps, token: string): Promise<Actor | undefined> {
  if (!/^vt_[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined
  const found = await repository.findLiveToken(deps.database.db, sha256Hex(token))
  if (!found?.user.active) return undefined
  if (!found.token.lastUsedAt || Date.now() - found.token.lastUsedAt.getTime() > 60_000) {
    await repository.touchToken(deps.database.db, found.token.id)
  }
  const via = { kind: 'token' as const, tokenId: found.token.id, scopes: found.token.scopes as TokenScope[] }
  return actorOf(found.user, via, found.agencyRequiresMfa)
}

/** `agencyRequiresMfa`: the agency's 2FA rule when it was read with the user (see Actor). */
export function actorOf(user: repository.UserRow, via: Actor['via'], agencyRequiresMfa?: boolean | null): Actor {
  return {
    ...(agencyRequiresMfa === undefined ? {} : { agencyRequiresMfa: Boolean(agencyRequiresMfa) }),
    userId: user.id,
    username: user.username,
    agencyId: user.agencyId,
    departmentId: user.departmentId,
    roles: new Set(user.roles as Role[]),
    clearance: user.clearance,
    totpEnabled: user.totpSecret !== null,
    via,
  }
}

function throttleKey(username: string): string {
  return `user:${username.normalize('NFC').toLowerCase().slice(0, 150)}`
}

function authEvent(action: string, userId: string | null) {
  return { action, targetType: 'user', targetId: userId }
}

async function audit(
  deps: AuthDeps,
  context: AuditContext,
  action: string,
  userId: string | null,
  details: Record<string, unknown>,
) {
  await deps.database.db.transaction((tx) => appendAuditEvent(tx, context, { ...authEvent(action, userId), details }))
}
