import { readFile } from 'node:fs/promises'
import { buffer } from 'node:stream/consumers'
import { eq } from 'drizzle-orm'
import { PDFArray, PDFDict, PDFDocument, PDFName } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { documentFiles } from '../../src/platform/db/schema/index.ts'
import { signDigest } from '../../src/pades/cms/pades-cms.ts'
import { embedSignature, prepareSignature } from '../../src/pades/pdf/index.ts'
import type { IssuedCert } from '../../scripts/lib/test-pki/issue-cert.ts'
import { createTestPki, type TestPki } from '../../scripts/lib/test-pki/test-pki.ts'
import { ocspUrls } from '../../src/signatures/revocation/cert-urls.ts'
import { onlineRevocation } from '../../src/signatures/revocation/online-revocation.ts'
import { ocspStatus, parseOcsp } from '../../src/pades/revocation/ocsp-check.ts'
import { verifyPdf } from '../../src/pades/verify/verify-pdf.ts'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { startTestCrlServer, type TestCrlServer } from '../helpers/crl-server.ts'
import { pgliteDriver } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { importTestCredential, trustTestRoot } from '../helpers/signing-setup.ts'
import { startTestOcspResponder, type TestOcspResponder } from '../helpers/ocsp-responder.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'
import { startTestTsa, type TestTsa } from '../helpers/tsa-server.ts'

/**
 * Revocation by OCSP, the way Vietnamese CAs mostly publish it: the end entities name an OCSP responder
 * (openssl ocsp on loopback, an independent peer), the intermediate a CRL of the root. Signing puts the
 * responses in the DSS (B-LTA); verifying a PDF that carries none asks the responder, for trusted chains
 * only. Driver-independent: PGlite only.
 */

const PIN = '246810'

/** A B-B signature (no timestamp, no DSS), as another agency's system might send it. */
async function signedBy(who: IssuedCert, pki: TestPki, over?: Buffer): Promise<Buffer> {
  const original =
    over ??
    Buffer.concat([await readFile(corpusFile('002.pdf')), Buffer.from(`\n% ${who.name} ${Math.random()}\n`)])
  const prepared = await prepareSignature(original, { name: who.name, reason: 'Phê duyệt' })
  const cms = signDigest({
    digest: prepared.digest(),
    privateKey: who.privateKey,
    signerCert: who.certPem,
    chain: [pki.intermediate.der, pki.root.der],
  })
  return Buffer.from(embedSignature(prepared, cms))
}

async function dssItems(bytes: Uint8Array, key: 'OCSPs' | 'CRLs'): Promise<number> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false })
  const dss = doc.catalog.lookupMaybe(PDFName.of('DSS'), PDFDict)
  return dss?.lookupMaybe(PDFName.of(key), PDFArray)?.size() ?? 0
}

/** POST /api/verify as the clerk; the first signature's report. */
async function verifyFirstSignature(app: TestApp, org: Organisation, pdf: Buffer) {
  const { payload, headers } = multipartBody([
    { name: 'file', fileName: 'da-ky.pdf', contentType: 'application/pdf', data: pdf },
  ])
  const response = await app.app.inject({
    method: 'POST',
    url: '/api/verify',
    payload,
    headers: { ...headers, ...org.users.clerk.headers },
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().signatures[0]
}

describe('OCSP: fetched while signing and while verifying', () => {
  let crl: TestCrlServer
  let responder: TestOcspResponder
  let tsa: TestTsa
  let pki: TestPki
  let t: TestApp
  let org: Organisation

  beforeAll(async () => {
    crl = await startTestCrlServer()
    crl.intermediateCrl = false
    responder = await startTestOcspResponder()
    pki = createTestPki({ crlBaseUrl: crl.base, ocspUrl: responder.url })
    crl.pki = pki
    await responder.serve(pki)
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
    await responder?.close()
    await crl?.close()
  })

  const register = async (data: Buffer) => {
    const { payload, headers } = multipartBody([
      { name: 'issuer', value: 'Sở Tài chính tỉnh Hòa Giang' },
      { name: 'numberNotation', value: `${Math.floor(Math.random() * 90_000) + 10}/STC-NS` },
      { name: 'documentDate', value: '2026-11-20' },
      { name: 'kind', value: 'Công văn' },
      { name: 'subject', value: 'Về việc ký số có OCSP' },
      { name: 'file', fileName: 'van-ban.pdf', contentType: 'application/pdf', data },
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

  it('GIVEN certificates naming the responder WHEN their status is fetched THEN openssl answers for the Vietnamese-named issuer: good for the leader, revoked for the revoked one', async () => {
    expect(ocspUrls(pki.leader.x509)).toEqual([responder.url])
    expect(ocspUrls(pki.intermediate.x509)).toEqual([])
    const fetch = onlineRevocation(3_000)
    const leader = await fetch(pki.leader.x509, pki.intermediate.x509)
    expect(leader.crls).toEqual([])
    expect(leader.ocsps).toHaveLength(1)
    // openssl matched our CertID (issuer name hash over the UTF8String name as encoded) to its CA:
    // otherwise it answers 'unknown', which the fetcher does not keep.
    const parsed = parseOcsp(leader.ocsps[0]!)
    expect(ocspStatus(pki.leader.x509, pki.intermediate.x509, parsed ? [parsed] : [])).toMatchObject({
      status: 'good',
      source: 'ocsp',
    })
    const revoked = await fetch(pki.revoked.x509, pki.intermediate.x509)
    const revokedParsed = parseOcsp(revoked.ocsps[0]!)
    expect(
      ocspStatus(pki.revoked.x509, pki.intermediate.x509, revokedParsed ? [revokedParsed] : []),
    ).toMatchObject({
      status: 'revoked',
    })
  })

  it('GIVEN a TSA and the responder WHEN the leader signs THEN B-LTA with the OCSP response (and the root CRL) in the DSS, valid offline', async () => {
    const requests = responder.requests.length
    const id = await register(
      Buffer.concat([await readFile(corpusFile('001.pdf')), Buffer.from('\n% ocsp\n')]),
    )
    const signed = await t.app.inject({
      method: 'POST',
      url: `/api/documents/${id}/sign`,
      payload: { pin: PIN },
      headers: org.users.leader.headers,
    })
    expect(signed.statusCode, signed.body).toBe(201)
    expect(signed.json().level).toBe('B-LTA')
    expect(responder.requests.length).toBeGreaterThan(requests)
    const [row] = await t.platform.database.db
      .select()
      .from(documentFiles)
      .where(eq(documentFiles.id, signed.json().id))
    const bytes = new Uint8Array(await buffer(await t.platform.blobStore.get(row!.blobKey)))
    expect(await dssItems(bytes, 'OCSPs')).toBeGreaterThanOrEqual(1)
    expect(await dssItems(bytes, 'CRLs')).toBeGreaterThanOrEqual(1)
    const report = await verifyPdf(bytes, { trustAnchors: [pki.root.certPem], fetchRevocation: false })
    expect(report.signatures.map((s) => [s.type, s.level, s.verdict, s.revocation])).toEqual([
      ['signature', 'B-LTA', 'valid', 'good'],
      ['document-timestamp', null, 'valid', 'good'],
    ])
  })

  it('GIVEN a responder that cannot be reached WHEN the status is fetched THEN the CRL at the distribution point is used instead', async () => {
    // A generous timeout: port 9 refuses at once, and a loaded CI machine must not turn the CRL's own
    // fetch (signed on demand by the test server) into a timeout.
    const fetch = onlineRevocation(15_000)
    // Port 9 (discard) on loopback: the connection is refused.
    const down = createTestPki({ crlBaseUrl: crl.base, ocspUrl: 'http://127.0.0.1:9/ocsp' })
    crl.pki = down
    crl.intermediateCrl = true
    try {
      const fallback = await fetch(down.leader.x509, down.intermediate.x509)
      expect(fallback.ocsps).toEqual([])
      expect(fallback.crls).toHaveLength(1)
    } finally {
      crl.pki = pki
      crl.intermediateCrl = false
    }
  })

  it('GIVEN an incoming PDF with a bare signature WHEN registered THEN verification asks the responder and the report is valid, revocation good', async () => {
    const requests = responder.requests.length
    const id = await register(await signedBy(pki.leader, pki))
    let report:
      | { verdict: string; signatures: { verdict: string; revocation: string; reason: string | null }[] }
      | undefined
    for (let i = 0; i < 300 && !report; i++) {
      const body = (
        await t.app.inject({
          url: `/api/documents/${id}/signature-reports`,
          headers: org.users.clerk.headers,
        })
      ).json()
      report = body.items?.[0]
      if (!report) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(report).toMatchObject({ verdict: 'valid' })
    expect(report!.signatures[0]).toMatchObject({ verdict: 'valid', revocation: 'good' })
    expect(responder.requests.length).toBeGreaterThan(requests)
  })

  it('GIVEN a signature by the revoked certificate WHEN posted to /api/verify THEN invalid, revoked, from the responder', async () => {
    expect(await verifyFirstSignature(t, org, await signedBy(pki.revoked, pki))).toMatchObject({
      verdict: 'invalid',
      reason: 'revoked',
    })
  })

  it('GIVEN the leader and the agency signed under one CA WHEN verified THEN each is asked of the responder once and the CA CRL is fetched once, not per signature', async () => {
    const both = await signedBy(pki.agency, pki, await signedBy(pki.leader, pki))
    const [ocspBefore, crlBefore] = [responder.requests.length, crl.requests]
    const { payload, headers } = multipartBody([
      { name: 'file', fileName: 'hai-chu-ky.pdf', contentType: 'application/pdf', data: both },
    ])
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/verify',
      payload,
      headers: { ...headers, ...org.users.clerk.headers },
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().signatures.map((s: { verdict: string }) => s.verdict)).toEqual(['valid', 'valid'])
    expect(responder.requests.length - ocspBefore).toBe(2)
    // The intermediate's status (the root's CRL) serves both chains.
    expect(crl.requests - crlBefore).toBe(1)
  })

  it('GIVEN a chain nobody trusts WHEN verified with online checking on THEN no request leaves for the URLs its certificates name', async () => {
    const requests = responder.requests.length
    const report = await verifyPdf(await signedBy(pki.leader, pki), {
      trustAnchors: [],
      fetchRevocation: onlineRevocation(3_000),
    })
    expect(report.signatures[0]).toMatchObject({ verdict: 'indeterminate', reason: 'untrusted-chain' })
    expect(responder.requests.length).toBe(requests)
  })

  it('GIVEN SIGNING_VERIFY_ONLINE=false WHEN the same bare signature is verified THEN indeterminate (revocation unknown) and the responder is not asked', async () => {
    const offline = await startTestApp(pgliteDriver, { env: { SIGNING_VERIFY_ONLINE: 'false' } })
    try {
      const people = await seedOrganisation(offline.platform, offline.app)
      await trustTestRoot(offline, people.admin, pki)
      const requests = responder.requests.length
      expect(await verifyFirstSignature(offline, people, await signedBy(pki.leader, pki))).toMatchObject({
        verdict: 'indeterminate',
        reason: 'revocation-unknown',
      })
      expect(responder.requests.length).toBe(requests)
    } finally {
      await offline.close()
    }
  })
})
