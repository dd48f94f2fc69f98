import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { expectProblem } from '../helpers/access-fixtures.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { extraUser, routingStep } from '../helpers/routing-steps.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

/**
 * A secret document (văn bản mật) handed on through routing: whoever it is handed to by name gets the
 * grant with the step, when their clearance covers its level; otherwise the step is refused, naming
 * why. It never again sits "submitted" before a leader who cannot see it.
 */
describe.each(DRIVERS)('secret documents in routing on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let pdf: Buffer
  let serial = 0

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
    pdf = await readFile(corpusFile('012.pdf'))
  })
  afterAll(async () => t?.close())

  const registerSecret = async () => {
    const { payload, headers } = multipartBody([
      { name: 'kind', value: 'Công văn' },
      { name: 'secrecy', value: 'Mật' },
      { name: 'file', fileName: 'mat.pdf', contentType: 'application/pdf', data: Buffer.concat([pdf, Buffer.from(`\n% s${serial++}\n`)]) },
    ])
    const response = await t.app.inject({ method: 'POST', url: '/api/incoming', payload, headers: { ...headers, ...org.users.clerk.headers } })
    expect(response.statusCode, response.body).toBe(201)
    return response.json().id as string
  }
  const status = async (id: string) =>
    (await t.platform.database.executeSql('select status from documents where id = $1', [id])).rows[0]!.status
  const grants = async (id: string) =>
    (await t.platform.database.executeSql('select user_id from document_grants where document_id = $1', [id])).rows.map((r) => r.user_id)

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN a secret document and a cleared leader without a grant WHEN the clerk submits it THEN the leader is granted with the step, sees it, is notified, and the grant is audited', async () => {
      const id = await registerSecret()
      expect(await grants(id)).not.toContain(org.users.leader.id)
      const step = await routingStep(t.app, id, 'submit', { leaderId: org.users.leader.id }, org.users.clerk.headers)
      expect(step.statusCode, step.body).toBe(200)
      expect(await grants(id)).toContain(org.users.leader.id)
      expect((await t.app.inject({ url: `/api/documents/${id}`, headers: org.users.leader.headers })).statusCode).toBe(200)
      const inbox = await t.app.inject({ url: '/api/documents?awaiting=me', headers: org.users.leader.headers })
      expect(inbox.json().items.map((d: { id: string }) => d.id)).toContain(id)
      const notifications = await t.app.inject({ url: '/api/notifications', headers: org.users.leader.headers })
      expect(JSON.stringify(notifications.json())).toContain(id)
      const { rows } = await t.platform.database.executeSql(
        `select action, details from audit_events where target_id = $1 and action in ('document.grant-added', 'routing.submit') order by seq`,
        [id],
      )
      expect(rows.map((r) => r.action)).toEqual(['document.grant-added', 'routing.submit'])
      expect(rows[0]!.details).toMatchObject({ userId: org.users.leader.id, secrecy: 1, reason: 'routing.submit' })
    })

    it('GIVEN a leader whose clearance does not cover the level WHEN the clerk submits to them THEN 400 names leaderId and nothing changes', async () => {
      const uncleared = await extraUser(t.app, org.admin, {
        username: 'lanhdao2',
        fullName: 'Đỗ Văn Chưa Cấp',
        roles: ['leader'],
        departmentId: org.departments.office,
      })
      const id = await registerSecret()
      const before = await t.platform.database.executeSql('select count(*)::int as n from audit_events')
      const step = await routingStep(t.app, id, 'submit', { leaderId: uncleared.id }, org.users.clerk.headers)
      expectProblem(step, 400, 'validation-failed')
      expect(step.json().errors).toMatchObject([{ field: 'leaderId', messageEn: expect.stringMatching(/clearance/) }])
      expect(await status(id)).toBe('registered')
      expect(await grants(id)).not.toContain(uncleared.id)
      const after = await t.platform.database.executeSql('select count(*)::int as n from audit_events')
      expect(after.rows[0]!.n).toBe(before.rows[0]!.n)
    })

    it('GIVEN a secret document WHEN the leader directs it to a whole department THEN 400 asks for named people; directed to a cleared officer THEN the officer is granted', async () => {
      const id = await registerSecret()
      expect((await routingStep(t.app, id, 'submit', { leaderId: org.users.leader.id }, org.users.clerk.headers)).statusCode).toBe(200)
      const toDepartment = await routingStep(t.app, id, 'direct', { lead: { departmentId: org.departments.economy } }, org.users.leader.headers)
      expectProblem(toDepartment, 400, 'validation-failed')
      expect(toDepartment.json().errors).toMatchObject([{ field: 'lead' }])
      expect(await status(id)).toBe('submitted')
      const toOfficer = await routingStep(t.app, id, 'direct', { lead: { userId: org.users.officer.id } }, org.users.leader.headers)
      expect(toOfficer.statusCode, toOfficer.body).toBe(200)
      expect(await grants(id)).toContain(org.users.officer.id)
      expect((await t.app.inject({ url: `/api/documents/${id}`, headers: org.users.officer.headers })).statusCode).toBe(200)
    })
  })
})
