import { and, asc, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditEvents } from '../../src/platform/db/schema/index.ts'
import { activeTrustAnchors } from '../../src/signatures/trust/trust.service.ts'
import { type Headers, type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'
import { testPki } from '../helpers/test-pki.ts'

describe.each(DRIVERS)('trust anchors on $name', (driver) => {
  let t: TestApp
  let org: Organisation

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
  })
  afterAll(async () => t?.close())

  const URL = '/api/admin/trust-anchors'
  const add = (data: Buffer, headers: Headers = org.admin, fileName = 'ca.pem') => {
    const body = multipartBody([{ name: 'file', fileName, contentType: 'application/x-x509-ca-cert', data }])
    return t.app.inject({
      method: 'POST',
      url: URL,
      payload: body.payload,
      headers: { ...headers, ...body.headers },
    })
  }
  const agencyId = async () =>
    (await t.app.inject({ url: '/api/admin/agency', headers: org.admin })).json().id as string

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN the test root (PEM) and intermediate (DER) WHEN an admin adds them THEN root and intermediate, exported for the verifier', async () => {
      const pki = testPki()
      const root = await add(Buffer.from(pki.root.certPem))
      expect(root.statusCode, root.body).toBe(201)
      expect(root.json()).toMatchObject({
        kind: 'root',
        fingerprintSha256: pki.root.x509.fingerprint256.replaceAll(':', '').toLowerCase(),
      })
      expect(root.json().subject).toContain('Gốc thử nghiệm')
      const intermediate = await add(pki.intermediate.der, org.admin, 'ca.cer')
      expect(intermediate.statusCode, intermediate.body).toBe(201)
      expect(intermediate.json().kind).toBe('intermediate')
      const list = await t.app.inject({ url: URL, headers: org.admin })
      expect(
        list
          .json()
          .items.map((item: { kind: string }) => item.kind)
          .sort(),
      ).toEqual(['intermediate', 'root'])
      const pems = await activeTrustAnchors(t.platform.database.db, await agencyId())
      expect(pems).toHaveLength(2)
      expect(pems.some((pem) => pem.replace(/\s/g, '') === pki.root.certPem.replace(/\s/g, ''))).toBe(true)
    })

    it('GIVEN a duplicate, a non-CA, garbage or a non-admin THEN 409, 422, 422, 403', async () => {
      const pki = testPki()
      expect((await add(pki.root.der)).statusCode).toBe(409)
      const leaf = await add(Buffer.from(pki.leader.certPem))
      expect(leaf.statusCode).toBe(422)
      expect(leaf.json().code).toBe('not-a-ca-certificate')
      const garbage = await add(Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'))
      expect(garbage.statusCode).toBe(422)
      expect(garbage.json().code).toBe('bad-certificate')
      expect((await add(Buffer.from(pki.root.certPem), org.users.leader.headers)).statusCode).toBe(403)
      expect((await t.app.inject({ url: URL, headers: org.users.clerk.headers })).statusCode).toBe(403)
    })

    it('GIVEN the OpenAPI document THEN the credential and trust-anchor routes are in it', async () => {
      const docs = await t.app.inject({ url: '/docs/json' })
      expect(docs.statusCode).toBe(200)
      expect(Object.keys(docs.json().paths)).toEqual(
        expect.arrayContaining([
          '/api/me/signing-credentials',
          '/api/me/signing-credentials/{id}/pin',
          '/api/admin/signing/agency-seal',
          '/api/admin/trust-anchors/',
          '/api/admin/trust-anchors/{id}',
        ]),
      )
    })

    it('GIVEN a trusted root WHEN removed THEN no longer exported, audited, and it can be added again', async () => {
      const list = (await t.app.inject({ url: URL, headers: org.admin })).json().items as {
        id: string
        kind: string
      }[]
      const root = list.find((item) => item.kind === 'root')!
      const removed = await t.app.inject({ method: 'DELETE', url: `${URL}/${root.id}`, headers: org.admin })
      expect(removed.statusCode).toBe(204)
      expect(
        (await t.app.inject({ method: 'DELETE', url: `${URL}/${root.id}`, headers: org.admin })).statusCode,
      ).toBe(404)
      expect(await activeTrustAnchors(t.platform.database.db, await agencyId())).toHaveLength(1)
      const events = await t.platform.database.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.targetType, 'trust-anchor'), eq(auditEvents.targetId, root.id)))
        .orderBy(asc(auditEvents.seq))
      expect(events.map((event) => event.action)).toEqual([
        'signature.trust-anchor.added',
        'signature.trust-anchor.removed',
      ])
      expect((await add(Buffer.from(testPki().root.certPem))).statusCode).toBe(201)
    })
  })
})
