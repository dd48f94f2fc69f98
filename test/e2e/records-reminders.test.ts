import { and, eq, inArray, like } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { executeRaw } from '../../src/platform/db/database.ts'
import { auditEvents, notifications } from '../../src/platform/db/schema/index.ts'
import { RECORD_REMINDERS_JOB } from '../../src/records/reminders/record-reminders.job.ts'
import { sendRecordReminders } from '../../src/records/reminders/record-reminders.service.ts'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { incomingRegistrar } from '../helpers/routing-steps.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

const DAY = 86_400_000
const OPTIONS = { transferDueDays: 365, transferNoticeDays: 30, actor: 'job:records.reminders' }

describe.each(DRIVERS)('Records reminders on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let register: () => Promise<string>
  let n = 0
  const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/records${url}`, headers: org.users.clerk.headers, ...(payload ? { payload } : {}) })

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
    register = await incomingRegistrar(t.app, org.users.clerk.headers)
  })
  afterAll(async () => t?.close())

  /** An open hồ sơ of `year` kept by the clerk, with one document. */
  const openFile = async (year: number) => {
    const notation = `${String(++n).padStart(2, '0')}.NH`
    const created = await api('POST', '/files', { year, notation, title: `Hồ sơ nhắc việc ${notation}`, permanent: false, retentionYears: 10, retentionReason: 'Theo quy chế' })
    expect(created.statusCode, created.body).toBe(201)
    const file = created.json() as { id: string; fileCode: string }
    await api('POST', `/files/${file.id}/documents`, { documentIds: [await register()] })
    return file
  }
  const closedFile = async (year: number) => {
    const file = await openFile(year)
    expect((await api('POST', `/files/${file.id}/close`)).statusCode).toBe(200)
    return file
  }
  const remindersOf = (fileId: string) =>
    t.platform.database.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'record-file.reminded'), eq(auditEvents.targetId, fileId)))
  const notified = (fileCode: string) =>
    t.platform.database.db
      .select()
      .from(notifications)
      .where(and(like(notifications.body, `%${fileCode} —%`), inArray(notifications.kind, ['records.year-end', 'records.transfer-due'])))

  it.skipIf(!driver.available)('GIVEN an open hồ sơ of a year that has ended WHEN the reminders run twice THEN its keeper and the archivists are told once, with an audit event; this year’s open hồ sơ is left alone', async () => {
    const thisYear = new Date(Date.now() + 7 * 3600_000).getUTCFullYear()
    const stale = await openFile(thisYear - 1)
    const current = await openFile(thisYear)
    const first = await sendRecordReminders(t.platform, OPTIONS)
    expect(first).toEqual({ 'year-end': 1, 'transfer-due': 0 })
    const told = await notified(stale.fileCode)
    expect(told.map((row) => row.userId).sort()).toEqual([org.users.clerk.id, org.users.archivist.id].sort())
    expect(told.every((row) => row.kind === 'records.year-end' && row.title === 'Hồ sơ chưa kết thúc khi hết năm' && row.recordFileId === stale.id)).toBe(true)
    const events = await remindersOf(stale.id)
    expect(events).toHaveLength(1)
    expect(events[0]!.details).toMatchObject({ kind: 'year-end', fileCode: stale.fileCode, recipients: 2 })
    expect(await notified(current.fileCode)).toHaveLength(0)

    expect(await sendRecordReminders(t.platform, { ...OPTIONS, now: new Date(Date.now() + 2 * DAY) })).toMatchObject({ 'year-end': 0 })
    expect(await notified(stale.fileCode)).toHaveLength(2)
    expect(await remindersOf(stale.id)).toHaveLength(1)
  })

  it.skipIf(!driver.available)('GIVEN a closed hồ sơ WHEN the reminders run before, inside and after the notice window THEN the keeper and archivists are told once, with the due date; one already in a transfer is not', async () => {
    const thisYear = new Date(Date.now() + 7 * 3600_000).getUTCFullYear()
    const closed = await closedFile(thisYear)
    const sent = await closedFile(thisYear)
    expect((await api('POST', '/transfers', { recordFileIds: [sent.id] })).statusCode).toBe(201)

    expect(await sendRecordReminders(t.platform, { ...OPTIONS, now: new Date(Date.now() + 300 * DAY) })).toMatchObject({ 'transfer-due': 0 })
    expect(await notified(closed.fileCode)).toHaveLength(0)

    const inWindow = new Date(Date.now() + 340 * DAY)
    const result = await sendRecordReminders(t.platform, { ...OPTIONS, now: inWindow })
    expect(result['transfer-due']).toBe(1)
    const told = await notified(closed.fileCode)
    expect(told.map((row) => row.userId).sort()).toEqual([org.users.clerk.id, org.users.archivist.id].sort())
    const due = new Date(Date.now() + 365 * DAY + 7 * 3600_000).toISOString().slice(0, 10).split('-').reverse().join('/')
    expect(told[0]!.title).toBe('Hồ sơ sắp đến hạn nộp lưu')
    expect(told[0]!.body).toContain(`trước ngày ${due}`)
    expect((await remindersOf(closed.id))[0]!.details).toMatchObject({ kind: 'transfer-due', recipients: 2 })
    expect(await notified(sent.fileCode)).toHaveLength(0)

    expect(await sendRecordReminders(t.platform, { ...OPTIONS, now: new Date(Date.now() + 400 * DAY) })).toMatchObject({ 'transfer-due': 0 })
    expect(await notified(closed.fileCode)).toHaveLength(2)
  })

  it.skipIf(!driver.available)('GIVEN two reminder runs at the same moment WHEN both find the same hồ sơ due THEN only one reminds', async () => {
    const thisYear = new Date(Date.now() + 7 * 3600_000).getUTCFullYear()
    const file = await openFile(thisYear - 2)
    const [a, b] = await Promise.all([sendRecordReminders(t.platform, OPTIONS), sendRecordReminders(t.platform, OPTIONS)])
    expect(a['year-end'] + b['year-end']).toBe(1)
    expect(await remindersOf(file.id)).toHaveLength(1)
    expect(await notified(file.fileCode)).toHaveLength(2)
  })

  it.skipIf(!driver.available)('GIVEN the records jobs WHEN the queue starts THEN the reminders job is scheduled daily at 08:00 Vietnam time', async () => {
    const result = await executeRaw(t.platform.database.db, 'select cron from pgboss.schedule where name = $1', [RECORD_REMINDERS_JOB])
    expect(result.rows).toEqual([{ cron: '0 1 * * *' }])
  })
})
