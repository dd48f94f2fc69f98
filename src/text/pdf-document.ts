import { createRequire } from 'node:module'
import path from 'node:path'
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs'
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js'
import { MAX_IMAGE_PIXELS } from './errors.ts'
import { readingOrder, type TextBox } from './layout.ts'

const PDFJS_DIR = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'))
// pdfjs joins file names onto these: they must end with a separator. Local paths: never the network.
const assetDir = (name: string) => `${path.join(PDFJS_DIR, name)}${path.sep}`

/** Opens a PDF with pdfjs in this thread (its "fake worker"), fonts and CMaps from the package. */
export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  // Loaded by the first PDF read, not at start-up.
  const { getDocument, VerbosityLevel } = await import('pdfjs-dist/legacy/build/pdf.mjs')
  return getDocument({
    // pdfjs transfers (detaches) the buffer it is given: hand it a copy, the caller keeps the bytes.
    data: new Uint8Array(bytes),
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
  }).promise
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
