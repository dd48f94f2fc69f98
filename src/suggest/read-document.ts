import { PDFDocument } from 'pdf-lib'
import type { SupportedMediaType } from '../documents/media-types.ts'
import { BudgetExceededError, FILE_BUDGETS } from '../file-budgets/budgets.ts'
import { checkImagePixels } from '../file-budgets/file-check.ts'
import { scanPdfIsolated } from '../file-budgets/isolated-scan.ts'
import { AppError } from '../platform/errors.ts'
import { ExtractionError, extractText } from '../text/extract.ts'
import type { OcrPool } from '../text/ocr-pool.ts'

export type TextSource = 'text-layer' | 'ocr'

export interface DocumentText {
  /** The first page, then the last page when the document has more than one (for the signer block). */
  pages: string[]
  source: TextSource
  pageCount: number
}

/**
 * The text the suggestions are read from: the first page and, for a PDF of several pages, the last one
 * (where the signer block is), through the shared extraction (text layer, OCR where there is none). At most
 * two pages are read, so a scan costs two OCR pages whatever its length.
 */
export async function readDocumentText(
  bytes: Uint8Array,
  mediaType: SupportedMediaType,
  options: { ocr: OcrPool; signal?: AbortSignal },
): Promise<DocumentText> {
  try {
    // The budgets hold here too: this runs inside an API request.
    if (mediaType === 'application/pdf') await scanPdfIsolated([bytes], FILE_BUDGETS)
    else if (mediaType !== 'image/tiff') checkImagePixels(bytes)
    const first = await extractText({ bytes, mediaType }, { ...options, maxPages: 1 })
    const pages = first.pages.map((page) => page.text)
    const engines = first.pages.map((page) => page.engine)
    if (mediaType === 'application/pdf' && first.pageCount > 1) {
      const last = await extractText(
        { bytes: await lastPageAlone(bytes, first.pageCount), mediaType },
        { ...options, maxPages: 1 },
      )
      pages.push(...last.pages.map((page) => page.text))
      engines.push(...last.pages.map((page) => page.engine))
    }
    return { pages, source: engines.includes('ocr') ? 'ocr' : 'text-layer', pageCount: first.pageCount }
  } catch (error) {
    throw asAppError(error)
  }
}

/** A one-page PDF holding the last page, so the extraction reads that page and no other. */
async function lastPageAlone(bytes: Uint8Array, pageCount: number): Promise<Uint8Array> {
  const source = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false })
  const single = await PDFDocument.create({ updateMetadata: false })
  const [page] = await single.copyPages(source, [pageCount - 1])
  single.addPage(page!)
  return single.save({ useObjectStreams: false })
}

function asAppError(error: unknown): unknown {
  if (error instanceof AppError) return error
  if (error instanceof BudgetExceededError) {
    const code = error.code === 'image-too-large' ? 'image-too-large' : 'unreadable-image'
    return new AppError(code, { detail: error.message, cause: error })
  }
  if (!(error instanceof ExtractionError)) {
    return new AppError('unreadable-image', { detail: 'The file cannot be read.', cause: error })
  }
  switch (error.code) {
    case 'ocr-unavailable':
      return new AppError('service-unavailable', { detail: 'OCR is not available.', cause: error })
    case 'aborted':
      return new AppError('request-timeout', { detail: 'Reading the document was stopped.', cause: error })
    default:
      return new AppError('unreadable-image', { detail: error.message, cause: error })
  }
}
