/**
 * The attack corpus of issue 12: signed PDFs built after the published attacks (Mladenov et al.,
 * "1 Trillion Dollar Refund", 2019; Mainka et al., "Shadow Attacks", 2021; Mainka et al., "Breaking the
 * Specification: PDF Certification", 2021), ETSI EN 319 102-1 validation and RFC 5280 path validation,
 * each with the verdict a verifier must give. Generated at test time from the test PKI (no binary
 * fixtures); `write-corpus.ts` writes them to a folder and prints the closing-note table.
 *
 * Every signature is followed by a DSS with the CAs' current CRLs, so that a signature that is fine is
 * `valid` offline and the only thing wrong with each file is the attack itself.
 */
import { X509Certificate } from 'node:crypto'
import { PDFArray, PDFDict, PDFName, PDFRef, PDFString } from 'pdf-lib'
import type { TestPki } from '../../scripts/lib/test-pki/test-pki.ts'
import { addEmptyFields, fillTextFields } from '../../src/pades/pdf/form-fields.ts'
import { appendDss } from '../../src/pades/pdf/index.ts'
import { openPdfForUpdate } from '../../src/pades/pdf/pdf-update.ts'
import type { DocumentVerdict, SignatureReason, Verdict } from '../../src/pades/verify/report.ts'
import { createAttackCerts } from './attack-certs.ts'
import {
  DATE_FIELD,
  LEADER_FIELD,
  NUMBER_FIELD,
  officialDocument,
  plainDocument,
  SHADOW_PAGES_KEY,
} from './documents.ts'
import { manualSignature } from './manual-signature.ts'
import { addDocumentTimestamp, prepareForAttack, type SigningIdentity, signPdf } from './signing.ts'
import { fillTextField, rawUpdate, update } from './updates.ts'
import { formatByteRange } from '../../src/pades/pdf/byte-range.ts'
import { lastStartXref } from '../../src/pades/pdf/pdf-bytes.ts'

export interface CorpusEntry {
  id: string
  /** The issue's class (1–10), `baseline` (must stay valid) or `regression` (the earlier review's). */
  attackClass: string
  variant: string
  bytes: Uint8Array
  expected: {
    documentVerdict: DocumentVerdict
    /** Verdict of each signature, oldest first. */
    signatures?: Verdict[]
    /** Reasons some signature must carry. */
    signatureReasons?: SignatureReason[]
  }
  /** What an independent peer makes of it, when worth saying (e.g. pdfsig does not check DocMDP). */
  note?: string
  /** The signer's certification path (PEM), for `openssl verify` (path-validation classes). */
  path?: { leaf: string; untrusted: string[] }
}

const pem = (der: Uint8Array) => new X509Certificate(der).toString()

const HOUR = 3_600_000

/** The first content stream of page 1. */
async function firstContent(bytes: Uint8Array): Promise<PDFRef> {
  const session = await openPdfForUpdate(bytes)
  const page = session.context.lookup(session.pageRef(0), PDFDict)
  const contents = session.context.lookup(page.get(PDFName.of('Contents')))
  return (contents instanceof PDFArray ? contents.get(0) : page.get(PDFName.of('Contents'))) as PDFRef
}

export async function buildAttackCorpus(pki: TestPki): Promise<CorpusEntry[]> {
  const chain = [pki.intermediate.der, pki.root.der]
  const leader = pki.leader as SigningIdentity
  const agency = pki.agency as SigningIdentity
  const tsa = pki.tsa as SigningIdentity
  const crls = [pki.crls.intermediate.der, pki.crls.root.der]
  const ltv = (bytes: Uint8Array) => appendDss(bytes, { crls })
  const entries: CorpusEntry[] = []
  const add = (entry: CorpusEntry) => entries.push(entry)

  const base = await officialDocument()
  const xrefStreamBase = await officialDocument({ xrefStreams: true })
  const signLeader = async (bytes: Uint8Array, options: Parameters<typeof signPdf>[3] = {}) =>
    ltv(await signPdf(bytes, leader, chain, { fieldName: LEADER_FIELD, visible: true, ...options }))
  const seal = async (bytes: Uint8Array) =>
    ltv(await signPdf(bytes, agency, chain, { name: 'Ủy ban nhân dân tỉnh Hòa Giang', visible: true }))
  const approved = await signLeader(base)
  const certified = (p: 1 | 2 | 3) => signLeader(base, { certify: p })
  const contentObject = await firstContent(approved)
  const newContent = 'BT /Helv 12 Tf 60 700 Td (Dieu 1. Tong kinh phi: 9.000.000.000 dong.) Tj ET'

  // ── Baselines: what the service and issue 14 make must stay valid ──────────────────────────────
  add({
    id: 'B1-leader',
    attackClass: 'baseline',
    variant: "leader's visible approval signature + DSS",
    bytes: approved,
    expected: { documentVerdict: 'valid', signatures: ['valid'] },
  })
  const leaderAndSeal = await seal(approved)
  add({
    id: 'B2-leader-seal',
    attackClass: 'baseline',
    variant: 'leader, then the agency seal over the left third of it (ND30)',
    bytes: leaderAndSeal,
    expected: { documentVerdict: 'valid', signatures: ['valid', 'valid'] },
  })
  const numbered = async (bytes: Uint8Array) =>
    update(bytes, (session, t) => {
      fillTextField(session, t, NUMBER_FIELD, '15/QD-UBND')
      fillTextField(session, t, DATE_FIELD, '07/12/2026')
    })
  add({
    id: 'B3-issue14-certified',
    attackClass: 'baseline',
    variant:
      'issue 14: leader certifies (DocMDP P=2), số/ký hiệu and date filled into existing text fields, then the seal',
    bytes: await seal(await numbered(await certified(2))),
    expected: { documentVerdict: 'valid-with-allowed-changes', signatures: ['valid', 'valid'] },
  })
  const excludeLock = await officialDocument({
    lock: { action: 'Exclude', fields: [NUMBER_FIELD, DATE_FIELD] },
  })
  add({
    id: 'B4-issue14-approval',
    attackClass: 'baseline',
    variant:
      'issue 14: leader approval whose FieldMDP lock excludes the number and date, filled, then the seal',
    bytes: await seal(await numbered(await signLeader(excludeLock))),
    expected: { documentVerdict: 'valid-with-allowed-changes', signatures: ['valid', 'valid'] },
  })
  // Issue 14's outgoing flow, step by step with its library functions (src/pades/pdf/form-fields.ts):
  // (1) an unsigned update adds the number/date text fields and the seal's empty field locking them,
  // (2) the leader certifies (P=2), (3) the fields are filled, (4) the seal signs into its field.
  const issue14Fields = await update(await plainDocument(), (session) =>
    addEmptyFields(session, {
      text: [
        { name: 'so', pageIndex: 0, rect: [120, 780, 200, 796], fontSize: 11 },
        { name: 'ngay', pageIndex: 0, rect: [330, 780, 420, 796], fontSize: 11 },
      ],
      signatures: [{ name: 'con_dau', pageIndex: 0, rect: [300, 80, 420, 160], locks: ['so', 'ngay'] }],
    }),
  )
  const issue14Certified = await ltv(
    await signPdf(issue14Fields, leader, chain, { certify: 2, visible: true }),
  )
  const fillIssue14 = (session: Parameters<Parameters<typeof update>[1]>[0]) =>
    fillTextFields(
      session,
      [
        ['so', '15/QD-UBND'],
        ['ngay', '07/12/2026'],
      ].map(([name, value]) => ({
        name: name!,
        value: value!,
        appearance: ({ context, register, width, height }) =>
          context.stream(`BT /F0 11 Tf 2 4 Td (${value}) Tj ET`, {
            Type: 'XObject',
            Subtype: 'Form',
            BBox: [0, 0, width, height],
            Resources: {
              Font: {
                F0: register(
                  context.obj({
                    Type: 'Font',
                    Subtype: 'Type0',
                    BaseFont: 'LiberationSerif',
                    Encoding: 'Identity-H',
                  }),
                ),
              },
            },
          }),
      })),
    )
  const sealInto = async (bytes: Uint8Array) =>
    ltv(
      await signPdf(bytes, agency, chain, {
        name: 'Ủy ban nhân dân tỉnh Hòa Giang',
        fieldName: 'con_dau',
        visible: true,
      }),
    )
  add({
    id: 'B10-issue14-exact-sequence',
    attackClass: 'baseline',
    variant:
      "issue 14's exact sequence: unsigned update adds /Tx fields and the seal field locking them, leader P=2, fill-in, seal into its field",
    bytes: await sealInto(await update(issue14Certified, fillIssue14)),
    expected: { documentVerdict: 'valid-with-allowed-changes', signatures: ['valid', 'valid'] },
  })
  add({
    id: '6-issue14-fill-with-content',
    attackClass: '6 DocMDP',
    variant: "issue 14's sequence, but the fill-in update also appends page content",
    bytes: await sealInto(
      await update(issue14Certified, (session, t) => {
        fillIssue14(session)
        const page = t.page()
        const added = session.add(session.context.stream(newContent))
        page.dict.set(PDFName.of('Contents'), session.context.obj([...t.contents(), added]))
        session.put(page.ref, page.dict)
      }),
    ),
    expected: {
      documentVerdict: 'modified',
      signatures: ['invalid', 'valid'],
      signatureReasons: ['docmdp-violation'],
    },
  })
  const now = new Date()
  const lta = await addDocumentTimestamp(
    await ltv(await signPdf(base, leader, chain, { timestamp: { tsa, chain, genTime: now } })),
    tsa,
    chain,
  )
  add({
    id: 'B5-lta',
    attackClass: 'baseline',
    variant: 'PAdES B-LTA: signature timestamp, DSS, document timestamp',
    bytes: lta,
    expected: { documentVerdict: 'valid', signatures: ['valid', 'valid'] },
  })
  const certifiedP1 = await certified(1)
  add({
    id: 'B6-p1-dss',
    attackClass: 'baseline',
    variant: 'certification P=1 followed by validation material (DSS) only',
    bytes: certifiedP1,
    expected: { documentVerdict: 'valid', signatures: ['valid'] },
  })
  add({
    id: 'B7-p1-doc-timestamp',
    attackClass: 'baseline',
    variant: 'certification P=1 followed by a document timestamp alone',
    bytes: await addDocumentTimestamp(certifiedP1, tsa, chain),
    expected: { documentVerdict: 'valid', signatures: ['valid', 'valid'] },
  })
  add({
    id: 'B8-xref-streams',
    attackClass: 'baseline',
    variant: 'a document with cross-reference streams, signed by the leader and sealed',
    bytes: await seal(await signLeader(xrefStreamBase)),
    expected: { documentVerdict: 'valid', signatures: ['valid', 'valid'] },
  })
  const freeText =
    (text: string) =>
    (
      session: Parameters<Parameters<typeof update>[1]>[0],
      t: Parameters<Parameters<typeof update>[1]>[1],
    ) => {
      const { context } = session
      const ap = session.add(
        context.stream(`1 1 1 rg 0 0 480 22 re f BT /Helv 12 Tf 0 g 2 6 Td (${text}) Tj ET`, {
          Type: 'XObject',
          Subtype: 'Form',
          BBox: [0, 0, 480, 22],
        }),
      )
      const annot = session.add(
        context.obj({
          Type: 'Annot',
          Subtype: 'FreeText',
          Rect: [55, 695, 535, 717],
          Contents: PDFString.of(text),
          DA: PDFString.of('/Helv 12 Tf 0 g'),
          F: 4,
          AP: { N: ap },
        }),
      )
      const page = t.page()
      const annots = context.lookup(page.dict.get(PDFName.of('Annots')))
      const list = annots instanceof PDFArray ? annots : context.obj([])
      list.push(annot)
      page.dict.set(PDFName.of('Annots'), list)
      session.put(page.ref, page.dict)
    }
  add({
    id: 'B9-p3-annotation',
    attackClass: 'baseline',
    variant: 'certification P=3 followed by an annotation (permitted)',
    bytes: await update(await certified(3), freeText('Da xem')),
    expected: { documentVerdict: 'valid-with-allowed-changes', signatures: ['valid'] },
  })

  // ── 1. Incremental saving attack with type confusion ─────────────────────────────────────────
  for (const type of ['XRef', 'ObjStm', 'Sig', 'DSS', 'Metadata']) {
    add({
      id: `1-content-as-${type.toLowerCase()}`,
      attackClass: '1 ISA type confusion',
      variant: `page content stream replaced by one declaring /Type /${type}`,
      bytes: await update(approved, (session) => {
        session.put(contentObject, session.context.stream(newContent, { Type: type }))
      }),
      expected: {
        documentVerdict: 'modified',
        signatures: ['indeterminate'],
        signatureReasons: ['modified-after-signing'],
      },
      note: 'pdfsig: valid, "not total document signed" only',
    })
  }
  add({
    id: '1-content-listed-in-dss',
    attackClass: '1 ISA type confusion',
    variant: 'page content rewritten and its object number listed in /DSS /Certs',
    bytes: await update(approved, (session, t) => {
      session.put(contentObject, session.context.stream(newContent))
      const catalog = t.catalog()
      catalog.set(PDFName.of('DSS'), session.context.obj({ Type: 'DSS', Certs: [contentObject] }))
      session.put(session.revision.root, catalog)
    }),
    expected: { documentVerdict: 'modified', signatureReasons: ['modified-after-signing'] },
  })
  for (const type of ['DSS', 'XRef']) {
    add({
      id: `1-p1-content-as-${type.toLowerCase()}`,
      attackClass: '1 ISA type confusion',
      variant: `certification P=1, then page content declared /Type /${type}`,
      bytes: await update(certifiedP1, (session) => {
        session.put(contentObject, session.context.stream(newContent, { Type: type }))
      }),
      expected: {
        documentVerdict: 'modified',
        signatures: ['invalid'],
        signatureReasons: ['docmdp-violation'],
      },
      note: 'pdfsig does not check DocMDP',
    })
  }
  add({
    id: '1-new-content-stream',
    attackClass: '1 ISA type confusion',
    variant: 'plain incremental saving: a content stream appended to the page',
    bytes: await update(approved, (session, t) => {
      const page = t.page()
      const added = session.add(session.context.stream(newContent))
      page.dict.set(PDFName.of('Contents'), session.context.obj([...t.contents(), added]))
      session.put(page.ref, page.dict)
    }),
    expected: { documentVerdict: 'modified', signatureReasons: ['modified-after-signing'] },
  })

  // ── 2. Catalog swaps and what renders ────────────────────────────────────────────────────────
  const shadowTree = async (bytes: Uint8Array) => {
    const session = await openPdfForUpdate(bytes)
    return session.context.lookup(session.revision.root, PDFDict).get(PDFName.of(SHADOW_PAGES_KEY)) as PDFRef
  }
  const swapRoot = (bytes: Uint8Array, shadow: PDFRef) =>
    update(bytes, (session, t) => {
      const copy = t.catalog().clone(session.context)
      copy.set(PDFName.of('Pages'), shadow)
      copy.delete(PDFName.of(SHADOW_PAGES_KEY))
      session.revision.root = session.add(copy)
    })
  add({
    id: '2-trailer-root-table',
    attackClass: '2 catalog swap',
    variant: 'new catalog (trailer /Root) pointing at a shadow page tree, classic xref',
    bytes: await swapRoot(approved, await shadowTree(approved)),
    expected: { documentVerdict: 'modified', signatureReasons: ['modified-after-signing'] },
    note: 'pdfsig: valid; shows the shadow page',
  })
  const approvedXrefStreams = await signLeader(xrefStreamBase)
  add({
    id: '2-trailer-root-xref-stream',
    attackClass: '2 catalog swap',
    variant: 'new catalog pointing at a shadow page tree, cross-reference stream update',
    bytes: await swapRoot(approvedXrefStreams, await shadowTree(approvedXrefStreams)),
    expected: { documentVerdict: 'modified', signatureReasons: ['modified-after-signing'] },
  })
  add({
    id: '2-catalog-pages-rewritten',
    attackClass: '2 catalog swap',
    variant: 'the catalog rewritten in place with /Pages -> the shadow page tree (Shadow hide-and-replace)',
    bytes: await update(approved, (session, t) => {
      const catalog = t.catalog()
      catalog.set(PDFName.of('Pages'), catalog.get(PDFName.of(SHADOW_PAGES_KEY))!)
      session.put(session.revision.root, catalog)
    }),
    expected: { documentVerdict: 'modified', signatureReasons: ['modified-after-signing'] },
  })
  add({
    id: '2-ocg-hidden',
    attackClass: '2 catalog swap',
    variant: 'optional content switched off in /OCProperties (Shadow hide via OCG)',
    bytes: await update(approved, (session, t) => {
      const catalog = t.catalog()
      const props = session.context.lookup(catalog.get(PDFName.of('OCProperties')), PDFDict)
      const ocgs = session.context.lookup(props.get(PDFName.of('OCGs')), PDFArray)
      props.set(PDFName.of('D'), session.context.obj({ ON: [], OFF: ocgs.asArray() }))
      session.put(session.revision.root, catalog)
    }),
    expected: { documentVerdict: 'modified', signatureReasons: ['modified-after-signing'] },
  })
  add({
    id: '2-open-action-javascript',
    attackClass: '2 catalog swap',
    variant: 'an /OpenAction JavaScript added to the catalog',
    bytes: await update(approved, (session, t) => {
      const catalog = t.catalog()
      catalog.set(
        PDFName.of('OpenAction'),
        session.context.obj({ S: 'JavaScript', JS: PDFString.of('app.alert(1)') }),
      )
      session.put(session.revision.root, catalog)
    }),
    expected: { documentVerdict: 'modified', signatureReasons: ['modified-after-signing'] },
  })
  add({
    id: '2-page-cropbox',
    attackClass: '2 catalog swap',
    variant: "the page's /CropBox shrunk to hide a paragraph",
    bytes: await update(approved, (session, t) => {
      const page = t.page()
      page.dict.set(PDFName.of('CropBox'), session.context.obj([0, 0, 595, 700]))
      session.put(page.ref, page.dict)
    }),
    expected: { documentVerdict: 'modified', signatureReasons: ['modified-after-signing'] },
  })
  add({
    id: '2-font-replaced',
    attackClass: '2 catalog swap',
    variant: 'a font resource of the page rewritten (Shadow replace via font)',
    bytes: await update(approved, (session, t) => {
      const resources = session.context.lookup(t.page().dict.get(PDFName.of('Resources')), PDFDict)
      const fonts = session.context.lookup(resources.get(PDFName.of('Font')), PDFDict)
      const [, fontRef] = fonts.entries()[0]!
      session.put(
        fontRef as PDFRef,
        session.context.obj({
          Type: 'Font',
          Subtype: 'Type1',
          BaseFont: 'Courier',
          Encoding: 'WinAnsiEncoding',
        }),
      )
    }),
    expected: { documentVerdict: 'modified', signatureReasons: ['modified-after-signing'] },
  })
  add({
    id: '2-annotation-appearance',
    attackClass: '2 catalog swap',
    variant: "an existing annotation's appearance stream rewritten",
    bytes: await update(approved, (session, t) => {
      const annotation = t
        .annots()
        .map((item) => session.context.lookup(item))
        .find(
          (dict) => dict instanceof PDFDict && dict.get(PDFName.of('Subtype')) === PDFName.of('FreeText'),
        ) as PDFDict
      const ap = session.context.lookup(annotation.get(PDFName.of('AP')), PDFDict)
      session.put(
        ap.get(PDFName.of('N')) as PDFRef,
        session.context.stream('0 0 0 rg 0 0 480 22 re f', {
          Type: 'XObject',
          Subtype: 'Form',
          BBox: [0, 0, 480, 22],
        }),
      )
    }),
    expected: { documentVerdict: 'modified', signatureReasons: ['modified-after-signing'] },
  })

  // ── 3. Broken or hostile cross-references in an update ───────────────────────────────────────
  const contentBody = `<< /Length ${newContent.length} >>\nstream\n${newContent}\nendstream`
  const n = contentObject.objectNumber
  add({
    id: '3-xref-wrong-offset',
    attackClass: '3 hostile xref',
    variant: 'an update whose xref entry points 3 bytes off its (changed) object',
    bytes: rawUpdate(approved, { objects: [{ number: n, body: contentBody }], skew: new Map([[n, 3]]) }),
    expected: { documentVerdict: 'modified' },
  })
  add({
    id: '3-xref-complete-no-prev',
    attackClass: '3 hostile xref',
    variant: 'an update with a complete xref table and no /Prev',
    bytes: rawUpdate(approved, { objects: [{ number: n, body: contentBody }], prev: null }),
    expected: { documentVerdict: 'modified' },
  })
  add({
    id: '3-objects-without-xref',
    attackClass: '3 hostile xref',
    variant: 'objects appended after %%EOF with no cross-reference section',
    bytes: rawUpdate(approved, { objects: [{ number: n, body: contentBody }], noXref: true }),
    expected: { documentVerdict: 'modified' },
    note: 'pdfsig: valid; a repairing viewer shows the appended object',
  })
  add({
    id: '3-trailing-bytes',
    attackClass: '3 hostile xref',
    variant: 'bytes after the last %%EOF (no objects)',
    bytes: Buffer.concat([Buffer.from(approved), Buffer.from('\n% ghi chú thêm sau khi ký\n', 'utf8')]),
    expected: { documentVerdict: 'indeterminate' },
  })
  const broken = Buffer.from(
    await update(approved, (session) => {
      session.put(contentObject, session.context.stream(newContent))
    }),
  )
  const lastXref = broken.lastIndexOf('startxref')
  broken.write('startxref\n9999999999', lastXref, 'latin1')
  add({
    id: '3-startxref-broken',
    attackClass: '3 hostile xref',
    variant: 'an update whose startxref points nowhere (readers fall back to repair)',
    bytes: broken,
    expected: { documentVerdict: 'modified' },
  })
  add({
    id: '3-unlisted-object',
    attackClass: '3 hostile xref',
    variant: 'an update carrying a changed page content its xref does not list',
    bytes: rawUpdate(approved, {
      objects: [{ number: 9000, body: '<< /Producer (x) >>' }],
      unlisted: [{ number: n, body: contentBody }],
    }),
    expected: { documentVerdict: 'indeterminate' },
  })

  // ── 4. The signed revision's signature dictionary ────────────────────────────────────────────
  const expiredSigned = await signPdf(base, pki.expired as SigningIdentity, chain, {
    name: 'Trần Thị Bình',
    signingTime: new Date(),
  })
  const redefine = (bytes: Uint8Array, change: (dict: PDFDict) => void) =>
    update(bytes, (session, t) => {
      const field = t.field('Signature1')
      const sigRef = field.dict.get(PDFName.of('V')) as PDFRef
      const dict = session.context.lookup(sigRef, PDFDict).clone(session.context)
      change(dict)
      session.put(sigRef, dict)
    })
  const expiredWithDss = await ltv(expiredSigned)
  add({
    id: '4-m-rewritten',
    attackClass: '4 signed revision dictionary',
    variant: "an unsigned update rewrites /M into the expired certificate's validity",
    bytes: await redefine(expiredWithDss, (dict) =>
      dict.set(PDFName.of('M'), PDFString.of("D:20250101120000+07'00'")),
    ),
    expected: {
      documentVerdict: 'modified',
      signatures: ['indeterminate'],
      signatureReasons: ['expired-no-poe'],
    },
  })
  const p1Plain = await ltv(await signPdf(base, leader, chain, { certify: 1 }))
  add({
    id: '4-reference-dropped',
    attackClass: '4 signed revision dictionary',
    variant: 'an update drops /Reference (DocMDP P=1) from the signature dictionary, then annotates',
    bytes: await update(
      await redefine(p1Plain, (dict) => dict.delete(PDFName.of('Reference'))),
      freeText('DA DUYET 9 TY'),
    ),
    expected: {
      documentVerdict: 'modified',
      signatures: ['invalid'],
      signatureReasons: ['docmdp-violation'],
    },
  })

  // ── 5. ByteRange ending at a fake %%EOF ──────────────────────────────────────────────────────
  const fakeEof = async (location: string) => {
    const attack = await prepareForAttack(base, leader, chain, { location })
    const { prepared } = attack
    const text = Buffer.from(prepared.bytes).toString('latin1')
    const fake = text.indexOf('%%EOF', prepared.byteRange[2]) + 5
    const range: [number, number, number, number] = [
      0,
      prepared.byteRange[1],
      prepared.byteRange[2],
      fake - prepared.byteRange[2],
    ]
    const rangeAt = text.lastIndexOf('/ByteRange ', prepared.byteRange[1]) + '/ByteRange '.length
    // `bytes` is a joined copy: the placeholder lives in the appended update, which is what gets signed.
    const [original, appended] = prepared.chunks
    appended.set(Buffer.from(formatByteRange(range), 'latin1'), rangeAt - original.length)
    prepared.byteRange.splice(0, 4, ...range)
    return attack.finish()
  }
  add({
    id: '5-fake-eof-in-string',
    attackClass: '5 fake %%EOF',
    variant: 'ByteRange ends right after "%%EOF" inside the /Location string',
    bytes: await fakeEof('Ha Noi %%EOF'),
    expected: {
      documentVerdict: 'invalid',
      signatures: ['invalid'],
      signatureReasons: ['byterange-malformed'],
    },
    note: 'pdfsig: valid (it checks the digest over the ranges only)',
  })
  add({
    id: '5-fake-startxref-in-string',
    attackClass: '5 fake %%EOF',
    variant: 'ByteRange ends after a fake "startxref <real offset> %%EOF" inside a string',
    // Plain ASCII with spaces: written as a literal string, so the bytes hold the fake sequence.
    bytes: await fakeEof(`x startxref ${lastStartXref(base)} %%EOF`),
    expected: {
      documentVerdict: 'invalid',
      signatures: ['invalid'],
      signatureReasons: ['byterange-malformed'],
    },
  })

  // ── 6. DocMDP and FieldMDP ───────────────────────────────────────────────────────────────────
  const certifiedP2 = await certified(2)
  add({
    id: '6-p2-annotation',
    attackClass: '6 DocMDP',
    variant: 'P=2, then a FreeText annotation over the amount (Evil Annotation Attack)',
    bytes: await update(certifiedP2, freeText('Tong kinh phi: 9.000.000.000 dong')),
    expected: {
      documentVerdict: 'modified',
      signatures: ['invalid'],
      signatureReasons: ['docmdp-violation'],
    },
    note: 'pdfsig: valid (no DocMDP check)',
  })
  add({
    id: '6-p2-new-text-field',
    attackClass: '6 DocMDP',
    variant: 'P=2, then a new (non-signature) text field with a value drawn over the page',
    bytes: await update(certifiedP2, (session, t) => {
      const { context } = session
      const ap = session.add(
        context.stream('BT /Helv 12 Tf 2 6 Td (9.000.000.000) Tj ET', {
          Type: 'XObject',
          Subtype: 'Form',
          BBox: [0, 0, 200, 22],
        }),
      )
      const field = session.add(
        context.obj({
          FT: 'Tx',
          T: PDFString.of('so_tien'),
          V: PDFString.of('9.000.000.000'),
          Type: 'Annot',
          Subtype: 'Widget',
          Rect: [300, 695, 500, 717],
          F: 4,
          P: t.page().ref,
          AP: { N: ap },
        }),
      )
      const form = t.acroForm()
      const fields = context.lookup(form.dict.get(PDFName.of('Fields')), PDFArray)
      fields.push(field)
      if (form.ref) session.put(form.ref, form.dict)
      else session.put(session.revision.root, t.catalog())
      const page = t.page()
      context.lookup(page.dict.get(PDFName.of('Annots')), PDFArray).push(field)
      session.put(page.ref, page.dict)
    }),
    expected: {
      documentVerdict: 'modified',
      signatures: ['invalid'],
      signatureReasons: ['docmdp-violation'],
    },
  })
  const removeCover = (
    session: Parameters<Parameters<typeof update>[1]>[0],
    t: Parameters<Parameters<typeof update>[1]>[1],
  ) => {
    const page = t.page()
    const kept = t.annots().filter((item) => {
      const dict = session.context.lookup(item)
      return !(dict instanceof PDFDict && dict.get(PDFName.of('Subtype')) === PDFName.of('FreeText'))
    })
    page.dict.set(PDFName.of('Annots'), session.context.obj(kept))
    session.put(page.ref, page.dict)
  }
  add({
    id: '6-p2-annotation-removed',
    attackClass: '6 DocMDP',
    variant: 'P=2, then the annotation covering a line is removed (Shadow hide)',
    bytes: await update(certifiedP2, removeCover),
    expected: {
      documentVerdict: 'modified',
      signatures: ['invalid'],
      signatureReasons: ['docmdp-violation'],
    },
  })
  add({
    id: '6-p2-unsigned-signature-field-overlay',
    attackClass: '6 DocMDP',
    variant:
      'P=2, then an empty signature field whose appearance paints over the page (Sneaky Signature Attack)',
    bytes: await update(certifiedP2, (session, t) => {
      const { context } = session
      const ap = session.add(
        context.stream('1 1 1 rg 0 0 480 22 re f BT /Helv 12 Tf 0 g 2 6 Td (9.000.000.000) Tj ET', {
          Type: 'XObject',
          Subtype: 'Form',
          BBox: [0, 0, 480, 22],
        }),
      )
      const field = session.add(
        context.obj({
          FT: 'Sig',
          T: PDFString.of('Signature9'),
          Type: 'Annot',
          Subtype: 'Widget',
          Rect: [55, 695, 535, 717],
          F: 4,
          P: t.page().ref,
          AP: { N: ap },
        }),
      )
      const form = t.acroForm()
      context.lookup(form.dict.get(PDFName.of('Fields')), PDFArray).push(field)
      if (form.ref) session.put(form.ref, form.dict)
      else session.put(session.revision.root, t.catalog())
      const page = t.page()
      context.lookup(page.dict.get(PDFName.of('Annots')), PDFArray).push(field)
      session.put(page.ref, page.dict)
    }),
    expected: {
      documentVerdict: 'modified',
      signatures: ['invalid'],
      signatureReasons: ['docmdp-violation'],
    },
  })
  add({
    id: '6-p1-form-fill',
    attackClass: '6 DocMDP',
    variant: 'P=1, then a form field filled',
    bytes: await numbered(certifiedP1),
    expected: {
      documentVerdict: 'modified',
      signatures: ['invalid'],
      signatureReasons: ['docmdp-violation'],
    },
  })
  add({
    id: '6-p1-timestamp-with-dss',
    attackClass: '6 DocMDP',
    variant: 'P=1, then one update carrying a document timestamp and a DSS change together',
    bytes: await manualSignature(certifiedP1, {
      kind: 'timestamp',
      signer: tsa,
      chain,
      extra: (session) => {
        const catalog = session.context.lookup(session.revision.root, PDFDict)
        const dss = session.context.lookup(catalog.get(PDFName.of('DSS')), PDFDict)
        const extra = session.add(session.context.stream(Buffer.from(pki.tsa.der)))
        dss.set(PDFName.of('Certs'), session.context.obj([extra]))
        const raw = catalog.get(PDFName.of('DSS'))
        if (raw instanceof PDFRef) session.put(raw, dss)
        else session.put(session.revision.root, catalog)
      },
    }),
    expected: {
      documentVerdict: 'modified',
      signatures: ['invalid', 'valid'],
      signatureReasons: ['docmdp-violation'],
    },
  })
  add({
    id: '6-p1-approval-signature',
    attackClass: '6 DocMDP',
    variant: 'P=1, then another (approval) signature',
    bytes: await manualSignature(certifiedP1, { kind: 'signature', signer: agency, chain }),
    expected: { documentVerdict: 'modified', signatureReasons: ['docmdp-violation'] },
  })
  const includeLock = await officialDocument({ lock: { action: 'Include', fields: [NUMBER_FIELD] } })
  add({
    id: '6-fieldmdp-locked-field-filled',
    attackClass: '6 DocMDP',
    variant: 'approval signature whose FieldMDP lock includes the number field, then that field is filled',
    bytes: await numbered(await signLeader(includeLock)),
    expected: {
      documentVerdict: 'modified',
      signatures: ['invalid'],
      signatureReasons: ['fieldmdp-violation'],
    },
  })
  add({
    id: '6-p2-field-moved',
    attackClass: '6 DocMDP',
    variant: "P=2, then an existing text field's widget moved over the amount",
    bytes: await update(certifiedP2, (session, t) => {
      const widget = t.widgetOf(NUMBER_FIELD)
      widget.dict.set(PDFName.of('Rect'), session.context.obj([300, 695, 500, 717]))
      session.put(widget.ref, widget.dict)
    }),
    expected: {
      documentVerdict: 'modified',
      signatures: ['invalid'],
      signatureReasons: ['docmdp-violation'],
    },
  })
  add({
    id: '6-approval-annotation',
    attackClass: '6 DocMDP',
    variant: 'approval signature (no DocMDP), then a FreeText annotation (Shadow replace via overlay)',
    bytes: await update(approved, freeText('Tong kinh phi: 9.000.000.000 dong')),
    expected: {
      documentVerdict: 'modified',
      signatures: ['indeterminate'],
      signatureReasons: ['modified-after-signing'],
    },
  })
  add({
    id: '6-approval-annotation-removed',
    attackClass: '6 DocMDP',
    variant: 'approval signature, then the covering annotation removed (Shadow hide)',
    bytes: await update(approved, removeCover),
    expected: {
      documentVerdict: 'modified',
      signatures: ['indeterminate'],
      signatureReasons: ['modified-after-signing'],
    },
  })

  // ── 7. Validity time ─────────────────────────────────────────────────────────────────────────
  const revoked = pki.revoked as SigningIdentity
  const revokedAt = pki.crls.intermediate.revoked[0]!.revokedAt
  add({
    id: '7-expired-no-timestamp',
    attackClass: '7 validity time',
    variant: 'certificate expired, no timestamp',
    bytes: expiredWithDss,
    expected: {
      documentVerdict: 'indeterminate',
      signatures: ['indeterminate'],
      signatureReasons: ['expired-no-poe'],
    },
  })
  add({
    id: '7-expired-backdated-m',
    attackClass: '7 validity time',
    variant: 'certificate expired, /M (as signed) backdated into its validity: a claim, not a proof',
    bytes: await ltv(
      await signPdf(base, pki.expired as SigningIdentity, chain, {
        signingTime: new Date(Date.parse(pki.expired.x509.validTo) - 30 * 24 * HOUR),
      }),
    ),
    expected: {
      documentVerdict: 'indeterminate',
      signatures: ['indeterminate'],
      signatureReasons: ['expired-no-poe'],
    },
    note: 'pdfsig: "Certificate has Expired"',
  })
  add({
    id: '7-revoked-no-poe',
    attackClass: '7 validity time',
    variant: 'revoked certificate, /M before the revocation, no timestamp',
    bytes: await ltv(
      await signPdf(base, revoked, chain, { signingTime: new Date(revokedAt.getTime() - 6 * HOUR) }),
    ),
    expected: {
      documentVerdict: 'indeterminate',
      signatures: ['indeterminate'],
      signatureReasons: ['revoked-no-poe'],
    },
  })
  add({
    id: '7-revoked-claimed-after',
    attackClass: '7 validity time',
    variant: 'revoked certificate, /M after the revocation',
    bytes: await ltv(await signPdf(base, revoked, chain, { signingTime: new Date() })),
    expected: { documentVerdict: 'invalid', signatures: ['invalid'], signatureReasons: ['revoked'] },
  })
  add({
    id: '7-revoked-timestamp-before',
    attackClass: '7 validity time',
    variant: 'revoked certificate, signature timestamp before the revocation (proof of existence)',
    bytes: await ltv(
      await signPdf(base, revoked, chain, {
        signingTime: new Date(revokedAt.getTime() - 6 * HOUR),
        timestamp: { tsa, chain, genTime: new Date(revokedAt.getTime() - 6 * HOUR) },
      }),
    ),
    expected: { documentVerdict: 'valid', signatures: ['valid'] },
  })
  add({
    id: '7-revoked-timestamp-after',
    attackClass: '7 validity time',
    variant: 'revoked certificate, signature timestamp after the revocation',
    bytes: await ltv(await signPdf(base, revoked, chain, { timestamp: { tsa, chain, genTime: new Date() } })),
    expected: { documentVerdict: 'invalid', signatures: ['invalid'], signatureReasons: ['revoked'] },
  })

  // ── 8. Certification path validation (RFC 5280 §6) ───────────────────────────────────────────
  const attackCerts = createAttackCerts(pki)
  const pathCase = async (
    id: string,
    variant: string,
    signer: SigningIdentity,
    signerChain: Uint8Array[],
    reason: SignatureReason,
    attackClass = '8 path validation',
  ) =>
    add({
      id,
      attackClass,
      variant,
      bytes: await ltv(await signPdf(base, signer, signerChain)),
      expected: {
        documentVerdict: 'indeterminate',
        signatures: ['indeterminate'],
        signatureReasons: [reason],
      },
      path: { leaf: signer.certPem, untrusted: signerChain.slice(0, -1).map(pem) },
    })
  await pathCase(
    '8-issued-by-end-entity',
    'signer certificate issued by the leader (basicConstraints cA false)',
    attackCerts.byEndEntity.signer,
    attackCerts.byEndEntity.chain,
    'ca-constraints',
  )
  await pathCase(
    '8-path-length',
    'a sub-CA below the intermediate, whose pathLenConstraint is 0',
    attackCerts.pathTooLong.signer,
    attackCerts.pathTooLong.chain,
    'ca-constraints',
  )
  await pathCase(
    '8-ca-without-keycertsign',
    'an issuing CA whose keyUsage lacks keyCertSign',
    attackCerts.caWithoutCertSign.signer,
    attackCerts.caWithoutCertSign.chain,
    'ca-constraints',
  )
  await pathCase(
    '8-tsa-certificate-signs',
    'a document signed with the TSA certificate (extendedKeyUsage timeStamping)',
    tsa,
    chain,
    'extended-key-usage',
  )
  await pathCase(
    '8-no-signing-key-usage',
    'signer keyUsage keyEncipherment only',
    attackCerts.noSigningUsage.signer,
    attackCerts.noSigningUsage.chain,
    'key-usage',
  )
  await pathCase(
    '8-unknown-critical-extension',
    'signer certificate with an unknown critical extension',
    attackCerts.unknownCritical.signer,
    attackCerts.unknownCritical.chain,
    'unknown-critical-extension',
  )
  await pathCase(
    '8-not-yet-valid',
    'signer certificate not yet valid',
    attackCerts.notYetValid.signer,
    attackCerts.notYetValid.chain,
    'expired-no-poe',
  )

  // ── 9. Algorithm policy ──────────────────────────────────────────────────────────────────────
  add({
    id: '9-sha1-signature',
    attackClass: '9 algorithm policy',
    variant: 'CMS digest and signature with SHA-1',
    bytes: await ltv(await signPdf(base, leader, chain, { digest: 'sha1' })),
    expected: {
      documentVerdict: 'indeterminate',
      signatures: ['indeterminate'],
      signatureReasons: ['weak-algorithm'],
    },
  })
  await pathCase(
    '9-sha1-certificate',
    'signer certificate signed with sha1WithRSAEncryption',
    attackCerts.sha1Certificate.signer,
    attackCerts.sha1Certificate.chain,
    'weak-algorithm',
    '9 algorithm policy',
  )
  await pathCase(
    '9-rsa-1024',
    'signer key RSA 1024 bits',
    attackCerts.shortKey.signer,
    attackCerts.shortKey.chain,
    'weak-algorithm',
    '9 algorithm policy',
  )

  // ── 10. Field tricks ─────────────────────────────────────────────────────────────────────────
  add({
    id: '10-cloned-signature-field',
    attackClass: '10 field tricks',
    variant: "a new field reusing the leader's signature value, with its own appearance elsewhere",
    bytes: await update(approved, (session, t) => {
      const { context } = session
      const sigRef = t.field(LEADER_FIELD).dict.get(PDFName.of('V')) as PDFRef
      const ap = session.add(
        context.stream('0 0 1 rg 0 0 150 50 re f', {
          Type: 'XObject',
          Subtype: 'Form',
          BBox: [0, 0, 150, 50],
        }),
      )
      const clone = session.add(
        context.obj({
          FT: 'Sig',
          T: PDFString.of('Signature2'),
          V: sigRef,
          Type: 'Annot',
          Subtype: 'Widget',
          Rect: [60, 400, 210, 450],
          F: 4,
          P: t.page().ref,
          AP: { N: ap },
        }),
      )
      const form = t.acroForm()
      context.lookup(form.dict.get(PDFName.of('Fields')), PDFArray).push(clone)
      if (form.ref) session.put(form.ref, form.dict)
      else session.put(session.revision.root, t.catalog())
      const page = t.page()
      context.lookup(page.dict.get(PDFName.of('Annots')), PDFArray).push(clone)
      session.put(page.ref, page.dict)
    }),
    expected: { documentVerdict: 'modified', signatures: ['indeterminate'] },
    note: 'pdfsig: lists two valid signatures',
  })
  const strip = (andContent: boolean) =>
    update(approved, (session, t) => {
      const { context } = session
      const field = t.field(LEADER_FIELD)
      const form = t.acroForm()
      const fields = context.lookup(form.dict.get(PDFName.of('Fields')), PDFArray)
      form.dict.set(
        PDFName.of('Fields'),
        context.obj(
          fields
            .asArray()
            .filter(
              (item) =>
                item !== field.ref &&
                !(item instanceof PDFRef && item.objectNumber === field.ref.objectNumber),
            ),
        ),
      )
      if (form.ref) session.put(form.ref, form.dict)
      else session.put(session.revision.root, t.catalog())
      const page = t.page()
      page.dict.set(
        PDFName.of('Annots'),
        context.obj(
          t
            .annots()
            .filter((item) => !(item instanceof PDFRef && item.objectNumber === field.ref.objectNumber)),
        ),
      )
      if (andContent) {
        const added = session.add(context.stream(newContent))
        page.dict.set(PDFName.of('Contents'), context.obj([...t.contents(), added]))
      }
      session.put(page.ref, page.dict)
    })
  add({
    id: '10-signature-stripped',
    attackClass: '10 field tricks',
    variant: 'the signature field removed from the AcroForm and the page in a later update',
    bytes: await strip(false),
    expected: { documentVerdict: 'modified', signatures: ['indeterminate'] },
    note: 'pdfsig: "File does not contain any signatures"',
  })
  add({
    id: '10-signature-stripped-and-modified',
    attackClass: '10 field tricks',
    variant: 'the signature field removed and the page content changed',
    bytes: await strip(true),
    expected: { documentVerdict: 'modified', signatures: ['indeterminate'] },
    note: 'pdfsig: "File does not contain any signatures"',
  })
  add({
    id: '10-truncated-in-signature',
    attackClass: '10 field tricks',
    variant: 'the file cut inside the signature update (damaged, not "0 signatures")',
    bytes: (await signPdf(approved, agency, chain, { visible: true })).subarray(0, -250),
    expected: {
      documentVerdict: 'indeterminate',
      signatures: ['indeterminate', 'indeterminate'],
      signatureReasons: ['signed-bytes-missing'],
    },
  })
  add({
    id: '10-truncated-half',
    attackClass: '10 field tricks',
    variant: 'the file cut in half',
    bytes: approved.subarray(0, Math.floor(approved.length / 2)),
    expected: { documentVerdict: 'indeterminate' },
  })

  // ── Regressions: what the earlier review already caught ──────────────────────────────────────
  const flipped = Buffer.from(approved)
  const at = flipped.indexOf('Dieu 1') > 0 ? flipped.indexOf('stream', 200) + 30 : 300
  flipped[at] = flipped[at]! ^ 0x01
  add({
    id: 'R-byte-flipped',
    attackClass: 'regression',
    variant: 'one byte flipped inside the signed range',
    bytes: flipped,
    expected: { documentVerdict: 'invalid', signatures: ['invalid'], signatureReasons: ['digest-mismatch'] },
  })
  add({
    id: 'R-shadow-xref-only',
    attackClass: '2 catalog swap',
    variant:
      'an update made of an xref entry only, pointing the page content at a shadow definition in the signed bytes',
    bytes: await shadowDefinitionAttack(base, leader, chain, ltv, contentObject, newContent),
    expected: { documentVerdict: 'modified', signatureReasons: ['modified-after-signing'] },
  })
  return entries
}

/**
 * Shadow hide-and-replace through the cross-references alone: the signed bytes carry a second, unlisted
 * definition of the page content object; an update's xref entry switches to it. No object is added.
 */
async function shadowDefinitionAttack(
  base: Uint8Array,
  leader: SigningIdentity,
  chain: Uint8Array[],
  ltv: (bytes: Uint8Array) => Promise<Uint8Array>,
  content: PDFRef,
  newContent: string,
): Promise<Uint8Array> {
  const text = Buffer.from(base)
  const xrefAt = lastStartXref(base)
  const shadow = Buffer.from(
    `${content.objectNumber} 0 obj\n<< /Length ${newContent.length} >>\nstream\n${newContent}\nendstream\nendobj\n`,
    'latin1',
  )
  // Inserted before the xref: earlier offsets stand, the xref and startxref move by its length.
  const withShadow = Buffer.concat([text.subarray(0, xrefAt), shadow, text.subarray(xrefAt)])
  const fixed = Buffer.from(
    withShadow
      .toString('latin1')
      .replace(/startxref\s+\d+\s+%%EOF\s*$/, `startxref\n${xrefAt + shadow.length}\n%%EOF\n`),
    'latin1',
  )
  const signed = await ltv(await signPdf(fixed, leader, chain, { fieldName: LEADER_FIELD, visible: true }))
  return rawUpdate(signed, { entries: new Map([[content.objectNumber, xrefAt]]) })
}
