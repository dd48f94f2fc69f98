import { readFile } from 'node:fs/promises'
import { and, asc, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditEvents, signatureReports, trustAnchors, users } from '../../src/platform/db/schema/index.ts'
import { appendDss, embedSignature, prepareSignature } from '../../src/pades/pdf/index.ts'
import {
  SIGNATURE_VERIFY_ACTOR,
  SIGNATURE_VERIFY_JOB,
  verifyOnArrival,
} from '../../src/signatures/verify/verify-signatures.job.ts'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'
import { signedByLeader, testPki } from '../helpers/test-pki.ts'

type Part = Parameters<typeof multipartBody>[0][number]

/** The leader's signature with the CAs' CRLs in the DSS: valid offline once the test root is trusted. */
async function signedPdf(original: Buffer): Promise<Buffer> {
  const { crls } = testPki()
  const prepared = await prepareSignature(original, { name: 'Nguyễn Văn An', reason: 'Phê duyệt' })
  const signed = embedSignature(prepared, signedByLeader(prepared.digest()))
  return Buffer.from(await appendDss(signed, { crls: [crls.intermediate.der, crls.root.der] }))
}

describe.each(DRIVERS)('signature verification on registration on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let original: Buffer
  let signed: Buffer

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver, { workers: true, env: { OCR_WORKERS: '1' } })
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

  const send = (url: string, parts: Part[]) => {
    const { payload, headers } = multipartBody(parts)
    return t.app.inject({ method: 'POST', url, payload, headers: { ...headers, ...org.users.clerk.headers } })
  }
  const field = (name: string, value: string): Part => ({ name, value })
  const file = (data: Buffer, fileName = 'van-ban-da-ky.pdf'): Part => ({
    name: 'file',
    fileName,
    contentType: 'application/pdf',
    data,
  })
  const register = (data: Buffer, extra: Part[] = []) =>
    send('/api/incoming', [
      field('issuer', 'Sở Tài chính tỉnh Hòa Giang'),
      field('numberNotation', `${Math.floor(Math.random() * 90_000) + 10}/STC-NS`),
      field('documentDate', '2026-11-20'),
      field('kind', 'QĐ'),
      field('subject', 'Về việc thẩm định dự toán'),
      ...extra,
      file(data),
    ])
  const verifyJobsFor = async (fileId: string) => {
    const { rows } = await t.platform.database.executeSql(
      `select state from pgboss.job where name = $1 and data->>'fileId' = $2
       union all select state from pgboss.archive where name = $1 and data->>'fileId' = $2`,
      [SIGNATURE_VERIFY_JOB, fileId],
    )
    return rows.map((row) => row.state as string)
  }
  const reports = (documentId: string, query = '') =>
    t.app.inject({
      url: `/api/documents/${documentId}/signature-reports${query}`,
      headers: org.users.clerk.headers,
    })
  const waitForReport = async (documentId: string) => {
    for (let i = 0; i < 300; i++) {
      const body = (await reports(documentId)).json()
      // The report commits inside the job; the job itself is marked done a moment later.
      const settled = (body.files ?? []).every((file: { verifying: boolean }) => !file.verifying)
      if (body.items?.length > 0 && settled) return body
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error('no signature report appeared')
  }
  const verifiedEvents = (documentId: string) =>
    t.platform.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, documentId), eq(auditEvents.action, 'signature.verified')))
      .orderBy(asc(auditEvents.seq))

  describe.skipIf(!driver.available)('(needs the database)', () => {
    let documentId: string
    let fileId: string

    it('GIVEN an incoming PDF signed by the leader WHEN a clerk registers it THEN the job stores a valid report with its audit event', async () => {
      const response = await register(signed)
      expect(response.statusCode, response.body).toBe(201)
      documentId = response.json().id
      fileId = response.json().document.files[0].id
      expect(await verifyJobsFor(fileId)).toHaveLength(1)

      const body = await waitForReport(documentId)
      expect(body.items).toHaveLength(1)
      expect(body.items[0]).toMatchObject({
        fileId,
        verdict: 'valid',
        signatureCount: 1,
        verifiedBy: SIGNATURE_VERIFY_ACTOR,
      })
      expect(body.items[0].signatures[0]).toMatchObject({
        verdict: 'valid',
        revocation: 'good',
        chain: { trusted: true },
        signer: { commonName: 'Nguyễn Văn An' },
      })
      expect(body.files).toEqual([
        expect.objectContaining({ fileId, verdict: 'valid', verifying: false, reportId: body.items[0].id }),
      ])

      const events = await verifiedEvents(documentId)
      expect(events).toHaveLength(1)
      expect(events[0]!.actor).toBe(SIGNATURE_VERIFY_ACTOR)
      expect(events[0]!.details).toMatchObject({
        fileId,
        reportId: body.items[0].id,
        verdict: 'valid',
        signatureCount: 1,
        signatures: [{ signer: 'Nguyễn Văn An', verdict: 'valid', level: 'B-B', field: expect.any(String) }],
      })
    })

    it('GIVEN the report is stored WHEN the job runs again for the file THEN nothing more is stored', async () => {
      const again = await verifyOnArrival(t.platform, { documentId, fileId })
      expect(again).toEqual({ skipped: 'already-verified' })
      const rows = await t.platform.database.db
        .select()
        .from(signatureReports)
        .where(eq(signatureReports.fileId, fileId))
      expect(rows).toHaveLength(1)
      expect(await verifiedEvents(documentId)).toHaveLength(1)
      // A job waiting for the file shows as verifying beside the newest verdict.
      await t.platform.jobs.send(SIGNATURE_VERIFY_JOB, { documentId, fileId }, { startAfterSeconds: 3600 })
      expect((await reports(documentId)).json().files).toEqual([
        expect.objectContaining({ fileId, verdict: 'valid', verifying: true }),
      ])
    })

    it('GIVEN a later manual verification WHEN listing with latest=true THEN only the newest report of the file', async () => {
      const manual = await t.app.inject({
        method: 'POST',
        url: `/api/documents/${documentId}/files/${fileId}/verify`,
        headers: org.users.clerk.headers,
      })
      expect(manual.statusCode, manual.body).toBe(200)
      expect((await reports(documentId)).json().items).toHaveLength(2)
      const latest = (await reports(documentId, '?latest=true')).json()
      expect(latest.items.map((item: { id: string }) => item.id)).toEqual([manual.json().id])
      expect(latest.files[0]).toMatchObject({ fileId, reportId: manual.json().id })
    })

    it('GIVEN a tampered signed PDF saved as an incoming draft WHEN the job runs THEN the report says invalid', async () => {
      const tampered = Buffer.from(signed)
      const at = tampered.indexOf('stream', 200) + 40 // inside a content stream, inside the signed range
      tampered[at] = tampered[at]! ^ 0x01
      const response = await register(tampered, [field('draft', 'true')])
      expect(response.statusCode, response.body).toBe(201)
      expect(response.json().status).toBe('draft')
      const body = await waitForReport(response.json().id)
      expect(body.items[0].verdict).toBe('invalid')
      expect(body.items[0].signatures[0].reason).toBe('digest-mismatch')
    })

    it('GIVEN an unsigned PDF WHEN uploaded THEN no verification job is queued and no file awaits verification', async () => {
      const response = await send('/api/documents', [
        field('direction', 'incoming'),
        field('subject', 'Văn bản không ký số'),
        file(Buffer.concat([original, Buffer.from('\n% unsigned\n')]), 'khong-ky.pdf'),
      ])
      expect(response.statusCode, response.body).toBe(201)
      const id = response.json().id ?? response.json().document.id
      const files = response.json().files ?? response.json().document.files
      expect(await verifyJobsFor(files[0].id)).toEqual([])
      expect((await reports(id)).json()).toEqual({ items: [], files: [] })
    })

    it('GIVEN a file that looks signed but is no readable PDF WHEN the job runs THEN it completes once with an invalid unreadable-pdf report', async () => {
      const broken = Buffer.from(
        '%PDF-1.7\nxref\n0 1\nzzzz\ntrailer << /Root 1 0 R /ByteRange >>\nstartxref\n9\n%%EOF\n',
      )
      const response = await register(broken)
      expect(response.statusCode, response.body).toBe(201)
      const id = response.json().id
      const brokenFileId = response.json().document.files[0].id
      let states: string[] = []
      for (let i = 0; i < 300; i++) {
        states = await verifyJobsFor(brokenFileId)
        if (states[0] === 'completed' || states[0] === 'failed') break
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      expect(states).toEqual(['completed'])
      const body = (await reports(id)).json()
      expect(body.items).toEqual([
        expect.objectContaining({
          fileId: brokenFileId,
          verdict: 'invalid',
          error: 'unreadable-pdf',
          signatures: [],
        }),
      ])
      expect(body.files).toEqual([
        expect.objectContaining({ fileId: brokenFileId, verifying: false, verdict: 'invalid' }),
      ])
      const [event] = await verifiedEvents(id)
      expect(event?.details).toMatchObject({
        fileId: brokenFileId,
        verdict: 'invalid',
        errorCode: 'unreadable-pdf',
      })
    })
  })
})
