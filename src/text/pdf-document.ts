import { createRequire } from 'node:module'
import path from 'node:path'
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs'
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js'
import { MAX_IMAGE_PIXELS } from './errors.ts'
import { readingOrder, type TextBox } from './layout.ts'

const PDFJS_DIR = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'))
// pdfjs joins file names onto these: they must end with a separator. Local paths: never the network.
const assetDir = (name: string) => `${path.join(PDFJS_DIR, name)}${path.sep}`

/** A stored PDF read by byte ranges: pdf.js asks only for the parts it parses. */
export interface PdfRanges {
  length: number
  /** Bytes [begin, end). */
  read(begin: number, end: number): Promise<Uint8Array>
}

// What pdf.js asks for at a time when reading by ranges.
const RANGE_CHUNK_BYTES = 256 * 1024

/**
 * Opens a PDF with pdfjs in this thread (its "fake worker"), fonts and CMaps from the package. Given
 * ranges, pdf.js fetches the parts it needs (cross-reference, page objects, contents) and never the
 * rest: a 200 MB file with a text layer is not read whole. A failed range read ends the document.
 */
export async function openPdf(source: Uint8Array | PdfRanges): Promise<PDFDocumentProxy> {
  // Loaded by the first PDF read, not at start-up.
  const { getDocument, PDFDataRangeTransport, VerbosityLevel } = await import(
    'pdfjs-dist/legacy/build/pdf.mjs'
  )
  let input: { data: Uint8Array } | { range: InstanceType<typeof PDFDataRangeTransport>; length: number }
  let onReadFailure = () => {}
  if (source instanceof Uint8Array) {
    // pdfjs transfers (detaches) the buffer it is given: hand it a copy, the caller keeps the bytes.
    input = { data: new Uint8Array(source) }
  } else {
    const range = new PDFDataRangeTransport(source.length, null)
    range.requestDataRange = (begin: number, end: number) => {
      source.read(begin, end).then(
        (chunk) => range.onDataRange(begin, chunk),
        () => onReadFailure(),
      )
    }
    range.transportReady()
    input = { range, length: source.length }
  }
  const task = getDocument({
    ...input,
    rangeChunkSize: RANGE_CHUNK_BYTES,
    disableAutoFetch: true,
    disableStream: true,
    standardFontDataUrl: assetDir('standard_fonts'),
    cMapUrl: assetDir('cmaps'),
    cMapPacked: true,
    wasmUrl: assetDir('wasm'),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    stopAtErrors: false,
    // Larger images are skipped, not decoded: the pixel budget (file-budgets) holds inside pdf.js too.
    maxImageSize: MAX_IMAGE_PIXELS,
    verbosity: VerbosityLevel.ERRORS,
  })
  // pdf.js would wait for the missing range for ever: end the document, its pending calls reject.
  onReadFailure = () => void task.destroy()
  return task.promise
}

/** The text layer of one page in reading order (see layout.ts), NFC. */
export async function pageTextLayer(page: PDFPageProxy, pageIndex: number): Promise<string> {
  const viewport = page.getViewport({ scale: 1 })
  const content = await page.getTextContent()
  const boxes: TextBox[] = []
  for (const item of content.items) {
    if (!('str' in item) || item.str.trim() === '') continue
    boxes.push(toBox(item, viewport.transform))
  }
  return readingOrder(boxes, { dropPageNumber: pageIndex > 0 }).normalize('NFC')
}

function toBox(item: TextItem, view: number[]): TextBox {
  const [a, b, c, d, e, f] = view as [number, number, number, number, number, number]
  const [x, y] = [item.transform[4] as number, item.transform[5] as number]
  // Page space (y up, maybe rotated) to viewport space (y down).
  const vx = a * x + c * y + e
  const vy = b * x + d * y + f
  const height = item.height || Math.hypot(item.transform[2] as number, item.transform[3] as number)
  return { text: item.str, x0: vx, x1: vx + item.width, y: vy, height }
}

// Letters of any script: a page whose layer has fewer is a scan (or a scan with a stray stamp text).
const MIN_LETTERS = 16
// Fonts without a usable ToUnicode map give replacement, private-use or control characters.
const isJunk = (code: number) =>
  code === 0xfffd || (code >= 0xe000 && code <= 0xf8ff) || code <= 0x08 || (code >= 0x0e && code <= 0x1f)

/** Whether a text layer is worth keeping, or the page needs OCR. */
export function isUsableTextLayer(text: string): boolean {
  const letters = text.match(/\p{L}/gu)?.length ?? 0
  let junk = 0
  for (const char of text) if (isJunk(char.codePointAt(0)!)) junk++
  return letters >= MIN_LETTERS && junk <= letters * 0.05
}
