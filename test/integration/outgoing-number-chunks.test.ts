/**
 * Cấp số and the seal on a multi-page scanned corpus PDF, written the way the service writes large files:
 * each incremental update appended as its own chunk after the signed bytes, which are neither copied nor
 * changed, and the seal's digest taken over the chunks.
 */
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { signDigest } from '../../src/pades/cms/pades-cms.ts'
import { concatBytes, embedSignatureInChunks, prepareSignature } from '../../src/pades/pdf/index.ts'
import { verifyPdf } from '../../src/pades/verify/verify-pdf.ts'
import {
  FIELD_NAMES,
  numberFillUpdate,
  type PreparedField,
  withEmptyNumberFields,
} from '../../src/outgoing/number-fields.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { PDF_PEERS_ABSENT, pdfPeersPresent, pdfsig, pdftotext, qpdfCheck } from '../helpers/pdf-peers.ts'
import { testPki } from '../helpers/test-pki.ts'

// 4 scanned pages, 1.7 MB: the number goes on page 1, the seal's field on the last page.
const SCAN = new Uint8Array(readFileSync(corpusFile('004.scan.pdf')))
if (!pdfPeersPresent) console.warn(PDF_PEERS_ABSENT)

const fields: PreparedField[] = [
  {
    name: FIELD_NAMES.number,
    role: 'number',
    pageIndex: 0,
    rect: [60, 760, 260, 780],
    fontSize: 13,
    style: 'full',
  },
  {
    name: FIELD_NAMES.day,
    role: 'day',
    pageIndex: 0,
    rect: [300, 760, 560, 780],
    fontSize: 13,
    style: 'full',
  },
]
const seal = {
  name: FIELD_NAMES.seal,
  pageIndex: 3,
  rect: [380, 120, 480, 220] as [number, number, number, number],
}

describe('cấp số and the seal as appended chunks on a large multi-page scan', () => {
  let signed: Uint8Array
  let numbered: Uint8Array
  let sealed: Uint8Array
  let fill: Uint8Array
  let sealChunks: readonly Uint8Array[]

  beforeAll(async () => {
    const { intermediate, root, leader, agency } = testPki()
    const prepared = await withEmptyNumberFields(SCAN, fields, { ...seal, over: 'stamp' })
    const leaderSignature = await prepareSignature(prepared, {
      name: 'Trần Văn Minh',
      certify: 2,
      pageIndex: 3,
    })
    const leaderCms = signDigest({
      digest: leaderSignature.digest(),
      privateKey: leader.privateKey,
      signerCert: leader.certPem,
      chain: [intermediate.der, root.der],
    })
    signed = concatBytes(embedSignatureInChunks(leaderSignature, leaderCms))
    fill = await numberFillUpdate(signed, fields, {
      codeNumber: '07',
      numberNotation: '07/QĐ-UBND',
      issuedDate: '2026-12-07',
    })
    numbered = concatBytes([signed, fill])
    const sealSignature = await prepareSignature(numbered, {
      name: 'UBND tỉnh Hòa Giang',
      fieldName: seal.name,
    })
    const sealCms = signDigest({
      digest: sealSignature.digest(),
      privateKey: agency.privateKey,
      signerCert: agency.certPem,
      chain: [intermediate.der, root.der],
    })
    sealChunks = embedSignatureInChunks(sealSignature, sealCms)
    sealed = concatBytes(sealChunks)
  }, 60_000)

  it('GIVEN the leader-signed scan WHEN the number is filled and sealed THEN each update is a small chunk after bytes left as they were', () => {
    expect(fill.length).toBeLessThan(64 * 1024)
    expect(sealChunks[0]).toBe(numbered)
    expect(sealChunks[1]!.length).toBeLessThan(64 * 1024)
    expect(Buffer.from(sealed.subarray(0, signed.length)).equals(Buffer.from(signed))).toBe(true)
    expect(sealed.length).toBe(numbered.length + sealChunks[1]!.length)
  })

  it('GIVEN the sealed scan WHEN our verifier reads it THEN the leader’s certification is valid with the number as an allowed fill-in, and the seal is valid', async () => {
    const report = await verifyPdf(sealed, {
      trustAnchors: [testPki().root.certPem],
      fetchRevocation: async () => ({
        crls: [testPki().crls.intermediate.der, testPki().crls.root.der],
        ocsps: [],
      }),
    })
    const [leader, agency] = report.signatures
    expect(leader!.verdict).toBe('valid')
    expect(leader!.modification).toBe('allowed')
    expect(leader!.changesAfter.some((c) => c.kind === 'form-filled')).toBe(true)
    expect(agency!.verdict).toBe('valid')
    expect(report.documentVerdict).toBe('valid-with-allowed-changes')
  })

  it.skipIf(!pdfPeersPresent)(
    'GIVEN the sealed scan WHEN poppler and qpdf read it THEN pdfsig: two valid signatures; qpdf clean; pdftotext shows the number on page 1',
    () => {
      const sig = pdfsig(sealed, testPki().root.certPem)
      expect(sig.valid, sig.text).toBe(2)
      const check = qpdfCheck(sealed)
      expect(check.ok, check.output).toBe(true)
      expect(pdftotext(sealed)).toMatch(/Số: 07\/QĐ-UBND/)
    },
  )
})
