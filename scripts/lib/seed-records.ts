/**
 * Demo records for `npm run seed:demo`: last year's and this year's danh mục hồ sơ, an open hồ sơ, a
 * transferred one (received by the archive, with its PDFs), one under a legal hold and one past its
 * retention waiting in "xem xét hủy". Runs after the demo users and corpus exist; safe to run twice.
 */
import { and, asc, eq } from 'drizzle-orm'
import type { Actor } from '../../src/access/actor.ts'
import { findUserByUsername } from '../../src/auth/auth.repository.ts'
import { actorOf } from '../../src/auth/auth.service.ts'
import { documents, recordFiles } from '../../src/platform/db/schema/index.ts'
import type { Platform } from '../../src/platform/platform.ts'
import { createFilePlan } from '../../src/records/files/file-plans.service.ts'
import { closeRecordFile, fileDocumentInto } from '../../src/records/files/record-file-lifecycle.ts'
import { createRecordFile } from '../../src/records/files/record-files.service.ts'
import { placeHold } from '../../src/records/holds/holds.service.ts'
import { sendRecordReminders } from '../../src/records/reminders/record-reminders.service.ts'
import { receiveTransfer, submitTransfer } from '../../src/records/transfer/transfer.service.ts'

const context = { actor: 'system:seed-demo' }

async function actorFor(platform: Platform, username: string): Promise<Actor | undefined> {
  const user = await findUserByUsername(platform.database.db, username)
  return user ? actorOf(user, { kind: 'session', sessionId: 'seed' }) : undefined
}

/** Adds the demo records; returns a one-line summary (or why nothing was added). */
export async function seedRecords(platform: Platform): Promise<string> {
  const clerk = await actorFor(platform, 'vanthu')
  const archivist = await actorFor(platform, 'luutru')
  const admin = await actorFor(platform, 'admin')
  if (!clerk || !archivist || !admin) return 'Records: demo users missing, nothing added.'
  if ((await platform.database.db.select({ id: recordFiles.id }).from(recordFiles).limit(1)).length > 0) return 'Records: demo hồ sơ already exist.'
  const docs = await platform.database.db
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.ownerDepartmentId, clerk.departmentId!), eq(documents.secrecy, 0), eq(documents.direction, 'incoming')))
    .orderBy(asc(documents.createdAt))
    .limit(8)
  if (docs.length < 8) return 'Records: fewer than 8 corpus documents, nothing added.'
  const ids = docs.map((d) => d.id)
  const year = new Date().getFullYear()
  await createFilePlan(platform, archivist, { year: year - 1 }, context)
  const entry = (notation: string, title: string, extra: object = {}) =>
    createRecordFile(platform, archivist, { year: year - 1, notation, title, heading: 'I. Văn phòng', departmentId: clerk.departmentId, permanent: false, retentionYears: 10, retentionReason: 'Theo Danh mục hồ sơ của cơ quan (bảng thời hạn chưa nhập)', ...extra }, context, { planned: true })
  await entry('01.VP', 'Hồ sơ về công tác văn thư, lưu trữ')
  await entry('02.VP', 'Tập văn bản đến của Ủy ban nhân dân tỉnh', { retentionYears: 20 })
  await entry('03.VP', 'Hồ sơ hội nghị tổng kết công tác năm', { permanent: true, retentionYears: null })
  await createFilePlan(platform, archivist, { year, copyFromYear: year - 1 }, context)
  const byNotation = async (y: number, notation: string) =>
    (await platform.database.db.select().from(recordFiles).where(and(eq(recordFiles.year, y), eq(recordFiles.notation, notation))))[0]!

  // Open this year: the clerk files two documents.
  const open = await byNotation(year, '01.VP')
  await fileDocumentInto(platform, clerk, open.id, ids.slice(0, 2), context)
  // Last year's 01.VP was opened too and never closed: the year-end reminder names it.
  await fileDocumentInto(platform, clerk, (await byNotation(year - 1, '01.VP')).id, ids.slice(0, 1), context)
  // Last year's: closed, handed to the archive, received.
  const transferred = await byNotation(year - 1, '02.VP')
  await fileDocumentInto(platform, clerk, transferred.id, ids.slice(2, 4), context)
  await closeRecordFile(platform, clerk, transferred.id, context)
  const transfer = await submitTransfer(platform, clerk, { recordFileIds: [transferred.id], note: 'Nộp lưu hồ sơ năm trước' }, context)
  await receiveTransfer(platform, archivist, transfer.id, context)
  // Under a legal hold.
  const held = await byNotation(year - 1, '03.VP')
  await fileDocumentInto(platform, clerk, held.id, ids.slice(4, 6), context)
  await closeRecordFile(platform, clerk, held.id, context)
  await placeHold(platform, admin, { title: `Thanh tra công vụ năm ${year}`, reason: 'Phục vụ thanh tra theo yêu cầu của Thanh tra tỉnh', legalBasis: 'Công văn số 45/TTr-NV', recordFileIds: [held.id] }, context)
  // Past its retention: documents of 2016 kept 5 years.
  await platform.database.db.update(documents).set({ issuedDate: '2016-06-15', arrivalDate: '2016-06-16' }).where(eq(documents.id, ids[6]!))
  await platform.database.db.update(documents).set({ issuedDate: '2016-09-20', arrivalDate: '2016-09-21' }).where(eq(documents.id, ids[7]!))
  const old = await createRecordFile(platform, archivist, { year: 2016, notation: '05.VP', title: 'Hồ sơ văn bản đến năm 2016 (hết thời hạn bảo quản)', departmentId: clerk.departmentId, permanent: false, retentionYears: 5, retentionReason: 'Tài liệu có thời hạn 05 năm' }, context)
  await fileDocumentInto(platform, clerk, old.id, ids.slice(6, 8), context)
  await closeRecordFile(platform, clerk, old.id, context)
  // The daily reminders job would send these at 08:00; send them now so the demo shows them at once.
  const { transferDueDays, transferNoticeDays } = platform.config.records
  await sendRecordReminders(platform, { transferDueDays, transferNoticeDays, actor: context.actor })
  return 'Records: file plans for last year and this year, open (one left open from last year, reminded), transferred, held and expired hồ sơ.'
}
