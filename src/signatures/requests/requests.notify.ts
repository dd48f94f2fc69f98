import { and, eq } from 'drizzle-orm'
import { secretReaders } from '../../followup/deadlines.repository.ts'
import { documentLabel } from '../../followup/document-reference.ts'
import type { NotificationChannel } from '../../followup/notification-channel.ts'
import { DELIVER_NOTIFICATIONS_JOB } from '../../followup/notification-delivery.ts'
import { NOTIFICATION_KINDS, type NotificationKind } from '../../followup/notification-kinds.ts'
import { insertNew } from '../../followup/notifications.repository.ts'
import type { Executor } from '../../platform/db/database.ts'
import { documents, users } from '../../platform/db/schema/index.ts'
import type { JobQueue } from '../../platform/jobs/job-queue.ts'

export interface RequestNotifyDeps {
  jobs: Pick<JobQueue, 'send'>
  notificationChannels: readonly NotificationChannel[]
}

export type SignatureNotificationKind = Extract<NotificationKind, `signature.${string}`>

export interface SignatureNotice {
  kind: SignatureNotificationKind
  /** Who is told; nobody is told about their own step. */
  userId: string
  actorUserId: string
  documentId: string
  /** "<actor name>" or "<actor name> trả lại" — who did what, before the optional comment. */
  lead: string
  /** The comment or reason; left out of secret documents' notifications, which travel further than the document. */
  comment?: string | null | undefined
}

/**
 * Writes one notification in the transaction of the change it tells about, and queues its e-mail
 * delivery when channels exist. Only an active person who can still open the document is told: a secret
 * document needs the person's clearance and grant. Answers whether a notification was written.
 */
export async function notifySignatureEvent(
  tx: Executor,
  deps: RequestNotifyDeps | undefined,
  notice: SignatureNotice,
): Promise<boolean> {
  if (notice.userId === notice.actorUserId) return false
  const [document] = await tx.select().from(documents).where(eq(documents.id, notice.documentId))
  const [person] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, notice.userId), eq(users.active, true)))
  if (!document || !person) return false
  if (document.secrecy > 0) {
    const readers = await secretReaders(tx, [document.id])
    if (!readers.has(`${document.id}:${notice.userId}`)) return false
  }
  const label = documentLabel(document)
  const comment = notice.comment && document.secrecy === 0 ? `: ${notice.comment}` : ''
  const created = await insertNew(tx, [
    {
      userId: notice.userId,
      kind: notice.kind,
      documentId: document.id,
      title: NOTIFICATION_KINDS[notice.kind].vi,
      body: `${label ? `${label}. ` : ''}${notice.lead}${comment}`.slice(0, 2000),
    },
  ])
  if (created.length > 0 && deps && deps.notificationChannels.length > 0)
    await deps.jobs.send(
      DELIVER_NOTIFICATIONS_JOB,
      { notificationIds: created.map((n) => n.id) },
      { executor: tx },
    )
  return created.length > 0
}
