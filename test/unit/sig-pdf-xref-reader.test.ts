import { PDFContext, PDFDict, PDFDocument, PDFName, type PDFRef } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { lastStartXref } from '../../src/pades/pdf/pdf-bytes.ts'
import { openPdfForUpdate } from '../../src/pades/pdf/pdf-update.ts'
import { prepareSignature } from '../../src/pades/pdf/signature-placeholder.ts'
import { unpredict } from '../../src/pades/pdf/stream-decode.ts'
import { hybridReferencePdf } from '../helpers/hybrid-fixture.ts'
import { readXrefChain } from '../../src/pades/pdf/xref-reader.ts'

/** pdf-lib writes flat trees: regroup the leaves under intermediate /Pages nodes of `size` kids. */
async function nestedPageTree(pages: number, size: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  for (let i = 0; i < pages; i++) doc.addPage([100 + i, 100])
  const { context } = doc
  const rootRef = doc.catalog.get(PDFName.of('Pages')) as PDFRef
  const leaves = doc.catalog.Pages().Kids().asArray() as PDFRef[]
  const groups: PDFRef[] = []
  for (let i = 0; i < leaves.length; i += size) {
    const kids = leaves.slice(i, i + size)
    const ref = context.register(
      context.obj({ Type: 'Pages', Parent: rootRef, Kids: kids, Count: kids.length }),
    )
    for (const kid of kids) context.lookup(kid, PDFDict).set(PDFName.of('Parent'), ref)
    groups.push(ref)
  }
  doc.catalog.Pages().set(PDFName.of('Kids'), context.obj(groups))
  return doc.save({ useObjectStreams: false })
}

describe('reading cross-references without parsing the whole file', () => {
  it('GIVEN PNG-predicted rows WHEN unpredicted THEN Up and Sub filters are reversed', () => {
    const parms = PDFContext.create().obj({ Predictor: 12, Columns: 3 })
    const encoded = Uint8Array.of(2, 1, 2, 3, 2, 1, 1, 1, 1, 5, 1, 1)
    expect([...unpredict(encoded, parms)]).toEqual([1, 2, 3, 2, 3, 4, 5, 6, 7])
  })

  it('GIVEN a hybrid-reference file WHEN the chain is read THEN objects only in /XRefStm are found', () => {
    const bytes = hybridReferencePdf()
    const entries = readXrefChain(bytes, lastStartXref(bytes), PDFContext.create())
    expect(entries.get(5)).toEqual({ type: 'compressed', stream: 6, index: 0 })
    expect(entries.get(3)).toMatchObject({ type: 'offset', generation: 0 })
    expect(entries.get(0)).toEqual({ type: 'free' })
  })

  it('GIVEN a hybrid-reference file WHEN opened lazily THEN the object-stream font resolves through pdf-lib lookups', async () => {
    const session = await openPdfForUpdate(hybridReferencePdf(), 'lazy')
    expect(session.revision).toMatchObject({ xrefKind: 'table', size: 8 })
    const page = session.context.lookup(session.pageRef(0), PDFDict)
    const resources = page.lookup(PDFName.of('Resources'), PDFDict)
    const font = resources.lookup(PDFName.of('Font'), PDFDict).lookup(PDFName.of('F1'), PDFDict)
    expect(font.get(PDFName.of('BaseFont'))).toBe(PDFName.of('Helvetica'))
  })

  it('GIVEN a page tree with intermediate nodes WHEN a page is found by index THEN /Count skips whole subtrees', async () => {
    const bytes = await nestedPageTree(25, 10)
    const session = await openPdfForUpdate(bytes, 'lazy')
    expect(session.pageCount()).toBe(25)
    expect(
      Buffer.from(bytes)
        .toString('latin1')
        .match(/\/Type \/Pages/g),
    ).toHaveLength(4)
    const reread = await PDFDocument.load(bytes)
    for (const index of [0, 11, 24]) expect(session.pageRef(index)).toBe(reread.getPage(index).ref)
    expect(() => session.pageRef(25)).toThrow(/No page 26/)
  })

  it('GIVEN cross-reference offsets that are wrong WHEN preparing a signature THEN the full parse takes over', async () => {
    const doc = await PDFDocument.create()
    doc.addPage([200, 200])
    const text = Buffer.from(await doc.save({ useObjectStreams: false })).toString('latin1')
    // Shift every in-use offset by one byte: the lazy reader finds no "N 0 obj" where it looks.
    const broken = text.replace(
      /(\d{10}) 00000 n/g,
      (_, o: string) => `${String(Number(o) + 1).padStart(10, '0')} 00000 n`,
    )
    await expect(
      openPdfForUpdate(Buffer.from(broken, 'latin1'), 'lazy').then((s) => s.pageRef(0)),
    ).rejects.toThrow(/xref offset/)
    const prepared = await prepareSignature(Buffer.from(broken, 'latin1'))
    const reread = await PDFDocument.load(prepared.bytes)
    expect(
      reread
        .getForm()
        .getFields()
        .map((f) => f.getName()),
    ).toEqual(['Signature1'])
    expect(reread.getPage(0).node.get(PDFName.of('Annots'))).toBeDefined()
  })
})
