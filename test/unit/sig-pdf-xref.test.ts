import { PDFDocument, PDFName, PDFNumber, PDFRef, PDFString } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { appendIncrementalUpdate } from '../../src/pades/pdf/incremental-writer.ts'
import { openPdfForUpdate } from '../../src/pades/pdf/pdf-update.ts'
import { readLastRevision } from '../../src/pades/pdf/revision.ts'
import { formatXrefTable, xrefStreamData, xrefSubsections } from '../../src/pades/pdf/xref.ts'

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1')
const UPDATE_ID = new Uint8Array(16).fill(0xab)

/** A hand-built one-page PDF with a classic table, offsets computed as the file is assembled. */
function classicPdf(): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ]
  let text = '%PDF-1.4\n'
  const offsets = objects.map((body, i) => {
    const at = text.length
    text += `${i + 1} 0 obj\n${body}\nendobj\n`
    return at
  })
  const xref = text.length
  text += `xref\n0 4\n0000000000 65535 f\r\n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n\r\n`).join('')}`
  text += `trailer\n<< /Size 4 /Root 1 0 R /ID [<00112233445566778899aabbccddeeff><00112233445566778899aabbccddeeff>] >>\n`
  return Buffer.from(`${text}startxref\n${xref}\n%%EOF`, 'latin1')
}

describe('cross-reference formatting', () => {
  it('GIVEN scattered object numbers WHEN grouped THEN runs of consecutive numbers form subsections', () => {
    const entries = [7, 3, 4, 5, 10].map((n) => ({ objectNumber: n, generation: 0, offset: n * 100 }))
    expect(xrefSubsections(entries).map((s) => [s.first, s.entries.length])).toEqual([
      [3, 3],
      [7, 1],
      [10, 1],
    ])
  })

  it('GIVEN the same object twice WHEN grouped THEN it is refused', () => {
    const entry = { objectNumber: 3, generation: 0, offset: 1 }
    expect(() => xrefSubsections([entry, entry])).toThrow(/twice/)
  })

  it('GIVEN entries WHEN written as a classic table THEN every entry line is 20 bytes', () => {
    const table = formatXrefTable([
      { objectNumber: 12, generation: 0, offset: 1234 },
      { objectNumber: 13, generation: 2, offset: 98765 },
      { objectNumber: 20, generation: 0, offset: 5 },
    ])
    expect(table).toBe('xref\n12 2\n0000001234 00000 n\r\n0000098765 00002 n\r\n20 1\n0000000005 00000 n\r\n')
  })

  it('GIVEN entries WHEN written as xref stream rows THEN widths fit the largest offset, big-endian', () => {
    const { widths, index, data } = xrefStreamData([
      { objectNumber: 5, generation: 0, offset: 0x01_02_03 },
      { objectNumber: 6, generation: 0, offset: 0x10 },
      { objectNumber: 9, generation: 0, offset: 0xff },
    ])
    expect(widths).toEqual([1, 3, 1])
    expect(index).toEqual([5, 2, 9, 1])
    expect([...data]).toEqual([1, 1, 2, 3, 0, 1, 0, 0, 0x10, 0, 1, 0, 0, 0xff, 0])
  })
})

describe('appendIncrementalUpdate', () => {
  it('GIVEN a classic-table PDF WHEN a page is changed and an object added THEN a table section chains to the old one', async () => {
    const original = classicPdf()
    const doc = await PDFDocument.load(original, { updateMetadata: false })
    const revision = readLastRevision(original, doc.context)
    expect(revision).toMatchObject({
      xrefKind: 'table',
      size: 4,
      startXref: latin1(original).indexOf('xref'),
    })
    const page = doc.context.lookup(PDFRef.of(3))!
    const note = PDFString.of('ghi chu')
    const update = appendIncrementalUpdate(
      original,
      revision,
      [
        { ref: PDFRef.of(3), object: page },
        { ref: PDFRef.of(4), object: note },
      ],
      { updateId: UPDATE_ID },
    )
    const bytes = update.bytes
    expect(Buffer.compare(bytes.subarray(0, original.length), original)).toBe(0)
    const added = latin1(bytes.subarray(original.length))
    expect(added.startsWith('\n3 0 obj\n')).toBe(true)
    expect(latin1(bytes).slice(update.offsets.get(4)!)).toMatch(/^4 0 obj\n\(ghi chu\)\nendobj\n/)
    const xref = `xref\n3 2\n${String(update.offsets.get(3)).padStart(10, '0')} 00000 n\r\n`
    expect(latin1(bytes).slice(update.startXref)).toContain(xref)
    expect(added).toContain(
      `/Size 5 /Root 1 0 R /ID [<00112233445566778899aabbccddeeff> <${'ab'.repeat(16)}>] /Prev ${revision.startXref}`,
    )
    expect(added.endsWith(`startxref\n${update.startXref}\n%%EOF\n`)).toBe(true)
    const reread = await PDFDocument.load(bytes, { updateMetadata: false })
    expect(reread.context.lookup(PDFRef.of(4))).toBeInstanceOf(PDFString)
  })

  it('GIVEN an xref-stream PDF WHEN updated THEN the update is an xref stream listing itself', async () => {
    const source = await PDFDocument.create()
    source.addPage([200, 200])
    const original = await source.save({ useObjectStreams: true })
    const session = await openPdfForUpdate(original)
    expect(session.revision.xrefKind).toBe('stream')
    const ref = session.add(PDFNumber.of(42))
    expect(ref.objectNumber).toBe(session.revision.size)
    const update = session.write({ updateId: UPDATE_ID })
    const tail = latin1(update.bytes.subarray(update.startXref))
    const selfNumber = ref.objectNumber + 1
    expect(tail).toMatch(new RegExp(`^${selfNumber} 0 obj\\n<< /Type /XRef /Size ${selfNumber + 1} `))
    expect(tail).toContain(`/Prev ${session.revision.startXref}`)
    expect(tail).toContain(`/Index [${ref.objectNumber} 2]`)
    const reread = await PDFDocument.load(update.bytes, { updateMetadata: false })
    expect(reread.context.lookup(ref)).toEqual(PDFNumber.of(42))
    expect(reread.catalog.get(PDFName.of('Pages'))).toBeInstanceOf(PDFRef)
  })

  it('GIVEN an encrypted trailer WHEN opened for update THEN it is refused', async () => {
    const text = latin1(classicPdf()).replace('/Size 4', '/Size 4 /Encrypt 9 0 R')
    const doc = await PDFDocument.load(classicPdf(), { updateMetadata: false })
    expect(() => readLastRevision(Buffer.from(text, 'latin1'), doc.context)).toThrow(/Encrypted/)
  })
})
