import { PDFDocument } from 'pdf-lib'
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs'
import { countTiffImages } from '../documents/page-count.ts'
import { tiffPages } from '../documents/tiff.ts'
import {
  ExtractionError,
  MAX_IMAGE_PIXELS,
  MAX_PAGES,
  NeedsOcrError,
  OcrUnavailableError,
  throwIfAborted,
} from './errors.ts'
import { imageSize, isPng } from './image-size.ts'
import { ocrConfidence, ocrReadingOrder } from './ocr-page.ts'
import type { OcrPool } from './ocr-pool.ts'
import { rereadColumns } from './ocr-regions.ts'
import { type PageImage, renderPage, scannedPageJpeg } from './page-images.ts'
import { inPageOrder } from './page-pipeline.ts'
import { isUsableTextLayer, openPdf, type PdfRanges, pageTextLayer } from './pdf-document.ts'
import { buildSearchablePdf, hasSignatureFields, type OcrLayer } from './searchable-pdf.ts'

export { ExtractionError, MAX_IMAGE_PIXELS, MAX_PAGES }
export type { ExtractionErrorCode } from './errors.ts'

export interface ExtractedPage {
  pageNumber: number
  text: string
  engine: 'text-layer' | 'ocr'
  /** OCR: mean word confidence 0–1; text layer: null. */
  confidence: number | null
}
export type ExtractionInput =
  | {
      bytes: Uint8Array
      /** application/pdf, image/png, image/jpeg, image/tiff */
      mediaType: string
    }
  | {
      /**
       * A PDF read by ranges (pdf-document.ts); `readAll` only when a page needs pdf-lib's view of the
       * whole file (scanned pages, the searchable rendition).
       */
      ranges: PdfRanges & { readAll(): Promise<Uint8Array> }
      mediaType: 'application/pdf'
    }
export interface ExtractOptions {
  ocr: OcrPool
  onProgress?: (done: number, total: number) => void | Promise<void>
  signal?: AbortSignal
  /** Also build a searchable PDF (page images + invisible text layer) when any page needed OCR. */
  searchable?: boolean
  /** Only the first N pages (metadata suggestions read page 1 only). */
  maxPages?: number
}
export interface ExtractionResult {
  pages: ExtractedPage[]
  /** Pages in the file, even when maxPages read fewer. */
  pageCount: number
  /** Null when no page needed OCR, not asked for, only some pages were read, or the PDF has signature fields. */
  searchablePdf: Uint8Array | null
}

/** How a page's text was obtained: for tests, logs and the quality script, not the result contract. */
export type PageRoute = 'text-layer' | 'jpeg' | 'render' | 'image'
export interface PageDiagnostic {
  route: PageRoute
  /** Wall time for the page, ms. */
  ms: number
  /** Tesseract's own text, in its reading order (to measure what the layout step changes). */
  ocrText: string | null
}

/**
 * The text of a PDF or scanned image, page by page, in reading order (see layout.ts). PDF pages keep
 * their text layer when it is usable and are OCRed otherwise: a page that is one JPEG is read as it is,
 * any other page is rendered at 300 dpi. Throws ExtractionError only; stops between pages on `signal`.
 */
export async function extractText(
  input: ExtractionInput,
  options: ExtractOptions,
): Promise<ExtractionResult> {
  return (await extractWithDiagnostics(input, options)).result
}

export async function extractWithDiagnostics(
  input: ExtractionInput,
  options: ExtractOptions,
): Promise<{ result: ExtractionResult; diagnostics: PageDiagnostic[] }> {
  throwIfAborted(options.signal)
  if ('ranges' in input) return extractPdfRanges(input.ranges, options)
  switch (input.mediaType) {
    case 'application/pdf':
      return extractPdf(input.bytes, () => Promise.resolve(input.bytes), options)
    case 'image/png':
    case 'image/jpeg':
      return extractImages([checkedImage(input.bytes, 1)], 1, options)
    case 'image/tiff':
      return extractImages(tiffImages(input.bytes), tiffPageCount(input.bytes), options)
    default:
      throw new ExtractionError('unreadable-file', `Cannot extract text from ${input.mediaType}.`)
  }
}

/** A storage failure while pdf.js reads ranges is the storage's (retried), not the file's. */
async function extractPdfRanges(
  ranges: PdfRanges & { readAll(): Promise<Uint8Array> },
  options: ExtractOptions,
) {
  let readFailure: unknown
  const read = (begin: number, end: number) =>
    ranges.read(begin, end).catch((error: unknown) => {
      readFailure ??= error
      throw error
    })
  try {
    return await extractPdf({ length: ranges.length, read }, () => ranges.readAll(), options)
  } catch (error) {
    throw readFailure ?? error
  }
}

async function extractPdf(
  source: Uint8Array | PdfRanges,
  wholeFile: () => Promise<Uint8Array>,
  options: ExtractOptions,
) {
  const doc = await openPdf(source).catch((error: unknown) => {
    if ((error as { name?: string }).name === 'PasswordException')
      throw new ExtractionError('encrypted', 'The PDF is encrypted with a password.', { cause: error })
    throw new ExtractionError('unreadable-file', `Not a readable PDF: ${String(error)}`, { cause: error })
  })
  try {
    const pageCount = doc.numPages
    const total = pagesToRead(pageCount, options)
    const wantPdf = options.searchable === true && total === pageCount
    let structure: Promise<PDFDocument> | undefined
    const source: PdfSource = {
      doc,
      structure: () => {
        structure ??= wholeFile().then(loadStructure)
        return structure
      },
    }
    const outcomes = await readAllPages(
      total,
      (index) => readPdfPage(source, index, options, wantPdf),
      options,
    )
    const layers = outcomes.flatMap((outcome) => (outcome.layer ? [outcome.layer] : []))
    let searchablePdf: Uint8Array | null = null
    if (wantPdf && layers.length > 0) {
      const original = await source.structure()
      if (!hasSignatureFields(original))
        searchablePdf = await buildSearchablePdf({ source: original, layers })
    }
    return {
      result: { pages: outcomes.map((o) => o.page), pageCount, searchablePdf },
      diagnostics: diagnosticsOf(outcomes),
    }
  } finally {
    await destroy(doc)
  }
}

interface PdfSource {
  doc: PDFDocumentProxy
  /** pdf-lib's view of the file, parsed once and only when a page needs it. */
  structure: () => Promise<PDFDocument>
}

async function readPdfPage(source: PdfSource, index: number, options: ExtractOptions, wantPdf: boolean) {
  const started = performance.now()
  const page = await source.doc.getPage(index + 1).catch(unreadable(`page ${index + 1}`))
  try {
    const text = await pageTextLayer(page, index).catch(unreadable(`page ${index + 1}`))
    if (isUsableTextLayer(text)) {
      const read: ExtractedPage = { pageNumber: index + 1, text, engine: 'text-layer', confidence: null }
      return outcome(read, 'text-layer', started, null, null, index)
    }
    const jpeg = scannedPageJpeg(await source.structure(), index)
    const image = jpeg ?? (await renderPage(source.doc, page).catch(unreadable(`page ${index + 1}`)))
    const { page: read, pdf, ocrText } = await ocrPage(options, image, index, wantPdf)
    return outcome(read, jpeg ? 'jpeg' : 'render', started, ocrText, pdf, index)
  } finally {
    page.cleanup()
  }
}

async function extractImages(images: Iterable<PageImage>, pageCount: number, options: ExtractOptions) {
  const total = pagesToRead(pageCount, options)
  const wantPdf = options.searchable === true && total === pageCount
  const iterator = images[Symbol.iterator]()
  // Pages are pulled from the iterator in page order (a TIFF decodes one page at a time).
  const readPage = async (index: number) => {
    const next = iterator.next()
    if (next.done) throw new ExtractionError('unreadable-file', `Page ${index + 1} is missing.`)
    const started = performance.now()
    const { page, pdf, ocrText } = await ocrPage(options, next.value, index, wantPdf)
    return { ...outcome(page, 'image', started, ocrText, pdf, index), image: next.value }
  }
  const outcomes = await readAllPages(total, readPage, options)
  const withLayer = outcomes.filter((o) => o.layer)
  const searchablePdf = wantPdf
    ? await buildSearchablePdf({
        images: withLayer.map((o) => o.image),
        layers: withLayer.map((o) => o.layer!),
      })
    : null
  return {
    result: { pages: outcomes.map((o) => o.page), pageCount, searchablePdf },
    diagnostics: diagnosticsOf(outcomes),
  }
}

function pagesToRead(pageCount: number, options: ExtractOptions): number {
  if (pageCount > MAX_PAGES)
    throw new ExtractionError('too-many-pages', `${pageCount} pages (at most ${MAX_PAGES}).`)
  return Math.min(pageCount, options.maxPages ?? pageCount)
}

/** All pages in order, one page read ahead (page-pipeline.ts), progress reported after each. */
async function readAllPages<T>(total: number, read: (index: number) => Promise<T>, options: ExtractOptions) {
  const outcomes: T[] = []
  const deliver = async (index: number, value: T) => {
    outcomes.push(value)
    await options.onProgress?.(index + 1, total)
  }
  await inPageOrder(total, read, deliver, options.signal)
  return outcomes
}

function outcome(
  page: ExtractedPage,
  route: PageRoute,
  started: number,
  ocrText: string | null,
  pdf: Uint8Array | null,
  pageIndex: number,
): PageOutcome {
  const diagnostic = { route, ms: performance.now() - started, ocrText }
  return { page, diagnostic, ...(pdf ? { layer: { pageIndex, pdf } } : {}) }
}

function diagnosticsOf(outcomes: PageOutcome[]): PageDiagnostic[] {
  return outcomes.map((o) => o.diagnostic)
}

interface PageOutcome {
  page: ExtractedPage
  diagnostic: PageDiagnostic
  layer?: OcrLayer
}

async function ocrPage(options: ExtractOptions, image: PageImage, index: number, pdf: boolean) {
  try {
    const first = await options.ocr.recognize({ image: image.bytes, pdf })
    const result = await rereadColumns(options.ocr, image.bytes, first, index, image)
    const page: ExtractedPage = {
      pageNumber: index + 1,
      text: ocrReadingOrder(result, index),
      engine: 'ocr',
      confidence: ocrConfidence(result),
    }
    return { page, pdf: first.pdf, ocrText: first.text }
  } catch (error) {
    if (error instanceof ExtractionError || error instanceof NeedsOcrError) throw error
    const code = error instanceof OcrUnavailableError ? 'ocr-unavailable' : 'ocr-failed'
    throw new ExtractionError(code, `OCR of page ${index + 1} failed: ${String(error)}`, { cause: error })
  }
}

function checkedImage(bytes: Uint8Array, pageNumber: number): PageImage {
  const size = imageSize(bytes)
  if (!size || size.width === 0 || size.height === 0) {
    throw new ExtractionError('unreadable-file', `Page ${pageNumber}: not a readable PNG or JPEG.`)
  }
  if (size.width * size.height > MAX_IMAGE_PIXELS) {
    throw new ExtractionError('image-too-large', `Page ${pageNumber}: ${size.width}×${size.height} pixels.`)
  }
  return { bytes, ...size }
}

function tiffPageCount(bytes: Uint8Array): number {
  try {
    return countTiffImages(bytes)
  } catch (error) {
    throw new ExtractionError('unreadable-file', 'Not a readable TIFF.', { cause: error })
  }
}

function* tiffImages(bytes: Uint8Array): Generator<PageImage> {
  const pages = tiffPages(bytes)
  for (let number = 1; ; number++) {
    let next: IteratorResult<{ png: Buffer; width: number; height: number }>
    try {
      next = pages.next()
    } catch (error) {
      // tiff.ts refuses pages above its own pixel limit (40 Mpx) as unreadable too.
      throw new ExtractionError('unreadable-file', `TIFF page ${number} cannot be decoded.`, { cause: error })
    }
    if (next.done) return
    yield checkedImage(isPng(next.value.png) ? next.value.png : new Uint8Array(), number)
  }
}

async function loadStructure(bytes: Uint8Array): Promise<PDFDocument> {
  try {
    return await PDFDocument.load(bytes, {
      ignoreEncryption: true,
      updateMetadata: false,
      throwOnInvalidObject: false,
    })
  } catch (error) {
    throw new ExtractionError('unreadable-file', `Not a readable PDF: ${String(error)}`, { cause: error })
  }
}

function unreadable(where: string) {
  return (error: unknown): never => {
    if (error instanceof ExtractionError) throw error
    throw new ExtractionError('unreadable-file', `Cannot read ${where}: ${String(error)}`, { cause: error })
  }
}

async function destroy(doc: PDFDocumentProxy): Promise<void> {
  await doc.destroy().catch(() => undefined)
}
