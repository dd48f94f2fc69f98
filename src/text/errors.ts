import { FILE_BUDGETS } from '../file-budgets/budgets.ts'

export type ExtractionErrorCode =
  /** Not a PDF or image we can parse: garbage, truncated beyond repair, encrypted, wrong media type. */
  | 'unreadable-file'
  /** More pages than MAX_PAGES: refused before any work (a page-tree bomb). */
  | 'too-many-pages'
  /** An image (or a page image inside a PDF) above MAX_IMAGE_PIXELS: refused before decoding. */
  | 'image-too-large'
  /** A stream (or all of them) decodes beyond its budget: a decompression bomb (file-budgets). */
  | 'decoded-too-large'
  /** Arrays or dictionaries nested beyond the budget. */
  | 'too-deeply-nested'
  /** More indirect objects than the budget. */
  | 'too-many-objects'
  /** The isolated budget scan ran out of heap or time. */
  | 'scan-exhausted'
  /** The PDF is encrypted with a password we do not have. */
  | 'encrypted'
  /** Tesseract failed on a page. */
  | 'ocr-failed'
  /** No OCR worker could start (language data missing, pool closed). */
  | 'ocr-unavailable'
  /** The caller's AbortSignal fired; work stopped between pages. */
  | 'aborted'

/** The one error extractText throws; `code` says what the caller can do about it. */
export class ExtractionError extends Error {
  override name = 'ExtractionError'
  readonly code: ExtractionErrorCode

  constructor(code: ExtractionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

/** Most pages extractText reads: beyond this a PDF is refused (real registers stay far below). */
export const MAX_PAGES = FILE_BUDGETS.pages
/** A4 at 600 dpi is 35 Mpx; far beyond that is a pixel flood, not a scan. */
export const MAX_IMAGE_PIXELS = FILE_BUDGETS.imagePixels

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw new ExtractionError('aborted', 'Text extraction was aborted.', { cause: signal.reason })
}

/** No OCR worker can start: language data missing, creation timed out, or the pool is closed. */
export class OcrUnavailableError extends Error {
  override name = 'OcrUnavailableError'
}

/**
 * A page needs OCR while the file is read on the text-layer queue: the file moves to the OCR queue
 * (a born-digital PDF never waits behind scans).
 */
export class NeedsOcrError extends Error {
  override name = 'NeedsOcrError'
}
