import { and, asc, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { agencies, auditEvents, signingCredentials } from '../../src/platform/db/schema/index.ts'
import { MAX_PIN_ATTEMPTS } from '../../src/signatures/credentials/pin-attempts.ts'
import type { IssuedCert } from '../../scripts/lib/test-pki/issue-cert.ts'
import { pkcs12 } from '../../scripts/lib/test-pki/write-test-pki.ts'
import { type Headers, type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { pgliteDriver } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'
import { testPki } from '../helpers/test-pki.ts'

const P12_PASSWORD = 'mật-khẩu-p12'
const PIN = '246810'

// Within the CI budget: PGlite only; the same SQL runs on PostgreSQL in the other e2e files.
describe.each([pgliteDriver])('admin view and unlock of signing credentials on $name', (driver) => {
  let t: TestApp
  let org: Organisation

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
  })
  afterAll(async () => t?.close())

  const p12Of = (entity: IssuedCert) => pkcs12(entity, [testPki().intermediate, testPki().root], P12_PASSWORD)
  const importP12 = async (url: string, headers: Headers, entity: IssuedCert) => {
    const body = multipartBody([
      { name: 'file', fileName: 'chu-ky.p12', contentType: 'application/x-pkcs12', data: p12Of(entity) },
      { name: 'password', value: P12_PASSWORD },
      { name: 'pin', value: PIN },
    ])
    const response = await t.app.inject({
      method: 'POST',
      url,
      payload: body.payload,
      headers: { ...headers, ...body.headers },
    })
    expect(response.statusCode, response.body).toBe(201)
    return response.json().id as string
  }
  const list = (headers: Headers = org.admin) =>
    t.app.inject({ url: '/api/admin/signing-credentials', headers })
  const unlock = (id: string, headers: Headers = org.admin) =>
    t.app.inject({ method: 'POST', url: `/api/admin/signing-credentials/${id}/unlock`, headers })
  const wrongPin = (id: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/me/signing-credentials/${id}/pin`,
      headers: org.users.leader.headers,
      payload: { oldPin: '000000', newPin: '13579135' },
    })

  describe.skipIf(!driver.available)('(needs the database)', () => {
    let leaderCredential: string
    let sealCredential: string

    it('GIVEN a leader credential and the agency seal WHEN the admin lists THEN both, with holder and certificate details, no key material', async () => {
      leaderCredential = await importP12(
        '/api/me/signing-credentials',
        org.users.leader.headers,
        testPki().leader,
      )
      sealCredential = await importP12('/api/admin/signing/agency-seal', org.admin, testPki().agency)
      const response = await list()
      expect(response.statusCode, response.body).toBe(200)
      const items = response.json().items
      expect(items.map((item: { id: string }) => item.id).sort()).toEqual(
        [leaderCredential, sealCredential].sort(),
      )
      const leader = items.find((item: { id: string }) => item.id === leaderCredential)
      expect(leader).toMatchObject({
        kind: 'personal',
        holder: { id: org.users.leader.id, username: 'lanhdao', fullName: 'Lê Văn Lãnh Đạo' },
        failedAttempts: 0,
        locked: false,
        lockedUntil: null,
        retiredAt: null,
        notAfter: new Date(testPki().leader.x509.validTo).toISOString(),
      })
      expect(leader.subject).toContain('CN=Nguyễn Văn An')
      expect(leader.issuer).toContain('CN=Cơ quan chứng thực số thử nghiệm Vanthu')
      expect(items.find((item: { id: string }) => item.id === sealCredential)).toMatchObject({
        kind: 'agency-seal',
        holder: null,
      })
      expect(response.body).not.toMatch(/sealedKey|kdf|PRIVATE KEY|certificatePem/)
    })

    it('GIVEN the OpenAPI document THEN both admin routes are in it', async () => {
      const docs = await t.app.inject({ url: '/docs/json' })
      expect(docs.statusCode).toBe(200)
      expect(Object.keys(docs.json().paths)).toEqual(
        expect.arrayContaining([
          '/api/admin/signing-credentials',
          '/api/admin/signing-credentials/{id}/unlock',
        ]),
      )
    })

    it('GIVEN a leader, a clerk or an officer WHEN they list or unlock THEN 403', async () => {
      for (const person of ['leader', 'clerk', 'officer'] as const) {
        expect((await list(org.users[person].headers)).statusCode).toBe(403)
        expect((await unlock(leaderCredential, org.users[person].headers)).statusCode).toBe(403)
      }
    })

    it('GIVEN a credential locked by five wrong PINs WHEN the admin unlocks it THEN the lock and count are reset, audited, and the right PIN works again', async () => {
      const statuses: number[] = []
      for (let i = 0; i < MAX_PIN_ATTEMPTS; i++) statuses.push((await wrongPin(leaderCredential)).statusCode)
      expect(statuses.at(-1)).toBe(423)
      const locked = (await list()).json().items.find((item: { id: string }) => item.id === leaderCredential)
      expect(locked.locked).toBe(true)
      expect(locked.lockedUntil).not.toBeNull()

      const response = await unlock(leaderCredential)
      expect(response.statusCode, response.body).toBe(200)
      expect(response.json()).toMatchObject({
        id: leaderCredential,
        locked: false,
        lockedUntil: null,
        failedAttempts: 0,
      })
      const [row] = await t.platform.database.db
        .select()
        .from(signingCredentials)
        .where(eq(signingCredentials.id, leaderCredential))
      expect(row).toMatchObject({ failedAttempts: 0, lockedUntil: null })
      const events = await t.platform.database.db
        .select()
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.targetId, leaderCredential),
            eq(auditEvents.action, 'signing-credential.unlocked'),
          ),
        )
        .orderBy(asc(auditEvents.seq))
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({
        actor: `user:${org.users.admin.id}`,
        details: { kind: 'personal', holderId: org.users.leader.id, lockedUntil: locked.lockedUntil },
      })

      const changed = await t.app.inject({
        method: 'POST',
        url: `/api/me/signing-credentials/${leaderCredential}/pin`,
        headers: org.users.leader.headers,
        payload: { oldPin: PIN, newPin: '13579135' },
      })
      expect(changed.statusCode, changed.body).toBe(204)
    })

    it("GIVEN another agency's credential or no credential WHEN the admin unlocks THEN 404, and the list leaves it out", async () => {
      const db = t.platform.database.db
      const [other] = await db
        .insert(agencies)
        .values({ name: 'Sở Tư pháp', abbreviation: 'STP' })
        .returning()
      const [mine] = await db
        .select()
        .from(signingCredentials)
        .where(eq(signingCredentials.id, sealCredential))
      const { id: _id, ...copy } = mine!
      const lockedUntil = new Date(Date.now() + 600_000)
      const [foreign] = await db
        .insert(signingCredentials)
        .values({ ...copy, agencyId: other!.id, failedAttempts: 0, lockedUntil })
        .returning()
      const response = await unlock(foreign!.id)
      expect(response.statusCode).toBe(404)
      expect(response.headers['content-type']).toMatch(/problem\+json/)
      const [still] = await db.select().from(signingCredentials).where(eq(signingCredentials.id, foreign!.id))
      expect(still!.lockedUntil).toEqual(lockedUntil)
      expect((await unlock('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404)
      expect((await unlock('not-a-uuid')).statusCode).toBe(404)
      const ids = (await list()).json().items.map((item: { id: string }) => item.id)
      expect(ids).not.toContain(foreign!.id)
    })
  })
})
