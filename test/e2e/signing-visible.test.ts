import { spawnSync } from 'node:child_process'
import { sign as cryptoSign } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { buffer } from 'node:stream/consumers'
import { and, eq } from 'drizzle-orm'
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../src/platform/paths.ts'
import { auditEvents, documentFiles } from '../../src/platform/db/schema/index.ts'
import { findSignerBlock } from '../../src/signatures/appearance/index.ts'
import { newestVisibleSignature } from '../../src/signatures/appearance/signature-widgets.ts'
import type { Rect } from '../../src/pades/pdf/index.ts'
import { createTestPki, type TestPki } from '../../scripts/lib/test-pki/test-pki.ts'
import { verifyPdf } from '../../src/pades/verify/verify-pdf.ts'
import { type Headers, type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { startTestCrlServer, type TestCrlServer } from '../helpers/crl-server.ts'
import { pgliteDriver, type TestDriver } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { importTestCredential, trustTestRoot } from '../helpers/signing-setup.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'
import { startTestTsa, type TestTsa } from '../helpers/tsa-server.ts'

const PIN = '246810'
const SEAL_PIN = '135791'
const AGENCY_CN = 'Ủy ban nhân dân tỉnh Hòa Giang'
const ASSETS = path.join(PROJECT_ROOT, 'src', 'signatures', 'appearance', 'assets')
const tool = (name: string, arg = '-v') => spawnSync(name, [arg]).error === undefined
const peers = tool('pdfsig') && tool('qpdf', '--version') && tool('pdftoppm') && tool('pdftotext')

function run(name: string, args: string[]) {
  const result = spawnSync(name, args, { encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8' } })
  return result.stdout + result.stderr
}

function tempFile(bytes: Uint8Array, name = 'signed.pdf'): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'vanthu-visible-')), name)
  writeFileSync(file, bytes)
  return file
}

function pdfsigValid(bytes: Uint8Array): number {
  return (run('pdfsig', [tempFile(bytes)]).match(/Signature Validation: Signature is Valid/g) ?? []).length
}

function qpdfClean(bytes: Uint8Array) {
  const check = run('qpdf', ['--check', tempFile(bytes)])
  expect(check).toContain('No syntax or stream encoding errors found')
  expect(check).not.toMatch(/WARNING/)
}

/** Renders one page at 50 dpi and counts the pixels of a colour inside a PDF rectangle. */
function colourCounter(bytes: Uint8Array, pageIndex: number) {
  const file = tempFile(bytes)
  const out = path.join(path.dirname(file), 'page')
  const page = String(pageIndex + 1)
  run('pdftoppm', ['-r', '50', '-f', page, '-l', page, '-png', '-singlefile', file, out])
  const png = PNG.sync.read(readFileSync(`${out}.png`))
  const scale = 50 / 72
  return (rect: Rect, colour: 'blue' | 'red') => {
    let count = 0
    const [x0, y0, x1, y1] = rect
    for (let py = Math.ceil(png.height - y1 * scale); py < png.height - y0 * scale; py++) {
      for (let px = Math.ceil(x0 * scale); px < x1 * scale; px++) {
        const i = (py * png.width + px) * 4
        const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!]
        if (colour === 'blue' ? b > 120 && r < 110 && g < 130 : r > 150 && g < 110 && b < 110) count++
      }
    }
    return count
  }
}

/** Name, Reason and Location of every signature dictionary (/Type /Sig), oldest first. */
async function signatureDicts(bytes: Uint8Array) {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false })
  const text = (dict: PDFDict, key: string) => {
    const value = dict.lookup(PDFName.of(key))
    return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined
  }
  return doc.context
    .enumerateIndirectObjects()
    .filter(([, o]) => o instanceof PDFDict && o.get(PDFName.of('Type')) === PDFName.of('Sig'))
    .sort(([a], [b]) => a.objectNumber - b.objectNumber)
    .map(([, o]) => ({
      name: text(o as PDFDict, 'Name'),
      reason: text(o as PDFDict, 'Reason'),
      location: text(o as PDFDict, 'Location'),
    }))
}

interface Setup {
  t: TestApp
  org: Organisation
}

async function setUp(driver: TestDriver, pki: TestPki, env: Record<string, string> = {}): Promise<Setup> {
  const t = await startTestApp(driver, { env })
  const org = await seedOrganisation(t.platform, t.app)
  await importTestCredential(t, '/api/me/signing-credentials', org.users.leader.headers, {
    entity: pki.leader,
    pki,
    pin: PIN,
  })
  await importTestCredential(t, '/api/admin/signing/agency-seal', org.admin, {
    entity: pki.agency,
    pki,
    pin: SEAL_PIN,
  })
  return { t, org }
}

async function putImage(s: Setup, url: string, headers: Headers, file: string) {
  const body = multipartBody([
    { name: 'file', fileName: file, contentType: 'image/png', data: await readFile(path.join(ASSETS, file)) },
  ])
  const response = await s.t.app.inject({
    method: 'PUT',
    url,
    payload: body.payload,
    headers: { ...headers, ...body.headers },
  })
  expect(response.statusCode, response.body).toBe(200)
}

let n = 0
async function register(s: Setup, file: string, fields: Record<string, string> = {}): Promise<string> {
  const { payload, headers } = multipartBody([
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    { name: 'kind', value: 'Công văn' },
    { name: 'subject', value: `Về việc ký số hiển thị ${n}` },
    {
      name: 'file',
      fileName: 'cv.pdf',
      contentType: 'application/pdf',
      data: Buffer.concat([await readFile(corpusFile(file)), Buffer.from(`\n% visible ${n++}\n`)]),
    },
  ])
  const response = await s.t.app.inject({
    method: 'POST',
    url: '/api/incoming',
    payload,
    headers: { ...headers, ...s.org.users.clerk.headers },
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().id
}

const post = (s: Setup, url: string, payload: object, headers: Headers) =>
  s.t.app.inject({ method: 'POST', url, payload, headers })
const filesOf = (s: Setup, documentId: string) =>
  s.t.platform.database.db.select().from(documentFiles).where(eq(documentFiles.documentId, documentId))
async function fileBytes(s: Setup, fileId: string) {
  const [row] = await s.t.platform.database.db
    .select()
    .from(documentFiles)
    .where(eq(documentFiles.id, fileId))
  return new Uint8Array(await buffer(await s.t.platform.blobStore.get(row!.blobKey)))
}
const eventsOf = (s: Setup, documentId: string, action: string) =>
  s.t.platform.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetId, documentId), eq(auditEvents.action, action)))

// Appearance, rendering, TSA and CRL checks do not depend on the database: PGlite only. The signing flow
// itself (storage, audit, concurrency) runs on both drivers in signing.test.ts.
describe.each([pgliteDriver])('visible signatures on $name', (driver) => {
  let s: Setup
  let pki: TestPki
  let crl: TestCrlServer
  // A second app signs with a TSA (B-T) and fetches CRLs (B-LTA).
  let tsa: TestTsa
  let l: Setup

  beforeAll(async () => {
    if (!driver.available || !peers) return
    crl = await startTestCrlServer()
    pki = createTestPki({ crlBaseUrl: crl.base })
    crl.pki = pki
    s = await setUp(driver, pki)
    tsa = await startTestTsa(pki.tsa, [pki.intermediate, pki.root])
    l = await setUp(driver, pki, { SIGNING_TSA_URL: tsa.url, SIGNING_REVOCATION_TIMEOUT_MS: '2000' })
    // Long-term material is fetched only for chains the agency trusts.
    await trustTestRoot(l.t, l.org.admin, pki)
    await putImage(l, '/api/me/signature-image', l.org.users.leader.headers, 'demo-signature.png')
    await putImage(l, '/api/admin/signing/seal-image', l.org.admin, 'demo-seal.png')
  }, 180_000)
  afterAll(async () => {
    await s?.t.close()
    await l?.t.close()
    await tsa?.close()
    await crl?.close()
  })

  describe.skipIf(!driver.available || !peers)('(needs the database, poppler and qpdf)', () => {
    it('GIVEN a leader without a signature image WHEN asking the placement and signing THEN invisible (visible false, source none) at B-B', async () => {
      const id = await register(s, '001.pdf')
      const placement = await s.t.app.inject({
        url: `/api/documents/${id}/sign/placement?kind=personal`,
        headers: s.org.users.leader.headers,
      })
      expect(placement.statusCode, placement.body).toBe(200)
      expect(placement.json()).toMatchObject({ visible: false, source: 'none', page: null, rect: null })
      const signed = await post(s, `/api/documents/${id}/sign`, { pin: PIN }, s.org.users.leader.headers)
      expect(signed.statusCode, signed.body).toBe(201)
      expect(signed.json()).toMatchObject({ visible: false, appearance: 'none', level: 'B-B' })
      expect(await newestVisibleSignature(await fileBytes(s, signed.json().id))).toBeUndefined()
      // A seal image, but no visible leader signature to put it over: the text stamp.
      await putImage(s, '/api/admin/signing/seal-image', s.org.admin, 'demo-seal.png')
      const sealed = await post(s, `/api/documents/${id}/seal`, { pin: SEAL_PIN }, s.org.users.clerk.headers)
      expect(sealed.statusCode, sealed.body).toBe(201)
      expect(sealed.json()).toMatchObject({ visible: true, appearance: 'stamp' })
      expect((await newestVisibleSignature(await fileBytes(s, sealed.json().id)))!.pageIndex).toBe(0)
    })

    it('GIVEN signature and seal images WHEN the leader signs and the clerk seals THEN the image sits in the signer block, the seal over its left third, blue and red where they belong, pdfsig and qpdf agree', async () => {
      await putImage(s, '/api/me/signature-image', s.org.users.leader.headers, 'demo-signature.png')
      await putImage(s, '/api/admin/signing/seal-image', s.org.admin, 'demo-seal.png')
      const id = await register(s, '001.pdf')
      const original = (await filesOf(s, id)).find((file) => file.role === 'original')!
      const block = (await findSignerBlock(await fileBytes(s, original.id)))!
      expect(block).toBeDefined()

      const planned = await s.t.app.inject({
        url: `/api/documents/${id}/sign/placement?kind=personal`,
        headers: s.org.users.leader.headers,
      })
      expect(planned.json()).toMatchObject({
        visible: true,
        source: 'signer-block',
        page: block.pageIndex + 1,
      })

      const signed = await post(s, `/api/documents/${id}/sign`, { pin: PIN }, s.org.users.leader.headers)
      expect(signed.statusCode, signed.body).toBe(201)
      expect(signed.json()).toMatchObject({
        visible: true,
        appearance: 'signer-block',
        level: 'B-B',
        signatureCount: 1,
      })
      const leaderBytes = await fileBytes(s, signed.json().id)
      const leader = (await newestVisibleSignature(leaderBytes))!
      expect(leader.pageIndex).toBe(block.pageIndex)
      expect(leader.rect).toEqual(planned.json().rect)
      // Between the title line and the printed name, within the block's width.
      const [gx0, gy0, gx1, gy1] = block.gap
      expect(leader.rect[1]).toBeGreaterThanOrEqual(gy0 - 0.5)
      expect(leader.rect[3]).toBeLessThanOrEqual(gy1 + 0.5)
      expect(leader.rect[1]).toBeGreaterThan(block.name.y)
      expect(leader.rect[3]).toBeLessThan(block.title.y)
      const centre = (leader.rect[0] + leader.rect[2]) / 2
      expect(Math.abs(centre - (gx0 + gx1) / 2)).toBeLessThan(2)

      const sealPlan = await s.t.app.inject({
        url: `/api/documents/${id}/sign/placement?kind=agency-seal`,
        headers: s.org.users.clerk.headers,
      })
      expect(sealPlan.json()).toMatchObject({
        visible: true,
        source: 'over-signature',
        page: leader.pageIndex + 1,
      })
      const sealed = await post(s, `/api/documents/${id}/seal`, { pin: SEAL_PIN }, s.org.users.clerk.headers)
      expect(sealed.statusCode, sealed.body).toBe(201)
      expect(sealed.json()).toMatchObject({ visible: true, appearance: 'over-signature', signatureCount: 2 })
      const sealedBytes = await fileBytes(s, sealed.json().id)
      const seal = (await newestVisibleSignature(sealedBytes))!
      expect(seal.rect).toEqual(sealPlan.json().rect)
      expect(seal.pageIndex).toBe(leader.pageIndex)
      const [lx0, ly0, lx1, ly1] = leader.rect
      const third = lx0 + (lx1 - lx0) / 3
      expect(Math.abs(seal.rect[2] - third)).toBeLessThan(1)
      expect(seal.rect[0]).toBeLessThan(lx0)
      expect(seal.rect[1]).toBeLessThan(ly1)
      expect(seal.rect[3]).toBeGreaterThan(ly0)
      // 36 mm at actual size.
      expect(seal.rect[2] - seal.rect[0]).toBeCloseTo((36 * 72) / 25.4, 0)

      expect(pdfsigValid(sealedBytes)).toBe(2)
      qpdfClean(sealedBytes)
      const count = colourCounter(sealedBytes, leader.pageIndex)
      const rightOfSeal: Rect = [seal.rect[2] + 1, ly0, lx1, ly1]
      expect(count(rightOfSeal, 'blue')).toBeGreaterThan(20)
      expect(count(seal.rect, 'red')).toBeGreaterThan(50)
      expect(count(rightOfSeal, 'red')).toBe(0)
      const before = colourCounter(leaderBytes, leader.pageIndex)
      expect(before(seal.rect, 'red')).toBe(0)

      expect(await signatureDicts(sealedBytes)).toEqual([
        { name: 'Nguyễn Văn An', reason: 'Ký ban hành văn bản', location: expect.any(String) },
        { name: AGENCY_CN, reason: 'Đóng dấu số của cơ quan', location: expect.any(String) },
      ])
      const [event] = await eventsOf(s, id, 'document.sealed')
      expect(event!.details).toMatchObject({ level: 'B-B', visible: true, appearance: 'over-signature' })
    })

    it("GIVEN a signed document WHEN the clerk seals with appearance 'stamp' and copyForm 'SAO Y' THEN the image-less text stamp at the top right of page 1", async () => {
      const id = await register(s, '001.pdf')
      const signed = await post(s, `/api/documents/${id}/sign`, { pin: PIN }, s.org.users.leader.headers)
      expect(signed.statusCode, signed.body).toBe(201)
      const sealed = await post(
        s,
        `/api/documents/${id}/seal`,
        { pin: SEAL_PIN, appearance: 'stamp', copyForm: 'SAO Y' },
        s.org.users.clerk.headers,
      )
      expect(sealed.statusCode, sealed.body).toBe(201)
      expect(sealed.json()).toMatchObject({ visible: true, appearance: 'stamp' })
      const bytes = await fileBytes(s, sealed.json().id)
      const stamp = (await newestVisibleSignature(bytes))!
      expect(stamp.pageIndex).toBe(0)
      const doc = await PDFDocument.load(bytes, { updateMetadata: false })
      const { width, height } = doc.getPage(0).getSize()
      expect(stamp.rect[2]).toBeGreaterThan(width - 40)
      expect(stamp.rect[3]).toBeGreaterThan(height - 40)
      expect(stamp.rect[0]).toBeGreaterThan(width / 2)
      const text = run('pdftotext', ['-f', '1', '-l', '1', tempFile(bytes), '-']).normalize('NFC')
      expect(text).toContain('SAO Y')
      expect(text).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00/)
      const count = colourCounter(bytes, 0)
      expect(count(stamp.rect, 'red')).toBe(0)
      expect(pdfsigValid(bytes)).toBe(2)
      qpdfClean(bytes)
    })

    it("GIVEN a numbered document WHEN the clerk seals with appearance 'stamp' THEN the stamp reads its number and notation and the time (ND30 Phụ lục I)", async () => {
      const id = await register(s, '002.pdf', { numberNotation: '15/QĐ-UBND' })
      const signed = await post(s, `/api/documents/${id}/sign`, { pin: PIN }, s.org.users.leader.headers)
      expect(signed.statusCode, signed.body).toBe(201)
      const sealed = await post(
        s,
        `/api/documents/${id}/seal`,
        { pin: SEAL_PIN, appearance: 'stamp' },
        s.org.users.clerk.headers,
      )
      expect(sealed.statusCode, sealed.body).toBe(201)
      expect(sealed.json()).toMatchObject({ appearance: 'stamp', visible: true })
      const bytes = await fileBytes(s, sealed.json().id)
      const text = run('pdftotext', ['-f', '1', '-l', '1', tempFile(bytes), '-']).normalize('NFC')
      expect(text).toContain('15/QĐ-UBND')
      expect(text).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00/)
      expect(pdfsigValid(bytes)).toBe(2)
    })

    it('GIVEN a scanned PDF without a text layer WHEN the leader signs without placement THEN 422 signature-placement-needed and nothing stored; WITH a placement THEN the image lies inside it; the batch reports it per document', async () => {
      const id = await register(s, '001.scan.pdf')
      const refused = await post(s, `/api/documents/${id}/sign`, { pin: PIN }, s.org.users.leader.headers)
      expect(refused.statusCode, refused.body).toBe(422)
      expect(refused.json().code).toBe('signature-placement-needed')
      expect(refused.json().titleEn).toBeTruthy()
      expect((await filesOf(s, id)).filter((file) => file.role === 'signed')).toHaveLength(0)
      const noPage = await post(
        s,
        `/api/documents/${id}/sign`,
        { pin: PIN, placement: { page: 99, x: 300, y: 100, width: 180, height: 80 } },
        s.org.users.leader.headers,
      )
      expect(noPage.statusCode, noPage.body).toBe(400)

      const other = await register(s, '001.pdf')
      const batch = await post(
        s,
        '/api/documents/sign-batch',
        { documentIds: [id, other], pin: PIN },
        s.org.users.leader.headers,
      )
      expect(batch.statusCode, batch.body).toBe(200)
      expect(batch.json().results).toEqual([
        { documentId: id, ok: false, code: 'signature-placement-needed', status: 422 },
        { documentId: other, ok: true, fileId: expect.any(String), level: 'B-B', visible: true },
      ])

      const placement = { page: 1, x: 300, y: 100, width: 180, height: 80 }
      const signed = await post(
        s,
        `/api/documents/${id}/sign`,
        { pin: PIN, placement },
        s.org.users.leader.headers,
      )
      expect(signed.statusCode, signed.body).toBe(201)
      expect(signed.json()).toMatchObject({ visible: true, appearance: 'placement' })
      const bytes = await fileBytes(s, signed.json().id)
      const widget = (await newestVisibleSignature(bytes))!
      expect(widget.pageIndex).toBe(0)
      expect(widget.rect[0]).toBeGreaterThanOrEqual(300)
      expect(widget.rect[1]).toBeGreaterThanOrEqual(100)
      expect(widget.rect[2]).toBeLessThanOrEqual(480)
      expect(widget.rect[3]).toBeLessThanOrEqual(180)
      expect(widget.rect[2] - widget.rect[0]).toBeCloseTo(180, 0)
      expect(pdfsigValid(bytes)).toBe(1)
    })

    it('GIVEN a document WHEN the leader asks the preview with a placement THEN an inline PDF with the image drawn there, nothing stored, no audit event; a clerk may not preview a personal signature', async () => {
      const id = await register(s, '001.scan.pdf')
      const eventsBefore = (await s.t.platform.database.db.select().from(auditEvents)).length
      const query = 'kind=personal&page=1&x=320&y=120&width=160&height=64'
      const placed = await s.t.app.inject({
        url: `/api/documents/${id}/sign/placement?${query}`,
        headers: s.org.users.leader.headers,
      })
      expect(placed.statusCode, placed.body).toBe(200)
      expect(placed.json()).toMatchObject({ visible: true, source: 'placement', page: 1 })
      expect(placed.json().pageSize).toHaveLength(2)
      const preview = await s.t.app.inject({
        url: `/api/documents/${id}/sign/preview?${query}`,
        headers: s.org.users.leader.headers,
      })
      expect(preview.statusCode, preview.body).toBe(200)
      expect(preview.headers['content-type']).toBe('application/pdf')
      expect(preview.headers['content-disposition']).toMatch(/^inline; /)
      expect(preview.headers['content-security-policy']).toContain("default-src 'none'")
      const bytes = new Uint8Array(preview.rawPayload)
      const widget = (await newestVisibleSignature(bytes))!
      expect(widget.rect).toEqual(placed.json().rect)
      expect(colourCounter(bytes, 0)(widget.rect, 'blue')).toBeGreaterThan(20)
      expect((await filesOf(s, id)).filter((file) => file.role === 'signed')).toHaveLength(0)
      expect((await s.t.platform.database.db.select().from(auditEvents)).length).toBe(eventsBefore)
      const partial = await s.t.app.inject({
        url: `/api/documents/${id}/sign/placement?kind=personal&page=1`,
        headers: s.org.users.leader.headers,
      })
      expect(partial.statusCode).toBe(400)
      const needed = await s.t.app.inject({
        url: `/api/documents/${id}/sign/placement?kind=personal`,
        headers: s.org.users.leader.headers,
      })
      expect(needed.statusCode).toBe(422)
      expect(needed.json().code).toBe('signature-placement-needed')
      const clerk = await s.t.app.inject({
        url: `/api/documents/${id}/sign/preview?kind=personal`,
        headers: s.org.users.clerk.headers,
      })
      expect(clerk.statusCode).toBe(403)
      const sealPreview = await s.t.app.inject({
        url: `/api/documents/${id}/sign/placement?kind=agency-seal&appearance=stamp`,
        headers: s.org.users.clerk.headers,
      })
      expect(sealPreview.statusCode, sealPreview.body).toBe(200)
      expect(sealPreview.json()).toMatchObject({ visible: true, source: 'stamp', page: 1 })
    })
  })

  describe.skipIf(!driver.available || !peers)('with a TSA and CRLs (B-T, B-LTA)', () => {
    it('GIVEN a TSA and reachable CRLs WHEN the leader signs and the clerk seals THEN both are B-LTA, valid in our verifier with the root, valid in pdfsig, qpdf clean; audit says B-LTA', async () => {
      const id = await register(l, '001.pdf')
      const signed = await post(l, `/api/documents/${id}/sign`, { pin: PIN }, l.org.users.leader.headers)
      expect(signed.statusCode, signed.body).toBe(201)
      expect(signed.json()).toMatchObject({ level: 'B-LTA', visible: true })
      const sealed = await post(l, `/api/documents/${id}/seal`, { pin: SEAL_PIN }, l.org.users.clerk.headers)
      expect(sealed.statusCode, sealed.body).toBe(201)
      expect(sealed.json()).toMatchObject({ level: 'B-LTA', visible: true, appearance: 'over-signature' })
      const bytes = await fileBytes(l, sealed.json().id)
      const report = await verifyPdf(bytes, { trustAnchors: [pki.root.certPem] })
      const signatures = report.signatures.filter((sig) => sig.type === 'signature')
      expect(signatures.map((sig) => [sig.level, sig.verdict, sig.revocation])).toEqual([
        ['B-LTA', 'valid', 'good'],
        ['B-LTA', 'valid', 'good'],
      ])
      expect(report.signatures.filter((sig) => sig.type === 'document-timestamp')).toHaveLength(2)
      expect(report.signatures.every((sig) => sig.verdict === 'valid')).toBe(true)
      expect(report.modifiedAfterLastSignature).toBe(false)
      const pdfsig = run('pdfsig', [tempFile(bytes)])
      expect((pdfsig.match(/Signature Validation: Signature is Valid/g) ?? []).length).toBeGreaterThanOrEqual(
        2,
      )
      qpdfClean(bytes)
      const [event] = await eventsOf(l, id, 'document.signed')
      expect(event!.details).toMatchObject({ level: 'B-LTA' })
    })

    it('GIVEN a TSA WHEN the leader signs in two steps with a placement THEN the prepared signature is visible there and the completed one is B-LTA and valid', async () => {
      const id = await register(l, '001.scan.pdf')
      const placement = { page: 1, x: 320, y: 120, width: 160, height: 64 }
      const prepared = await post(
        l,
        `/api/documents/${id}/sign/prepare`,
        { certificate: pki.leader.certPem, placement },
        l.org.users.leader.headers,
      )
      expect(prepared.statusCode, prepared.body).toBe(201)
      expect(prepared.json()).toMatchObject({ visible: true, appearance: 'placement' })
      const session = prepared.json()
      const signatureValue = cryptoSign(
        'sha256',
        Buffer.from(session.signedAttributes, 'base64'),
        pki.leader.privateKey,
      )
      const completed = await post(
        l,
        `/api/documents/${id}/sign/complete`,
        {
          sessionId: session.sessionId,
          certificate: pki.leader.certPem,
          signatureValue: signatureValue.toString('base64'),
          chain: [pki.intermediate.certPem],
        },
        l.org.users.leader.headers,
      )
      expect(completed.statusCode, completed.body).toBe(201)
      expect(completed.json()).toMatchObject({ level: 'B-LTA', visible: true })
      const bytes = await fileBytes(l, completed.json().id)
      const widget = (await newestVisibleSignature(bytes))!
      expect(widget.rect[0]).toBeGreaterThanOrEqual(320)
      expect(widget.rect[2]).toBeLessThanOrEqual(480)
      const report = await verifyPdf(bytes, { trustAnchors: [pki.root.certPem] })
      expect(report.signatures.map((sig) => [sig.type, sig.level, sig.verdict])).toEqual([
        ['signature', 'B-LTA', 'valid'],
        ['document-timestamp', null, 'valid'],
      ])
      expect(pdfsigValid(bytes)).toBeGreaterThanOrEqual(1)
      qpdfClean(bytes)
    })

    it('GIVEN a chain the agency does not trust WHEN the leader signs THEN B-T and no CRL is fetched from its distribution points', async () => {
      const anchors = await l.t.app.inject({ url: '/api/admin/trust-anchors', headers: l.org.admin })
      const [anchor] = anchors.json().items
      const removed = await l.t.app.inject({
        method: 'DELETE',
        url: `/api/admin/trust-anchors/${anchor.id}`,
        headers: l.org.admin,
      })
      expect(removed.statusCode, removed.body).toBe(204)
      try {
        const requests = crl.requests
        const id = await register(l, '001.pdf')
        const signed = await post(l, `/api/documents/${id}/sign`, { pin: PIN }, l.org.users.leader.headers)
        expect(signed.statusCode, signed.body).toBe(201)
        expect(signed.json().level).toBe('B-T')
        expect(crl.requests).toBe(requests)
      } finally {
        await trustTestRoot(l.t, l.org.admin, pki)
      }
    })

    it('GIVEN the CRL server down WHEN the leader signs THEN B-T (timestamped, no DSS) and still valid', async () => {
      crl.down = true
      try {
        const id = await register(l, '001.pdf')
        const signed = await post(l, `/api/documents/${id}/sign`, { pin: PIN }, l.org.users.leader.headers)
        expect(signed.statusCode, signed.body).toBe(201)
        expect(signed.json().level).toBe('B-T')
        const report = await verifyPdf(await fileBytes(l, signed.json().id), {
          trustAnchors: [pki.root.certPem],
        })
        expect(report.signatures.map((sig) => [sig.type, sig.level])).toEqual([['signature', 'B-T']])
        expect(report.signatures[0]!.timestamp?.valid).toBe(true)
      } finally {
        crl.down = false
      }
    })

    it('GIVEN the TSA failing WHEN the leader signs or the clerk seals THEN 503 tsa-unavailable, no new file row, no new blob, no audit event', async () => {
      const id = await register(l, '001.pdf')
      const signed = await post(l, `/api/documents/${id}/sign`, { pin: PIN }, l.org.users.leader.headers)
      expect(signed.statusCode, signed.body).toBe(201)
      const blobs = () => readdirSync(path.join(l.t.dataDir, 'blobs'), { recursive: true }).length
      const before = { files: (await filesOf(l, id)).length, blobs: blobs() }
      for (const fault of ['http-500', 'rejection', 'wrong-nonce'] as const) {
        tsa.fault = fault
        try {
          const sealed = await post(
            l,
            `/api/documents/${id}/seal`,
            { pin: SEAL_PIN },
            l.org.users.clerk.headers,
          )
          expect(sealed.statusCode, `${fault}: ${sealed.body}`).toBe(503)
          expect(sealed.json().code).toBe('tsa-unavailable')
          expect(sealed.headers['content-type']).toMatch(/problem\+json/)
        } finally {
          tsa.fault = undefined
        }
      }
      tsa.fault = 'http-500'
      const again = await post(l, `/api/documents/${id}/sign`, { pin: PIN }, l.org.users.leader.headers)
      tsa.fault = undefined
      expect(again.statusCode).toBe(503)
      expect((await filesOf(l, id)).length).toBe(before.files)
      expect(blobs()).toBe(before.blobs)
      expect(await eventsOf(l, id, 'document.sealed')).toHaveLength(0)
      expect(await eventsOf(l, id, 'document.signed')).toHaveLength(1)
    })
  })
})
