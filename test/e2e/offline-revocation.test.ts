import { readFile } from 'node:fs/promises'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCrl } from '../../scripts/lib/test-pki/crl.ts'
import { createTestPki } from '../../scripts/lib/test-pki/test-pki.ts'
import { auditEvents, revocationLists } from '../../src/platform/db/schema/index.ts'
import { type Headers, type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { importTestCredential, trustTestRoot } from '../helpers/signing-setup.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'
import { testPki } from '../helpers/test-pki.ts'

/**
 * Offline revocation data (issue 11): an air-gapped server (SIGNING_VERIFY_ONLINE=false) verifies its
 * leader's signature as valid once an admin has loaded the CRLs of the trusted CAs — and as revoked for a
 * certificate the CA revoked. Without them a signature stays indeterminate (revocation-unknown).
 */

const PIN = '246810'
const URL = '/api/admin/revocation-lists'
const DAY = 86_400_000

describe.each(DRIVERS)('offline revocation lists on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let signedPdf: Buffer
  let revokedPdf: Buffer
  const pki = testPki()

  const upload = (data: Buffer, headers: Headers = org.admin, fileName = 'ca.crl', url = URL) => {
    const body = multipartBody([{ name: 'file', fileName, contentType: 'application/pkix-crl', data }])
    return t.app.inject({ method: 'POST', url, payload: body.payload, headers: { ...headers, ...body.headers } })
  }
  const verify = async (pdf: Buffer) => {
    const body = multipartBody([{ name: 'file', fileName: 'signed.pdf', contentType: 'application/pdf', data: pdf }])
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/verify',
      payload: body.payload,
      headers: { ...org.users.clerk.headers, ...body.headers },
    })
    expect(response.statusCode, response.body).toBe(200)
    return response.json().signatures[0] as { verdict: string; reason: string | null; revocation: string }
  }
  /** Registers the corpus PDF, has the leader sign it with the given credential, answers the signed bytes. */
  const signWith = async (credentialId: string, n: number) => {
    const form = multipartBody([
      { name: 'kind', value: 'Công văn' },
      { name: 'file', fileName: 'cv.pdf', contentType: 'application/pdf', data: Buffer.concat([await readFile(corpusFile('001.pdf')), Buffer.from(`\n% crl ${n}\n`)]) },
    ])
    const created = await t.app.inject({ method: 'POST', url: '/api/incoming', payload: form.payload, headers: { ...org.users.clerk.headers, ...form.headers } })
    expect(created.statusCode, created.body).toBe(201)
    const id = created.json().id
    const signed = await t.app.inject({ method: 'POST', url: `/api/documents/${id}/sign`, payload: { pin: PIN, credentialId }, headers: org.users.leader.headers })
    expect(signed.statusCode, signed.body).toBe(201)
    const content = await t.app.inject({ url: `/api/documents/${id}/files/${signed.json().id}/content`, headers: org.users.leader.headers })
    return content.rawPayload
  }

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver, { env: { SIGNING_VERIFY_ONLINE: 'false' } })
    org = await seedOrganisation(t.platform, t.app)
    await trustTestRoot(t, org.admin, pki)
    const anchor = (data: Buffer) => {
      const body = multipartBody([{ name: 'file', fileName: 'ca.cer', contentType: 'application/x-x509-ca-cert', data }])
      return t.app.inject({ method: 'POST', url: '/api/admin/trust-anchors', payload: body.payload, headers: { ...org.admin, ...body.headers } })
    }
    expect((await anchor(pki.intermediate.der)).statusCode).toBe(201)
    await importTestCredential(t, '/api/me/signing-credentials', org.users.leader.headers, { entity: pki.leader, pki, pin: PIN })
    await importTestCredential(t, '/api/me/signing-credentials', org.users.leader.headers, { entity: pki.revoked, pki, pin: PIN })
    const credentials = (await t.app.inject({ url: '/api/me/signing-credentials', headers: org.users.leader.headers })).json().items
    const idOf = (name: string) => credentials.find((c: { subject: string }) => c.subject.includes(name)).id
    signedPdf = await signWith(idOf('Nguyễn Văn An'), 1)
    revokedPdf = await signWith(idOf('thu hồi'), 2)
  }, 180_000)
  afterAll(async () => t?.close())

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN an offline server and no CRL loaded WHEN the leader’s signature is verified THEN indeterminate, revocation unknown', async () => {
      expect(await verify(signedPdf)).toMatchObject({ verdict: 'indeterminate', reason: 'revocation-unknown' })
    })

    it('GIVEN the admin loads the CRLs of the root (PEM) and the intermediate (DER) WHEN the signatures are verified offline THEN the leader’s is valid and the revoked one is invalid', async () => {
      const root = await upload(Buffer.from(pki.crls.root.pem), org.admin, 'root.crl.pem')
      expect(root.statusCode, root.body).toBe(201)
      expect(root.json()).toMatchObject({ state: 'current', revokedCount: 0, source: 'upload' })
      expect(root.json().issuer).toContain('Gốc thử nghiệm')
      const intermediate = await upload(pki.crls.intermediate.der)
      expect(intermediate.statusCode, intermediate.body).toBe(201)
      expect(intermediate.json()).toMatchObject({ revokedCount: 1 })
      // The CRL keeps whole seconds.
      expect(Date.parse(intermediate.json().nextUpdate)).toBe(Math.floor(pki.crls.intermediate.nextUpdate.getTime() / 1000) * 1000)
      expect(await verify(signedPdf)).toMatchObject({ verdict: 'valid', revocation: 'good' })
      expect(await verify(revokedPdf)).toMatchObject({ verdict: 'invalid', revocation: 'revoked' })
      const list = (await t.app.inject({ url: URL, headers: org.admin })).json().items
      expect(list).toHaveLength(2)
      const events = await t.platform.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'signature.revocation-list.added'))
      expect(events).toHaveLength(2)
    })

    it('GIVEN a newer CRL of the intermediate WHEN loaded THEN it replaces the current one (kept as replaced); the same or an older one is 409', async () => {
      const before = (await t.app.inject({ url: URL, headers: org.admin })).json().items
      const newer = buildCrl({
        issuer: pki.intermediate,
        revoked: [{ serialHex: pki.revoked.serialHex, revokedAt: new Date(Date.now() - DAY / 2), reason: 1 }],
        thisUpdate: new Date(),
        nextUpdate: new Date(Date.now() + 30 * DAY),
        crlNumber: 2,
      })
      const refreshed = await upload(newer.der)
      expect(refreshed.statusCode, refreshed.body).toBe(201)
      const after = (await t.app.inject({ url: URL, headers: org.admin })).json().items
      expect(after).toHaveLength(2)
      expect(after.map((item: { id: string }) => item.id)).toContain(refreshed.json().id)
      expect(after.map((item: { id: string }) => item.id)).not.toContain(before.find((item: { revokedCount: number }) => item.revokedCount === 1).id)
      const replaced = await t.platform.database.db.select().from(revocationLists).where(eq(revocationLists.sha256, before.find((item: { revokedCount: number }) => item.revokedCount === 1).sha256))
      expect(replaced[0]!.replacedAt).not.toBeNull()
      expect((await upload(newer.der)).json()).toMatchObject({ status: 409, code: 'crl-not-newer' })
      expect((await upload(pki.crls.intermediate.der)).json()).toMatchObject({ status: 409, code: 'crl-not-newer' })
      expect(await verify(signedPdf)).toMatchObject({ verdict: 'valid' })
    })

    it('GIVEN garbage, a certificate, a CRL of a CA nobody trusts or a clerk WHEN uploaded THEN 422 bad-crl, 422 bad-crl, 422 crl-issuer-not-trusted, 403 — and nothing is kept', async () => {
      const count = async () => (await t.platform.database.db.select().from(revocationLists)).length
      const before = await count()
      expect((await upload(Buffer.from('không phải CRL'))).json()).toMatchObject({ status: 422, code: 'bad-crl' })
      expect((await upload(Buffer.from(pki.leader.certPem))).json()).toMatchObject({ status: 422, code: 'bad-crl' })
      const stranger = createTestPki()
      expect((await upload(stranger.crls.intermediate.der)).json()).toMatchObject({ status: 422, code: 'crl-issuer-not-trusted' })
      expect((await upload(pki.crls.root.der, org.users.clerk.headers)).statusCode).toBe(403)
      expect(await count()).toBe(before)
    })

    it('GIVEN the leader (Lê Văn Lãnh Đạo) imported certificates in other names WHEN they are listed (by the leader or the admin) THEN each carries the name warning, and the import event records it', async () => {
      const mine = (await t.app.inject({ url: '/api/me/signing-credentials', headers: org.users.leader.headers })).json().items
      expect(mine).toHaveLength(2)
      for (const credential of mine) {
        expect(credential.nameWarning).toMatchObject({ expectedName: 'Lê Văn Lãnh Đạo' })
        expect(credential.nameWarning.message).toContain(credential.nameWarning.certificateName)
      }
      const all = (await t.app.inject({ url: '/api/admin/signing-credentials', headers: org.admin })).json().items
      expect(all.every((item: { nameWarning: unknown }) => item.nameWarning !== null)).toBe(true)
      const imports = await t.platform.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'signature.credential.imported'))
      expect(imports.map((event) => (event.details as { nameMismatch?: { certificateName: string } }).nameMismatch?.certificateName).sort()).toEqual(
        ['Lê Văn Cường (thu hồi)', 'Nguyễn Văn An'],
      )
    })

    it('GIVEN a loaded CRL WHEN the admin removes it THEN it is no longer listed or used: the leader’s signature is indeterminate again; a second removal is 404', async () => {
      const items = (await t.app.inject({ url: URL, headers: org.admin })).json().items as { id: string; revokedCount: number }[]
      const intermediate = items.find((item) => item.revokedCount === 1)!
      const removed = await t.app.inject({ method: 'DELETE', url: `${URL}/${intermediate.id}`, headers: org.admin })
      expect(removed.statusCode).toBe(204)
      expect((await t.app.inject({ url: URL, headers: org.admin })).json().items).toHaveLength(1)
      expect(await verify(signedPdf)).toMatchObject({ verdict: 'indeterminate', reason: 'revocation-unknown' })
      expect((await t.app.inject({ method: 'DELETE', url: `${URL}/${intermediate.id}`, headers: org.admin })).statusCode).toBe(404)
      const events = await t.platform.database.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'signature.revocation-list.removed'), eq(auditEvents.targetId, intermediate.id)))
      expect(events).toHaveLength(1)
    })
  })
})
