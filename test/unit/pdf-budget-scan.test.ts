import zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { assemblePdf } from '../../scripts/lib/hostile-files.ts'
import { BudgetExceededError, FILE_BUDGETS, type FileBudgets } from '../../src/file-budgets/budgets.ts'
import { countDecoded } from '../../src/file-budgets/counting-decoders.ts'
import { scanPdfIsolated } from '../../src/file-budgets/isolated-scan.ts'
import { scanPdfBudget } from '../../src/file-budgets/pdf-budget-scan.ts'

const small: FileBudgets = {
  ...FILE_BUDGETS,
  streamBytes: 1000,
  fileDecodedBytes: 2500,
  imagePixels: 10_000,
  pages: 3,
  nestingDepth: 5,
  objects: 20,
}

const stream = (dict: string, data: Buffer) =>
  Buffer.concat([
    Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`),
    data,
    Buffer.from('\nendstream'),
  ])

/** A PDF whose extra objects follow a catalog and an empty page tree. */
const pdfWith = (...objects: (string | Buffer)[]) =>
  assemblePdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>', ...objects])

/** The file in chunks of `size` bytes: every token and keyword must survive being cut anywhere. */
function* chunked(bytes: Buffer, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size)
}

async function refusal(bytes: Buffer, budgets = small, chunkSize = 7) {
  const error = await scanPdfBudget(chunked(bytes, chunkSize), budgets).then(
    () => undefined,
    (e: unknown) => e,
  )
  return error instanceof BudgetExceededError ? error.code : error
}

describe('PDF budget scan', () => {
  it('GIVEN a stream that inflates past the per-stream budget WHEN scanned in 7-byte chunks THEN decoded-too-large', async () => {
    const bomb = stream('/Filter /FlateDecode', zlib.deflateSync(Buffer.alloc(1001)))
    expect(await refusal(pdfWith(bomb))).toBe('decoded-too-large')
    const fits = stream('/Filter /FlateDecode', zlib.deflateSync(Buffer.alloc(1000)))
    const report = await scanPdfBudget(chunked(pdfWith(fits), 7), small)
    expect(report.decodedBytes).toBe(1000)
  })

  it('GIVEN streams each under budget WHEN together past the file budget THEN decoded-too-large', async () => {
    const part = stream('/Filter /FlateDecode', zlib.deflateSync(Buffer.alloc(900)))
    expect((await scanPdfBudget([pdfWith(part, part)], small)).decodedBytes).toBe(1800)
    expect(await refusal(pdfWith(part, part, part))).toBe('decoded-too-large')
  })

  it('GIVEN a filter chain [/AHx /Fl] or a lying /Length WHEN scanned THEN the decoded size is still counted', async () => {
    const hex = Buffer.from(`${zlib.deflateSync(Buffer.alloc(5000)).toString('hex')}>`)
    expect(await refusal(pdfWith(stream('/Filter [/ASCIIHexDecode /FlateDecode]', hex)))).toBe(
      'decoded-too-large',
    )
    const lying = Buffer.concat([
      Buffer.from('<< /Filter /FlateDecode /Length 3 >>\nstream\n'),
      zlib.deflateSync(Buffer.alloc(5000)),
      Buffer.from('\nendstream'),
    ])
    expect(await refusal(pdfWith(lying))).toBe('decoded-too-large')
  })

  it('GIVEN an LZW stream WHEN counted THEN its decoded length is exact without decoding it', () => {
    // "-----A---B" from ISO 32000-1, 7.4.4.2: 80 0B 60 50 22 0C 0C 85 01.
    const lzw = Buffer.from([0x80, 0x0b, 0x60, 0x50, 0x22, 0x0c, 0x0c, 0x85, 0x01])
    expect(countDecoded('LZWDecode', lzw, 1000)).toBe(10)
  })

  it('GIVEN an image dictionary or a JPEG header over the pixel budget THEN image-too-large', async () => {
    expect(await refusal(pdfWith(stream('/Subtype /Image /Width 101 /Height 100', Buffer.alloc(10))))).toBe(
      'image-too-large',
    )
    const sof = Buffer.from([
      0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x01, 0x00, 0x01, 0x00, 0x01, 0x01, 0x11, 0x00,
    ])
    const liar = stream('/Subtype /Image /Width 10 /Height 10 /Filter /DCTDecode', sof)
    expect(await refusal(pdfWith(liar))).toBe('image-too-large')
  })

  it('GIVEN nesting, page and object floods (also inside an object stream) THEN each names its budget', async () => {
    expect(await refusal(pdfWith('[[[[[[1]]]]]]'))).toBe('too-deeply-nested')
    expect(await refusal(pdfWith('[[[[[1]]]]]'))).not.toBeDefined()
    const page = '<< /Type /Page /Parent 2 0 R >>'
    expect(await refusal(pdfWith(page, page, page, page))).toBe('too-many-pages')
    expect(await refusal(pdfWith(`<< /Type /Pages /Kids [${'3 0 R '.repeat(7)}] /Count 1 >>`))).toBe(
      'too-many-pages',
    )
    const objects = Array.from({ length: 20 }, () => 'null')
    expect(await refusal(pdfWith(...objects))).toBe('too-many-objects')
    const pagesInside = zlib.deflateSync(
      Buffer.from(`10 0 11 40 12 80 13 120 ${page} ${page} ${page} ${page}`),
    )
    expect(
      await refusal(pdfWith(stream('/Type /ObjStm /N 4 /First 24 /Filter /FlateDecode', pagesInside))),
    ).toBe('too-many-pages')
  })

  it('GIVEN brackets and stream keywords inside strings and comments THEN they are not structure', async () => {
    const tricky = pdfWith('<< /T (a [[[[[[ b \\) stream) /U <5b5b5b> >>', '% [[[[[[[[ stream\nnull')
    const report = await scanPdfBudget(chunked(tricky, 3), small)
    // Depth 2 is the page tree's /Kids array; the strings and the comment add nothing.
    expect(report).toMatchObject({ streams: 0, maxDepth: 2 })
  })

  it('GIVEN a scan that outlives its time budget WHEN isolated THEN scan-exhausted, and a good file passes the thread', async () => {
    const part = stream('/Filter /FlateDecode', zlib.deflateSync(Buffer.alloc(900)))
    const report = await scanPdfIsolated(chunkedAsync(pdfWith(part), 64), small)
    expect(report).toMatchObject({ decodedBytes: 900, streams: 1 })
    const endless = (async function* () {
      yield pdfWith(part)
      await new Promise((resolve) => setTimeout(resolve, 60_000))
    })()
    const error = await scanPdfIsolated(endless, { ...small, scanMs: 3000 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BudgetExceededError)
    expect((error as BudgetExceededError).code).toBe('scan-exhausted')
  }, 30_000)
})

describe('isolated scans one after another', () => {
  it('GIVEN files scanned in turn (threads are reused) WHEN each is under budget alone THEN each gets its own report, a refusal between them changes nothing', async () => {
    const part = stream('/Filter /FlateDecode', zlib.deflateSync(Buffer.alloc(900)))
    // Two of these in one scan would pass the 2,500-byte file budget: a thread carrying a count over would refuse.
    const twoParts = pdfWith(part, part)
    for (let i = 0; i < 3; i++) {
      expect(await scanPdfIsolated(chunkedAsync(twoParts, 64), small)).toMatchObject({ decodedBytes: 1800, streams: 2 })
    }
    const refused = await scanPdfIsolated(chunkedAsync(pdfWith(part, part, part), 64), small).catch((e: unknown) => e)
    expect((refused as BudgetExceededError).code).toBe('decoded-too-large')
    const [a, b] = await Promise.all([
      scanPdfIsolated(chunkedAsync(twoParts, 64), small),
      scanPdfIsolated(chunkedAsync(pdfWith(part), 64), small),
    ])
    expect([a.decodedBytes, b.decodedBytes]).toEqual([1800, 900])
  }, 60_000)
})

async function* chunkedAsync(bytes: Buffer, size: number) {
  yield* chunked(bytes, size)
}
