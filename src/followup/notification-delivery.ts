import { inArray } from 'drizzle-orm'
import type { Executor } from '../platform/db/database.ts'
import { notifications, users } from '../platform/db/schema/index.ts'
import type { JobDefinition } from '../platform/jobs/job-queue.ts'
import type { NotificationChannel } from './notification-channel.ts'
import type { NotificationRow } from './notifications.repository.ts'

export const DELIVER_NOTIFICATIONS_JOB = 'notifications.deliver'

/**
 * Hands committed notifications to every channel; answers how many deliveries succeeded. A channel that
 * fails returns false (its contract), so one bad address never stops the others.
 */
export async function deliverToChannels(
  db: Executor,
  channels: readonly NotificationChannel[],
  created: NotificationRow[],
): Promise<number> {
  if (channels.length === 0 || created.length === 0) return 0
  const people = await db
    .select({ userId: users.id, fullName: users.fullName, email: users.email })
    .from(users)
    .where(inArray(users.id, [...new Set(created.map((n) => n.userId))]))
  const byId = new Map(people.map((p) => [p.userId, p]))
  let delivered = 0
  for (const notification of created) {
    const recipient = byId.get(notification.userId)
    if (!recipient) continue
    for (const channel of channels) if (await channel.deliver(notification, recipient)) delivered++
  }
  return delivered
}

/**
 * Delivers notifications written by a transaction that also queued this job: the mail goes out even when
 * the process dies right after the commit. A retry may resend (channels accept that).
 */
export function deliverNotificationsJob(deps: {
  database: { db: Executor }
  notificationChannels: readonly NotificationChannel[]
}): JobDefinition<{ notificationIds?: unknown }> {
  return {
    name: DELIVER_NOTIFICATIONS_JOB,
    retryLimit: 3,
    expireInSeconds: 600,
    async handler(payload) {
      const ids = Array.isArray(payload.notificationIds)
        ? payload.notificationIds.filter((id): id is string => typeof id === 'string')
        : []
      if (ids.length === 0) return { delivered: 0 }
      const rows = await deps.database.db.select().from(notifications).where(inArray(notifications.id, ids))
      return { delivered: await deliverToChannels(deps.database.db, deps.notificationChannels, rows) }
    },
  }
}
