import { and, count, desc, eq, isNull, lt, or, sql } from 'drizzle-orm'
import type { Executor } from '../platform/db/database.ts'
import { notifications } from '../platform/db/schema/index.ts'

export type NotificationRow = typeof notifications.$inferSelect
export type NewNotification = typeof notifications.$inferInsert

/** The user's notifications, newest first; `before` continues after the last row of a previous page. */
export function listForUser(
  db: Executor,
  userId: string,
  options: { unreadOnly: boolean; limit: number; before?: { createdAt: Date; id: string } | undefined },
) {
  const { before } = options
  return db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        options.unreadOnly ? isNull(notifications.readAt) : undefined,
        before
          ? or(
              lt(notifications.createdAt, before.createdAt),
              and(eq(notifications.createdAt, before.createdAt), lt(notifications.id, before.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(options.limit)
}

export async function countUnread(db: Executor, userId: string): Promise<number> {
  const [row] = await db
    .select({ count: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
  return Number(row?.count ?? 0)
}

/** Only the owner's row: someone else's notification is as absent as an unknown one. */
export async function findOwned(
  db: Executor,
  userId: string,
  id: string,
): Promise<NotificationRow | undefined> {
  const [row] = await db
    .select()
    .from(notifications)
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
    .for('update')
  return row
}

export async function markRead(db: Executor, id: string, at: Date): Promise<void> {
  await db
    .update(notifications)
    .set({ readAt: at })
    .where(and(eq(notifications.id, id), isNull(notifications.readAt)))
}

export async function markAllRead(db: Executor, userId: string, at: Date): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ readAt: at })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id })
  return rows.length
}

/**
 * Inserts the notifications whose daily key (user, document, kind, date) is new; the others are left as
 * they are. Returns the rows actually created.
 */
export function insertNew(db: Executor, rows: NewNotification[]): Promise<NotificationRow[]> {
  if (rows.length === 0) return Promise.resolve([])
  return db
    .insert(notifications)
    .values(rows)
    .onConflictDoNothing({
      target: [notifications.userId, notifications.documentId, notifications.kind, notifications.dedupDate],
      where: sql`${notifications.dedupDate} is not null`,
    })
    .returning()
}
