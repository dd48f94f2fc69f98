import type { SupportedMediaType } from '../documents/media-types.ts'
import { AppError } from '../platform/errors.ts'
import { readPdfTextLayer } from './pdf-text-layer.ts'

export type TextSource = 'text-layer' | 'ocr'

export interface DocumentText {
  /** The first page, then the last page when the document has more than one (for the signer block). */
  pages: string[]
  source: TextSource
  pageCount: number
}

/** Fewer letters than this on the first page: the PDF's text layer is missing (a scan) or empty. */
const MIN_LETTERS = 40

/**
 * The text the suggestions are read from: the first page and, when there are more, the last one.
 *
 * Until the shared text extraction (src/text, text layer with OCR fallback) lands, only a born-digital PDF's
 * text layer is read here; scans and page images are refused as unreadable (422) rather than guessed at.
 */
export async function readDocumentText(
  bytes: Uint8Array,
  mediaType: SupportedMediaType,
): Promise<DocumentText> {
  if (mediaType !== 'application/pdf')
    throw unreadable('Page images need OCR, which is not available here yet.')
  let layer: Awaited<ReturnType<typeof readPdfTextLayer>>
  try {
    layer = await readPdfTextLayer(bytes, (count) => (count > 1 ? [1, count] : [1]))
  } catch (cause) {
    throw new AppError('unreadable-image', { detail: 'The PDF cannot be opened.', cause })
  }
  const pages = layer.pages.map((page) => page.text)
  const letters = (pages[0] ?? '').match(/\p{L}/gu)?.length ?? 0
  if (letters < MIN_LETTERS)
    throw unreadable('The PDF has no text layer (a scan): OCR is not available here yet.')
  return { pages, source: 'text-layer', pageCount: layer.pageCount }
}

const unreadable = (detail: string) => new AppError('unreadable-image', { detail })
