import { randomBytes } from 'node:crypto'
import type { Actor } from '../access/actor.ts'
import { type AuditContext, appendAuditEvent } from '../audit/audit.service.ts'
import { AppError, fieldError } from '../platform/errors.ts'
import * as repository from './auth.repository.ts'
import { type AuthDeps, acceptSecondFactor } from './auth.service.ts'
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.ts'
import { randomSecret, sha256Hex } from './secrets.ts'
import { newTotpSecret, totpEnrolment, verifyTotp } from './totp.ts'

const RECOVERY_CODES = 10

async function currentUser(deps: AuthDeps, actor: Actor) {
  const user = await repository.findUserById(deps.database.db, actor.userId)
  if (!user) throw new AppError('unauthenticated')
  return user
}

function userEvent(action: string, userId: string, details: Record<string, unknown> = {}) {
  return { action, targetType: 'user', targetId: userId, details }
}

export async function changeOwnPassword(
  deps: AuthDeps,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  context: AuditContext,
) {
  const user = await currentUser(deps, actor)
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError('validation-failed', { errors: [fieldError('currentPassword', 'field-wrong-password')] })
  }
  const problems = checkPasswordPolicy(input.newPassword, user).map((e) => ({ ...e, field: 'newPassword' }))
  if (problems.length > 0) throw new AppError('validation-failed', { errors: problems })
  const passwordHash = await hashPassword(input.newPassword)
  await deps.database.db.transaction(async (tx) => {
    await repository.updateUser(tx, user.id, { passwordHash, passwordChangedAt: new Date() })
    // Whoever knew the old password is signed out everywhere but here.
    const keep = actor.via.kind === 'session' ? actor.via.sessionId : undefined
    const ended = await repository.deleteUserSessions(tx, user.id, keep)
    await appendAuditEvent(tx, context, userEvent('auth.password-changed', user.id, { otherSessionsEnded: ended }))
  })
}

/** Starts enrolment: a new secret, shown as a QR code, active only once a code from it is confirmed. */
export async function startTotpEnrolment(deps: AuthDeps, actor: Actor) {
  const user = await currentUser(deps, actor)
  const secret = newTotpSecret()
  await repository.updateUser(deps.database.db, user.id, { totpPendingSecret: deps.secretBox.seal(secret) })
  return totpEnrolment(secret, user.username)
}

export async function confirmTotpEnrolment(deps: AuthDeps, actor: Actor, code: string, context: AuditContext) {
  const user = await currentUser(deps, actor)
  if (!user.totpPendingSecret) throw new AppError('invalid-totp', { detail: 'Start the setup first.' })
  const secret = deps.secretBox.open(user.totpPendingSecret)
  const step = verifyTotp(secret, code)
  if (step === undefined) throw new AppError('invalid-totp')
  const codes = Array.from({ length: RECOVERY_CODES }, () => randomBytes(8).toString('base64url').replace(/[-_]/g, 'x').slice(0, 10).toLowerCase())
  await deps.database.db.transaction(async (tx) => {
    await repository.updateUser(tx, user.id, {
      totpSecret: user.totpPendingSecret,
      totpPendingSecret: null,
      totpEnabledAt: new Date(),
      totpLastStep: step,
    })
    await repository.replaceRecoveryCodes(tx, user.id, codes.map((c) => sha256Hex(c)))
    await appendAuditEvent(tx, context, userEvent('auth.totp-enabled', user.id))
  })
  return { recoveryCodes: codes.map((c) => `${c.slice(0, 5)}-${c.slice(5)}`) }
}

/** Turning 2FA off needs both factors: the password and a current code (or a recovery code). */
export async function disableTotp(
  deps: AuthDeps,
  actor: Actor,
  input: { password: string; code: string },
  context: AuditContext,
) {
  const user = await currentUser(deps, actor)
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    throw new AppError('validation-failed', { errors: [fieldError('password', 'field-wrong-password')] })
  }
  if (user.totpSecret && !(await acceptSecondFactor(deps, user, input.code))) throw new AppError('invalid-totp')
  await deps.database.db.transaction(async (tx) => {
    await repository.updateUser(tx, user.id, { totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null })
    await repository.replaceRecoveryCodes(tx, user.id, [])
    await appendAuditEvent(tx, context, userEvent('auth.totp-disabled', user.id))
  })
}

export async function createOwnToken(
  deps: AuthDeps,
  actor: Actor,
  input: { name: string; expiresInDays?: number | undefined; scopes?: ('read' | 'write')[] | undefined },
  context: AuditContext,
) {
  const token = `vt_${randomSecret()}`
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null
  const row = await deps.database.db.transaction(async (tx) => {
    const inserted = await repository.insertToken(tx, {
      userId: actor.userId,
      name: input.name,
      tokenHash: sha256Hex(token),
      scopes: input.scopes ?? ['read'],
      expiresAt,
    })
    await appendAuditEvent(tx, context, userEvent('auth.token-created', actor.userId, { tokenId: inserted.id, scopes: inserted.scopes }))
    return inserted
  })
  return { token, ...toTokenView(row) }
}

export async function revokeOwnToken(deps: AuthDeps, actor: Actor, id: string, context: AuditContext) {
  await deps.database.db.transaction(async (tx) => {
    if (!(await repository.revokeToken(tx, actor.userId, id))) throw new AppError('not-found')
    await appendAuditEvent(tx, context, userEvent('auth.token-revoked', actor.userId, { tokenId: id }))
  })
}

export function toTokenView(row: repository.ApiTokenRow) {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  }
}
