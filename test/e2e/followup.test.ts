import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dailyRemindersJob } from '../../src/followup/daily-reminders.job.ts'
import { addDays, vietnamToday } from '../../src/followup/follow-up-dates.ts'
import { sendDailyReminders } from '../../src/followup/reminders.service.ts'
import { executeRaw } from '../../src/platform/db/database.ts'
import { grantSecret } from '../helpers/access-fixtures.ts'
import { type Headers, type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

type Item = {
  documentId: string
  arrivalNumber: number | null
  leadDepartmentName: string | null
  leadUserName: string | null
  deadline: string
  daysOverdue: number
}
type Notification = {
  id: string
  kind: string
  documentId: string | null
  title: string
  body: string
  createdAt: string
  readAt: string | null
}

describe.each(DRIVERS)('follow-up of deadlines and notifications on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let pdf: Buffer
  let n = 0
  const today = vietnamToday()
  /** Documents by what their deadline is. */
  const docs = {} as Record<
    'overdueEconomy' | 'dueSoonOfficer' | 'overdueByDueDate' | 'later' | 'completed',
    string
  >

  async function registered(): Promise<string> {
    const { payload, headers } = multipartBody([
      { name: 'kind', value: 'Công văn' },
      { name: 'subject', value: `Về việc báo cáo tình hình ${n}` },
      {
        name: 'file',
        fileName: 'cv.pdf',
        contentType: 'application/pdf',
        data: Buffer.concat([pdf, Buffer.from(`\n% followup ${n++}\n`)]),
      },
    ])
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/incoming',
      payload,
      headers: { ...headers, ...org.users.clerk.headers },
    })
    expect(response.statusCode, response.body).toBe(201)
    return response.json().id
  }
  const act = async (id: string, action: string, body: object, headers: Headers) => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/documents/${id}/routing/${action}`,
      payload: body,
      headers,
    })
    expect(response.statusCode, `${action}: ${response.body}`).toBe(200)
  }
  /** Registered, submitted to the leader and directed to `lead`. */
  async function directed(
    lead: { departmentId?: string; userId?: string },
    deadline?: string,
  ): Promise<string> {
    const id = await registered()
    await act(id, 'submit', { leaderId: org.users.leader.id }, org.users.clerk.headers)
    await act(id, 'direct', { lead, ...(deadline ? { deadline } : {}) }, org.users.leader.headers)
    return id
  }
  const list = async (path: string, headers: Headers) => {
    const response = await t.app.inject({ url: `/api/followup/${path}`, headers })
    expect(response.statusCode, response.body).toBe(200)
    return response.json().items as Item[]
  }
  const ids = (items: Item[]) => items.map((item) => item.documentId)
  const myNotifications = async (headers: Headers, query = '') => {
    const response = await t.app.inject({ url: `/api/notifications${query}`, headers })
    expect(response.statusCode, response.body).toBe(200)
    return response.json().items as Notification[]
  }
  const unreadCount = async (headers: Headers) =>
    (await t.app.inject({ url: '/api/notifications/unread-count', headers })).json().count as number

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
    pdf = await readFile(corpusFile('012.pdf'))
    const { economy, office } = org.departments
    docs.overdueEconomy = await directed({ departmentId: economy }, addDays(today, 30))
    // Past deadlines are set in the database, as if the days had gone by.
    await executeRaw(
      t.platform.database.db,
      'update document_participants set deadline = $1 where document_id = $2 and role = $3',
      [addDays(today, -2), docs.overdueEconomy, 'lead'],
    )
    docs.dueSoonOfficer = await directed({ userId: org.users.officer.id }, addDays(today, 2))
    docs.overdueByDueDate = await directed({ departmentId: office })
    await executeRaw(t.platform.database.db, 'update documents set due_date = $1 where id = $2', [
      addDays(today, -1),
      docs.overdueByDueDate,
    ])
    docs.later = await directed({ departmentId: office }, addDays(today, 10))
    docs.completed = await directed({ userId: org.users.officer.id }, addDays(today, -5))
    await act(docs.completed, 'complete', { comment: 'Đã xong' }, org.users.officer.headers)
  })
  afterAll(async () => t?.close())

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN documents past and near their deadlines WHEN a leader asks for the agency lists THEN overdue and due-soon are told apart and finished or distant ones are left out', async () => {
      const overdue = await list('overdue?scope=agency', org.users.leader.headers)
      expect(ids(overdue)).toEqual(expect.arrayContaining([docs.overdueEconomy, docs.overdueByDueDate]))
      expect(ids(overdue)).not.toContain(docs.dueSoonOfficer)
      expect(ids(overdue)).not.toContain(docs.completed)
      expect(ids(overdue)).not.toContain(docs.later)
      const economy = overdue.find((item) => item.documentId === docs.overdueEconomy)!
      expect(economy).toMatchObject({
        leadDepartmentName: 'Phòng Kinh tế',
        leadUserName: null,
        deadline: addDays(today, -2),
        daysOverdue: 2,
      })
      expect(economy.arrivalNumber).toEqual(expect.any(Number))
      // Earliest deadline first.
      expect(ids(overdue).indexOf(docs.overdueEconomy)).toBeLessThan(
        ids(overdue).indexOf(docs.overdueByDueDate),
      )

      const dueSoon = await list('due-soon?scope=agency', org.users.leader.headers)
      expect(ids(dueSoon)).toContain(docs.dueSoonOfficer)
      expect(ids(dueSoon)).not.toContain(docs.overdueEconomy)
      expect(ids(dueSoon)).not.toContain(docs.later)
      expect(dueSoon.find((item) => item.documentId === docs.dueSoonOfficer)).toMatchObject({
        leadUserName: 'Phạm Thị Chuyên Viên',
        leadDepartmentName: 'Phòng Kinh tế',
        daysOverdue: -2,
      })
      expect(ids(await list('due-soon?scope=agency&days=1', org.users.leader.headers))).not.toContain(
        docs.dueSoonOfficer,
      )
      expect(ids(await list('due-soon?scope=agency&days=10', org.users.leader.headers))).toContain(docs.later)
    })

    it('GIVEN the lists WHEN asked in my and my department’s scope THEN each person sees what they answer for', async () => {
      const { officer, clerkEconomy, archivist, leader } = org.users
      expect(ids(await list('overdue', officer.headers))).toEqual([docs.overdueEconomy])
      expect(ids(await list('due-soon?scope=me', officer.headers))).toEqual([docs.dueSoonOfficer])
      expect(ids(await list('overdue?scope=me', archivist.headers))).toEqual([docs.overdueByDueDate])
      // The directing leader follows what they directed.
      expect(ids(await list('overdue?scope=me', leader.headers))).toEqual(
        expect.arrayContaining([docs.overdueEconomy, docs.overdueByDueDate]),
      )
      expect(ids(await list('overdue?scope=department', clerkEconomy.headers))).toEqual([docs.overdueEconomy])
      // Led by one of its people in person: in the department's scope, but the access policy does not let
      // that department's clerk know of it, so the list leaves it out; the department's leader would see it.
      expect(ids(await list('due-soon?scope=department', clerkEconomy.headers))).toEqual([])
      expect(ids(await list('overdue?scope=department', org.users.clerk.headers))).toEqual([
        docs.overdueByDueDate,
      ])
    })

    it('GIVEN people without the part WHEN they ask for a wider scope THEN 403', async () => {
      const status = async (path: string, headers: Headers) =>
        (await t.app.inject({ url: `/api/followup/${path}`, headers })).statusCode
      expect(await status('overdue?scope=agency', org.users.clerk.headers)).toBe(403)
      expect(await status('overdue?scope=agency', org.users.officer.headers)).toBe(403)
      expect(await status('overdue?scope=department', org.users.officer.headers)).toBe(403)
      expect(await status('overdue?scope=everyone', org.users.leader.headers)).toBe(400)
      expect((await t.app.inject({ url: '/api/followup/overdue' })).statusCode).toBe(401)
    })

    it('GIVEN overdue and due-soon documents WHEN the daily reminders run twice the same day THEN each responsible person is notified once', async () => {
      const first = await sendDailyReminders(t.platform, { today })
      expect(first).toMatchObject({ date: today, overdueDocuments: 2, dueSoonDocuments: 1, alreadySent: 0 })
      // Economy lead (officer + clerkEconomy) and its leader; officer for the due-soon one; office members
      // (clerk, leader, archivist) for the one overdue by due date — the leader once.
      expect(first.created).toBe(2 + 1 + 1 + 3)
      const second = await sendDailyReminders(t.platform, { today })
      expect(second).toMatchObject({ created: 0, alreadySent: first.created })
      const progress: number[] = []
      const job = dailyRemindersJob(t.platform)
      const viaJob = await job.handler(
        { date: today },
        {
          jobId: 'test',
          attempt: 2,
          signal: new AbortController().signal,
          reportProgress: async (done) => void progress.push(done),
        },
      )
      expect(viaJob).toMatchObject({ created: 0, alreadySent: first.created })
      expect(progress).toEqual([3])
      expect(job.cron).toBe('0 1 * * *')

      // Routing steps notify too (directing these documents did): only the reminders count here.
      const reminders = (items: Notification[]) => items.filter((x) => x.kind.startsWith('deadline.'))
      const officer = reminders(await myNotifications(org.users.officer.headers))
      expect(officer.map((x) => [x.documentId, x.kind]).sort()).toEqual(
        [
          [docs.overdueEconomy, 'deadline.overdue'],
          [docs.dueSoonOfficer, 'deadline.due-soon'],
        ].sort(),
      )
      expect(officer.find((x) => x.kind === 'deadline.overdue')).toMatchObject({
        title: 'Văn bản quá hạn xử lý',
        readAt: null,
      })
      expect(officer.find((x) => x.kind === 'deadline.overdue')!.body).toContain('đã quá hạn 2 ngày')
      const leader = reminders(await myNotifications(org.users.leader.headers))
      expect(leader.map((x) => x.documentId).sort()).toEqual(
        [docs.overdueEconomy, docs.overdueByDueDate].sort(),
      )
      // A new day brings new reminders.
      const tomorrow = await sendDailyReminders(t.platform, { today: addDays(today, 1) })
      expect(tomorrow.created).toBeGreaterThan(0)
    })

    it('GIVEN my notifications WHEN I read one and then all THEN the unread count follows; another user gets 404', async () => {
      const { officer, clerkEconomy } = org.users
      const unread = await myNotifications(officer.headers, '?unread=true&limit=100')
      expect(unread.length).toBeGreaterThanOrEqual(2)
      const times = unread.map((x) => x.createdAt)
      expect([...times].sort().reverse()).toEqual(times)
      expect(await unreadCount(officer.headers)).toBe(unread.length)
      expect((await myNotifications(officer.headers, '?limit=1')).length).toBe(1)

      const target = unread[0]!
      const stranger = await t.app.inject({
        method: 'POST',
        url: `/api/notifications/${target.id}/read`,
        headers: clerkEconomy.headers,
      })
      expect(stranger.statusCode).toBe(404)
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/notifications/not-an-id/read',
            headers: officer.headers,
          })
        ).statusCode,
      ).toBe(404)
      expect((await myNotifications(clerkEconomy.headers)).map((x) => x.id)).not.toContain(target.id)

      const read = await t.app.inject({
        method: 'POST',
        url: `/api/notifications/${target.id}/read`,
        headers: officer.headers,
      })
      expect(read.statusCode, read.body).toBe(200)
      expect(read.json().readAt).toEqual(expect.any(String))
      expect(await unreadCount(officer.headers)).toBe(unread.length - 1)
      const again = await t.app.inject({
        method: 'POST',
        url: `/api/notifications/${target.id}/read`,
        headers: officer.headers,
      })
      expect(again.json().readAt).toBe(read.json().readAt)
      expect(
        (await myNotifications(officer.headers, '?unread=true&limit=100')).map((x) => x.id),
      ).not.toContain(target.id)

      const othersBefore = await unreadCount(clerkEconomy.headers)
      const all = await t.app.inject({
        method: 'POST',
        url: '/api/notifications/read-all',
        headers: officer.headers,
      })
      expect(all.json()).toEqual({ updated: unread.length - 1 })
      expect(await unreadCount(officer.headers)).toBe(0)
      expect(await myNotifications(officer.headers, '?unread=true')).toEqual([])
      expect((await myNotifications(officer.headers, '?limit=100')).length).toBe(unread.length)
      expect(await unreadCount(clerkEconomy.headers)).toBe(othersBefore)

      const events = (
        await t.app.inject({
          url: `/api/audit/events?targetType=notification&targetId=${target.id}`,
          headers: org.admin,
        })
      ).json()
      expect(JSON.stringify(events)).toContain('notification.read')
      expect((await t.app.inject({ url: '/api/audit/verify', headers: org.admin })).json()).toMatchObject({
        ok: true,
      })
    })

    it('GIVEN an overdue secret document WHEN the reminders run THEN only granted people with clearance are told, without its trích yếu', async () => {
      const id = await directed({ departmentId: org.departments.economy }, addDays(today, -3))
      await executeRaw(t.platform.database.db, 'update documents set secrecy = 1 where id = $1', [id])
      await grantSecret(t.platform.database, id, org.users.officer.id)
      const day = addDays(today, 5)
      await sendDailyReminders(t.platform, { today: day })
      const rows = await executeRaw(
        t.platform.database.db,
        "select user_id, body from notifications where document_id = $1 and kind like 'deadline.%'",
        [id],
      )
      expect(rows.rows.map((row) => row.user_id)).toEqual([org.users.officer.id])
      expect(String(rows.rows[0]!.body)).toContain('(văn bản mật)')
      expect(String(rows.rows[0]!.body)).not.toContain('Về việc')
      expect(ids(await list('overdue?scope=department', org.users.clerkEconomy.headers))).not.toContain(id)
      expect(ids(await list('overdue', org.users.officer.headers))).toContain(id)
    })
  })
})
