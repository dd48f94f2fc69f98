import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { type AuditContext, appendAuditEvent } from '../audit/audit.service.ts'
import * as authRepository from '../auth/auth.repository.ts'
import { hashPassword, verifyPassword } from '../auth/passwords.ts'
import type { Database } from '../platform/db/database.ts'
import * as repository from './organisation.repository.ts'

export interface BootstrapResult {
  created: boolean
  /** Set when the password was generated: shown once, in the start-up log. */
  generatedPassword?: string
  /**
   * What became of VANTHU_ADMIN_PASSWORD when the admin existed already: 'applied' (the account had never
   * been signed in to, so the password set now is the one its owner expects), 'unchanged' (it was that
   * password already), 'ignored' (the account is in use: its own password stands). Unset when not given.
   */
  adminPassword?: 'applied' | 'unchanged' | 'ignored'
}

const context: AuditContext = { actor: 'system' }

/**
 * On the first start with no user at all: an agency to configure and an `admin` account, with the
 * password from VANTHU_ADMIN_PASSWORD or a random one the caller prints once. Later, the variable still
 * sets the admin's password as long as nobody has signed in as admin — the README's order (start, then
 * seed with the variable) must not leave a password nobody knows — and is reported as ignored after.
 */
export async function bootstrapAdmin(database: Database, adminPassword: string | undefined): Promise<BootstrapResult> {
  if ((await repository.countUsers(database.db)) > 0) return applyToUnusedAdmin(database, adminPassword)
  const password = adminPassword ?? randomBytes(15).toString('base64url')
  const passwordHash = await hashPassword(password)
  const created = await database.db.transaction(async (tx) => {
    // Several processes may start at once on PostgreSQL: one creates, the others find it done.
    await tx.execute(sql`select pg_advisory_xact_lock(7231002)`)
    if ((await repository.countUsers(tx)) > 0) return false
    const agency = await repository.insertAgency(tx, { name: 'Cơ quan (chưa đặt tên)', abbreviation: 'CQ' })
    const admin = await repository.insertUser(tx, {
      agencyId: agency.id,
      username: 'admin',
      fullName: 'Quản trị hệ thống',
      roles: ['admin'],
      passwordHash,
    })
    await appendAuditEvent(tx, context, {
      action: 'user.created',
      targetType: 'user',
      targetId: admin.id,
      details: { username: 'admin', roles: ['admin'], bootstrap: true },
    })
    return true
  })
  if (!created) return applyToUnusedAdmin(database, adminPassword)
  return adminPassword ? { created: true } : { created: true, generatedPassword: password }
}

async function applyToUnusedAdmin(database: Database, password: string | undefined): Promise<BootstrapResult> {
  if (!password) return { created: false }
  const admin = await authRepository.findUserByUsername(database.db, 'admin')
  if (!admin) return { created: false }
  if (await authRepository.hasSignedIn(database.db, admin.id)) return { created: false, adminPassword: 'ignored' }
  if (await verifyPassword(admin.passwordHash, password)) return { created: false, adminPassword: 'unchanged' }
  const passwordHash = await hashPassword(password)
  await database.db.transaction(async (tx) => {
    await authRepository.updateUser(tx, admin.id, { passwordHash, passwordChangedAt: new Date() })
    await appendAuditEvent(tx, context, {
      action: 'user.password-set',
      targetType: 'user',
      targetId: admin.id,
      details: { username: 'admin', reason: 'VANTHU_ADMIN_PASSWORD; the account had never been signed in to' },
    })
  })
  return { created: false, adminPassword: 'applied' }
}

/** One line for the log or a script's output about VANTHU_ADMIN_PASSWORD, when there is something to say. */
export function adminPasswordNotice(result: BootstrapResult): string | undefined {
  switch (result.adminPassword) {
    case 'applied':
      return 'VANTHU_ADMIN_PASSWORD applied to the existing account "admin", which nobody had signed in to yet (đã đặt mật khẩu admin theo VANTHU_ADMIN_PASSWORD).'
    case 'ignored':
      return (
        'VANTHU_ADMIN_PASSWORD ignored: the account "admin" exists and has been signed in to, so its own password stands; ' +
        'change it on the personal page (VANTHU_ADMIN_PASSWORD không được áp dụng: tài khoản admin đã được sử dụng).'
      )
    default:
      return undefined
  }
}
