import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { PDFDocument, PDFName, PDFString } from 'pdf-lib'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExtractionError, extractWithDiagnostics } from '../../src/text/extract.ts'
import { prepareLanguageDir } from '../../src/text/ocr-languages.ts'
import { createOcrPool, type OcrPool, packagedLanguageDirs, workerOptions } from '../../src/text/ocr-pool.ts'
import { scannedPageJpeg } from '../../src/text/page-images.ts'
import { hasSignatureFields } from '../../src/text/searchable-pdf.ts'
import { characterErrorRate, normaliseForComparison, wordRecall } from '../../src/text/quality.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { buildTiff, greyRamp } from '../helpers/tiff-fixtures.ts'

// Two real pages are OCRed here (~5–15 s each on a loaded 2-core machine); the rest is small or plumbing.
const noOcr: OcrPool = {
  recognize: async () => {
    throw new Error('no OCR expected')
  },
  close: async () => {},
}

let pool: OcrPool
beforeAll(() => {
  pool = createOcrPool({ workers: 1, recyclePages: 2 })
})
afterAll(async () => {
  await pool?.close()
})

const truth = (id: string) => readFile(corpusFile(`${id}.txt`), 'utf8')
// Page 1 of the truth: the born-digital PDF's page 1 (its text layer matches the truth exactly).
const truthOfPage1 = async (id: string) => {
  const bytes = await readFile(corpusFile(`${id}.pdf`))
  const { result } = await extractWithDiagnostics(
    { bytes, mediaType: 'application/pdf' },
    { ocr: noOcr, maxPages: 1 },
  )
  return result.pages[0]!.text
}

describe('OCR of scanned pages', () => {
  it('GIVEN a one-page scan PDF of JPEG pages WHEN extracted THEN OCR reads the JPEG as it is, in reading order, and a searchable PDF comes back', async () => {
    const bytes = await readFile(corpusFile('009.scan.pdf'))
    const progress: number[][] = []
    const { result, diagnostics } = await extractWithDiagnostics(
      { bytes, mediaType: 'application/pdf' },
      { ocr: pool, searchable: true, onProgress: (done, total) => void progress.push([done, total]) },
    )
    expect(diagnostics.map((page) => page.route)).toEqual(['jpeg'])
    expect(result.pages[0]!.engine).toBe('ocr')
    expect(result.pages[0]!.confidence).toBeGreaterThan(0.8)
    expect(progress).toEqual([[1, 1]])
    const text = result.pages[0]!.text
    // Measured (npm run ocr:quality): CER 0.38%, word recall 0.986; the floors leave a margin.
    expect(characterErrorRate(text, await truth('009'))).toBeLessThan(0.015)
    expect(wordRecall(text, await truth('009'))).toBeGreaterThan(0.97)
    // Header row by row: agency (2 cells' worth of lines), then the motto.
    expect(normaliseForComparison(text)).toMatch(
      /^UBND TỈNH HÒA GIANG SỞ KHOA HỌC VÀ CÔNG NGHỆ CỘNG HÒA XÃ HỘI/,
    )

    // The rendition: the same page with an invisible text layer that a PDF reader finds.
    const searchable = result.searchablePdf!
    expect(searchable).not.toBeNull()
    const again = await extractWithDiagnostics(
      { bytes: searchable, mediaType: 'application/pdf' },
      { ocr: noOcr },
    )
    expect(again.diagnostics.map((page) => page.route)).toEqual(['text-layer'])
    expect(wordRecall(again.result.pages[0]!.text, text)).toBeGreaterThan(0.95)
    const original = await PDFDocument.load(bytes)
    const copy = await PDFDocument.load(searchable)
    expect(copy.getPage(0).getSize()).toEqual(original.getPage(0).getSize())
  })

  it('GIVEN the PNG scan of page 1 WHEN extracted THEN the header and body come in reading order', async () => {
    const bytes = await readFile(corpusFile('002.scan.png'))
    const { result, diagnostics } = await extractWithDiagnostics(
      { bytes, mediaType: 'image/png' },
      { ocr: pool },
    )
    expect(diagnostics.map((page) => page.route)).toEqual(['image'])
    expect(result.pageCount).toBe(1)
    const expected = await truthOfPage1('002')
    // Measured: CER 0.29%, word recall 0.989.
    expect(characterErrorRate(result.pages[0]!.text, expected)).toBeLessThan(0.015)
    expect(wordRecall(result.pages[0]!.text, expected)).toBeGreaterThan(0.97)
    expect(result.searchablePdf).toBeNull()
  })

  it('GIVEN a PDF page that is not one JPEG (a PNG image) WHEN extracted THEN it is rendered for OCR', async () => {
    // A small blank image keeps this cheap: what is tested is the route, not the reading.
    const pdf = await PDFDocument.create()
    const png = new PNG({ width: 200, height: 100 })
    png.data.fill(255)
    const image = await pdf.embedPng(PNG.sync.write(png))
    pdf.addPage([144, 72]).drawImage(image, { x: 0, y: 0, width: 144, height: 72 })
    const bytes = await pdf.save()
    expect(scannedPageJpeg(await PDFDocument.load(bytes), 0)).toBeUndefined()
    const { result, diagnostics } = await extractWithDiagnostics(
      { bytes, mediaType: 'application/pdf' },
      { ocr: pool },
    )
    expect(diagnostics.map((page) => page.route)).toEqual(['render'])
    expect(result.pages.map((page) => page.engine)).toEqual(['ocr'])
  })

  it('GIVEN a two-page TIFF WHEN extracted THEN both pages are OCRed with progress after each', async () => {
    const samples = greyRamp(300, 200, () => 255)
    const page = { width: 300, height: 200, bits: 8, photometric: 1, samples, dpi: 200 } as const
    const bytes = buildTiff([page, page])
    const progress: number[][] = []
    const { result, diagnostics } = await extractWithDiagnostics(
      { bytes, mediaType: 'image/tiff' },
      { ocr: pool, searchable: true, onProgress: (done, total) => void progress.push([done, total]) },
    )
    expect(diagnostics.map((p) => p.route)).toEqual(['image', 'image'])
    expect(result.pages.map((p) => [p.pageNumber, p.engine])).toEqual([
      [1, 'ocr'],
      [2, 'ocr'],
    ])
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ])
    expect((await PDFDocument.load(result.searchablePdf!)).getPageCount()).toBe(2)
  })
})

describe('the searchable rendition is never made for signed PDFs', () => {
  it('GIVEN a PDF with a signature field WHEN checked THEN it counts as signed; a plain scan does not', async () => {
    const bytes = await readFile(corpusFile('009.scan.pdf'))
    const plain = await PDFDocument.load(bytes)
    expect(hasSignatureFields(plain)).toBe(false)
    const signed = await PDFDocument.load(bytes)
    const { context } = signed
    const widget = context.register(
      context.obj({
        Type: 'Annot',
        Subtype: 'Widget',
        FT: 'Sig',
        T: PDFString.of('Signature1'),
        Rect: [0, 0, 0, 0],
      }),
    )
    signed.catalog.set(PDFName.of('AcroForm'), context.obj({ Fields: [widget], SigFlags: 3 }))
    signed.getPage(0).node.set(PDFName.of('Annots'), context.obj([widget]))
    expect(hasSignatureFields(await PDFDocument.load(await signed.save()))).toBe(true)
  })
})

describe('the JPEG fast path', () => {
  it('GIVEN a scan PDF WHEN its pages are inspected THEN each page yields its JPEG bytes; a born-digital page none', async () => {
    const scan = await PDFDocument.load(await readFile(corpusFile('001.scan.pdf')))
    for (const index of scan.getPageIndices()) {
      const jpeg = scannedPageJpeg(scan, index)!
      expect([jpeg.bytes[0], jpeg.bytes[1]]).toEqual([0xff, 0xd8])
      expect(jpeg.width).toBeGreaterThan(1000)
    }
    const digital = await PDFDocument.load(await readFile(corpusFile('001.pdf')))
    expect(scannedPageJpeg(digital, 0)).toBeUndefined()
  })
})

describe('the OCR pool stays offline and fails cleanly', () => {
  it('GIVEN the packaged language data WHEN workers are configured THEN only local paths are used', () => {
    const dirs = packagedLanguageDirs()
    const langPath = prepareLanguageDir(dirs)
    const options = workerOptions(langPath)
    expect(path.isAbsolute(options.langPath)).toBe(true)
    expect(options.langPath).not.toMatch(/^[a-z]+:\/\//i)
    expect(existsSync(path.join(langPath, 'vie.traineddata.gz'))).toBe(true)
    expect(existsSync(path.join(langPath, 'eng.traineddata.gz'))).toBe(true)
    expect(options.cacheMethod).toBe('none')
  })

  it('GIVEN missing language data WHEN a pool is made THEN it refuses at once', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'vanthu-nodata-'))
    expect(() => createOcrPool({ langDirs: { vie: empty, eng: empty } })).toThrow(/language data missing/)
  })

  it('GIVEN corrupt language data WHEN a pool is made THEN it refuses at once (tesseract.js would never settle)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vanthu-baddata-'))
    for (const code of ['vie', 'eng'])
      writeFileSync(path.join(dir, `${code}.traineddata.gz`), gzipSync('not a model'))
    expect(() => createOcrPool({ langDirs: { vie: dir, eng: dir } })).toThrow(/unreadable/)
  })

  it('GIVEN a worker that does not start in time WHEN a page is OCRed THEN ocr-unavailable, not a hang', async () => {
    const slow = createOcrPool({ workers: 1, createTimeoutMs: 1 })
    try {
      const bytes = await readFile(corpusFile('002.scan.png'))
      const error = await extractWithDiagnostics({ bytes, mediaType: 'image/png' }, { ocr: slow }).catch(
        (e) => e,
      )
      expect(error).toBeInstanceOf(ExtractionError)
      expect((error as ExtractionError).code).toBe('ocr-unavailable')
    } finally {
      await slow.close()
    }
  })
})
