import type { Actor } from '../access/actor.ts'
import { type AuditContext, appendAuditEvent } from '../audit/audit.service.ts'
import * as authRepository from '../auth/auth.repository.ts'
import { checkPasswordPolicy, hashPassword } from '../auth/passwords.ts'
import type { Database, Tx } from '../platform/db/database.ts'
import { AppError, fieldError } from '../platform/errors.ts'
import * as repository from './organisation.repository.ts'

type Deps = { database: Database }

/** Runs a change and its audit event in one transaction. */
function audited<T>(
  deps: Deps,
  context: AuditContext,
  change: (tx: Tx) => Promise<{ result: T; action: string; targetType: string; targetId: string; details?: Record<string, unknown> }>,
): Promise<T> {
  return deps.database.db.transaction(async (tx) => {
    const { result, ...event } = await change(tx)
    await appendAuditEvent(tx, context, event)
    return result
  })
}

/** Only the fields that really change, with their old and new values. */
function diff<T extends object>(before: T, patch: Partial<T>): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {}
  for (const [key, to] of Object.entries(patch)) {
    const from = (before as Record<string, unknown>)[key]
    if (to !== undefined && JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to }
  }
  return changes
}

export async function getAgency(deps: Deps, actor: Actor) {
  const agency = await authRepository.findAgency(deps.database.db, actor.agencyId)
  if (!agency) throw new AppError('not-found')
  return agency
}

export function updateAgency(
  deps: Deps,
  actor: Actor,
  patch: { name?: string; abbreviation?: string; organId?: string | null; requireMfaForPrivileged?: boolean },
  context: AuditContext,
) {
  return audited(deps, context, async (tx) => {
    const before = await authRepository.findAgency(tx, actor.agencyId)
    if (!before) throw new AppError('not-found')
    if (patch.requireMfaForPrivileged && !before.requireMfaForPrivileged) {
      // The admin who turns the rule on is bound by it at once: refuse rather than lock them out.
      const self = await authRepository.findUserById(tx, actor.userId)
      if (!self?.totpSecret) {
        throw new AppError('validation-failed', { errors: [fieldError('requireMfaForPrivileged', 'field-enrol-mfa-first')] })
      }
    }
    const result = (await repository.updateAgency(tx, actor.agencyId, patch))!
    return { result, action: 'agency.updated', targetType: 'agency', targetId: actor.agencyId, details: { changes: diff(before, patch) } }
  })
}

export function createDepartment(
  deps: Deps,
  actor: Actor,
  input: { name: string; abbreviation: string; parentId?: string | null | undefined },
  context: AuditContext,
) {
  return audited(deps, context, async (tx) => {
    if (input.parentId) await requireDepartment(tx, actor, input.parentId, 'parentId')
    const result = await repository.insertDepartment(tx, { ...input, parentId: input.parentId ?? null, agencyId: actor.agencyId })
    return { result, action: 'department.created', targetType: 'department', targetId: result.id, details: { name: result.name } }
  })
}

export function updateDepartment(
  deps: Deps,
  actor: Actor,
  id: string,
  patch: { name?: string; abbreviation?: string; parentId?: string | null; active?: boolean },
  context: AuditContext,
) {
  return audited(deps, context, async (tx) => {
    const before = await requireDepartment(tx, actor, id)
    if (patch.parentId) await assertNoCycle(tx, actor, id, patch.parentId)
    const result = await repository.updateDepartment(tx, id, patch)
    return { result, action: 'department.updated', targetType: 'department', targetId: id, details: { changes: diff(before, patch) } }
  })
}

async function requireDepartment(tx: Tx, actor: Actor, id: string, field?: string) {
  const department = await repository.findDepartment(tx, actor.agencyId, id)
  if (!department) {
    if (field) throw new AppError('validation-failed', { errors: [fieldError(field, 'field-invalid-value')] })
    throw new AppError('not-found')
  }
  return department
}

/** A department may not become its own ancestor. */
async function assertNoCycle(tx: Tx, actor: Actor, id: string, parentId: string) {
  let cursor: string | null = parentId
  for (let depth = 0; cursor && depth < 100; depth++) {
    if (cursor === id) throw new AppError('validation-failed', { errors: [fieldError('parentId', 'field-invalid-value')] })
    cursor = (await requireDepartment(tx, actor, cursor, 'parentId')).parentId
  }
}

export function createPosition(deps: Deps, actor: Actor, input: { name: string }, context: AuditContext) {
  return audited(deps, context, async (tx) => {
    const result = await repository.insertPosition(tx, { ...input, agencyId: actor.agencyId })
    return { result, action: 'position.created', targetType: 'position', targetId: result.id, details: { name: result.name } }
  })
}

export function updatePosition(
  deps: Deps,
  actor: Actor,
  id: string,
  patch: { name?: string; active?: boolean },
  context: AuditContext,
) {
  return audited(deps, context, async (tx) => {
    const before = await repository.findPosition(tx, actor.agencyId, id)
    if (!before) throw new AppError('not-found')
    const result = await repository.updatePosition(tx, id, patch)
    return { result, action: 'position.updated', targetType: 'position', targetId: id, details: { changes: diff(before, patch) } }
  })
}

export interface UserInput {
  username: string
  fullName: string
  email?: string | null | undefined
  departmentId?: string | null | undefined
  positionId?: string | null | undefined
  roles: string[]
  clearance?: number | undefined
  password: string
}

export async function createUser(deps: Deps, actor: Actor, input: UserInput, context: AuditContext) {
  const username = input.username.toLowerCase()
  const passwordErrors = checkPasswordPolicy(input.password, { username, fullName: input.fullName })
  if (passwordErrors.length > 0) throw new AppError('validation-failed', { errors: passwordErrors })
  const passwordHash = await hashPassword(input.password)
  return audited(deps, context, async (tx) => {
    await checkUserReferences(tx, actor, input)
    if (await authRepository.findUserByUsername(tx, username)) {
      throw new AppError('validation-failed', { errors: [fieldError('username', 'field-username-taken')] })
    }
    const { password: _password, ...fields } = input
    const result = await repository.insertUser(tx, { ...fields, username, passwordHash, agencyId: actor.agencyId })
    return {
      result,
      action: 'user.created',
      targetType: 'user',
      targetId: result.id,
      details: { username, roles: result.roles, clearance: result.clearance, departmentId: result.departmentId },
    }
  })
}

export function updateUser(
  deps: Deps,
  actor: Actor,
  id: string,
  patch: Omit<Partial<UserInput>, 'password' | 'username'> & { active?: boolean | undefined },
  context: AuditContext,
) {
  return audited(deps, context, async (tx) => {
    const before = await requireUser(tx, actor, id)
    await checkUserReferences(tx, actor, patch)
    if (id === actor.userId && (patch.active === false || (patch.roles && !patch.roles.includes('admin')))) {
      // An admin cannot lock themselves out; another admin must do it.
      throw new AppError('validation-failed', { errors: [fieldError(patch.active === false ? 'active' : 'roles', 'field-invalid-value')] })
    }
    await authRepository.updateUser(tx, id, patch)
    if (patch.active === false) {
      await authRepository.deleteUserSessions(tx, id)
      await authRepository.revokeUserTokens(tx, id)
    }
    const changes = diff(before, patch)
    const action = changes.roles || changes.clearance || changes.active ? 'user.access-changed' : 'user.updated'
    return { result: undefined, action, targetType: 'user', targetId: id, details: { changes } }
  })
}

export async function setUserPassword(deps: Deps, actor: Actor, id: string, password: string, context: AuditContext) {
  const user = await requireUser(deps.database.db, actor, id)
  const errors = checkPasswordPolicy(password, user)
  if (errors.length > 0) throw new AppError('validation-failed', { errors })
  const passwordHash = await hashPassword(password)
  await audited(deps, context, async (tx) => {
    await authRepository.updateUser(tx, id, { passwordHash, passwordChangedAt: new Date() })
    await authRepository.deleteUserSessions(tx, id)
    return { result: undefined, action: 'user.password-reset', targetType: 'user', targetId: id }
  })
}

export async function endUserSessions(deps: Deps, actor: Actor, id: string, context: AuditContext) {
  await audited(deps, context, async (tx) => {
    await requireUser(tx, actor, id)
    const ended = await authRepository.deleteUserSessions(tx, id)
    const tokensRevoked = await authRepository.revokeUserTokens(tx, id)
    return { result: undefined, action: 'auth.sessions-revoked', targetType: 'user', targetId: id, details: { ended, tokensRevoked } }
  })
}

async function requireUser(tx: Tx | Database['db'], actor: Actor, id: string) {
  const user = await authRepository.findUserById(tx, id)
  if (!user || user.agencyId !== actor.agencyId) throw new AppError('not-found')
  return user
}

async function checkUserReferences(tx: Tx, actor: Actor, input: { departmentId?: string | null; positionId?: string | null }) {
  if (input.departmentId) await requireDepartment(tx, actor, input.departmentId, 'departmentId')
  if (input.positionId && !(await repository.findPosition(tx, actor.agencyId, input.positionId))) {
    throw new AppError('validation-failed', { errors: [fieldError('positionId', 'field-invalid-value')] })
  }
}
