import { eq } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import { type AuditContext, appendAuditEvent } from '../audit/audit.service.ts'
import type { Database, Executor } from '../platform/db/database.ts'
import { recordsSettings, users } from '../platform/db/schema/index.ts'
import { AppError, fieldError } from '../platform/errors.ts'
import { isUuid } from '../platform/ids.ts'

export async function readRecordsSettings(db: Executor, agencyId: string) {
  const [row] = await db.select().from(recordsSettings).where(eq(recordsSettings.agencyId, agencyId))
  return { archiveHeadUserId: row?.archiveHeadUserId ?? null }
}

/**
 * The archive's head (phụ trách lưu trữ cơ quan) approves access requests and places holds. Until an
 * admin designates one, the agency's leaders act for it.
 */
export async function isArchiveHead(db: Executor, actor: Actor): Promise<boolean> {
  const { archiveHeadUserId } = await readRecordsSettings(db, actor.agencyId)
  return archiveHeadUserId ? archiveHeadUserId === actor.userId : actor.roles.has('leader')
}

export async function setArchiveHead(database: Database, actor: Actor, requested: string | null, context: AuditContext) {
  // The body validator coerces a JSON null to "" for a nullable string: both mean "nobody".
  const userId = requested || null
  return database.db.transaction(async (tx) => {
    if (userId !== null) {
      const [user] = isUuid(userId) ? await tx.select().from(users).where(eq(users.id, userId)) : []
      const fit = user?.active && user.agencyId === actor.agencyId && (user.roles.includes('archivist') || user.roles.includes('leader'))
      if (!fit) throw new AppError('validation-failed', { errors: [fieldError('archiveHeadUserId', 'field-invalid-value')] })
    }
    await tx
      .insert(recordsSettings)
      .values({ agencyId: actor.agencyId, archiveHeadUserId: userId })
      .onConflictDoUpdate({ target: recordsSettings.agencyId, set: { archiveHeadUserId: userId, updatedAt: new Date() } })
    await appendAuditEvent(tx, context, { action: 'records.settings-changed', targetType: 'agency', targetId: actor.agencyId, details: { archiveHeadUserId: userId } })
    return { archiveHeadUserId: userId }
  })
}
