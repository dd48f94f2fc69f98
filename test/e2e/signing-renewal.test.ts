import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { buffer } from 'node:stream/consumers'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditEvents, documentFiles, signatureReports } from '../../src/platform/db/schema/index.ts'
import { renewDueSignatures } from '../../src/signatures/archive/renew-due.job.ts'
import { createTestPki, type TestPki } from '../../scripts/lib/test-pki/test-pki.ts'
import { signingPolicy } from '../../src/signatures/signing/pades-level.ts'
import { verifyPdf } from '../../src/pades/verify/verify-pdf.ts'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { startTestCrlServer, type TestCrlServer } from '../helpers/crl-server.ts'
import { pgliteDriver } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { importTestCredential, trustTestRoot } from '../helpers/signing-setup.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'
import { startTestTsa, type TestTsa } from '../helpers/tsa-server.ts'

/**
 * Gia hạn (PAdES B-LTA renewal) of a signed record: fresh revocation data and a new document timestamp,
 * appended; the earlier signed file stays a byte prefix of the new one, and both verify. By hand (clerk or
 * archivist) and by the daily job for files whose newest timestamp certificate expires soon. Checked by
 * our verifier, poppler's pdfsig and qpdf. Driver-independent: PGlite only.
 */

const PIN = '246810'
const tool = (name: string, arg = '-v') => spawnSync(name, [arg], { stdio: 'ignore' }).error === undefined
const peers = tool('pdfsig') && tool('qpdf', '--version')

describe.skipIf(!peers)('renewing the long-term validation of signed records', () => {
  let crl: TestCrlServer
  let tsa: TestTsa
  let pki: TestPki
  let t: TestApp
  let org: Organisation
  let work: string

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'sig-renewal-'))
    crl = await startTestCrlServer()
    pki = createTestPki({ crlBaseUrl: crl.base })
    crl.pki = pki
    tsa = await startTestTsa(pki.tsa, [pki.intermediate, pki.root])
    t = await startTestApp(pgliteDriver, {
      workers: true,
      env: { SIGNING_TSA_URL: tsa.url, SIGNING_REVOCATION_TIMEOUT_MS: '3000', OCR_WORKERS: '1' },
    })
    org = await seedOrganisation(t.platform, t.app)
    await trustTestRoot(t, org.admin, pki)
    await importTestCredential(t, '/api/me/signing-credentials', org.users.leader.headers, {
      entity: pki.leader,
      pki,
      pin: PIN,
    })
  }, 120_000)

  afterAll(async () => {
    await t?.close()
    await tsa?.close()
    await crl?.close()
    rmSync(work, { recursive: true, force: true })
  })

  let n = 0
  const register = async () => {
    const { payload, headers } = multipartBody([
      { name: 'issuer', value: 'Sở Nội vụ tỉnh Hòa Giang' },
      { name: 'numberNotation', value: `${100 + n}/SNV-VP` },
      { name: 'documentDate', value: '2026-11-20' },
      { name: 'kind', value: 'Công văn' },
      { name: 'subject', value: `Về việc lưu trữ hồ sơ ${n}` },
      {
        name: 'file',
        fileName: 'cv.pdf',
        contentType: 'application/pdf',
        data: Buffer.concat([await readFile(corpusFile('001.pdf')), Buffer.from(`\n% renewal ${n++}\n`)]),
      },
    ])
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/incoming',
      payload,
      headers: { ...headers, ...org.users.clerk.headers },
    })
    expect(response.statusCode, response.body).toBe(201)
    return response.json().id as string
  }
  const signedDocument = async () => {
    const id = await register()
    const signed = await t.app.inject({
      method: 'POST',
      url: `/api/documents/${id}/sign`,
      payload: { pin: PIN },
      headers: org.users.leader.headers,
    })
    expect(signed.statusCode, signed.body).toBe(201)
    expect(signed.json().level).toBe('B-LTA')
    return { id, fileId: signed.json().id as string }
  }
  const renew = (id: string, headers = org.users.clerk.headers) =>
    t.app.inject({ method: 'POST', url: `/api/documents/${id}/signatures/renew`, headers })
  const fileRow = async (fileId: string) =>
    (await t.platform.database.db.select().from(documentFiles).where(eq(documentFiles.id, fileId)))[0]!
  const bytesOf = async (fileId: string) =>
    new Uint8Array(await buffer(await t.platform.blobStore.get((await fileRow(fileId)).blobKey)))
  const filesOf = (documentId: string) =>
    t.platform.database.db.select().from(documentFiles).where(eq(documentFiles.documentId, documentId))
  const renewals = (documentId: string) =>
    t.platform.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, documentId), eq(auditEvents.action, 'document.signatures-renewed')))
  const run = (command: string, args: string[]) => {
    const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8' } })
    return result.stdout + result.stderr
  }

  it('GIVEN a B-LTA document WHEN the clerk renews it THEN a new signed file extends the old one byte for byte, with fresh CRLs and a second document timestamp, valid everywhere', async () => {
    const { id, fileId } = await signedDocument()
    const crlRequests = crl.requests
    const response = await renew(id)
    expect(response.statusCode, response.body).toBe(201)
    const result = response.json()
    expect(result).toMatchObject({ renewBy: new Date(pki.tsa.x509.validTo).toISOString() })
    // The leader's and the TSA's certificates and the intermediate: three statuses from the two CRLs.
    expect(result.certificatesChecked).toBeGreaterThanOrEqual(2)
    expect(result.crls).toBeGreaterThanOrEqual(2)
    expect(crl.requests).toBeGreaterThan(crlRequests)

    const before = await bytesOf(fileId)
    const after = await bytesOf(result.fileId)
    expect(Buffer.compare(after.subarray(0, before.length), before)).toBe(0)
    expect(await fileRow(result.fileId)).toMatchObject({
      role: 'signed',
      derivedFromId: fileId,
      signatureCount: 1,
    })

    const report = await verifyPdf(after, { trustAnchors: [pki.root.certPem], fetchRevocation: false })
    expect(report.signatures.map((s) => [s.type, s.verdict])).toEqual([
      ['signature', 'valid'],
      ['document-timestamp', 'valid'],
      ['document-timestamp', 'valid'],
    ])
    expect(report.signatures[0]!.level).toBe('B-LTA')
    expect(report.modifiedAfterLastSignature).toBe(false)
    const file = path.join(work, 'renewed.pdf')
    writeFileSync(file, after)
    expect(run('pdfsig', [file])).toMatch(/Signature #1:[\s\S]*?Signature Validation: Signature is Valid\./)
    const check = run('qpdf', ['--check', file])
    expect(check).toContain('No syntax or stream encoding errors found')

    const [event] = await renewals(id)
    expect(event!.details).toMatchObject({
      fileId: result.fileId,
      sourceFileId: fileId,
      renewBy: result.renewBy,
    })
    // Quá trình xử lý shows the signature and then its renewal by the clerk.
    const timeline = (await t.app.inject({ url: `/api/documents/${id}/timeline`, headers: org.users.clerk.headers })).json()
    expect(timeline.map((step: { action: string }) => step.action).slice(-2)).toEqual(['signed', 'signatures-renewed'])
    expect(timeline.at(-1)).toMatchObject({ actorName: 'Nguyễn Thị Văn Thư', details: { renewBy: result.renewBy } })
  })

  it('GIVEN people without the role, a document with no signature, a TSA that fails WHEN renewal is asked THEN 403, 409, 503 and nothing is stored', async () => {
    const { id } = await signedDocument()
    expect((await renew(id, org.users.officer.headers)).statusCode).toBe(403)
    expect((await renew(id, org.users.leader.headers)).statusCode).toBe(403)

    const unsigned = await register()
    const refused = await renew(unsigned)
    expect(refused.statusCode).toBe(409)
    expect(refused.headers['content-type']).toContain('application/problem+json')
    expect(refused.json().detail).toContain('chưa có chữ ký số')

    const files = (await filesOf(id)).length
    const blobs = readdirSync(path.join(t.dataDir, 'blobs'), { recursive: true }).length
    tsa.fault = 'http-500'
    try {
      const failed = await renew(id)
      expect(failed.statusCode).toBe(503)
      expect(failed.json().code).toBe('tsa-unavailable')
    } finally {
      tsa.fault = undefined
    }
    expect((await filesOf(id)).length).toBe(files)
    expect(readdirSync(path.join(t.dataDir, 'blobs'), { recursive: true }).length).toBe(blobs)
    expect(await renewals(id)).toEqual([])
  })

  it('GIVEN a service without a timestamp authority WHEN renewal is asked THEN 409 naming SIGNING_TSA_URL', async () => {
    const plain = await startTestApp(pgliteDriver)
    try {
      const people = await seedOrganisation(plain.platform, plain.app)
      const response = await plain.app.inject({
        method: 'POST',
        url: '/api/documents/00000000-0000-4000-8000-000000000000/signatures/renew',
        headers: people.users.clerk.headers,
      })
      expect(response.statusCode).toBe(409)
      expect(response.json().detail).toContain('SIGNING_TSA_URL')
    } finally {
      await plain.close()
    }
  })

  it('GIVEN verified B-LTA files WHEN the daily job runs THEN it renews those whose timestamp certificate expires within the window, and none otherwise', async () => {
    const { id, fileId } = await signedDocument()
    // The job reads expiry from the stored verification report of the newest file.
    for (let i = 0; i < 300; i++) {
      const reports = await t.platform.database.db
        .select()
        .from(signatureReports)
        .where(eq(signatureReports.fileId, fileId))
      if (reports.length > 0) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const deps = { ...t.platform, policy: signingPolicy(t.platform.config.signing) }
    // The test TSA certificate lives two years: a 30-day window finds nothing due.
    expect(await renewDueSignatures(deps, { renewBeforeDays: 30 })).toMatchObject({ renewed: 0, failed: [] })
    const result = await renewDueSignatures(deps, { renewBeforeDays: 3 * 365 })
    expect(result.failed).toEqual([])
    expect(result.renewed).toBeGreaterThanOrEqual(1)
    const [event] = await renewals(id)
    expect(event).toMatchObject({ actor: 'job:signatures.renew-due' })
    const timeline = (await t.app.inject({ url: `/api/documents/${id}/timeline`, headers: org.users.clerk.headers })).json()
    expect(timeline.at(-1)).toMatchObject({ action: 'signatures-renewed', actorName: null })
    const newest = await filesOf(id)
    expect(newest.some((file) => file.derivedFromId === fileId)).toBe(true)
  })
})
