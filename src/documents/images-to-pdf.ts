import { type PDFImage, PDFDocument } from 'pdf-lib'
import { AppError } from '../platform/errors.ts'
import { tiffPages } from './tiff.ts'

const A4_WIDTH_PT = 595.28
const PT_PER_INCH = 72

export type ScannedImageType = 'image/png' | 'image/jpeg' | 'image/tiff'

export interface ScannedImage {
  bytes: Uint8Array
  mediaType: ScannedImageType
}

export function isScannedImage(mediaType: string): mediaType is ScannedImageType {
  return mediaType === 'image/png' || mediaType === 'image/jpeg' || mediaType === 'image/tiff'
}

/**
 * Joins scanned page images (PNG, JPEG, TIFF with all its pages) into one PDF, in the given order. A page
 * whose TIFF states its resolution gets its real size; the others keep their proportions at A4 width, so
 * a 200–300 dpi scan prints at its real size. Images are taken one at a time, so a caller can read them
 * lazily. A file that cannot be decoded throws AppError 'unreadable-image'.
 */
export async function imagesToPdf(images: Iterable<ScannedImage> | AsyncIterable<ScannedImage>) {
  const pdf = await PDFDocument.create()
  pdf.setProducer('vanthu')
  for await (const image of images) {
    if (image.mediaType !== 'image/tiff') {
      await addPage(
        pdf,
        await embed(() =>
          image.mediaType === 'image/png' ? pdf.embedPng(image.bytes) : pdf.embedJpg(image.bytes),
        ),
      )
      continue
    }
    for (const page of tiffPages(image.bytes))
      await addPage(pdf, await embed(() => pdf.embedPng(page.png)), page.dpi)
  }
  return { bytes: await pdf.save({ useObjectStreams: true }), pageCount: pdf.getPageCount() }
}

async function embed(decode: () => Promise<PDFImage>): Promise<PDFImage> {
  try {
    return await decode()
  } catch (error) {
    throw new AppError('unreadable-image', { detail: 'A page image cannot be decoded.', cause: error })
  }
}

async function addPage(pdf: PDFDocument, image: PDFImage, dpi?: { x: number; y: number }) {
  const width = dpi ? (image.width * PT_PER_INCH) / dpi.x : A4_WIDTH_PT
  const height = dpi ? (image.height * PT_PER_INCH) / dpi.y : image.height * (A4_WIDTH_PT / image.width)
  pdf.addPage([width, height]).drawImage(image, { x: 0, y: 0, width, height })
  // Writes the pixels out now (compressed) and lets the decoded ones go, instead of holding every page until save.
  await image.embed()
}
