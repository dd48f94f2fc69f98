import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PDFArray, PDFDict, PDFName } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signDigest } from '../../src/pades/cms/pades-cms.ts'
import { addSignatureTimestamp, requestTimestamp } from '../../src/signatures/timestamping/tsa-client.ts'
import {
  appendDss,
  embedSignature,
  openPdfForUpdate,
  prepareDocumentTimestamp,
  prepareSignature,
} from '../../src/pades/pdf/index.ts'
import type { IssuedCert } from '../../scripts/lib/test-pki/issue-cert.ts'
import { verifyPdf, type VerifyPdfOptions } from '../../src/pades/verify/verify-pdf.ts'
import { TEST_PKI_PASSWORD, testPki, testPkiFiles } from '../helpers/test-pki.ts'
import { startTestTsa, type TestTsa } from '../helpers/tsa-server.ts'

const CORPUS = path.resolve(import.meta.dirname, '../../../shared/corpus/docs')
const has = (tool: string, arg = '-v') => spawnSync(tool, [arg], { stdio: 'ignore' }).error === undefined
const pdfsigPresent = has('pdfsig') && has('certutil', '-H') && has('pk12util', '-H')
const opensslPresent = has('openssl', 'version')

let work = ''
let original: Uint8Array
let tsa: TestTsa

const run = (tool: string, args: string[], cwd?: string) => {
  const result = spawnSync(tool, args, { cwd, encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8' } })
  return { status: result.status, output: result.stdout + result.stderr }
}

async function sign(
  bytes: Uint8Array,
  who: IssuedCert,
  name: string,
  timestamp = false,
): Promise<Uint8Array> {
  const { intermediate, root } = testPki()
  const prepared = await prepareSignature(bytes, { name, reason: 'Phê duyệt', location: 'Hòa Giang' })
  let cms: Uint8Array = signDigest({
    digest: prepared.digest(),
    privateKey: who.privateKey,
    signerCert: who.certPem,
    chain: [intermediate.der, root.der],
  })
  if (timestamp) cms = await addSignatureTimestamp(cms, { url: tsa.url })
  return embedSignature(prepared, cms)
}

/** Online revocation stand-in: the test PKI's CRLs, as a CRL distribution point would serve them. */
const crlsOnline: VerifyPdfOptions['fetchRevocation'] = async () => {
  const { crls } = testPki()
  return { crls: [crls.intermediate.der, crls.root.der], ocsps: [] }
}
const trustingRoot = (extra: Partial<VerifyPdfOptions> = {}): VerifyPdfOptions => ({
  trustAnchors: [testPki().root.certPem],
  ...extra,
})

/** A copy with one bit flipped inside the first signed range (in the first stream's data). */
function flipByteInsideSignedRange(bytes: Uint8Array): Uint8Array {
  const tampered = Uint8Array.from(bytes)
  const at = Buffer.from(tampered).toString('latin1').indexOf('stream', 200) + 40
  tampered[at] = tampered[at]! ^ 0x01
  return tampered
}

/** An incremental update after the signatures that draws more text on page 1 (page content changed). */
async function appendPageContent(bytes: Uint8Array) {
  const session = await openPdfForUpdate(bytes)
  const pageRef = session.pageRef(0)
  const page = session.context.lookup(pageRef, PDFDict)
  const extra = session.add(session.context.stream('BT /F1 24 Tf 100 100 Td (DA SUA) Tj ET'))
  const contents = page.get(PDFName.of('Contents'))
  const array = contents instanceof PDFArray ? contents : session.context.obj([contents!])
  array.push(extra)
  page.set(PDFName.of('Contents'), array)
  session.put(pageRef, page)
  return { bytes: session.write().bytes, pageRef: pageRef.toString() }
}

describe('verifyPdf: PDF signatures against trust anchors', () => {
  let leaderSigned: Uint8Array
  let both: Uint8Array
  let pdfsigSigned: Uint8Array | undefined
  let opensslSigned: Uint8Array | undefined

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'sig-verify-'))
    original = readFileSync(path.join(CORPUS, '001.pdf'))
    const { leader, agency, tsa: tsaCert, intermediate, root } = testPki()
    tsa = await startTestTsa(tsaCert, [intermediate, root])
    leaderSigned = await sign(original, leader, 'Nguyễn Văn An')
    both = await sign(leaderSigned, agency, 'Ủy ban nhân dân tỉnh Hòa Giang')
  }, 60_000)
  afterAll(async () => {
    await tsa?.close()
    rmSync(work, { recursive: true, force: true })
  })

  it('GIVEN a PDF signed by the leader then the agency WHEN verified with the test root and its CRLs THEN both are valid B-B', async () => {
    const report = await verifyPdf(both, trustingRoot({ fetchRevocation: crlsOnline }))
    expect(report.modifiedAfterLastSignature).toBe(false)
    expect(report.signatures).toHaveLength(2)
    const [first, second] = report.signatures
    expect(first).toMatchObject({
      verdict: 'valid',
      level: 'B-B',
      integrity: true,
      cmsValid: true,
      revocation: 'good',
    })
    expect(first!.signer!.commonName).toBe('Nguyễn Văn An')
    expect(first!.signer!.issuer).toBe(
      'CN=Cơ quan chứng thực số thử nghiệm Vanthu, O=Vanthu – hệ thống thử nghiệm, C=VN',
    )
    expect(first!.chain.trusted).toBe(true)
    expect(first!.chain.path.map((c) => c.commonName)).toEqual([
      'Nguyễn Văn An',
      'Cơ quan chứng thực số thử nghiệm Vanthu',
      'Vanthu Test Root CA – Gốc thử nghiệm',
    ])
    expect(first!.signingTime.source).toBe('claimed')
    expect(first!.coversWholeFile).toBe(false)
    expect(first!.reasons).toEqual(['not-whole-file'])
    expect(first!.changesAfter.length).toBeGreaterThan(0)
    expect(first!.changesAfter.every((change) => change.allowed)).toBe(true)
    expect(first!.changesAfter.map((change) => change.kind)).toContain('signature')
    expect(second).toMatchObject({ verdict: 'valid', reason: null, coversWholeFile: true, level: 'B-B' })
    expect(second!.signer!.commonName).toBe('Ủy ban nhân dân tỉnh Hòa Giang')
  })

  it('GIVEN revocation data is neither in the PDF nor fetched WHEN verified offline THEN indeterminate revocation-unknown, chain still trusted', async () => {
    const report = await verifyPdf(leaderSigned, trustingRoot())
    expect(report.signatures[0]).toMatchObject({
      verdict: 'indeterminate',
      reason: 'revocation-unknown',
      revocation: 'unknown',
      chain: { trusted: true },
      integrity: true,
    })
  })

  it('GIVEN a byte inside the signed range changed WHEN verified THEN invalid digest-mismatch', async () => {
    const tampered = flipByteInsideSignedRange(leaderSigned)
    const [signature] = (await verifyPdf(tampered, trustingRoot({ fetchRevocation: crlsOnline }))).signatures
    expect(signature).toMatchObject({ verdict: 'invalid', reason: 'digest-mismatch', integrity: false })
    if (pdfsigPresent) {
      writeFileSync(path.join(work, 'tampered.pdf'), tampered)
      expect(run('pdfsig', [path.join(work, 'tampered.pdf')]).output).toContain('Digest Mismatch')
    }
  })

  it('GIVEN a /ByteRange rewritten to leave the signed revision early WHEN verified THEN invalid byterange-malformed', async () => {
    const text = Buffer.from(leaderSigned).toString('latin1')
    const at = text.lastIndexOf('/ByteRange [') + '/ByteRange '.length
    const current = /^\[(\d+) (\d+) (\d+) (\d+)\s*\]/.exec(text.slice(at, at + 60))!
    const shorter = `[0 ${current[2]} ${current[3]} ${Number(current[4]) - 10}`
    const forged = Buffer.from(leaderSigned)
    forged.write(shorter.padEnd(current[0].length - 1, ' '), at, 'latin1')
    const [signature] = (await verifyPdf(forged, trustingRoot({ fetchRevocation: crlsOnline }))).signatures
    expect(signature).toMatchObject({ verdict: 'invalid', reason: 'byterange-malformed' })
  })

  it('GIVEN an update after signing that rewrites a page content stream WHEN verified THEN modifiedAfterLastSignature and the change flagged', async () => {
    const { bytes: changed, pageRef } = await appendPageContent(leaderSigned)
    const report = await verifyPdf(changed, trustingRoot({ fetchRevocation: crlsOnline }))
    expect(report.modifiedAfterLastSignature).toBe(true)
    const [signature] = report.signatures
    expect(signature!.verdict).toBe('valid') // the signed revision itself is intact
    expect(signature!.reasons).toEqual(['not-whole-file', 'changes-flagged'])
    expect(signature!.changesAfter).toContainEqual(
      expect.objectContaining({ object: pageRef, kind: 'page-modified', allowed: false }),
    )
  })

  it('GIVEN a certificate expired before signing WHEN verified THEN indeterminate certificate-expired', async () => {
    const signed = await sign(original, testPki().expired, 'Trần Thị Bình')
    const [signature] = (await verifyPdf(signed, trustingRoot({ fetchRevocation: crlsOnline }))).signatures
    expect(signature).toMatchObject({
      verdict: 'indeterminate',
      reason: 'certificate-expired',
      validAtSigningTime: false,
    })
  })

  it('GIVEN a revoked certificate and its CA CRL in the DSS WHEN verified offline THEN invalid revoked', async () => {
    const { revoked, crls } = testPki()
    const signed = await appendDss(await sign(original, revoked, 'Lê Văn Cường'), {
      crls: [crls.intermediate.der, crls.root.der],
    })
    const [signature] = (await verifyPdf(signed, trustingRoot())).signatures
    expect(signature).toMatchObject({
      verdict: 'invalid',
      reason: 'revoked',
      revocation: 'revoked',
      revocationSource: 'dss',
    })
    expect(signature!.changesAfter.map((change) => change.kind)).toContain('dss')
  })

  it('GIVEN no trust anchor for the root WHEN verified THEN indeterminate untrusted-chain', async () => {
    const [signature] = (await verifyPdf(leaderSigned, { trustAnchors: [], fetchRevocation: crlsOnline }))
      .signatures
    expect(signature).toMatchObject({
      verdict: 'indeterminate',
      reason: 'untrusted-chain',
      chain: { trusted: false },
    })
    expect(signature!.integrity).toBe(true)
  })

  it('GIVEN a signature timestamp, then the DSS, then a document timestamp WHEN verified THEN B-T, B-LT, B-LTA and the document timestamp is valid', async () => {
    const { leader, crls } = testPki()
    const bt = await sign(original, leader, 'Nguyễn Văn An', true)
    const [t] = (await verifyPdf(bt, trustingRoot({ fetchRevocation: crlsOnline }))).signatures
    expect(t).toMatchObject({ verdict: 'valid', level: 'B-T', timestamp: { valid: true, trusted: true } })
    expect(t!.signingTime.source).toBe('timestamp')
    expect(t!.signingTime.timestamped).not.toBeNull()

    const lt = await appendDss(bt, { crls: [crls.intermediate.der, crls.root.der] })
    const ltReport = await verifyPdf(lt, trustingRoot())
    expect(ltReport.signatures[0]).toMatchObject({ verdict: 'valid', level: 'B-LT', revocationSource: 'dss' })
    expect(ltReport.modifiedAfterLastSignature).toBe(false)

    const prepared = await prepareDocumentTimestamp(lt)
    const { token } = await requestTimestamp(prepared.signedBytes(), { url: tsa.url })
    const lta = embedSignature(prepared, token)
    const ltaReport = await verifyPdf(lta, trustingRoot())
    const [signature, stamp] = ltaReport.signatures
    expect(signature!.level).toBe('B-LTA')
    expect(stamp).toMatchObject({
      type: 'document-timestamp',
      verdict: 'valid',
      integrity: true,
      coversWholeFile: true,
    })
    expect(stamp!.signer!.commonName).toBe('Vanthu Test TSA – Dịch vụ cấp dấu thời gian')
  })

  it.skipIf(!pdfsigPresent)(
    'GIVEN a PDF signed by poppler pdfsig -add-signature WHEN verified THEN valid (adbe.pkcs7.detached, no PAdES level)',
    async () => {
      const { dir } = await testPkiFiles()
      const nss = mkdtempSync(path.join(work, 'nss-'))
      expect(run('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']).status).toBe(0)
      const imported = run('pk12util', [
        '-i',
        path.join(dir, 'leader.p12'),
        '-d',
        `sql:${nss}`,
        '-W',
        TEST_PKI_PASSWORD,
        '-K',
        '',
      ])
      expect(imported.output).toContain('PKCS12 IMPORT SUCCESSFUL')
      writeFileSync(path.join(work, 'in.pdf'), original)
      const out = path.join(work, 'pdfsig-signed.pdf')
      const signed = run('pdfsig', [
        '-add-signature',
        '-nssdir',
        `sql:${nss}`,
        '-nick',
        'leader',
        '-reason',
        'Phê duyệt',
        path.join(work, 'in.pdf'),
        out,
      ])
      expect(signed.status, signed.output).toBe(0)
      pdfsigSigned = readFileSync(out)
      const report = await verifyPdf(pdfsigSigned, trustingRoot({ fetchRevocation: crlsOnline }))
      expect(report.signatures).toHaveLength(1)
      expect(report.signatures[0]).toMatchObject({
        verdict: 'valid',
        subFilter: 'adbe.pkcs7.detached',
        level: null,
        integrity: true,
        cmsValid: true,
        coversWholeFile: true,
      })
      expect(report.signatures[0]!.signer!.commonName).toBe('Nguyễn Văn An')
    },
  )

  it.skipIf(!opensslPresent)(
    'GIVEN a detached CMS made by openssl cms -sign over the byte ranges WHEN embedded and verified THEN valid',
    async () => {
      const { dir } = await testPkiFiles()
      const prepared = await prepareSignature(original, { name: 'Nguyễn Văn An' })
      writeFileSync(path.join(work, 'covered.bin'), prepared.signedBytes())
      const args = [
        'cms',
        '-sign',
        '-binary',
        '-outform',
        'DER',
        '-md',
        'sha256',
        '-cades',
        '-signer',
        path.join(dir, 'leader.pem'),
      ]
      const made = run(
        'openssl',
        [
          ...args,
          '-inkey',
          path.join(dir, 'leader.key.pem'),
          '-certfile',
          path.join(dir, 'chain.pem'),
          '-in',
          'covered.bin',
          '-out',
          'sig.der',
        ],
        work,
      )
      expect(made.status, made.output).toBe(0)
      opensslSigned = embedSignature(prepared, readFileSync(path.join(work, 'sig.der')))
      const [signature] = (await verifyPdf(opensslSigned, trustingRoot({ fetchRevocation: crlsOnline })))
        .signatures
      expect(signature).toMatchObject({ verdict: 'valid', integrity: true, cmsValid: true, level: 'B-B' })
    },
  )

  // Tampered copies of the independent signers' PDFs (the two tests above make them).
  const independentlySigned = () =>
    [
      ['pdfsig -add-signature', pdfsigSigned],
      ['openssl cms', opensslSigned],
    ].filter((entry): entry is [string, Uint8Array] => entry[1] !== undefined)

  it('GIVEN the independently signed PDFs with a byte changed inside the signed range WHEN verified THEN invalid digest-mismatch', async () => {
    const signed = independentlySigned()
    if (pdfsigPresent && opensslPresent) expect(signed).toHaveLength(2)
    for (const [by, bytes] of signed) {
      const report = await verifyPdf(
        flipByteInsideSignedRange(bytes),
        trustingRoot({ fetchRevocation: crlsOnline }),
      )
      expect(report.signatures[0], by).toMatchObject({
        verdict: 'invalid',
        reason: 'digest-mismatch',
        integrity: false,
      })
    }
  })

  it('GIVEN the independently signed PDFs with page content appended after signing WHEN verified THEN the signature stays valid for its revision, the file is flagged modified', async () => {
    for (const [by, bytes] of independentlySigned()) {
      const { bytes: changed, pageRef } = await appendPageContent(bytes)
      const report = await verifyPdf(changed, trustingRoot({ fetchRevocation: crlsOnline }))
      expect(report.modifiedAfterLastSignature, by).toBe(true)
      expect(report.signatures[0], by).toMatchObject({
        verdict: 'valid',
        reasons: ['not-whole-file', 'changes-flagged'],
      })
      expect(report.signatures[0]!.changesAfter, by).toContainEqual(
        expect.objectContaining({ object: pageRef, kind: 'page-modified', allowed: false }),
      )
      // Bytes appended after %%EOF without an update: still not the signed file.
      const junk = Buffer.concat([Buffer.from(bytes), Buffer.from('\n% thêm sau khi ký\n', 'utf8')])
      const appended = await verifyPdf(junk, trustingRoot({ fetchRevocation: crlsOnline }))
      expect(appended.modifiedAfterLastSignature, by).toBe(true)
      expect(appended.signatures[0]!.coversWholeFile, by).toBe(false)
    }
  })

  it.skipIf(!opensslPresent)(
    'GIVEN OCSP responses made by openssl ocsp in the DSS WHEN verified offline THEN good or revoked from OCSP',
    async () => {
      const { dir } = await testPkiFiles()
      const { leader, revoked, crls } = testPki()
      const file = (name: string) => path.join(dir, name)
      const serial = (cert: IssuedCert) => cert.serialHex.toUpperCase()
      writeFileSync(
        path.join(work, 'index.txt'),
        `V\t301231000000Z\t\t${serial(leader)}\tunknown\t/CN=leader\n` +
          `R\t301231000000Z\t200101000000Z,keyCompromise\t${serial(revoked)}\tunknown\t/CN=revoked\n`,
      )
      const ocspFor = (name: string) => {
        const request = run(
          'openssl',
          [
            'ocsp',
            '-issuer',
            file('intermediate.pem'),
            '-cert',
            file(`${name}.pem`),
            '-no_nonce',
            '-reqout',
            `${name}.req`,
          ],
          work,
        )
        expect(request.status, request.output).toBe(0)
        const signer = [
          '-rsigner',
          file('intermediate.pem'),
          '-rkey',
          file('intermediate.key.pem'),
          '-CA',
          file('intermediate.pem'),
        ]
        const response = run(
          'openssl',
          [
            'ocsp',
            '-index',
            'index.txt',
            ...signer,
            '-reqin',
            `${name}.req`,
            '-respout',
            `${name}.ocsp`,
            '-ndays',
            '1',
          ],
          work,
        )
        expect(response.status, response.output).toBe(0)
        return readFileSync(path.join(work, `${name}.ocsp`))
      }
      // The intermediate's status comes from the root's CRL, the end entities' from OCSP.
      const good = await appendDss(await sign(original, leader, 'Nguyễn Văn An'), {
        ocsps: [ocspFor('leader')],
        crls: [crls.root.der],
      })
      expect((await verifyPdf(good, trustingRoot())).signatures[0]).toMatchObject({
        verdict: 'valid',
        revocation: 'good',
        revocationSource: 'dss',
      })
      const bad = await appendDss(await sign(original, revoked, 'Lê Văn Cường'), {
        ocsps: [ocspFor('revoked')],
        crls: [crls.root.der],
      })
      const [signature] = (await verifyPdf(bad, trustingRoot())).signatures
      expect(signature).toMatchObject({
        verdict: 'invalid',
        reason: 'revoked',
        revokedAt: '2020-01-01T00:00:00.000Z',
      })
    },
  )

  it('GIVEN no signature or not a PDF WHEN verified THEN an empty list or NotAPdfError', async () => {
    expect(await verifyPdf(original, trustingRoot())).toEqual({
      signatures: [],
      modifiedAfterLastSignature: false,
    })
    await expect(verifyPdf(Buffer.from('hello, not a pdf'), trustingRoot())).rejects.toThrow(/PDF/)
  })
})
