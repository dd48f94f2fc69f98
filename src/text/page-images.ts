import { PDFArray, type PDFDocument, PDFDict, PDFName, PDFNumber, PDFRawStream, type PDFRef } from 'pdf-lib'
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs'
import { ExtractionError, MAX_IMAGE_PIXELS } from './errors.ts'

/** A page image ready for OCR, with its size in pixels. */
export interface PageImage {
  bytes: Uint8Array
  width: number
  height: number
}

// A scan page is one image drawn over the whole page; allow for rounding and a small margin.
const COVERAGE_TOLERANCE = 0.03
const RENDER_DPI = 300
const PT_PER_INCH = 72
// Rendering budget per page: A3 at 300 dpi is 17 Mpx.
const MAX_RENDER_PIXELS = 40_000_000

/**
 * The JPEG bytes of a scanned page, when the page is nothing but one DCTDecode image covering it
 * (grey or RGB, unrotated, not inverted): OCR reads those bytes directly, no rendering. Undefined
 * otherwise, and the page is rendered instead.
 */
export function scannedPageJpeg(pdf: PDFDocument, pageIndex: number): PageImage | undefined {
  const page = pdf.getPage(pageIndex)
  if (page.getRotation().angle % 360 !== 0) return undefined
  const resources = page.node.Resources()
  if (resources?.lookupMaybe(PDFName.of('Font'), PDFDict)?.keys().length) return undefined
  const xObjects = resources?.lookupMaybe(PDFName.of('XObject'), PDFDict)
  const entries = xObjects?.entries() ?? []
  if (entries.length !== 1) return undefined
  const stream = pdf.context.lookup(entries[0]![1] as PDFRef)
  if (!(stream instanceof PDFRawStream)) return undefined
  const dict = stream.dict
  if (dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) return undefined
  if (!isOnlyDct(dict.get(PDFName.of('Filter')))) return undefined
  const colourSpace = dict.get(PDFName.of('ColorSpace'))
  if (colourSpace !== PDFName.of('DeviceGray') && colourSpace !== PDFName.of('DeviceRGB')) return undefined
  if (dict.has(PDFName.of('Decode')) || dict.has(PDFName.of('SMask')) || dict.has(PDFName.of('Mask')))
    return undefined
  const width = numberOf(dict.get(PDFName.of('Width')))
  const height = numberOf(dict.get(PDFName.of('Height')))
  if (!width || !height) return undefined
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new ExtractionError('image-too-large', `Page ${pageIndex + 1}: image of ${width}×${height} pixels.`)
  }
  const { width: pageWidth, height: pageHeight } = page.getSize()
  if (Math.abs(width / height / (pageWidth / pageHeight) - 1) > COVERAGE_TOLERANCE) return undefined
  return { bytes: stream.contents, width, height }
}

function isOnlyDct(filter: unknown): boolean {
  if (filter === PDFName.of('DCTDecode')) return true
  return filter instanceof PDFArray && filter.size() === 1 && filter.get(0) === PDFName.of('DCTDecode')
}

function numberOf(value: unknown): number | undefined {
  return value instanceof PDFNumber ? value.asNumber() : undefined
}

/** Renders a page at 300 dpi (less for huge pages) to a PNG with pdfjs's bundled canvas. */
export async function renderPage(doc: PDFDocumentProxy, page: PDFPageProxy): Promise<PageImage> {
  const base = page.getViewport({ scale: 1 })
  const wanted = RENDER_DPI / PT_PER_INCH
  const scale = Math.min(wanted, Math.sqrt(MAX_RENDER_PIXELS / (base.width * base.height)))
  const viewport = page.getViewport({ scale })
  const width = Math.max(1, Math.floor(viewport.width))
  const height = Math.max(1, Math.floor(viewport.height))
  const factory = doc.canvasFactory as {
    create(w: number, h: number): { canvas: NodeCanvas; context: NodeContext }
    destroy(entry: unknown): void
  }
  const entry = factory.create(width, height)
  try {
    // White paper: transparent pixels would turn black in OCR's greyscale conversion.
    entry.context.fillStyle = '#ffffff'
    entry.context.fillRect(0, 0, width, height)
    await page.render({ canvas: entry.canvas as never, canvasContext: entry.context as never, viewport })
      .promise
    return { bytes: entry.canvas.toBuffer('image/png'), width, height }
  } finally {
    factory.destroy(entry)
  }
}

// The parts of @napi-rs/canvas used here (pdfjs bundles it; its types are not a dependency of ours).
interface NodeCanvas {
  toBuffer(type: 'image/png'): Buffer
}
interface NodeContext {
  fillStyle: string
  fillRect(x: number, y: number, w: number, h: number): void
}
