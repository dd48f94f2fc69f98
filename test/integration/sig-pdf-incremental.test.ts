import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PDFDict, PDFDocument, type PDFHexString, PDFName, PDFString } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPdfForUpdate } from '../../src/pades/pdf/pdf-update.ts'
import { embedSignature, prepareSignature } from '../../src/pades/pdf/signature-placeholder.ts'
import { hybridReferencePdf } from '../helpers/hybrid-fixture.ts'
import {
  createThrowawayIdentity,
  type ThrowawayIdentity,
} from '../../scripts/lib/test-pki/throwaway-signer.ts'

const CORPUS = path.resolve(import.meta.dirname, '../../../shared/corpus/docs')
const has = (tool: string) => spawnSync(tool, ['-v'], { stdio: 'ignore' }).error === undefined
const peersPresent = has('pdfsig') && has('qpdf')
const SIGNER = {
  name: 'Nguyễn Văn Thử',
  reason: 'Phê duyệt văn bản',
  location: 'Hà Nội',
  contactInfo: 'vanthu@example.vn',
}

let dir = ''
let identity: ThrowawayIdentity
let nssDir: string | undefined

/** Returns pdfsig's report; with an NSS db holding the test root the chain is trusted too. */
function pdfsig(file: string): string {
  const args = nssDir ? ['-nssdir', `sql:${nssDir}`, file] : [file]
  const run = spawnSync('pdfsig', args, { encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8' } })
  return run.stdout + run.stderr
}

function qpdfCheck(file: string): string {
  const run = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' })
  return run.stdout + run.stderr
}

async function signThreeTimes(input: Uint8Array, label: string): Promise<Uint8Array[]> {
  const revisions = [input]
  for (let round = 1; round <= 3; round++) {
    const prepared = await prepareSignature(revisions.at(-1)!, {
      ...SIGNER,
      reason: `${SIGNER.reason} ${round}`,
    })
    revisions.push(embedSignature(prepared, identity.signDigest(prepared.digest())))
    writeFileSync(path.join(dir, `${label}-${round}.pdf`), revisions.at(-1)!)
  }
  return revisions
}

function expectPeersAccept(label: string, signatures: number) {
  const file = path.join(dir, `${label}-${signatures}.pdf`)
  const report = pdfsig(file)
  expect(report.match(/Signature Validation: Signature is Valid\./g)).toHaveLength(signatures)
  if (nssDir)
    expect(report.match(/Certificate Validation: Certificate is Trusted\./g)).toHaveLength(signatures)
  expect(report).toContain('Signer Certificate Common Name: Nguyễn Văn Thử')
  const check = qpdfCheck(file)
  expect(check).toContain('No syntax or stream encoding errors found')
  expect(check).not.toMatch(/WARNING|error:/i)
  if (has('mutool')) {
    // Optional third peer (mupdf-tools): it checks each digest but knows no trust anchors.
    const mutool = spawnSync('mutool', ['sign', '-v', file], { encoding: 'utf8' })
    const out = mutool.stdout + mutool.stderr
    expect(out.match(/Verifying signature/g)).toHaveLength(signatures)
    expect(out.match(/signature is valid|document is unchanged/gi)).toHaveLength(signatures)
  }
}

function expectPrefixes(revisions: Uint8Array[]) {
  for (let i = 1; i < revisions.length; i++) {
    const earlier = revisions[i - 1]!
    const later = revisions[i]!
    expect(later.length).toBeGreaterThan(earlier.length)
    expect(Buffer.compare(later.subarray(0, earlier.length), earlier)).toBe(0)
  }
}

/** The xref section that the final startxref points to: a table or a stream. */
const lastXrefKind = (bytes: Uint8Array) => {
  const text = Buffer.from(bytes).toString('latin1')
  const offset = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1])
  return text.startsWith('xref', offset) ? 'table' : 'stream'
}

describe.skipIf(!peersPresent)('incremental PDF signatures checked by pdfsig and qpdf', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sig-pdf-'))
    identity = createThrowawayIdentity('Nguyễn Văn Thử')
    writeFileSync(path.join(dir, 'root.pem'), identity.certificatePem)
    if (has('certutil')) {
      nssDir = path.join(dir, 'nss')
      execFileSync('mkdir', ['-p', nssDir])
      execFileSync('certutil', ['-N', '-d', `sql:${nssDir}`, '--empty-password'])
      execFileSync('certutil', [
        '-A',
        '-n',
        'root',
        '-t',
        'CT,C,C',
        '-i',
        path.join(dir, 'root.pem'),
        '-d',
        `sql:${nssDir}`,
      ])
    } else {
      console.warn('certutil (libnss3-tools) absent: certificate trust is not checked, signatures still are')
    }
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const inputs: [string, () => Uint8Array, 'table' | 'stream'][] = [
    [
      'xref stream with object streams (pdf-lib output 001.pdf)',
      () => readFileSync(path.join(CORPUS, '001.pdf')),
      'stream',
    ],
    ['xref stream made by qpdf --object-streams=generate', () => qpdfRewrite('generate'), 'stream'],
    ['classic xref table made by qpdf --object-streams=disable', () => qpdfRewrite('disable'), 'table'],
    ['hybrid-reference file (table + /XRefStm)', hybridReferencePdf, 'table'],
    [
      'linearized scan with classic tables (002.scan.pdf)',
      () => readFileSync(path.join(CORPUS, '002.scan.pdf')),
      'table',
    ],
  ]

  function qpdfRewrite(mode: 'generate' | 'disable'): Uint8Array {
    const out = path.join(dir, `001-${mode}.pdf`)
    execFileSync('qpdf', [`--object-streams=${mode}`, path.join(CORPUS, '001.pdf'), out])
    return readFileSync(out)
  }

  it.each(inputs)(
    'GIVEN a %s WHEN signed three times THEN every signature is valid and each revision is a prefix',
    async (_, load, kind) => {
      const label = kind + Math.random().toString(36).slice(2, 8)
      const input = load()
      expect(lastXrefKind(input)).toBe(kind)
      // The fast path must cope with every input on its own, without the full-parse fallback.
      const lazy = await openPdfForUpdate(input, 'lazy')
      const pages = (await PDFDocument.load(input, { updateMetadata: false })).getPages()
      expect(lazy.pageCount()).toBe(pages.length)
      expect(lazy.pageRef(pages.length - 1)).toBe(pages.at(-1)!.ref)
      const revisions = await signThreeTimes(input, label)
      expectPrefixes(revisions)
      for (const revision of revisions.slice(1)) expect(lastXrefKind(revision)).toBe(kind)
      for (let signatures = 1; signatures <= 3; signatures++) expectPeersAccept(label, signatures)
    },
  )

  it('GIVEN Vietnamese signer details WHEN read back with pdf-lib THEN name, reason and location round-trip', async () => {
    const prepared = await prepareSignature(readFileSync(path.join(CORPUS, '001.pdf')), SIGNER)
    const signed = embedSignature(prepared, identity.signDigest(prepared.digest()))
    const doc = await PDFDocument.load(signed, { updateMetadata: false })
    const sig = doc.context
      .enumerateIndirectObjects()
      .map(([, object]) => object)
      .find((o): o is PDFDict => o instanceof PDFDict && o.get(PDFName.of('Type')) === PDFName.of('Sig'))!
    const text = (key: string) => (sig.lookup(PDFName.of(key)) as PDFString | PDFHexString).decodeText()
    expect(text('Name')).toBe('Nguyễn Văn Thử')
    expect(text('Reason')).toBe('Phê duyệt văn bản')
    expect(text('Location')).toBe('Hà Nội')
    expect(text('ContactInfo')).toBe('vanthu@example.vn')
    expect(text('M')).toMatch(/^D:\d{14}\+07'00'$/)
    expect(
      doc
        .getForm()
        .getFields()
        .map((f) => f.getName()),
    ).toEqual(['Signature1'])
  })

  it('GIVEN a visible appearance WHEN signed THEN the widget shows it, pdfsig validates and qpdf is clean', async () => {
    const prepared = await prepareSignature(readFileSync(path.join(CORPUS, '001.pdf')), {
      ...SIGNER,
      pageIndex: 0,
      appearance: {
        rect: [350, 60, 550, 120],
        build: ({ context, width, height }) =>
          context.stream(`0 0 1 rg 0 0 ${width} ${height} re f`, {
            Type: 'XObject',
            Subtype: 'Form',
            BBox: [0, 0, width, height],
          }),
      },
    })
    const signed = embedSignature(prepared, identity.signDigest(prepared.digest()))
    const file = path.join(dir, 'visible-1.pdf')
    writeFileSync(file, signed)
    expectPeersAccept('visible', 1)
    // Viewers draw the widget from /AP /N: blue pixels in the render prove the form XObject is wired.
    const ppm = execFileSync('pdftoppm', ['-r', '36', '-f', '1', '-l', '1', file], { maxBuffer: 1 << 26 })
    const header = /^P6\s+\d+\s+\d+\s+255\s/.exec(ppm.toString('latin1', 0, 40))!
    const pixels = ppm.subarray(header[0].length)
    let blue = 0
    for (let i = 0; i + 2 < pixels.length; i += 3) {
      if (pixels[i]! < 80 && pixels[i + 1]! < 80 && pixels[i + 2]! > 180) blue++
    }
    expect(blue).toBeGreaterThan(100)
  })

  it('GIVEN a template with an empty signature box WHEN the leader signs into it and the agency adds its own THEN both validate', async () => {
    const template = await PDFDocument.load(readFileSync(path.join(CORPUS, '001.pdf')))
    const { context } = template
    const page = template.getPage(0)
    const parentRef = context.nextRef()
    const box = context.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', T: PDFString.of('LanhDao') })
    box.set(PDFName.of('Rect'), context.obj([300, 80, 500, 140]))
    box.set(PDFName.of('P'), page.ref)
    box.set(PDFName.of('F'), context.obj(132))
    box.set(PDFName.of('Parent'), parentRef)
    const boxRef = context.register(box)
    context.assign(parentRef, context.obj({ T: PDFString.of('ChuKy'), Kids: [boxRef] }))
    template.catalog.set(PDFName.of('AcroForm'), context.obj({ Fields: [parentRef] }))
    page.node.set(PDFName.of('Annots'), context.obj([boxRef]))
    const input = await template.save()

    const leader = await prepareSignature(input, { ...SIGNER, fieldName: 'ChuKy.LanhDao' })
    expect(leader.fieldName).toBe('ChuKy.LanhDao')
    const first = embedSignature(leader, identity.signDigest(leader.digest()))
    await expect(prepareSignature(first, { fieldName: 'ChuKy.LanhDao' })).rejects.toThrow(/already signed/)
    const agency = await prepareSignature(first, { name: 'Văn phòng' })
    expect(agency.fieldName).toBe('Signature1')
    writeFileSync(path.join(dir, 'template-1.pdf'), first)
    writeFileSync(
      path.join(dir, 'template-2.pdf'),
      embedSignature(agency, identity.signDigest(agency.digest())),
    )
    expectPeersAccept('template', 1)
    expectPeersAccept('template', 2)
    expect(pdfsig(path.join(dir, 'template-2.pdf'))).toMatch(/Signature Field Name: .*LanhDao/)
  })
})
