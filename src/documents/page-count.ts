import { PDFDocument } from 'pdf-lib'
import type { SupportedMediaType } from './media-types.ts'

/** Pages of a stored file: PDF pages, TIFF images (IFDs), 1 for PNG and JPEG. */
export async function countPages(bytes: Uint8Array, mediaType: SupportedMediaType): Promise<number> {
  switch (mediaType) {
    case 'application/pdf': {
      const pdf = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false })
      return pdf.getPageCount()
    }
    case 'image/tiff':
      return countTiffImages(bytes)
    default:
      return 1
  }
}

/** Follows the chain of image file directories of a TIFF (classic, 32-bit offsets). */
export function countTiffImages(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const little = view.getUint16(0) === 0x4949
  let offset = view.getUint32(4, little)
  const seen = new Set<number>()
  let count = 0
  while (offset !== 0) {
    if (seen.has(offset) || offset + 2 > bytes.length) throw new Error('Corrupt TIFF: bad directory offset')
    seen.add(offset)
    count++
    const entries = view.getUint16(offset, little)
    const next = offset + 2 + entries * 12
    if (next + 4 > bytes.length) throw new Error('Corrupt TIFF: directory past end of file')
    offset = view.getUint32(next, little)
  }
  return count
}
