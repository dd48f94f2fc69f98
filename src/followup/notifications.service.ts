import type { Actor } from '../access/actor.ts'
import { type AuditContext, appendAuditEvent } from '../audit/audit.service.ts'
import type { Database } from '../platform/db/database.ts'
import { AppError } from '../platform/errors.ts'
import { isUuid } from '../platform/ids.ts'
import * as repository from './notifications.repository.ts'

type Deps = { database: Database }

export interface NotificationView {
  id: string
  kind: string
  documentId: string | null
  /** The hồ sơ a records notification is about (its page is where the notification leads). */
  recordFileId: string | null
  title: string
  body: string
  createdAt: string
  readAt: string | null
}

export function toView(row: repository.NotificationRow): NotificationView {
  return {
    id: row.id,
    kind: row.kind,
    documentId: row.documentId,
    recordFileId: row.recordFileId,
    title: row.title,
    body: row.body,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
  }
}

/** The signed-in user's own notifications, newest first. */
export async function listMyNotifications(
  deps: Deps,
  actor: Actor,
  options: { unreadOnly: boolean; limit: number },
) {
  const rows = await repository.listForUser(deps.database.db, actor.userId, options)
  return rows.map(toView)
}

export function countMyUnread(deps: Deps, actor: Actor): Promise<number> {
  return repository.countUnread(deps.database.db, actor.userId)
}

/**
 * Marks one of the actor's notifications read (404 for anyone else's). Reading an already-read
 * notification changes nothing and records nothing.
 */
export async function markMyNotificationRead(
  deps: Deps,
  actor: Actor,
  id: string,
  context: AuditContext,
): Promise<NotificationView> {
  if (!isUuid(id)) throw new AppError('not-found')
  return deps.database.db.transaction(async (tx) => {
    const row = await repository.findOwned(tx, actor.userId, id)
    if (!row) throw new AppError('not-found')
    if (row.readAt) return toView(row)
    const readAt = new Date()
    await repository.markRead(tx, row.id, readAt)
    await appendAuditEvent(tx, context, {
      action: 'notification.read',
      targetType: 'notification',
      targetId: row.id,
      details: { kind: row.kind, documentId: row.documentId },
    })
    return toView({ ...row, readAt })
  })
}

/** Marks every unread notification of the actor read; one audit event carries how many. */
export async function markAllMyNotificationsRead(
  deps: Deps,
  actor: Actor,
  context: AuditContext,
): Promise<{ updated: number }> {
  return deps.database.db.transaction(async (tx) => {
    const updated = await repository.markAllRead(tx, actor.userId, new Date())
    if (updated > 0) {
      await appendAuditEvent(tx, context, {
        action: 'notification.read-all',
        targetType: 'user',
        targetId: actor.userId,
        details: { count: updated },
      })
    }
    return { updated }
  })
}
