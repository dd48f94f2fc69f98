import { and, eq, isNotNull, isNull, lt, sql } from 'drizzle-orm'
import { appendAuditEvent } from '../../audit/audit.service.ts'
import { insertNew } from '../../followup/notifications.repository.ts'
import type { Database, Tx } from '../../platform/db/database.ts'
import { auditEvents, recordFiles, users } from '../../platform/db/schema/index.ts'
import { vietnamDate } from '../records-policy.ts'

export type ReminderKind = 'year-end' | 'transfer-due'

export interface ReminderOptions {
  /** Nộp lưu deadline, days after closing (RECORDS_TRANSFER_DUE_DAYS). */
  transferDueDays: number
  /** The transfer reminder goes this many days before the deadline (RECORDS_TRANSFER_NOTICE_DAYS). */
  transferNoticeDays: number
  /** The audit actor (the job's name). */
  actor: string
  now?: Date
}

type FileRow = typeof recordFiles.$inferSelect
const REMINDED = 'record-file.reminded'
const DAY = 86_400_000

/** Not yet reminded of this kind: the audit event is the record that a reminder went out. */
const notReminded = (kind: ReminderKind) =>
  sql`not exists (select 1 from ${auditEvents} where ${auditEvents.action} = ${REMINDED} and ${auditEvents.targetType} = 'record-file' and ${auditEvents.targetId} = ${recordFiles.id}::text and ${auditEvents.details}->>'kind' = ${kind})`

/**
 * Records reminders (ND30 Điều 28–31): a hồ sơ still open after its year ended (it should have been
 * closed — kết thúc hồ sơ — at year end), and a closed hồ sơ whose nộp lưu deadline is near or past
 * and that is not yet in a transfer. The keeper and the agency's archivists are notified, once per hồ
 * sơ and kind: the reminder's audit event, written in the same transaction as the notifications, is
 * what later runs check, under a lock on the hồ sơ's row so two runs never both send.
 */
export async function sendRecordReminders(deps: { database: Database }, options: ReminderOptions): Promise<Record<ReminderKind, number>> {
  const now = options.now ?? new Date()
  const thisYear = Number(vietnamDate(now).slice(0, 4))
  const noticeFrom = new Date(now.getTime() - (options.transferDueDays - options.transferNoticeDays) * DAY)
  const db = deps.database.db
  const yearEnd = await db
    .select({ id: recordFiles.id })
    .from(recordFiles)
    .where(and(eq(recordFiles.status, 'open'), lt(recordFiles.year, thisYear), notReminded('year-end')))
  const transferDue = await db
    .select({ id: recordFiles.id })
    .from(recordFiles)
    .where(and(eq(recordFiles.status, 'closed'), isNull(recordFiles.transferId), isNotNull(recordFiles.closedAt), lt(recordFiles.closedAt, noticeFrom), notReminded('transfer-due')))
  let sentYearEnd = 0
  let sentTransferDue = 0
  for (const { id } of yearEnd) if (await remind(deps.database, id, 'year-end', options, now)) sentYearEnd++
  for (const { id } of transferDue) if (await remind(deps.database, id, 'transfer-due', options, now)) sentTransferDue++
  return { 'year-end': sentYearEnd, 'transfer-due': sentTransferDue }
}

/** One reminder in one transaction; false when the hồ sơ changed or was reminded meanwhile. */
async function remind(database: Database, id: string, kind: ReminderKind, options: ReminderOptions, now: Date): Promise<boolean> {
  return database.db.transaction(async (tx) => {
    const [file] = await tx.select().from(recordFiles).where(eq(recordFiles.id, id)).for('update')
    if (!file || !stillDue(file, kind)) return false
    const [already] = await tx.select({ seq: auditEvents.seq }).from(auditEvents).where(and(eq(auditEvents.action, REMINDED), eq(auditEvents.targetType, 'record-file'), eq(auditEvents.targetId, id), sql`${auditEvents.details}->>'kind' = ${kind}`))
    if (already) return false
    const dueDate = kind === 'transfer-due' ? vietnamDate(new Date(file.closedAt!.getTime() + options.transferDueDays * DAY)) : null
    const recipients = await recipientsOf(tx, file)
    const message = messageOf(file, kind, dueDate, vietnamDate(now))
    await insertNew(
      tx,
      recipients.map((userId) => ({ userId, kind: `records.${kind}`, documentId: null, recordFileId: file.id, title: message.title, body: message.body, dedupDate: vietnamDate(now) })),
    )
    await appendAuditEvent(tx, { actor: options.actor }, { action: REMINDED, targetType: 'record-file', targetId: file.id, details: { kind, fileCode: file.fileCode, dueDate, recipients: recipients.length } })
    return true
  })
}

function stillDue(file: FileRow, kind: ReminderKind): boolean {
  return kind === 'year-end' ? file.status === 'open' : file.status === 'closed' && file.transferId === null
}

/** The keeper (người lập hồ sơ) and every active archivist of the agency, once each. */
async function recipientsOf(tx: Tx, file: FileRow): Promise<string[]> {
  const archivists = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.agencyId, file.agencyId), eq(users.active, true), sql`'archivist' = any(${users.roles})`))
  const keeper = file.keeperUserId
    ? await tx.select({ id: users.id }).from(users).where(and(eq(users.id, file.keeperUserId), eq(users.active, true)))
    : []
  return [...new Set([...keeper, ...archivists].map((row) => row.id))]
}

function messageOf(file: FileRow, kind: ReminderKind, dueDate: string | null, today: string): { title: string; body: string } {
  const which = `${file.fileCode} — ${file.title}`
  if (kind === 'year-end') {
    return {
      title: 'Hồ sơ chưa kết thúc khi hết năm',
      body: `Hồ sơ ${which} (năm ${file.year}) vẫn đang lập: đề nghị kết thúc (đóng) hồ sơ để chuẩn bị nộp lưu.`.slice(0, 2000),
    }
  }
  const late = dueDate !== null && dueDate < today
  return {
    title: late ? 'Hồ sơ đã quá hạn nộp lưu' : 'Hồ sơ sắp đến hạn nộp lưu',
    body: `Hồ sơ ${which} cần nộp lưu vào lưu trữ cơ quan ${late ? 'từ' : 'trước'} ngày ${dueDate?.split('-').reverse().join('/')}.`.slice(0, 2000),
  }
}
