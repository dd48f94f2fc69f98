import type { Database } from '../platform/db/database.ts'
import {
  type ActiveParticipant,
  activeMembers,
  secretReaders,
  handlingParticipants,
  type WatchedDocument,
  watchedDocuments,
} from './deadlines.repository.ts'
import { documentLabel } from './document-reference.ts'
import { addDays, daysBetween, vietnamToday, vietnameseDate } from './follow-up-dates.ts'
import { notificationChannels, type NotificationChannel } from './notification-channel.ts'
import { NOTIFICATION_KINDS } from './notification-kinds.ts'
import { deliverToChannels } from './notification-delivery.ts'
import { insertNew, type NewNotification } from './notifications.repository.ts'

type Deps = { database: Database }

export const REMINDER_KINDS = { overdue: 'deadline.overdue', dueSoon: 'deadline.due-soon' } as const

export interface ReminderOptions {
  /** The day the reminders are for (YYYY-MM-DD); Vietnam's today when absent. */
  today?: string | undefined
  /** Deadlines within this many days count as due soon. */
  days?: number | undefined
  channels?: readonly NotificationChannel[] | undefined
  onProgress?: ((done: number, total: number) => Promise<void>) | undefined
}

export interface ReminderResult {
  date: string
  overdueDocuments: number
  dueSoonDocuments: number
  /** Notifications created by this run (0 when the day's reminders were already sent). */
  created: number
  /** Notifications that already existed for the day. */
  alreadySent: number
  delivered: number
}

const BATCH = 200

/**
 * Đôn đốc: one notification per responsible person per overdue or due-soon document per day. Responsible
 * are the assignee, else the lead person, else every active member of the lead department; for overdue
 * documents also the directing leader. Idempotent: the (user, document, kind, day) key makes a retry or a
 * second run the same day create nothing new.
 */
export async function sendDailyReminders(deps: Deps, options: ReminderOptions = {}): Promise<ReminderResult> {
  const today = options.today ?? vietnamToday()
  const documents = await watchedDocuments(
    deps.database.db,
    { before: today, from: today, to: addDays(today, options.days ?? 3) },
    undefined,
    100_000,
  )
  const result: ReminderResult = {
    date: today,
    overdueDocuments: 0,
    dueSoonDocuments: 0,
    created: 0,
    alreadySent: 0,
    delivered: 0,
  }
  const channels = options.channels ?? notificationChannels()
  for (let start = 0; start < documents.length; start += BATCH) {
    const batch = documents.slice(start, start + BATCH)
    const rows = await remindersFor(deps, batch, today)
    const created = await insertNew(deps.database.db, rows)
    for (const document of batch) {
      if (document.deadline < today) result.overdueDocuments++
      else result.dueSoonDocuments++
    }
    result.created += created.length
    result.alreadySent += rows.length - created.length
    result.delivered += await deliverToChannels(deps.database.db, channels, created)
    await options.onProgress?.(Math.min(start + BATCH, documents.length), documents.length)
  }
  return result
}

async function remindersFor(
  deps: Deps,
  documents: WatchedDocument[],
  today: string,
): Promise<NewNotification[]> {
  const participants = await handlingParticipants(
    deps.database.db,
    documents.map((d) => d.id),
  )
  const leadDepartments = participants
    .filter((p) => p.role === 'lead' && !p.userId && p.departmentId)
    .map((p) => p.departmentId!)
  const members = await activeMembers(deps.database.db, [...new Set(leadDepartments)])
  const readers = await secretReaders(
    deps.database.db,
    documents.filter((d) => d.secrecy > 0).map((d) => d.id),
  )
  const rows = new Map<string, NewNotification>()
  for (const document of documents) {
    const own = participants.filter((p) => p.documentId === document.id)
    const overdue = document.deadline < today
    const kind = overdue ? REMINDER_KINDS.overdue : REMINDER_KINDS.dueSoon
    const recipients = recipientsOf(own, members, overdue).filter(
      (userId) => document.secrecy === 0 || readers.has(`${document.id}:${userId}`),
    )
    const text = reminderText(document, today)
    for (const userId of recipients) {
      rows.set(`${userId}:${document.id}`, {
        userId,
        documentId: document.id,
        kind,
        dedupDate: today,
        ...text,
      })
    }
  }
  return [...rows.values()]
}

/**
 * The people answering for one document: the assignee, else the lead person, else the active members of
 * the lead department; for an overdue document also the directing leader. Inactive accounts are skipped.
 */
function recipientsOf(
  own: ActiveParticipant[],
  members: { id: string; departmentId: string | null }[],
  overdue: boolean,
): string[] {
  const person = (p: ActiveParticipant | undefined) => (p?.userId && p.userActive ? p.userId : undefined)
  const assignee = own.find((p) => p.role === 'assignee' && p.userId)
  const lead = own.find((p) => p.role === 'lead')
  const recipients = new Set<string>()
  if (assignee) {
    const id = person(assignee)
    if (id) recipients.add(id)
  } else if (lead?.userId) {
    const id = person(lead)
    if (id) recipients.add(id)
  } else if (lead?.departmentId) {
    for (const member of members) if (member.departmentId === lead.departmentId) recipients.add(member.id)
  }
  if (overdue) {
    for (const p of own) {
      const id = p.role === 'leader' ? person(p) : undefined
      if (id) recipients.add(id)
    }
  }
  return [...recipients]
}

/** Title and body in Vietnamese; a secret document's trích yếu is not repeated outside the document. */
export function reminderText(document: WatchedDocument, today: string): { title: string; body: string } {
  const days = daysBetween(today, document.deadline)
  const title = NOTIFICATION_KINDS[days < 0 ? REMINDER_KINDS.overdue : REMINDER_KINDS.dueSoon].vi
  const when = days < 0 ? `đã quá hạn ${-days} ngày` : days === 0 ? 'hết hạn hôm nay' : `còn ${days} ngày`
  const body = documentLabel(document)
  return { title, body: `${body}. Hạn xử lý ${vietnameseDate(document.deadline)} — ${when}.`.slice(0, 2000) }
}
