/**
 * Limits on what decoding one stored file may cost, checked before the memory is taken: a decompression
 * bomb, a pixel flood or a page-tree bomb is refused with a reason instead of taking the process down.
 * The figures leave real scans far inside (A4 at 600 dpi is 35 Mpx; real registers stay under 2,000 pages).
 */
export interface FileBudgets {
  /** Bytes one PDF stream may decode to (after its whole filter chain). */
  readonly streamBytes: number
  /** Bytes all the streams of one file may decode to together. */
  readonly fileDecodedBytes: number
  /** Pixels of one image (a PNG/JPEG upload, a TIFF page, an image inside a PDF). */
  readonly imagePixels: number
  /** Pages of one file. */
  readonly pages: number
  /** Arrays and dictionaries inside one another. */
  readonly nestingDepth: number
  /** Indirect objects of one PDF (each costs memory in every parser). */
  readonly objects: number
  /** Heap of the thread that scans a file (V8 old generation, MB). */
  readonly scanHeapMb: number
  /** Wall time of one scan. */
  readonly scanMs: number
}

export const FILE_BUDGETS: FileBudgets = Object.freeze({
  streamBytes: 128 * 1024 * 1024,
  fileDecodedBytes: 1024 * 1024 * 1024,
  imagePixels: 50_000_000,
  pages: 2000,
  nestingDepth: 100,
  objects: 500_000,
  scanHeapMb: 192,
  scanMs: 120_000,
})

export type BudgetCode =
  /** One stream, or the file's streams together, decode to more bytes than allowed (a decompression bomb). */
  | 'decoded-too-large'
  /** An image has more pixels than allowed (a pixel flood). */
  | 'image-too-large'
  /** More pages than allowed (a page-tree bomb). */
  | 'too-many-pages'
  /** Arrays or dictionaries nested deeper than allowed. */
  | 'too-deeply-nested'
  /** More indirect objects than allowed. */
  | 'too-many-objects'
  /** The isolated scan ran out of its heap or its time. */
  | 'scan-exhausted'

/** A file asks for more than its budget: `code` says which limit, the message says by how much. */
export class BudgetExceededError extends Error {
  override name = 'BudgetExceededError'
  constructor(
    readonly code: BudgetCode,
    message: string,
  ) {
    super(message)
  }
}

export const MiB = 1024 * 1024
export const formatMiB = (bytes: number) => `${Math.round(bytes / MiB)} MiB`
