import { createSign, createVerify, X509Certificate } from 'node:crypto'
import { and, asc, eq, sql } from 'drizzle-orm'
import type { Actor } from '../../src/access/actor.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditEvents, type Role, signingCredentials, users } from '../../src/platform/db/schema/index.ts'
import { MAX_PIN_ATTEMPTS } from '../../src/signatures/credentials/pin-attempts.ts'
import { unlockAgencySeal, unlockCredential } from '../../src/signatures/credentials/credentials.service.ts'
import type { IssuedCert } from '../../scripts/lib/test-pki/issue-cert.ts'
import { pkcs12 } from '../../scripts/lib/test-pki/write-test-pki.ts'
import { type Headers, type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'
import { testPki } from '../helpers/test-pki.ts'

const P12_PASSWORD = 'mật-khẩu-p12'
const PIN = '246810'

describe.each(DRIVERS)('signing credentials on $name', (driver) => {
  let t: TestApp
  let org: Organisation

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
  })
  afterAll(async () => t?.close())

  const deps = () => ({ database: t.platform.database, secretBox: t.platform.secretBox })
  const p12Of = (entity: IssuedCert) => pkcs12(entity, [testPki().intermediate, testPki().root], P12_PASSWORD)
  const upload = (
    url: string,
    headers: Headers,
    fields: Record<string, string>,
    file = p12Of(testPki().leader),
  ) => {
    const body = multipartBody([
      { name: 'file', fileName: 'chu-ky.p12', contentType: 'application/x-pkcs12', data: file },
      ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    ])
    return t.app.inject({
      method: 'POST',
      url,
      payload: body.payload,
      headers: { ...headers, ...body.headers },
    })
  }
  const importLeader = (
    fields: Record<string, string> = { password: P12_PASSWORD, pin: PIN },
    file?: Buffer,
  ) => upload('/api/me/signing-credentials', org.users.leader.headers, fields, file)
  const actorOf = async (person: keyof Organisation['users']): Promise<Actor> => {
    const [user] = await t.platform.database.db.select().from(users).where(eq(users.id, org.users[person].id))
    return {
      userId: user!.id,
      username: user!.username,
      agencyId: user!.agencyId,
      departmentId: user!.departmentId,
      roles: new Set(user!.roles as Role[]),
      clearance: user!.clearance,
      totpEnabled: false,
      via: { kind: 'token', tokenId: 'test', scopes: ['read', 'write'] },
    }
  }
  const credentialRows = () => t.platform.database.db.select().from(signingCredentials)
  const eventsFor = async (id: string) =>
    (
      await t.platform.database.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.targetType, 'signing-credential'), eq(auditEvents.targetId, id)))
        .orderBy(asc(auditEvents.seq))
    ).map((event) => event.action)

  describe.skipIf(!driver.available)('(needs the database)', () => {
    let credentialId: string

    it('GIVEN a wrong PKCS#12 password WHEN a leader imports THEN 422 bad-pkcs12 and nothing is stored', async () => {
      const response = await importLeader({ password: 'sai mật khẩu', pin: PIN })
      expect(response.statusCode).toBe(422)
      expect(response.json()).toMatchObject({ code: 'bad-pkcs12' })
      expect(response.headers['content-type']).toMatch(/problem\+json/)
      expect(await credentialRows()).toHaveLength(0)
    })

    it('GIVEN an expired certificate, a short PIN or a non-leader WHEN importing THEN refused', async () => {
      const expired = await importLeader({ password: P12_PASSWORD, pin: PIN }, p12Of(testPki().expired))
      expect(expired.statusCode).toBe(422)
      expect(expired.json().code).toBe('certificate-not-valid')
      const shortPin = await importLeader({ password: P12_PASSWORD, pin: '12345' })
      expect(shortPin.statusCode).toBe(400)
      expect(shortPin.json().errors[0].field).toBe('pin')
      const clerk = await upload('/api/me/signing-credentials', org.users.clerk.headers, {
        password: P12_PASSWORD,
        pin: PIN,
      })
      expect(clerk.statusCode).toBe(403)
      expect(await credentialRows()).toHaveLength(0)
    })

    it('GIVEN the leader .p12 WHEN imported THEN its details are shown (Vietnamese subject), never key material', async () => {
      const response = await importLeader({ password: P12_PASSWORD, pin: PIN, label: 'Chữ ký số của tôi' })
      expect(response.statusCode, response.body).toBe(201)
      const body = response.json()
      credentialId = body.id
      const leader = testPki().leader
      expect(body).toMatchObject({
        kind: 'personal',
        label: 'Chữ ký số của tôi',
        serialNumber: leader.serialHex.toLowerCase(),
        fingerprintSha256: leader.x509.fingerprint256.replaceAll(':', '').toLowerCase(),
        locked: false,
        chainLength: 2,
      })
      expect(body.subject).toContain('CN=Nguyễn Văn An')
      expect(body.issuer).toContain('CN=Cơ quan chứng thực số thử nghiệm Vanthu')
      const list = await t.app.inject({
        url: '/api/me/signing-credentials',
        headers: org.users.leader.headers,
      })
      expect(list.json().items.map((item: { id: string }) => item.id)).toEqual([credentialId])
      // Keys, not base64 (a certificate can spell "kdf" by chance).
      expect(list.body).not.toMatch(/"(sealedKey|sealed_key|kdf)"|PRIVATE KEY/)
      const again = await importLeader()
      expect(again.statusCode).toBe(409)
    })

    it('GIVEN the stored row THEN the sealed key does not hold the PKCS#8 key in clear', async () => {
      const [row] = await credentialRows()
      const der = testPki().leader.privateKey.export({ type: 'pkcs8', format: 'der' })
      expect(row!.sealedKey).not.toContain(der.toString('base64'))
      expect(row!.sealedKey).not.toContain(der.toString('base64').slice(100, 164))
      expect(row!.sealedKey).not.toContain(der.toString('base64url').slice(100, 164))
      expect(row!.sealedKey).not.toContain(der.toString('hex').slice(200, 300))
      expect(JSON.stringify(row!.kdf)).not.toContain(PIN)
      expect(row!.kdf).toMatchObject({ name: 'argon2id', memoryCost: 65_536, timeCost: 3 })
    })

    it('GIVEN the right PIN WHEN unlocking THEN a key that signs, verifiable with the certificate, and an audit event', async () => {
      const unlocked = await unlockCredential(deps(), {
        credentialId,
        actor: await actorOf('leader'),
        pin: PIN,
      })
      const signature = createSign('sha256').update('Quyết định số 15/QĐ-UBND').sign(unlocked.privateKey)
      const cert = new X509Certificate(unlocked.certificate)
      expect(
        createVerify('sha256').update('Quyết định số 15/QĐ-UBND').verify(cert.publicKey, signature),
      ).toBe(true)
      expect(unlocked.chain).toHaveLength(2)
      expect(new X509Certificate(unlocked.chain[0]!).subject).toContain('Cơ quan chứng thực số')
      expect(await eventsFor(credentialId)).toEqual([
        'signature.credential.imported',
        'signature.credential.unlocked',
      ])
    })

    it('GIVEN another user WHEN unlocking the leader credential THEN not found', async () => {
      const attempt = unlockCredential(deps(), { credentialId, actor: await actorOf('clerk'), pin: PIN })
      await expect(attempt).rejects.toMatchObject({ code: 'not-found' })
    })

    it('GIVEN a PIN change WHEN the old PIN is wrong THEN 422; when right THEN only the new PIN unlocks', async () => {
      const url = `/api/me/signing-credentials/${credentialId}/pin`
      const headers = org.users.leader.headers
      const wrong = await t.app.inject({
        method: 'POST',
        url,
        headers,
        payload: { oldPin: '000000', newPin: '13579135' },
      })
      expect(wrong.statusCode).toBe(422)
      expect(wrong.json()).toMatchObject({ code: 'wrong-pin', attemptsLeft: MAX_PIN_ATTEMPTS - 1 })
      const changed = await t.app.inject({
        method: 'POST',
        url,
        headers,
        payload: { oldPin: PIN, newPin: '13579135' },
      })
      expect(changed.statusCode, changed.body).toBe(204)
      const actor = await actorOf('leader')
      await expect(unlockCredential(deps(), { credentialId, actor, pin: PIN })).rejects.toMatchObject({
        code: 'wrong-pin',
      })
      const back = await t.app.inject({
        method: 'POST',
        url,
        headers,
        payload: { oldPin: '13579135', newPin: PIN },
      })
      expect(back.statusCode).toBe(204)
      const [row] = await credentialRows()
      expect(row!.failedAttempts).toBe(0)
    })

    it('GIVEN five wrong PINs WHEN unlocking THEN locked (423), even with the right PIN, counted despite the caller rolling back', async () => {
      const actor = await actorOf('leader')
      const codes: string[] = []
      for (let attempt = 0; attempt < MAX_PIN_ATTEMPTS; attempt++) {
        // On PostgreSQL the caller's own transaction rolls back and the count must survive it. PGlite has one
        // connection: a caller there unlocks before opening its transaction (it would wait on itself).
        const tryPin = () => unlockCredential(deps(), { credentialId, actor, pin: `99999${attempt}` })
        await (driver.name === 'postgres'
          ? t.platform.database.db.transaction(async (tx) => {
              await tx.execute(sql`select 1`)
              await tryPin()
            })
          : tryPin()
        ).catch((error: { code: string }) => codes.push(error.code))
      }
      expect(codes).toEqual(['wrong-pin', 'wrong-pin', 'wrong-pin', 'wrong-pin', 'credential-locked'])
      const locked = unlockCredential(deps(), { credentialId, actor, pin: PIN })
      await expect(locked).rejects.toMatchObject({ code: 'credential-locked', status: 423 })
      await expect(locked).rejects.toHaveProperty('extensions.lockedUntil')
      const list = await t.app.inject({
        url: '/api/me/signing-credentials',
        headers: org.users.leader.headers,
      })
      expect(list.json().items[0]).toMatchObject({ locked: true })
      const lockedUntil = new Date(list.json().items[0].lockedUntil).getTime()
      expect(lockedUntil - Date.now()).toBeGreaterThan(14 * 60_000)
      const viaHttp = await t.app.inject({
        method: 'POST',
        url: `/api/me/signing-credentials/${credentialId}/pin`,
        headers: org.users.leader.headers,
        payload: { oldPin: PIN, newPin: '11223344' },
      })
      expect(viaHttp.statusCode).toBe(423)
      expect(viaHttp.json()).toMatchObject({ code: 'credential-locked' })
      expect(Number(viaHttp.headers['retry-after'])).toBeGreaterThan(800)
      const events = await eventsFor(credentialId)
      expect(
        events.filter((action) => action === 'signature.credential.wrong-pin').length,
      ).toBeGreaterThanOrEqual(MAX_PIN_ATTEMPTS)
      expect(events).toContain('signature.credential.locked')
      expect(events.at(-1)).toBe('signature.credential.unlock-refused')
    })

    it('GIVEN an admin imports the agency seal twice THEN one active seal; a clerk unlocks it, others may not', async () => {
      const first = await upload(
        '/api/admin/signing/agency-seal',
        org.admin,
        { password: P12_PASSWORD, pin: PIN },
        p12Of(testPki().agency),
      )
      expect(first.statusCode, first.body).toBe(201)
      expect(first.json()).toMatchObject({ kind: 'agency-seal' })
      expect(first.json().subject).toContain('CN=Ủy ban nhân dân tỉnh Hòa Giang')
      const second = await upload(
        '/api/admin/signing/agency-seal',
        org.admin,
        { password: P12_PASSWORD, pin: '975310' },
        p12Of(testPki().agency),
      )
      expect(second.statusCode).toBe(201)
      const shown = await t.app.inject({ url: '/api/admin/signing/agency-seal', headers: org.admin })
      expect(shown.json().id).toBe(second.json().id)
      expect(await eventsFor(first.json().id)).toEqual([
        'signature.credential.imported',
        'signature.credential.retired',
      ])
      const byLeader = await upload(
        '/api/admin/signing/agency-seal',
        org.users.leader.headers,
        { password: P12_PASSWORD, pin: PIN },
        p12Of(testPki().agency),
      )
      expect(byLeader.statusCode).toBe(403)

      const seal = await unlockAgencySeal(deps(), { actor: await actorOf('clerk'), pin: '975310' })
      expect(seal.credentialId).toBe(second.json().id)
      const signature = createSign('sha256').update('dấu').sign(seal.privateKey)
      expect(
        createVerify('sha256')
          .update('dấu')
          .verify(new X509Certificate(seal.certificate).publicKey, signature),
      ).toBe(true)
      for (const person of ['leader', 'officer', 'admin'] as const) {
        const attempt = unlockAgencySeal(deps(), { actor: await actorOf(person), pin: '975310' })
        await expect(attempt).rejects.toMatchObject({ code: 'forbidden', status: 403 })
      }
    })

    it('GIVEN eight wrong PINs in parallel WHEN unlocking the seal THEN only five are tried, the rest refused', async () => {
      const seal = await t.app.inject({ url: '/api/admin/signing/agency-seal', headers: org.admin })
      const actor = await actorOf('clerk')
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => unlockAgencySeal(deps(), { actor, pin: `00000${i}` })),
      )
      const codes = results.map((result) =>
        result.status === 'rejected' ? (result.reason as { code: string }).code : 'ok',
      )
      expect(codes.filter((code) => code === 'wrong-pin')).toHaveLength(MAX_PIN_ATTEMPTS - 1)
      expect(codes.filter((code) => code === 'credential-locked')).toHaveLength(8 - (MAX_PIN_ATTEMPTS - 1))
      const events = await eventsFor(seal.json().id)
      expect(events.filter((action) => action === 'signature.credential.wrong-pin')).toHaveLength(
        MAX_PIN_ATTEMPTS,
      )
      expect(events.filter((action) => action === 'signature.credential.unlock-refused')).toHaveLength(
        8 - MAX_PIN_ATTEMPTS,
      )
      await expect(unlockAgencySeal(deps(), { actor, pin: '975310' })).rejects.toMatchObject({
        code: 'credential-locked',
      })
    })

    it('GIVEN the leader retires the credential THEN it is gone from the list and cannot be unlocked', async () => {
      const url = `/api/me/signing-credentials/${credentialId}`
      const removed = await t.app.inject({ method: 'DELETE', url, headers: org.users.leader.headers })
      expect(removed.statusCode).toBe(204)
      const list = await t.app.inject({
        url: '/api/me/signing-credentials',
        headers: org.users.leader.headers,
      })
      expect(list.json().items).toEqual([])
      const actor = await actorOf('leader')
      await expect(unlockCredential(deps(), { credentialId, actor, pin: PIN })).rejects.toMatchObject({
        code: 'not-found',
      })
      expect(
        (await t.app.inject({ method: 'DELETE', url, headers: org.users.leader.headers })).statusCode,
      ).toBe(404)
      expect((await eventsFor(credentialId)).at(-1)).toBe('signature.credential.retired')
    })
  })
})
