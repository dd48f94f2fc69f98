import { constants, inflateSync } from 'node:zlib'
import { decodePDFRawStream, PDFArray, PDFDict, PDFName, PDFNumber, type PDFRawStream } from 'pdf-lib'
import { PdfUpdateError } from './pdf-bytes.ts'

const FLATE = PDFName.of('FlateDecode')

/**
 * Decodes an xref or object stream. Flate goes through zlib (fast, tolerant of trailing bytes) and
 * honours PNG predictors, which pdf-lib's decoder lacks and qpdf's xref streams use.
 */
export function decodeStreamBytes(stream: PDFRawStream): Uint8Array {
  const filter = stream.dict.get(PDFName.of('Filter'))
  const single = filter instanceof PDFArray && filter.size() === 1 ? filter.get(0) : filter
  if (single === undefined) return stream.contents
  if (single !== FLATE) return decodePDFRawStream(stream).decode()
  const inflated = inflateSync(stream.contents, { finishFlush: constants.Z_SYNC_FLUSH })
  let parms = stream.dict.get(PDFName.of('DecodeParms'))
  if (parms instanceof PDFArray) parms = parms.get(0)
  return parms instanceof PDFDict ? unpredict(inflated, parms) : inflated
}

const numberIn = (dict: PDFDict, key: string, fallback: number) => {
  const value = dict.get(PDFName.of(key))
  return value instanceof PDFNumber ? value.asNumber() : fallback
}

/** Reverses PNG row filters (Predictor >= 10); each row starts with its filter type byte. */
export function unpredict(data: Uint8Array, parms: PDFDict): Uint8Array {
  const predictor = numberIn(parms, 'Predictor', 1)
  if (predictor === 1) return data
  if (predictor < 10) throw new PdfUpdateError(`Unsupported predictor ${predictor}`)
  const colors = numberIn(parms, 'Colors', 1)
  const bits = numberIn(parms, 'BitsPerComponent', 8)
  const bpp = Math.max(1, Math.ceil((colors * bits) / 8))
  const rowLength = Math.ceil((numberIn(parms, 'Columns', 1) * colors * bits) / 8)
  const rows = Math.floor(data.length / (rowLength + 1))
  const out = new Uint8Array(rows * rowLength)
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLength + 1)]!
    const src = r * (rowLength + 1) + 1
    const at = r * rowLength
    for (let i = 0; i < rowLength; i++) {
      const left = i >= bpp ? out[at + i - bpp]! : 0
      const up = r > 0 ? out[at - rowLength + i]! : 0
      const upLeft = r > 0 && i >= bpp ? out[at - rowLength + i - bpp]! : 0
      out[at + i] = (data[src + i]! + predict(type, left, up, upLeft)) & 0xff
    }
  }
  return out
}

function predict(type: number, left: number, up: number, upLeft: number): number {
  switch (type) {
    case 0:
      return 0
    case 1:
      return left
    case 2:
      return up
    case 3:
      return (left + up) >> 1
    case 4: {
      const p = left + up - upLeft
      const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)]
      return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft
    }
    default:
      throw new PdfUpdateError(`Bad PNG predictor row type ${type}`)
  }
}
