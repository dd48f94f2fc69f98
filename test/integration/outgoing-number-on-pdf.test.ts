import { readFileSync } from 'node:fs'
import path from 'node:path'
import { PDFArray, PDFDict, PDFHexString, PDFName, type PDFObject, PDFString } from 'pdf-lib'
import { beforeAll, describe, expect, it } from 'vitest'
import { signDigest } from '../../src/pades/cms/pades-cms.ts'
import {
  embedSignature,
  openPdfForUpdate,
  prepareSignature,
  type SignatureAppearance,
} from '../../src/pades/pdf/index.ts'
import { verifyPdf } from '../../src/pades/verify/verify-pdf.ts'
import {
  FIELD_NAMES,
  type PreparedField,
  withEmptyNumberFields,
  withNumberFilled,
} from '../../src/outgoing/number-fields.ts'
import { findNumberPlaces } from '../../src/outgoing/number-places.ts'
import { agencySealAppearance, leaderAppearance } from '../../src/signatures/appearance/index.ts'
import { demoSealPng, demoSignaturePng } from '../../src/signatures/appearance/demo-images.ts'
import type { IssuedCert } from '../../scripts/lib/test-pki/issue-cert.ts'
import { PDF_PEERS_ABSENT, pdfPeersPresent, pdfsig, pdftotext, qpdfCheck } from '../helpers/pdf-peers.ts'
import { testPki } from '../helpers/test-pki.ts'

const DRAFT = new Uint8Array(
  readFileSync(path.resolve(import.meta.dirname, '../fixtures/outgoing/du-thao-quyet-dinh.pdf')),
)
if (!pdfPeersPresent) console.warn(PDF_PEERS_ABSENT)

async function sign(
  bytes: Uint8Array,
  who: IssuedCert,
  options: { certify?: 2; fieldName?: string; appearance: SignatureAppearance; pageIndex: number },
) {
  const { intermediate, root } = testPki()
  const prepared = await prepareSignature(bytes, {
    name: who === testPki().leader ? 'Trần Văn Minh' : 'UBND tỉnh Hòa Giang',
    ...options,
  })
  const cms = signDigest({
    digest: prepared.digest(),
    privateKey: who.privateKey,
    signerCert: who.certPem,
    chain: [intermediate.der, root.der],
  })
  return embedSignature(prepared, cms)
}

const verifyOptions = () => ({
  trustAnchors: [testPki().root.certPem],
  fetchRevocation: async () => ({
    crls: [testPki().crls.intermediate.der, testPki().crls.root.der],
    ocsps: [],
  }),
})

describe('the number and date on the signed PDF (cấp số after the leader’s certification)', () => {
  let fields: PreparedField[]
  let prepared: Uint8Array
  let signed: Uint8Array
  let numbered: Uint8Array
  let sealed: Uint8Array
  let seal: { name: string; pageIndex: number; rect: [number, number, number, number]; over: 'signature' }

  beforeAll(async () => {
    fields = (await findNumberPlaces(DRAFT)).map((place) => ({
      name: FIELD_NAMES[place.role],
      role: place.role,
      pageIndex: 0,
      rect: place.rect,
      fontSize: place.fontSize,
      style: 'blank',
    }))
    const leader = await leaderAppearance(DRAFT, { image: demoSignaturePng() })
    const sealPlace = agencySealAppearance(DRAFT, {
      leaderRect: leader.appearance.rect,
      pageIndex: leader.pageIndex,
      sealPng: demoSealPng(),
    })
    seal = {
      name: FIELD_NAMES.seal,
      pageIndex: sealPlace.pageIndex,
      rect: sealPlace.appearance.rect,
      over: 'signature',
    }
    prepared = await withEmptyNumberFields(DRAFT, fields, seal)
    signed = await sign(prepared, testPki().leader, {
      certify: 2,
      appearance: leader.appearance,
      pageIndex: leader.pageIndex,
    })
    numbered = await withNumberFilled(signed, fields, {
      codeNumber: '05',
      numberNotation: '05/QĐ-UBND',
      issuedDate: '2026-02-03',
    })
    sealed = await sign(numbered, testPki().agency, {
      fieldName: seal.name,
      appearance: sealPlace.appearance,
      pageIndex: seal.pageIndex,
    })
  }, 60_000)

  it('GIVEN the LibreOffice draft WHEN its text layer is read THEN the blanks of "Số:      /QĐ-UBND" and "ngày    tháng" are found (the year is printed)', () => {
    expect(fields.map((f) => f.role)).toEqual(['number', 'day', 'month'])
    const [number] = fields
    // Between the colon of "Số:" and the printed "/QĐ-UBND", on its line.
    expect(number!.rect[0]).toBeGreaterThan(130)
    expect(number!.rect[2]).toBeLessThan(161)
  })

  it('GIVEN the whole flow WHEN each step is appended THEN every earlier revision stays a byte prefix (nothing re-saved)', () => {
    const prefix = (a: Uint8Array, b: Uint8Array) =>
      Buffer.from(b.subarray(0, a.length)).equals(Buffer.from(a))
    expect(prefix(DRAFT, prepared)).toBe(true)
    expect(prefix(prepared, signed)).toBe(true)
    expect(prefix(signed, numbered)).toBe(true)
    expect(prefix(numbered, sealed)).toBe(true)
  })

  it('GIVEN the sealed PDF WHEN our verifier reads it THEN the leader’s certification (P=2) is valid, the number fill-in is an allowed form-field change, and the seal is valid', async () => {
    const report = await verifyPdf(sealed, verifyOptions())
    const [leader, agency] = report.signatures
    expect(leader!.docMdpPermission).toBe(2)
    expect(leader!.verdict).toBe('valid')
    expect(leader!.reasons).not.toContain('docmdp-violation')
    expect(leader!.reasons).not.toContain('modified-after-signing')
    // The fill-in is a permitted change after the leader (ISO 32000-2 §12.8.2.2): never a plain valid.
    expect(report.documentVerdict).toBe('valid-with-allowed-changes')
    expect(leader!.modification).toBe('allowed')
    const numberUpdate = leader!.changesAfter.filter((c) => c.level === 'form-fill')
    expect(numberUpdate.length).toBeGreaterThan(0)
    expect(leader!.changesAfter.every((c) => c.allowed)).toBe(true)
    expect(new Set(numberUpdate.map((c) => c.kind))).toContain('form-filled')
    expect(agency!.verdict).toBe('valid')
    expect(report.modifiedAfterLastSignature).toBe(false)
  })

  it('GIVEN the sealed PDF WHEN its fields are read THEN /V holds 05, 03, 02 and the seal signed the prepared field, locking them (FieldMDP)', async () => {
    const session = await openPdfForUpdate(sealed)
    const form = session.context.lookup(
      session.context.lookup(session.revision.root, PDFDict).get(PDFName.of('AcroForm')),
      PDFDict,
    )
    const values = new Map<string, string>()
    let sealReference: string | undefined
    const text = (object: PDFObject | undefined) =>
      object instanceof PDFString || object instanceof PDFHexString ? object.decodeText() : undefined
    for (const ref of form.lookup(PDFName.of('Fields'), PDFArray).asArray()) {
      const field = session.context.lookup(ref, PDFDict)
      const name = text(field.lookup(PDFName.of('T')))!
      const value = field.lookup(PDFName.of('V'))
      if (value instanceof PDFDict && name === FIELD_NAMES.seal)
        sealReference = String(value.lookup(PDFName.of('Reference')))
      else if (text(value)) values.set(name, text(value)!)
    }
    expect(Object.fromEntries(values)).toEqual({ SoVanBan: '05', NgayBanHanh: '03', ThangBanHanh: '02' })
    expect(sealReference).toContain('/FieldMDP')
    expect(sealReference).toContain('(SoVanBan)')
  })

  it.skipIf(!pdfPeersPresent)(
    'GIVEN the sealed PDF WHEN poppler and qpdf read it THEN pdfsig: two valid, trusted signatures; qpdf clean; pdftotext shows "Số: 05/QĐ-UBND" and "ngày 03 tháng 02 năm 2026"',
    () => {
      const sig = pdfsig(sealed, testPki().root.certPem)
      expect(sig.valid, sig.text).toBe(2)
      expect(sig.trusted, sig.text).toBe(2)
      const check = qpdfCheck(sealed)
      expect(check.ok, check.output).toBe(true)
      const text = pdftotext(sealed)
      expect(text).toMatch(/Số: 05\/QĐ-UBND/)
      expect(text).toMatch(/ngày\s+03\s+tháng\s+02\s+năm 2026/)
      // Before cấp số the blanks are still blank.
      expect(pdftotext(signed)).toMatch(/Số:\s+\/QĐ-UBND/)
    },
  )

  it('GIVEN a certified PDF WHEN someone changes its page content after the number THEN the leader’s certification is broken (docmdp-violation): P=2 allows the fill-in and nothing more', async () => {
    const session = await openPdfForUpdate(numbered)
    const pageRef = session.pageRef(0)
    const page = session.context.lookup(pageRef, PDFDict)
    page.set(
      PDFName.of('Contents'),
      session.add(session.context.stream('BT /F1 40 Tf 100 400 Td (SUA) Tj ET')),
    )
    session.put(pageRef, page)
    const tampered = session.write().bytes
    const [leader] = (await verifyPdf(tampered, verifyOptions())).signatures
    expect(leader!.verdict).toBe('invalid')
    expect(leader!.reasons).toContain('docmdp-violation')
  })

  it('GIVEN a numbered PDF WHEN the number is filled a second time THEN it is refused (the fields are filled already)', async () => {
    await expect(
      withNumberFilled(numbered, fields, {
        codeNumber: '06',
        numberNotation: '06/QĐ-UBND',
        issuedDate: '2026-02-03',
      }),
    ).rejects.toMatchObject({ code: 'pdf-not-signable' })
  })
})
