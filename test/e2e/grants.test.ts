import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { documentParticipants } from '../../src/platform/db/schema/index.ts'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

describe.each(DRIVERS)('grants on secret documents on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let secretId: string
  let fileUrl: string

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
  })
  afterAll(async () => t?.close())

  const upload = async (secrecy: string, headers: Record<string, string>) => {
    const { payload, headers: multipart } = multipartBody([
      { name: 'direction', value: 'incoming' },
      { name: 'secrecy', value: secrecy },
      { name: 'file', fileName: 'mat.pdf', contentType: 'application/pdf', data: await readFile(corpusFile('010.pdf')) },
    ])
    return t.app.inject({ method: 'POST', url: '/api/documents', payload, headers: { ...multipart, ...headers } })
  }

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN a clerk cleared for Mật WHEN registering a Tối mật document THEN it is refused on the secrecy field', async () => {
      const response = await upload('2', org.users.clerk.headers)
      expect(response.statusCode).toBe(400)
      expect(response.json().errors[0].field).toBe('secrecy')
    })

    it('GIVEN a Mật document registered by the clerk WHEN the clerk opens it THEN the registration gave them a grant', async () => {
      const response = await upload('Mật', org.users.clerk.headers)
      expect(response.statusCode).toBe(201)
      secretId = response.json().document.id
      fileUrl = response.json().file.contentUrl
      expect((await t.app.inject({ url: fileUrl, headers: org.users.clerk.headers })).statusCode).toBe(200)
    })

    it('GIVEN the officer on its routing path but without a grant WHEN they ask for it THEN it does not exist for them', async () => {
      await t.platform.database.db
        .insert(documentParticipants)
        .values({ documentId: secretId, userId: org.users.officer.id, role: 'lead' })
      expect((await t.app.inject({ url: `/api/documents/${secretId}`, headers: org.users.officer.headers })).statusCode).toBe(404)
      const list = (await t.app.inject({ url: '/api/documents', headers: org.users.officer.headers })).json()
      expect(list.items.map((d: { id: string }) => d.id)).not.toContain(secretId)
    })

    it('GIVEN the leader WHEN granting the cleared officer THEN the officer can open it, and the grant is audited', async () => {
      const grant = await t.app.inject({
        method: 'POST',
        url: `/api/documents/${secretId}/grants`,
        payload: { userId: org.users.officer.id },
        headers: org.users.leader.headers,
      })
      expect(grant.statusCode).toBe(204)
      expect((await t.app.inject({ url: fileUrl, headers: org.users.officer.headers })).statusCode).toBe(200)
      const { rows } = await t.platform.database.executeSql('select action from audit_events where target_id = $1', [secretId])
      expect(rows.map((row) => row.action)).toContain('document.grant-added')
      // The admin sees metadata of ordinary documents only: events about this secret one are left out.
      const events = (await t.app.inject({ url: `/api/audit/events?targetType=document&targetId=${secretId}`, headers: org.admin })).json()
      expect(events.items).toEqual([])
    })

    it('GIVEN a user without clearance WHEN granted THEN the grant is refused', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: `/api/documents/${secretId}/grants`,
        payload: { userId: org.users.archivist.id },
        headers: org.users.leader.headers,
      })
      expect(response.statusCode).toBe(400)
      expect(response.json().errors[0].message).toBe('Người dùng không đủ cấp độ mật hoặc đã bị khóa.')
    })

    it('GIVEN a non-leader WHEN managing grants THEN 403; and the grant withdrawn THEN the officer loses access', async () => {
      const byClerk = await t.app.inject({ url: `/api/documents/${secretId}/grants`, headers: org.users.clerk.headers })
      expect(byClerk.statusCode).toBe(403)
      const withdraw = await t.app.inject({
        method: 'DELETE',
        url: `/api/documents/${secretId}/grants/${org.users.officer.id}`,
        headers: org.users.leader.headers,
      })
      expect(withdraw.statusCode).toBe(204)
      expect((await t.app.inject({ url: fileUrl, headers: org.users.officer.headers })).statusCode).toBe(404)
    })
  })
})
