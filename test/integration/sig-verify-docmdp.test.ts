import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PDFArray, PDFDict, PDFName } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signDigest } from '../../src/pades/cms/pades-cms.ts'
import type { DocMdpPermission } from '../../src/pades/pdf/doc-mdp.ts'
import {
  appendDss,
  embedSignature,
  openPdfForUpdate,
  prepareSignature,
} from '../../src/pades/pdf/index.ts'
import type { IssuedCert } from '../../scripts/lib/test-pki/issue-cert.ts'
import { verifyPdf, type VerifyPdfOptions } from '../../src/pades/verify/verify-pdf.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { testPki } from '../helpers/test-pki.ts'

async function sign(bytes: Uint8Array, who: IssuedCert, certify?: DocMdpPermission): Promise<Uint8Array> {
  const { intermediate, root } = testPki()
  const prepared = await prepareSignature(bytes, { name: 'Nguyễn Văn An', reason: 'Chứng thực', certify })
  const cms = signDigest({
    digest: prepared.digest(),
    privateKey: who.privateKey,
    signerCert: who.certPem,
    chain: [intermediate.der, root.der],
  })
  return embedSignature(prepared, cms)
}

/** A sticky-note annotation on page 1, appended as an incremental update (signed bytes untouched). */
async function annotate(bytes: Uint8Array): Promise<Uint8Array> {
  const session = await openPdfForUpdate(bytes)
  const pageRef = session.pageRef(0)
  const page = session.context.lookup(pageRef, PDFDict)
  const note = session.add(
    session.context.obj({ Type: 'Annot', Subtype: 'Text', Rect: [50, 50, 70, 70], Contents: 'Ghi chú' }),
  )
  const existing = session.context.lookup(page.get(PDFName.of('Annots')))
  const annots = existing instanceof PDFArray ? existing : session.context.obj([])
  annots.push(note)
  page.set(PDFName.of('Annots'), annots)
  session.put(pageRef, page)
  return session.write().bytes
}

const options = (): VerifyPdfOptions => {
  const { crls, root } = testPki()
  return {
    trustAnchors: [root.certPem],
    fetchRevocation: async () => ({ crls: [crls.intermediate.der, crls.root.der], ocsps: [] }),
  }
}

describe('DocMDP: what a certification signature permits later revisions', () => {
  let original: Uint8Array
  let work = ''

  beforeAll(() => {
    original = readFileSync(corpusFile('001.pdf'))
    work = mkdtempSync(path.join(os.tmpdir(), 'sig-docmdp-'))
  })
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  it('GIVEN a certification with P=2 WHEN verified alone THEN valid, the permission reported, /Perms points at it', async () => {
    const certified = await sign(original, testPki().leader, 2)
    const [signature] = (await verifyPdf(certified, options())).signatures
    expect(signature).toMatchObject({ verdict: 'valid', docMdpPermission: 2, reason: null })
    const text = Buffer.from(certified).toString('latin1')
    expect(text).toMatch(/\/TransformMethod\s*\/DocMDP/)
    expect(text).toMatch(/\/Perms\s*<<\s*\/DocMDP\s+\d+ 0 R/)
    const file = path.join(work, 'certified.pdf')
    writeFileSync(file, certified)
    const qpdf = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' })
    if (!qpdf.error) expect(qpdf.status, qpdf.stdout + qpdf.stderr).toBe(0)
  })

  it('GIVEN P=2 WHEN the agency signs after it THEN both valid: signing is permitted', async () => {
    const certified = await sign(original, testPki().leader, 2)
    const both = await sign(certified, testPki().agency)
    const [certification, approval] = (await verifyPdf(both, options())).signatures
    expect(certification).toMatchObject({ verdict: 'valid', docMdpPermission: 2, reason: 'not-whole-file' })
    expect(certification!.reasons).not.toContain('docmdp-violation')
    expect(approval).toMatchObject({ verdict: 'valid', docMdpPermission: null })
  })

  it('GIVEN P=2 WHEN an annotation is added THEN the certification is invalid docmdp-violation', async () => {
    const annotated = await annotate(await sign(original, testPki().leader, 2))
    const [signature] = (await verifyPdf(annotated, options())).signatures
    expect(signature).toMatchObject({ verdict: 'invalid', reason: 'docmdp-violation', integrity: true })
    expect(signature!.changesAfter.map((change) => change.kind)).toContain('annotation')
    writeFileSync(path.join(work, 'p2-annotated.pdf'), annotated)
  })

  it('GIVEN P=3 WHEN an annotation is added THEN still valid', async () => {
    const annotated = await annotate(await sign(original, testPki().leader, 3))
    const [signature] = (await verifyPdf(annotated, options())).signatures
    expect(signature).toMatchObject({ verdict: 'valid', docMdpPermission: 3 })
    expect(signature!.reasons).not.toContain('docmdp-violation')
  })

  it('GIVEN P=1 WHEN only validation material (DSS) is appended THEN valid; WHEN an annotation is added THEN invalid', async () => {
    const certified = await sign(original, testPki().leader, 1)
    const { crls } = testPki()
    const withDss = await appendDss(certified, { crls: [crls.intermediate.der, crls.root.der] })
    const [ltv] = (await verifyPdf(withDss, options())).signatures
    expect(ltv).toMatchObject({ verdict: 'valid', docMdpPermission: 1 })
    const [changed] = (await verifyPdf(await annotate(withDss), options())).signatures
    expect(changed).toMatchObject({ verdict: 'invalid', reason: 'docmdp-violation' })
  })

  it('GIVEN P=1 WHEN someone tries to sign after it THEN our signer refuses', async () => {
    const certified = await sign(original, testPki().leader, 1)
    await expect(sign(certified, testPki().agency)).rejects.toThrow(/DocMDP P=1/)
  })

  it('GIVEN an approval signature (no certification) WHEN an annotation is added THEN valid, no permission', async () => {
    const annotated = await annotate(await sign(original, testPki().leader))
    const [signature] = (await verifyPdf(annotated, options())).signatures
    expect(signature).toMatchObject({ verdict: 'valid', docMdpPermission: null })
  })
})
