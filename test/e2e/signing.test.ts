import { spawnSync } from 'node:child_process'
import { sign as cryptoSign } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { buffer } from 'node:stream/consumers'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditEvents, documentFiles, signingSessions } from '../../src/platform/db/schema/index.ts'
import type { IssuedCert } from '../../scripts/lib/test-pki/issue-cert.ts'
import { pkcs12 } from '../../scripts/lib/test-pki/write-test-pki.ts'
import { SIGNATURE_VERIFY_JOB } from '../../src/signatures/verify/verify-signatures.job.ts'
import { isBlobReferenced } from '../../src/storage/blob-references.ts'
import { type Headers, type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'
import { signedByLeader, testPki } from '../helpers/test-pki.ts'

const P12_PASSWORD = 'mật-khẩu-p12'
const PIN = '246810'
const SEAL_PIN = '135791'
const hasPdfsig = spawnSync('pdfsig', ['-v']).error === undefined

/** pdfsig's verdict on each signature of the bytes ("Signature is Valid." per valid one). */
function pdfsigValidCount(bytes: Uint8Array): number {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vanthu-signed-'))
  const file = path.join(dir, 'signed.pdf')
  writeFileSync(file, bytes)
  const run = spawnSync('pdfsig', [file], { encoding: 'utf8' })
  return (run.stdout.match(/Signature Validation: Signature is Valid/g) ?? []).length
}

describe.each(DRIVERS)('signing documents on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let pdf: Buffer
  let n = 0

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
    pdf = await readFile(corpusFile('001.pdf'))
    const p12Of = (entity: IssuedCert) =>
      pkcs12(entity, [testPki().intermediate, testPki().root], P12_PASSWORD)
    const upload = (url: string, headers: Headers, file: Buffer, pin: string) => {
      const body = multipartBody([
        { name: 'file', fileName: 'chu-ky.p12', contentType: 'application/x-pkcs12', data: file },
        { name: 'password', value: P12_PASSWORD },
        { name: 'pin', value: pin },
      ])
      return t.app.inject({
        method: 'POST',
        url,
        payload: body.payload,
        headers: { ...headers, ...body.headers },
      })
    }
    const leader = await upload(
      '/api/me/signing-credentials',
      org.users.leader.headers,
      p12Of(testPki().leader),
      PIN,
    )
    expect(leader.statusCode, leader.body).toBe(201)
    const seal = await upload('/api/admin/signing/agency-seal', org.admin, p12Of(testPki().agency), SEAL_PIN)
    expect(seal.statusCode, seal.body).toBe(201)
  }, 120_000)
  afterAll(async () => t?.close())

  async function registered(): Promise<string> {
    const { payload, headers } = multipartBody([
      { name: 'kind', value: 'Công văn' },
      { name: 'subject', value: `Về việc ký số văn bản ${n}` },
      {
        name: 'file',
        fileName: 'cv.pdf',
        contentType: 'application/pdf',
        data: Buffer.concat([pdf, Buffer.from(`\n% signing ${n++}\n`)]),
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
  const post = (url: string, payload: object, headers: Headers) =>
    t.app.inject({ method: 'POST', url, payload, headers })
  const filesOf = (documentId: string) =>
    t.platform.database.db.select().from(documentFiles).where(eq(documentFiles.documentId, documentId))
  const bytesOf = async (blobKey: string) => buffer(await t.platform.blobStore.get(blobKey))
  const eventsOf = async (documentId: string, action: string) =>
    t.platform.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, documentId), eq(auditEvents.action, action)))

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN a registered PDF WHEN the leader signs with the PIN THEN 201, a signed file pdfsig accepts, an audit event; THEN the clerk seals: two valid signatures', async () => {
      const id = await registered()
      const response = await post(
        `/api/documents/${id}/sign`,
        { pin: PIN, reason: 'Phê duyệt' },
        org.users.leader.headers,
      )
      expect(response.statusCode, response.body).toBe(201)
      const signed = response.json()
      const original = (await filesOf(id)).find((file) => file.role === 'original')!
      expect(signed).toMatchObject({ role: 'signed', derivedFromId: original.id, signatureCount: 1 })
      // No signature image and no TSA configured: invisible, B-B.
      expect(signed).toMatchObject({ level: 'B-B', visible: false, appearance: 'none' })
      const row = (await filesOf(id)).find((file) => file.id === signed.id)!
      const bytes = await bytesOf(row.blobKey)
      expect(bytes.subarray(0, original.size).equals(await bytesOf(original.blobKey))).toBe(true)
      if (hasPdfsig) expect(pdfsigValidCount(bytes)).toBe(1)
      expect(await eventsOf(id, 'document.signed')).toHaveLength(1)

      const sealed = await post(`/api/documents/${id}/seal`, { pin: SEAL_PIN }, org.users.clerk.headers)
      expect(sealed.statusCode, sealed.body).toBe(201)
      expect(sealed.json()).toMatchObject({ derivedFromId: signed.id, signatureCount: 2 })
      // No seal image: the text stamp at the top right of page 1.
      expect(sealed.json()).toMatchObject({ level: 'B-B', visible: true, appearance: 'stamp' })
      const sealedRow = (await filesOf(id)).find((file) => file.id === sealed.json().id)!
      if (hasPdfsig) expect(pdfsigValidCount(await bytesOf(sealedRow.blobKey))).toBe(2)
      expect(await eventsOf(id, 'document.sealed')).toHaveLength(1)
      // The file list tells the signed file from the sealed one (issue 11: both were "cv (đã ký).pdf").
      expect(row.fileName).toBe('cv (đã ký).pdf')
      expect(sealedRow.fileName).toBe('cv (đã đóng dấu).pdf')

      // Each stored signed file is queued for the signatures.verify job in its transaction, like a signed upload.
      for (const fileId of [signed.id, sealed.json().id]) {
        const { rows } = await t.platform.database.executeSql(
          `select count(*)::int as n from pgboss.job where name = $1 and data->>'fileId' = $2`,
          [SIGNATURE_VERIFY_JOB, fileId],
        )
        expect(rows[0]?.n).toBe(1)
      }
    })

    it('GIVEN an unsigned document WHEN the clerk seals THEN 409 and nothing is stored', async () => {
      const id = await registered()
      const response = await post(`/api/documents/${id}/seal`, { pin: SEAL_PIN }, org.users.clerk.headers)
      expect(response.statusCode, response.body).toBe(409)
      expect(response.headers['content-type']).toMatch(/problem\+json/)
      expect((await filesOf(id)).filter((file) => file.role === 'signed')).toHaveLength(0)
    })

    it('GIVEN a wrong PIN WHEN the leader signs THEN 422 wrong-pin and nothing is stored', async () => {
      const id = await registered()
      const response = await post(`/api/documents/${id}/sign`, { pin: '000000' }, org.users.leader.headers)
      expect(response.statusCode, response.body).toBe(422)
      expect(response.json().code).toBe('wrong-pin')
      expect((await filesOf(id)).filter((file) => file.role === 'signed')).toHaveLength(0)
      expect(await eventsOf(id, 'document.signed')).toHaveLength(0)
    })

    it('GIVEN a clerk WHEN signing as a leader THEN 403', async () => {
      const id = await registered()
      const response = await post(`/api/documents/${id}/sign`, { pin: PIN }, org.users.clerk.headers)
      expect(response.statusCode).toBe(403)
    })

    it('GIVEN a prepared session WHEN the token signs the signed attributes and completes THEN a valid signed file, and a second complete is refused', async () => {
      const id = await registered()
      const { leader, intermediate } = testPki()
      const prepared = await post(
        `/api/documents/${id}/sign/prepare`,
        { certificate: leader.certPem },
        org.users.leader.headers,
      )
      expect(prepared.statusCode, prepared.body).toBe(201)
      const session = prepared.json()
      expect(Buffer.from(session.digest, 'base64')).toHaveLength(32)
      expect(Date.parse(session.expiresAt) - Date.now()).toBeGreaterThan(5 * 60_000)
      const signatureValue = cryptoSign(
        'sha256',
        Buffer.from(session.signedAttributes, 'base64'),
        leader.privateKey,
      )
      const body = {
        sessionId: session.sessionId,
        certificate: leader.certPem,
        signatureValue: signatureValue.toString('base64'),
        chain: [intermediate.certPem],
      }
      const forged = await post(
        `/api/documents/${id}/sign/complete`,
        { ...body, signatureValue: Buffer.alloc(signatureValue.length, 7).toString('base64') },
        org.users.leader.headers,
      )
      expect(forged.statusCode, forged.body).toBe(422)
      expect(forged.json().code).toBe('bad-signature-value')
      expect((await filesOf(id)).filter((file) => file.role === 'signed')).toHaveLength(0)

      const completed = await post(`/api/documents/${id}/sign/complete`, body, org.users.leader.headers)
      expect(completed.statusCode, completed.body).toBe(201)
      const row = (await filesOf(id)).find((file) => file.id === completed.json().id)!
      expect(row).toMatchObject({ role: 'signed', signatureCount: 1 })
      if (hasPdfsig) expect(pdfsigValidCount(await bytesOf(row.blobKey))).toBe(1)
      expect(await eventsOf(id, 'document.signed')).toHaveLength(1)

      const again = await post(`/api/documents/${id}/sign/complete`, body, org.users.leader.headers)
      expect(again.statusCode, again.body).toBe(409)
      expect(again.json().code).toBe('signing-session-used')
      expect((await filesOf(id)).filter((file) => file.role === 'signed')).toHaveLength(1)
    })

    it('GIVEN a prepared session WHEN the token returns a whole CMS over the digest THEN it is checked and stored', async () => {
      const id = await registered()
      const { leader } = testPki()
      const prepared = await post(
        `/api/documents/${id}/sign/prepare`,
        { certificate: leader.certPem },
        org.users.leader.headers,
      )
      expect(prepared.statusCode, prepared.body).toBe(201)
      const session = prepared.json()
      const complete = (cms: Buffer) =>
        post(
          `/api/documents/${id}/sign/complete`,
          { sessionId: session.sessionId, certificate: leader.certPem, cms: cms.toString('base64') },
          org.users.leader.headers,
        )
      const wrongDigest = await complete(signedByLeader(Buffer.alloc(32, 1)))
      expect(wrongDigest.statusCode, wrongDigest.body).toBe(422)
      const response = await complete(signedByLeader(Buffer.from(session.digest, 'base64')))
      expect(response.statusCode, response.body).toBe(201)
      const row = (await filesOf(id)).find((file) => file.id === response.json().id)!
      if (hasPdfsig) expect(pdfsigValidCount(await bytesOf(row.blobKey))).toBe(1)
    })

    it('GIVEN an expired session WHEN completing THEN 410 and nothing is stored', async () => {
      const id = await registered()
      const { leader } = testPki()
      const prepared = await post(
        `/api/documents/${id}/sign/prepare`,
        { certificate: leader.certPem },
        org.users.leader.headers,
      )
      expect(prepared.statusCode, prepared.body).toBe(201)
      const session = prepared.json()
      const db = t.platform.database.db
      const [row] = await db.select().from(signingSessions).where(eq(signingSessions.id, session.sessionId))
      // The sweep keeps the prepared PDF while the session can complete, and lets it go after.
      expect(await isBlobReferenced(db, row!.preparedBlobKey)).toBe(true)
      await t.platform.database.db
        .update(signingSessions)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(signingSessions.id, session.sessionId))
      const signatureValue = cryptoSign(
        'sha256',
        Buffer.from(session.signedAttributes, 'base64'),
        leader.privateKey,
      )
      const response = await post(
        `/api/documents/${id}/sign/complete`,
        {
          sessionId: session.sessionId,
          certificate: leader.certPem,
          signatureValue: signatureValue.toString('base64'),
        },
        org.users.leader.headers,
      )
      expect(response.statusCode, response.body).toBe(410)
      expect(response.json().code).toBe('signing-session-expired')
      expect(await isBlobReferenced(db, row!.preparedBlobKey)).toBe(false)
      expect((await filesOf(id)).filter((file) => file.role === 'signed')).toHaveLength(0)
    })

    it('GIVEN two signatures of one document at once WHEN both complete THEN no two signed files fork from the same source', async () => {
      const id = await registered()
      const url = `/api/documents/${id}/sign`
      const answers = await Promise.all([
        post(url, { pin: PIN }, org.users.leader.headers),
        post(url, { pin: PIN }, org.users.leader.headers),
      ])
      const statuses = answers.map((answer) => answer.statusCode).sort()
      expect([
        [201, 201],
        [201, 409],
      ]).toContainEqual(statuses)
      const signed = (await filesOf(id)).filter((file) => file.role === 'signed')
      expect(signed).toHaveLength(statuses.filter((status) => status === 201).length)
      expect(new Set(signed.map((file) => file.derivedFromId)).size).toBe(signed.length)
    })

    it('GIVEN two documents and an unknown id WHEN the leader signs a batch with one PIN THEN per-document results', async () => {
      const a = await registered()
      const b = await registered()
      const missing = '00000000-0000-4000-8000-000000000000'
      const response = await post(
        '/api/documents/sign-batch',
        { documentIds: [a, b, missing], pin: PIN },
        org.users.leader.headers,
      )
      expect(response.statusCode, response.body).toBe(200)
      const results = response.json().results
      expect(results.map((r: { ok: boolean }) => r.ok)).toEqual([true, true, false])
      expect(results[2]).toMatchObject({ code: 'not-found', status: 404 })
      for (const id of [a, b])
        expect((await filesOf(id)).filter((file) => file.role === 'signed')).toHaveLength(1)
    })
  })
})
