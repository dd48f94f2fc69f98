import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { executeRaw } from '../../src/platform/db/database.ts'
import { grantSecret } from '../helpers/access-fixtures.ts'
import { type Headers, type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { DRIVERS, pgliteDriver } from '../helpers/databases.ts'
import { extraUser, incomingRegistrar, routingStep } from '../helpers/routing-steps.ts'
import { headerOf, partOf, type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

interface Seen {
  kind: string
  documentId: string | null
  title: string
  body: string
}

/** The user's notifications about one document, oldest first, as GET /api/notifications shows them. */
async function notificationsAbout(
  app: FastifyInstance,
  headers: Headers,
  documentId: string,
): Promise<Seen[]> {
  const response = await app.inject({ url: '/api/notifications?limit=200', headers })
  expect(response.statusCode).toBe(200)
  return (response.json().items as Seen[]).filter((n) => n.documentId === documentId).reverse()
}

describe.each(DRIVERS)('notifications of routing steps on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let register: () => Promise<string>
  /** Trưởng phòng Kinh tế: the head a department assignment reaches. */
  let head: { id: string; headers: Headers }
  /** A second leader of the agency, to forward to. */
  let deputy: { id: string; headers: Headers }

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
    register = await incomingRegistrar(t.app, org.users.clerk.headers)
    head = await extraUser(t.app, org.admin, {
      username: 'truongphongkt',
      fullName: 'Đỗ Văn Trưởng Phòng',
      roles: ['leader'],
      departmentId: org.departments.economy,
    })
    deputy = await extraUser(t.app, org.admin, {
      username: 'phochutich',
      fullName: 'Vũ Thị Phó Chủ Tịch',
      roles: ['leader'],
      departmentId: org.departments.office,
    })
  })
  afterAll(async () => t?.close())

  const step = async (id: string, action: string, body: object, headers: Headers) => {
    const response = await routingStep(t.app, id, action, body, headers)
    expect(response.statusCode, `${action}: ${response.body}`).toBe(200)
  }
  const seenBy = (headers: Headers, documentId: string) => notificationsAbout(t.app, headers, documentId)
  const kindsFor = async (headers: Headers, documentId: string) =>
    (await seenBy(headers, documentId)).map((n) => n.kind)
  const everyone = () => [...Object.values(org.users), head, deputy]

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN a document handled from submission to completion WHEN each step is taken THEN the people who must act are told, never the actor', async () => {
      const id = await register()
      const { clerk, leader, officer, archivist, clerkEconomy } = org.users
      await step(id, 'submit', { leaderId: leader.id, comment: 'Kính trình Chủ tịch' }, clerk.headers)
      const [submitted] = await seenBy(leader.headers, id)
      expect(submitted).toMatchObject({
        kind: 'routing.submitted',
        title: 'Văn bản trình xin ý kiến chỉ đạo',
      })
      expect(submitted!.body).toContain('Nguyễn Thị Văn Thư: Kính trình Chủ tịch')

      await step(
        id,
        'direct',
        {
          lead: { departmentId: org.departments.economy },
          cooperating: [{ userId: archivist.id }],
          informed: [{ userId: clerkEconomy.id }, { userId: leader.id }],
          deadline: '2026-12-15',
        },
        leader.headers,
      )
      // The department is reached through its head, who assigns the work inside it.
      expect(await kindsFor(head.headers, id)).toEqual(['routing.assigned-lead'])
      expect(await kindsFor(officer.headers, id)).toEqual([])
      expect(await kindsFor(archivist.headers, id)).toEqual(['routing.assigned-cooperating'])
      expect(await kindsFor(clerkEconomy.headers, id)).toEqual(['routing.assigned-informed'])
      expect((await seenBy(archivist.headers, id))[0]!.body).toContain('Hạn xử lý: 15/12/2026')

      await step(id, 'reassign', { userId: officer.id }, head.headers)
      await step(id, 'start', {}, officer.headers)
      await step(
        id,
        'request-extension',
        { comment: 'Cần thêm số liệu', deadline: '2026-12-31' },
        officer.headers,
      )
      await step(id, 'grant-extension', { deadline: '2026-12-31' }, leader.headers)
      await step(id, 'complete', { comment: 'Đã báo cáo' }, officer.headers)

      expect(await kindsFor(officer.headers, id)).toEqual(['routing.reassigned', 'routing.extension-granted'])
      // Informed of nothing about their own direction; told of the request and the completion.
      expect(await kindsFor(leader.headers, id)).toEqual([
        'routing.submitted',
        'routing.extension-requested',
        'routing.completed',
      ])
      expect(await kindsFor(head.headers, id)).toEqual(['routing.assigned-lead'])
      expect(await kindsFor(clerk.headers, id)).toEqual([])
    })

    it('GIVEN a submitted document WHEN forwarded, returned and recalled THEN the new leader, the submitting clerk and the recalled leader are told', async () => {
      const id = await register()
      const { clerk, leader } = org.users
      await step(id, 'submit', { leaderId: leader.id }, clerk.headers)
      await step(
        id,
        'forward',
        { leaderId: deputy.id, comment: 'Chuyển đồng chí Phó Chủ tịch' },
        leader.headers,
      )
      expect(await kindsFor(deputy.headers, id)).toEqual(['routing.forwarded'])
      await step(id, 'return', { comment: 'Thiếu phụ lục' }, deputy.headers)
      const returned = await seenBy(clerk.headers, id)
      expect(returned.map((n) => n.kind)).toEqual(['routing.returned'])
      expect(returned[0]!.body).toContain('Vũ Thị Phó Chủ Tịch: Thiếu phụ lục')
      await step(id, 'submit', { leaderId: leader.id }, clerk.headers)
      await step(id, 'recall', { comment: 'Trình nhầm' }, clerk.headers)
      expect(await kindsFor(leader.headers, id)).toEqual([
        'routing.submitted',
        'routing.submitted',
        'routing.recalled',
      ])
      expect(await kindsFor(deputy.headers, id)).toEqual(['routing.forwarded'])
      expect(await kindsFor(clerk.headers, id)).toEqual(['routing.returned'])
    })

    it('GIVEN a secret document WHEN it is submitted and directed THEN only granted people with clearance are told, without its trích yếu', async () => {
      const id = await register()
      const { clerk, leader, officer, clerkEconomy } = org.users
      await executeRaw(
        t.platform.database.db,
        "update documents set secrecy = 1, subject = 'Về việc tuyệt mật' where id = $1",
        [id],
      )
      for (const user of [clerk, leader, officer]) await grantSecret(t.platform.database, id, user.id)
      await step(id, 'submit', { leaderId: leader.id, comment: 'Kính trình' }, clerk.headers)
      // Someone without the clearance cannot be handed a secret document: the step says so (issue 13).
      const uncleared = await routingStep(
        t.app,
        id,
        'direct',
        { lead: { userId: officer.id }, informed: [{ userId: clerkEconomy.id }] },
        leader.headers,
      )
      expect(uncleared.statusCode).toBe(400)
      expect(uncleared.json().errors).toMatchObject([{ field: 'informed.0' }])
      await step(id, 'direct', { lead: { userId: officer.id } }, leader.headers)
      const [told] = await seenBy(officer.headers, id)
      expect(told!.kind).toBe('routing.assigned-lead')
      expect(told!.body).toContain('(văn bản mật)')
      expect(told!.body).not.toContain('tuyệt mật')
      expect(await kindsFor(leader.headers, id)).toEqual(['routing.submitted'])
      // Not granted: must not learn that the document exists.
      const all = await t.app.inject({ url: '/api/notifications?limit=200', headers: clerkEconomy.headers })
      expect(all.json().items.map((n: Seen) => n.documentId)).not.toContain(id)
    })

    it('GIVEN a step that is refused (409, 400, 403) WHEN tried THEN nobody is notified', async () => {
      const id = await register()
      const premature = await routingStep(t.app, id, 'complete', { comment: 'x' }, org.users.clerk.headers)
      expect(premature.statusCode).toBe(409)
      const badLeader = await routingStep(
        t.app,
        id,
        'submit',
        { leaderId: org.users.officer.id },
        org.users.clerk.headers,
      )
      expect(badLeader.statusCode).toBe(400)
      const notMine = await routingStep(
        t.app,
        id,
        'submit',
        { leaderId: org.users.leader.id },
        org.users.leader.headers,
      )
      expect(notMine.statusCode).toBe(403)
      for (const user of everyone()) expect(await kindsFor(user.headers, id)).toEqual([])
      // The same step, allowed, does notify: the checks above can fail.
      await step(id, 'submit', { leaderId: org.users.leader.id }, org.users.clerk.headers)
      expect(await kindsFor(org.users.leader.headers, id)).toEqual(['routing.submitted'])
    })
  })
})

// Within the CI budget: the e-mail path once, on PGlite; notifications themselves run on both drivers.
describe.each([pgliteDriver])('e-mail for routing steps on $name', (driver) => {
  let t: TestApp
  let sink: SmtpSink
  let org: Organisation
  let register: () => Promise<string>

  beforeAll(async () => {
    if (!driver.available) return
    sink = await startSmtpSink()
    t = await startTestApp(driver, {
      env: {
        SMTP_URL: sink.url,
        SMTP_FROM: 'Văn thư <vanthu@example.gov.vn>',
        PUBLIC_URL: 'https://vanthu.example.gov.vn/',
      },
      workers: true,
    })
    org = await seedOrganisation(t.platform, t.app)
    register = await incomingRegistrar(t.app, org.users.clerk.headers)
  })
  afterAll(async () => {
    await t?.close()
    await sink?.close()
  })

  it.skipIf(!driver.available)(
    'GIVEN SMTP is configured WHEN a document is submitted THEN the leader gets a mail after the commit, through the delivery job',
    async () => {
      const leader = await extraUser(t.app, org.admin, {
        username: 'lanhdaomail',
        fullName: 'Ngô Thị Lãnh Đạo',
        roles: ['leader'],
        departmentId: org.departments.office,
        email: 'lanhdao@example.gov.vn',
      })
      const id = await register()
      const response = await routingStep(
        t.app,
        id,
        'submit',
        { leaderId: leader.id },
        org.users.clerk.headers,
      )
      expect(response.statusCode, response.body).toBe(200)
      const [mail] = await sink.waitFor(1)
      expect(mail!.to).toEqual(['lanhdao@example.gov.vn'])
      expect(headerOf(mail!.raw, 'Subject')).toBe('Văn bản trình xin ý kiến chỉ đạo')
      expect(partOf(mail!.raw, 'text/plain')).toContain(`https://vanthu.example.gov.vn/documents/${id}`)
      // A refused step queues nothing: still one mail once the worker had time to pick up any job.
      expect(
        (await routingStep(t.app, id, 'submit', { leaderId: leader.id }, org.users.clerk.headers)).statusCode,
      ).toBe(409)
      await new Promise((resolve) => setTimeout(resolve, 1500))
      expect(sink.mails).toHaveLength(1)
    },
    30_000,
  )

  it.skipIf(!driver.available)(
    'GIVEN the delivery job cannot be queued WHEN a step is taken THEN the step fails and leaves no notification behind',
    async () => {
      const id = await register()
      // Fault injected at the job-queue seam, after the step and its notification rows were written.
      const send = t.platform.jobs.send.bind(t.platform.jobs)
      const spy = vi
        .spyOn(t.platform.jobs, 'send')
        .mockImplementation((name, payload, options) =>
          name === 'notifications.deliver'
            ? Promise.reject(new Error('queue down'))
            : send(name, payload, options),
        )
      try {
        const response = await routingStep(
          t.app,
          id,
          'submit',
          { leaderId: org.users.leader.id },
          org.users.clerk.headers,
        )
        expect(response.statusCode).toBe(500)
        expect(spy).toHaveBeenCalledWith('notifications.deliver', expect.anything(), expect.anything())
      } finally {
        spy.mockRestore()
      }
      expect(await notificationsAbout(t.app, org.users.leader.headers, id)).toEqual([])
      const state = await t.app.inject({
        url: `/api/documents/${id}/routing`,
        headers: org.users.clerk.headers,
      })
      expect(state.json().status).toBe('registered')
    },
  )
})
