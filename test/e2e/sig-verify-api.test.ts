import { readFile } from 'node:fs/promises'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditEvents, signatureReports, trustAnchors, users } from '../../src/platform/db/schema/index.ts'
import { appendDss, embedSignature, prepareSignature } from '../../src/pades/pdf/index.ts'
import { type Organisation, sha256, seedOrganisation } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'
import { signedByLeader, testPki } from '../helpers/test-pki.ts'

/** The leader's signature with the CAs' CRLs in the DSS: valid offline with the test root trusted. */
async function signedPdf(original: Buffer): Promise<Buffer> {
  const { crls } = testPki()
  const prepared = await prepareSignature(original, { name: 'Nguyễn Văn An', reason: 'Phê duyệt' })
  const signed = embedSignature(prepared, signedByLeader(prepared.digest()))
  return Buffer.from(await appendDss(signed, { crls: [crls.intermediate.der, crls.root.der] }))
}

describe.each(DRIVERS)('signature verification API on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let original: Buffer
  let signed: Buffer

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver, { env: { UPLOAD_MAX_MB: '1' } })
    org = await seedOrganisation(t.platform, t.app)
    original = await readFile(corpusFile('001.pdf'))
    signed = await signedPdf(original)
    const db = t.platform.database.db
    const [clerk] = await db.select().from(users).where(eq(users.id, org.users.clerk.id))
    const root = testPki().root
    await db.insert(trustAnchors).values({
      agencyId: clerk!.agencyId,
      kind: 'root',
      certificatePem: root.certPem,
      subject: root.x509.subject,
      fingerprintSha256: root.x509.fingerprint256.replaceAll(':', '').toLowerCase(),
      notAfter: new Date(root.x509.validTo),
      addedBy: 'test',
    })
  }, 120_000)
  afterAll(async () => t?.close())

  const verify = (data: Buffer, headers = org.users.clerk.headers, fileName = 'van-ban-da-ky.pdf') => {
    const body = multipartBody([{ name: 'file', fileName, contentType: 'application/pdf', data }])
    return t.app.inject({
      method: 'POST',
      url: '/api/verify',
      payload: body.payload,
      headers: { ...body.headers, ...headers },
    })
  }

  it.skipIf(!driver.available)(
    'GIVEN a signed PDF WHEN a clerk posts it to /api/verify THEN 200 with the report and an audit event',
    async () => {
      const response = await verify(signed)
      expect(response.statusCode, response.body).toBe(200)
      const body = response.json()
      expect(body.modifiedAfterLastSignature).toBe(false)
      expect(body.signatures).toHaveLength(1)
      expect(body.signatures[0]).toMatchObject({
        verdict: 'valid',
        reason: 'not-whole-file',
        integrity: true,
        cmsValid: true,
        level: 'B-B', // no signature timestamp: the DSS alone does not make B-LT
        revocation: 'good',
        validAtSigningTime: true,
        chain: { trusted: true },
        signer: { commonName: 'Nguyễn Văn An' },
      })
      expect(body.signatures[0].signingTime.claimed).not.toBeNull()
      expect(body.signatures[0].changesAfter.every((change: { allowed: boolean }) => change.allowed)).toBe(
        true,
      )
      const events = await t.platform.database.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.action, 'signature.verified'))
      expect(events.at(-1)!.details).toMatchObject({
        sha256: sha256(signed),
        counts: { valid: 1, invalid: 0, indeterminate: 0 },
      })
    },
  )

  it.skipIf(!driver.available)(
    'GIVEN a PDF without signatures or garbage WHEN verified THEN an empty list or 422 problem+json',
    async () => {
      const empty = await verify(original)
      expect(empty.statusCode).toBe(200)
      expect(empty.json()).toEqual({ signatures: [], modifiedAfterLastSignature: false })

      const garbage = await verify(Buffer.from('đây không phải là PDF'))
      expect(garbage.statusCode).toBe(422)
      expect(garbage.headers['content-type']).toContain('application/problem+json')

      const tooLarge = await verify(Buffer.concat([original, Buffer.alloc(1024 * 1024)]))
      expect(tooLarge.statusCode).toBe(413)
      expect(tooLarge.headers['content-type']).toContain('application/problem+json')

      const anonymous = await t.app.inject({ method: 'POST', url: '/api/verify' })
      expect(anonymous.statusCode).toBe(401)
    },
  )

  it.skipIf(!driver.available)(
    'GIVEN a signed PDF stored as a document WHEN its file is verified THEN the report is kept, audited and listed',
    async () => {
      const upload = multipartBody([
        { name: 'direction', value: 'incoming' },
        { name: 'subject', value: 'Quyết định đã ký số' },
        { name: 'file', fileName: 'quyet-dinh.pdf', contentType: 'application/pdf', data: signed },
      ])
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/documents',
        payload: upload.payload,
        headers: { ...upload.headers, ...org.users.clerk.headers },
      })
      expect(created.statusCode, created.body).toBe(201)
      const { document, file } = created.json()
      const url = `/api/documents/${document.id}/files/${file.id}/verify`
      const response = await t.app.inject({ method: 'POST', url, headers: org.users.clerk.headers })
      expect(response.statusCode, response.body).toBe(200)
      expect(response.json()).toMatchObject({ verdict: 'valid', signatureCount: 1, fileId: file.id })

      const rows = await t.platform.database.db
        .select()
        .from(signatureReports)
        .where(eq(signatureReports.fileId, file.id))
      expect(rows).toHaveLength(1)
      const events = await t.platform.database.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'signature.verified'), eq(auditEvents.targetId, document.id)))
      expect(events).toHaveLength(1)
      expect(events[0]!.details).toMatchObject({ fileId: file.id, reportId: rows[0]!.id, verdict: 'valid' })

      const listed = await t.app.inject({
        url: `/api/documents/${document.id}/signature-reports`,
        headers: org.users.clerk.headers,
      })
      expect(listed.statusCode).toBe(200)
      expect(listed.json().items).toMatchObject([
        { id: rows[0]!.id, verdict: 'valid', signatures: [{ verdict: 'valid' }] },
      ])

      // Someone who cannot see the document's content learns nothing, not even that it exists.
      const outsider = await t.app.inject({ method: 'POST', url, headers: org.users.officer.headers })
      expect(outsider.statusCode).toBe(404)
    },
  )
})
