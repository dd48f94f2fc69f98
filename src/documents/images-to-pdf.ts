import {
  concatTransformationMatrix,
  drawObject,
  type PDFImage,
  PDFDocument,
  popGraphicsState,
  pushGraphicsState,
} from 'pdf-lib'
import { AppError } from '../platform/errors.ts'
import { assertPngDataWithinHeader, type PassthroughPng, passthroughPng } from './png-for-pdf.ts'
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
 * a 200–300 dpi scan prints at its real size. PNG pixels (and TIFF pages, re-encoded as PNG) go in still
 * compressed where they can (png-for-pdf.ts); JPEGs always do. Images are taken one at a time, so a caller can read them
 * lazily. A file that cannot be decoded throws AppError 'unreadable-image'.
 */
export async function imagesToPdf(images: Iterable<ScannedImage> | AsyncIterable<ScannedImage>) {
  const pdf = await PDFDocument.create()
  pdf.setProducer('vanthu')
  for await (const image of images) {
    if (image.mediaType === 'image/png') await addPng(pdf, image.bytes)
    else if (image.mediaType === 'image/jpeg')
      await addPage(pdf, await embed(() => pdf.embedJpg(image.bytes)))
    else for (const page of tiffPages(image.bytes)) await addPng(pdf, page.png, page.dpi)
  }
  return { bytes: await pdf.save({ useObjectStreams: true }), pageCount: pdf.getPageCount() }
}

/** Most scans pass through compressed as they are; PNGs with transparency or interlacing are decoded. */
async function addPng(pdf: PDFDocument, bytes: Uint8Array, dpi?: Dpi) {
  let png: PassthroughPng | undefined
  try {
    png = passthroughPng(bytes)
  } catch (error) {
    throw unreadable(error)
  }
  if (!png) {
    // pdf-lib inflates the whole pixel data at once: its size is checked against the header first.
    await assertPngDataWithinHeader(bytes).catch((error: unknown) => {
      throw unreadable(error)
    })
    return addPage(pdf, await embed(() => pdf.embedPng(bytes)), dpi)
  }
  const { width, height } = pageSize(png, dpi)
  const page = pdf.addPage([width, height])
  const name = page.node.newXObject('Im', png.embed(pdf))
  page.pushOperators(
    pushGraphicsState(),
    concatTransformationMatrix(width, 0, 0, height, 0, 0),
    drawObject(name),
    popGraphicsState(),
  )
}

async function embed(decode: () => Promise<PDFImage>): Promise<PDFImage> {
  try {
    return await decode()
  } catch (error) {
    throw unreadable(error)
  }
}

const unreadable = (cause: unknown) =>
  new AppError('unreadable-image', { detail: 'A page image cannot be decoded.', cause })

type Dpi = { x: number; y: number }

function pageSize(image: { width: number; height: number }, dpi?: Dpi) {
  return {
    width: dpi ? (image.width * PT_PER_INCH) / dpi.x : A4_WIDTH_PT,
    height: dpi ? (image.height * PT_PER_INCH) / dpi.y : image.height * (A4_WIDTH_PT / image.width),
  }
}

async function addPage(pdf: PDFDocument, image: PDFImage, dpi?: Dpi) {
  const { width, height } = pageSize(image, dpi)
  pdf.addPage([width, height]).drawImage(image, { x: 0, y: 0, width, height })
  // Writes the pixels out now (compressed) and lets the decoded ones go, instead of holding every page until save.
  await image.embed()
}
