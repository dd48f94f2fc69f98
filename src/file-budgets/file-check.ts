import type { BlobStore } from '../storage/blob-store.ts'
import { ExtractionError } from '../text/errors.ts'
import { imageSize } from '../text/image-size.ts'
import { BudgetExceededError, FILE_BUDGETS, type FileBudgets } from './budgets.ts'
import { scanPdfIsolated } from './isolated-scan.ts'
import type { PdfScanReport } from './pdf-budget-scan.ts'

/** Enough of a PNG or JPEG to find its size in the header. */
export const IMAGE_HEAD_BYTES = 64 * 1024

/**
 * Checks a stored file against the budgets before any decoder sees it, reading it as a stream (never
 * whole): a PDF through the isolated scan, a PNG or JPEG by the size in its header. Throws
 * ExtractionError with the budget's code and a message saying what was over; returns the PDF's report.
 */
export async function checkFileBudgets(
  blobStore: BlobStore,
  file: { blobKey: string; mediaType: string; size: number },
  budgets: FileBudgets = FILE_BUDGETS,
): Promise<PdfScanReport | undefined> {
  try {
    if (file.mediaType === 'application/pdf') {
      return await scanPdfIsolated(await blobStore.get(file.blobKey), budgets)
    }
    if (file.mediaType === 'image/png' || file.mediaType === 'image/jpeg') {
      const end = Math.min(file.size, IMAGE_HEAD_BYTES) - 1
      const head = Buffer.concat(await (await blobStore.get(file.blobKey, { start: 0, end })).toArray())
      checkImagePixels(head, budgets)
    }
    return undefined
  } catch (error) {
    if (error instanceof BudgetExceededError) throw new ExtractionError(error.code, error.message)
    throw error
  }
}

/** Refuses a PNG or JPEG whose header gives more pixels than the budget (nothing is decoded). */
export function checkImagePixels(head: Uint8Array, budgets: FileBudgets = FILE_BUDGETS): void {
  const size = imageSize(head)
  if (size && size.width * size.height > budgets.imagePixels) {
    throw new BudgetExceededError(
      'image-too-large',
      `An image of ${size.width}×${size.height} pixels (at most ${budgets.imagePixels}).`,
    )
  }
}
