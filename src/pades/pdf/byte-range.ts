import { createHash } from 'node:crypto'
import { PDFObject } from 'pdf-lib'
import {
  asciiBytes,
  chunkSlices,
  concatBytes,
  indexOfToken,
  type PdfChunks,
  PdfUpdateError,
} from './pdf-bytes.ts'

/** [start1, length1, start2, length2]: everything but the /Contents hex string and its `<` `>`. */
export type ByteRange = [number, number, number, number]

/** Wide enough for four offsets of up to 10 digits (files under ~9 GB). */
export const BYTE_RANGE_WIDTH = 48

/** Written verbatim: placeholders must have a width known before any offset is. */
export class RawPdfToken extends PDFObject {
  constructor(private readonly text: string) {
    super()
  }
  override clone(): RawPdfToken {
    return new RawPdfToken(this.text)
  }
  override toString(): string {
    return this.text
  }
  override sizeInBytes(): number {
    return this.text.length
  }
  override copyBytesInto(buffer: Uint8Array, offset: number): number {
    buffer.set(asciiBytes(this.text), offset)
    return this.text.length
  }
}

export function formatByteRange(range: ByteRange): string {
  const text = `[${range.join(' ')}`
  if (text.length + 1 > BYTE_RANGE_WIDTH) throw new PdfUpdateError('ByteRange does not fit its placeholder')
  return `${text.padEnd(BYTE_RANGE_WIDTH - 1, ' ')}]`
}

export const byteRangePlaceholder = () => new RawPdfToken(formatByteRange([0, 0, 0, 0]))

/** `<00…>` with room for `capacity` bytes of DER. */
export const contentsPlaceholder = (capacity: number) => new RawPdfToken(`<${'0'.repeat(capacity * 2)}>`)

/** The excluded gap runs from the `<` of /Contents to just past its `>`. */
export function computeByteRange(fileLength: number, contentsStart: number, contentsEnd: number): ByteRange {
  if (!(contentsStart > 0 && contentsStart < contentsEnd && contentsEnd <= fileLength)) {
    throw new PdfUpdateError('Contents placeholder outside the file')
  }
  return [0, contentsStart, contentsEnd, fileLength - contentsEnd]
}

export interface SignatureSlot {
  byteRange: ByteRange
  /** Offset of the `<` that opens /Contents. */
  contentsOffset: number
  /** Bytes from `<` to `>` inclusive. */
  contentsLength: number
}

/**
 * Finds the placeholders of the signature dictionary written at `dictOffset` and writes the real
 * /ByteRange over its placeholder in place; the file length does not change. `bytes` may be the end of
 * the file only (an appended section beginning at file offset `start`): offsets in and out are the file's.
 */
export function fillByteRange(
  bytes: Uint8Array,
  dictOffset: number,
  capacity: number,
  start = 0,
): SignatureSlot {
  const rangeKey = indexOfToken(bytes, '/ByteRange ', dictOffset - start)
  const contentsKey = indexOfToken(bytes, '/Contents <', dictOffset - start)
  if (rangeKey < 0 || contentsKey < 0) throw new PdfUpdateError('Signature placeholders not found')
  const contentsOffset = start + contentsKey + '/Contents '.length
  const contentsLength = capacity * 2 + 2
  const byteRange = computeByteRange(start + bytes.length, contentsOffset, contentsOffset + contentsLength)
  bytes.set(asciiBytes(formatByteRange(byteRange)), rangeKey + '/ByteRange '.length)
  return { byteRange, contentsOffset, contentsLength }
}

const piecesOf = (file: Uint8Array | PdfChunks): PdfChunks => (file instanceof Uint8Array ? [file] : file)

/** The covered parts of the file, in order, as views into it. */
function* coveredSlices(file: Uint8Array | PdfChunks, range: ByteRange): Generator<Uint8Array> {
  const [a, b, c, d] = range
  yield* chunkSlices(piecesOf(file), a, a + b)
  yield* chunkSlices(piecesOf(file), c, c + d)
}

/** Hashes the two covered ranges straight from the file (whole or in chunks): no copy of a large file. */
export function digestByteRange(
  file: Uint8Array | PdfChunks,
  range: ByteRange,
  algorithm = 'sha256',
): Buffer {
  const hash = createHash(algorithm)
  for (const slice of coveredSlices(file, range)) hash.update(slice)
  return hash.digest()
}

export function coveredBytes(file: Uint8Array | PdfChunks, range: ByteRange): Uint8Array {
  return concatBytes([...coveredSlices(file, range)])
}

/**
 * Writes DER as hex into the /Contents gap; the unused tail stays zeros, as readers expect. `bytes` may
 * be the end of the file only, beginning at file offset `start` (the gap must lie in it).
 */
export function writeContents(bytes: Uint8Array, slot: SignatureSlot, der: Uint8Array, start = 0): void {
  const hex = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('hex')
  if (hex.length > slot.contentsLength - 2) {
    throw new PdfUpdateError(
      `Signature of ${der.length} bytes exceeds the reserved ${(slot.contentsLength - 2) / 2} bytes`,
    )
  }
  const at = slot.contentsOffset - start
  if (at < 0 || bytes[at] !== 0x3c) throw new PdfUpdateError('Contents offset does not point at <')
  bytes.set(asciiBytes(hex), at + 1)
}
