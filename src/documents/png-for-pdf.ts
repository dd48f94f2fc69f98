import { inflateSync } from 'node:zlib'
import { countInflated } from '../file-budgets/counting-decoders.ts'
import { type PDFDocument, PDFHexString, PDFName, type PDFRef } from 'pdf-lib'

/**
 * A PNG's compressed pixels placed in a PDF as they are. The IDAT chunks together are one zlib stream of
 * rows each led by a PNG filter byte, which is exactly what PDF's FlateDecode with /Predictor 15 reads
 * (ISO 32000-1, 7.4.4.4). A scanned A4 page then costs a checksum pass instead of seconds of decoding and
 * re-compressing in JavaScript, and keeps the scanner's file size.
 *
 * Only PNGs that need nothing more pass: no alpha channel or tRNS transparency, not interlaced. For those,
 * undefined: the caller lets pdf-lib decode them.
 */
export interface PassthroughPng {
  width: number
  height: number
  embed(pdf: PDFDocument): PDFRef
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const COLOURS_BY_TYPE: Record<number, number> = { 0: 1, 2: 3, 3: 1 }
const PNG_FILTER_TYPES = 5

/** Throws on a damaged file (bad chunk layout, data that does not inflate to whole rows). */
/**
 * Refuses (throws) a PNG whose pixel data inflates beyond what its header allows (16-bit RGBA, plus
 * the extra filter bytes of interlacing): checked by counting, before a decoder allocates for it.
 */
export async function assertPngDataWithinHeader(bytes: Uint8Array): Promise<void> {
  const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const chunks = readChunks(file)
  const header = chunks.find((chunk) => chunk.type === 'IHDR')?.data
  if (!header || header.length < 13) throw new Error('PNG without a header')
  const most = header.readUInt32BE(4) * (1 + header.readUInt32BE(0) * 8) * 2
  const data = Buffer.concat(chunks.filter((chunk) => chunk.type === 'IDAT').map((chunk) => chunk.data))
  if ((await countInflated(data, most)) > most) throw new Error('PNG pixel data inflates beyond its rows')
}

export function passthroughPng(bytes: Uint8Array): PassthroughPng | undefined {
  const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (file.length < 33 || !file.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG')
  const chunks = readChunks(file)
  const header = chunks.find((chunk) => chunk.type === 'IHDR')?.data
  if (!header || header.length < 13) throw new Error('PNG without a header')
  const width = header.readUInt32BE(0)
  const height = header.readUInt32BE(4)
  const [bitDepth, colourType, , , interlace] = header.subarray(8, 13)
  const colours = COLOURS_BY_TYPE[colourType!]
  if (!colours || interlace !== 0 || bitDepth! > 8) return undefined
  if (chunks.some((chunk) => chunk.type === 'tRNS')) return undefined
  const palette = chunks.find((chunk) => chunk.type === 'PLTE')?.data
  if (colourType === 3 && (!palette || palette.length % 3 !== 0)) throw new Error('PNG palette missing')
  if (width === 0 || height === 0) throw new Error('PNG without pixels')

  const data = Buffer.concat(chunks.filter((chunk) => chunk.type === 'IDAT').map((chunk) => chunk.data))
  const rowBytes = 1 + Math.ceil((width * colours * bitDepth!) / 8)
  // A checksum pass: the stored stream must inflate to every row, each with a known filter, or the PDF
  // would show a broken page where the upload should have been refused.
  // Never more than the rows: IDAT that inflates beyond them is a decompression bomb, refused mid-way.
  let rows: Buffer
  try {
    rows = inflateSync(data, { maxOutputLength: rowBytes * height + 1 })
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new Error('PNG pixel data inflates beyond its rows')
    throw error
  }
  if (rows.length < rowBytes * height) throw new Error('PNG pixel data is cut off')
  for (let row = 0; row < height; row++) {
    if (rows[row * rowBytes]! >= PNG_FILTER_TYPES) throw new Error('PNG row with an unknown filter')
  }

  return {
    width,
    height,
    embed(pdf) {
      const colourSpace =
        colourType === 3
          ? [
              PDFName.of('Indexed'),
              PDFName.of('DeviceRGB'),
              palette!.length / 3 - 1,
              PDFHexString.of(palette!.toString('hex')),
            ]
          : colourType === 2
            ? 'DeviceRGB'
            : 'DeviceGray'
      const stream = pdf.context.stream(data, {
        Type: 'XObject',
        Subtype: 'Image',
        Width: width,
        Height: height,
        BitsPerComponent: bitDepth!,
        ColorSpace: colourSpace,
        Filter: 'FlateDecode',
        DecodeParms: { Predictor: 15, Colors: colours, BitsPerComponent: bitDepth!, Columns: width },
      })
      return pdf.context.register(stream)
    },
  }
}

interface Chunk {
  type: string
  data: Buffer
}

function readChunks(file: Buffer): Chunk[] {
  const chunks: Chunk[] = []
  let at = 8
  while (at + 12 <= file.length) {
    const length = file.readUInt32BE(at)
    const type = file.toString('latin1', at + 4, at + 8)
    if (at + 12 + length > file.length) throw new Error(`PNG chunk ${type} is cut off`)
    chunks.push({ type, data: file.subarray(at + 8, at + 8 + length) })
    at += 12 + length
    if (type === 'IEND') return chunks
  }
  throw new Error('PNG without its end chunk')
}
