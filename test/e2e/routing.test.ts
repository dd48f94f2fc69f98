import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Headers, type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

describe.each(DRIVERS)('routing of incoming documents on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let pdf: Buffer
  let n = 0

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
    pdf = await readFile(corpusFile('012.pdf'))
  })
  afterAll(async () => t?.close())

  /** A freshly registered incoming document (by the Văn phòng clerk). */
  async function registered(): Promise<string> {
    const { payload, headers } = multipartBody([
      { name: 'kind', value: 'Quyết định' },
      { name: 'file', fileName: 'qd.pdf', contentType: 'application/pdf', data: Buffer.concat([pdf, Buffer.from(`\n% ${n++}\n`)]) },
    ])
    const response = await t.app.inject({ method: 'POST', url: '/api/incoming', payload, headers: { ...headers, ...org.users.clerk.headers } })
    expect(response.statusCode, response.body).toBe(201)
    return response.json().id
  }
  const act = (id: string, action: string, body: object, headers: Headers) =>
    t.app.inject({ method: 'POST', url: `/api/documents/${id}/routing/${action}`, payload: body, headers })
  const expectStep = async (id: string, action: string, body: object, headers: Headers, status: string) => {
    const response = await act(id, action, body, headers)
    expect(response.statusCode, `${action}: ${response.body}`).toBe(200)
    expect(response.json().status).toBe(status)
    return response.json()
  }

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN a registered document WHEN submitted, directed, reassigned, started and completed THEN each step is on the timeline in order', async () => {
      const id = await registered()
      const { clerk, leader, officer } = org.users
      await expectStep(id, 'submit', { leaderId: leader.id, comment: 'Kính trình Chủ tịch' }, clerk.headers, 'submitted')
      const awaitingDirection = (await t.app.inject({ url: '/api/documents?awaiting=me', headers: leader.headers })).json()
      expect(awaitingDirection.items.map((d: { id: string }) => d.id)).toContain(id)
      // The officer is not on the document yet: it does not exist for them.
      expect((await t.app.inject({ url: `/api/documents/${id}`, headers: officer.headers })).statusCode).toBe(404)
      await expectStep(
        id,
        'direct',
        {
          comment: 'Giao Phòng Kinh tế chủ trì, Văn phòng phối hợp; báo cáo trước hạn.',
          lead: { departmentId: org.departments.economy },
          cooperating: [{ departmentId: org.departments.office }],
          deadline: '2026-12-15',
        },
        leader.headers,
        'assigned',
      )
      const state = (await t.app.inject({ url: `/api/documents/${id}/routing`, headers: officer.headers })).json()
      expect(state.allowedActions).toEqual(expect.arrayContaining(['start', 'note', 'complete', 'request-extension']))
      const inbox = (await t.app.inject({ url: '/api/documents?awaiting=me', headers: officer.headers })).json()
      expect(inbox.items.map((d: { id: string }) => d.id)).toContain(id)
      const archivistInbox = (await t.app.inject({ url: '/api/documents?awaiting=me', headers: org.users.archivist.headers })).json()
      // Văn phòng co-operates, so its members find it waiting for them too.
      expect(archivistInbox.items.map((d: { id: string }) => d.id)).toContain(id)
      const clerkInbox = (await t.app.inject({ url: '/api/documents?awaiting=me', headers: org.users.clerk.headers })).json()
      expect(clerkInbox.items.map((d: { id: string }) => d.id)).toContain(id)
      const before = (await t.app.inject({ url: `/api/documents/${id}/routing`, headers: officer.headers })).json()
      expect(before.participants.find((p: { role: string }) => p.role === 'lead').state).toBe('unread')
      expect((await t.app.inject({ url: `/api/documents/${id}`, headers: officer.headers })).statusCode).toBe(200)
      const after = (await t.app.inject({ url: `/api/documents/${id}/routing`, headers: officer.headers })).json()
      expect(after.participants.find((p: { role: string }) => p.role === 'lead').state).toBe('read')
      await expectStep(id, 'start', {}, officer.headers, 'in_progress')
      await expectStep(id, 'note', { comment: 'Đã lấy ý kiến các xã', progress: 50 }, officer.headers, 'in_progress')
      await expectStep(id, 'request-extension', { comment: 'Cần thêm số liệu', deadline: '2026-12-31' }, officer.headers, 'in_progress')
      await expectStep(id, 'grant-extension', { deadline: '2026-12-31', comment: 'Đồng ý' }, leader.headers, 'in_progress')
      await expectStep(id, 'complete', { comment: 'Đã báo cáo kết quả' }, officer.headers, 'completed')

      const timeline = (await t.app.inject({ url: `/api/documents/${id}/timeline`, headers: clerk.headers })).json()
      expect(timeline.map((s: { action: string }) => s.action)).toEqual([
        'registered',
        'submit',
        'direct',
        'start',
        'note',
        'request-extension',
        'grant-extension',
        'complete',
      ])
      expect(timeline[1]).toMatchObject({ seq: 2, actorName: 'Nguyễn Thị Văn Thư', actorDepartmentName: 'Văn phòng', comment: 'Kính trình Chủ tịch' })
      expect(timeline[2]).toMatchObject({ fromStatus: 'submitted', toStatus: 'assigned', actorName: 'Lê Văn Lãnh Đạo' })
      const document = (await t.app.inject({ url: `/api/documents/${id}`, headers: clerk.headers })).json()
      expect(document).toMatchObject({ status: 'completed', dueDate: '2026-12-31' })
      expect((await t.app.inject({ url: '/api/audit/verify', headers: org.admin })).json()).toMatchObject({ ok: true })
    })

    it('GIVEN a submitted document WHEN the leader returns it THEN the clerk can submit it again; WHEN recalled THEN it is registered again', async () => {
      const id = await registered()
      const { clerk, leader } = org.users
      await expectStep(id, 'submit', { leaderId: leader.id }, clerk.headers, 'submitted')
      const noReason = await act(id, 'return', {}, leader.headers)
      expect(noReason.statusCode).toBe(400)
      expect(noReason.json().errors[0].field).toBe('comment')
      await expectStep(id, 'return', { comment: 'Thiếu phụ lục' }, leader.headers, 'returned')
      await expectStep(id, 'submit', { leaderId: leader.id }, clerk.headers, 'submitted')
      await expectStep(id, 'recall', { comment: 'Trình nhầm' }, clerk.headers, 'registered')
    })

    it('GIVEN a document in a status WHEN a step it does not allow is asked THEN 409 lists the allowed ones', async () => {
      const id = await registered()
      const premature = await act(id, 'complete', { comment: 'x' }, org.users.clerk.headers)
      expect(premature.statusCode).toBe(409)
      expect(premature.json()).toMatchObject({ code: 'transition-not-allowed', status: 409, documentStatus: 'registered', allowedActions: ['submit'] })
      await expectStep(id, 'submit', { leaderId: org.users.leader.id }, org.users.clerk.headers, 'submitted')
      const again = await act(id, 'submit', { leaderId: org.users.leader.id }, org.users.clerk.headers)
      expect(again.statusCode).toBe(409)
      expect(again.json().allowedActions).toEqual(['recall'])
    })

    it('GIVEN users without the part WHEN they try a step THEN 403 when they can see the document, 404 when they cannot', async () => {
      const id = await registered()
      // The leader sees every document of the agency but was not submitted this one.
      expect((await act(id, 'submit', { leaderId: org.users.leader.id }, org.users.leader.headers)).statusCode).toBe(403)
      // The clerk of another department cannot see it at all.
      expect((await act(id, 'submit', { leaderId: org.users.leader.id }, org.users.clerkEconomy.headers)).statusCode).toBe(404)
      expect((await act(id, 'submit', { leaderId: org.users.leader.id }, org.users.officer.headers)).statusCode).toBe(404)
      await expectStep(id, 'submit', { leaderId: org.users.leader.id }, org.users.clerk.headers, 'submitted')
      // Only the leader it was submitted to directs it.
      expect((await act(id, 'direct', { lead: { departmentId: org.departments.economy } }, org.users.clerk.headers)).statusCode).toBe(403)
      const badLeader = await act(id, 'forward', { leaderId: org.users.officer.id }, org.users.leader.headers)
      expect(badLeader.statusCode).toBe(400)
      expect(badLeader.json().errors[0].field).toBe('leaderId')
      expect((await act('00000000-0000-4000-8000-000000000000', 'submit', {}, org.users.clerk.headers)).statusCode).toBe(404)
    })

    it('GIVEN a document directed to a department WHEN its leader reassigns it to an officer THEN the officer leads it', async () => {
      const id = await registered()
      const { clerk, leader, officer } = org.users
      await expectStep(id, 'submit', { leaderId: leader.id }, clerk.headers, 'submitted')
      await expectStep(id, 'direct', { lead: { departmentId: org.departments.office } }, leader.headers, 'assigned')
      // The leader belongs to Văn phòng (the lead unit) and may assign within it; the officer (Kinh tế) may not be assigned.
      const outside = await act(id, 'reassign', { userId: officer.id }, leader.headers)
      expect(outside.statusCode).toBe(400)
      await expectStep(id, 'reassign', { userId: org.users.archivist.id, deadline: '2026-12-20' }, leader.headers, 'assigned')
      const state = (await t.app.inject({ url: `/api/documents/${id}/routing`, headers: org.users.archivist.headers })).json()
      expect(state.participants).toContainEqual(expect.objectContaining({ role: 'assignee', userId: org.users.archivist.id, deadline: '2026-12-20' }))
      expect(state.allowedActions).toContain('start')
    })
  })
})
