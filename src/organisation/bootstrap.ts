import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { type AuditContext, appendAuditEvent } from '../audit/audit.service.ts'
import { hashPassword } from '../auth/passwords.ts'
import type { Database } from '../platform/db/database.ts'
import * as repository from './organisation.repository.ts'

export interface BootstrapResult {
  created: boolean
  /** Set when the password was generated: shown once, in the start-up log. */
  generatedPassword?: string
}

/**
 * On the first start with no user at all: an agency to configure and an `admin` account, with the
 * password from VANTHU_ADMIN_PASSWORD or a random one the caller prints once.
 */
export async function bootstrapAdmin(database: Database, adminPassword: string | undefined): Promise<BootstrapResult> {
  if ((await repository.countUsers(database.db)) > 0) return { created: false }
  const password = adminPassword ?? randomBytes(15).toString('base64url')
  const passwordHash = await hashPassword(password)
  const context: AuditContext = { actor: 'system' }
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
  if (!created) return { created: false }
  return adminPassword ? { created: true } : { created: true, generatedPassword: password }
}
