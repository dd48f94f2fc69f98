import { createHash } from 'node:crypto'
import { PDFObject } from 'pdf-lib'
import { asciiBytes, indexOfToken, PdfUpdateError } from './pdf-bytes.ts'

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
 * /ByteRange over its placeholder in place; the file length does not change.
 */
export function fillByteRange(bytes: Uint8Array, dictOffset: number, capacity: number): SignatureSlot {
  const rangeKey = indexOfToken(bytes, '/ByteRange ', dictOffset)
  const contentsKey = indexOfToken(bytes, '/Contents <', dictOffset)
  if (rangeKey < 0 || contentsKey < 0) throw new PdfUpdateError('Signature placeholders not found')
  const contentsOffset = contentsKey + '/Contents '.length
  const contentsLength = capacity * 2 + 2
  const byteRange = computeByteRange(bytes.length, contentsOffset, contentsOffset + contentsLength)
  bytes.set(asciiBytes(formatByteRange(byteRange)), rangeKey + '/ByteRange '.length)
  return { byteRange, contentsOffset, contentsLength }
}

/** Hashes the two covered ranges straight from the buffer: no copy of a large file. */
export function digestByteRange(bytes: Uint8Array, range: ByteRange, algorithm = 'sha256'): Buffer {
  const [a, b, c, d] = range
  return createHash(algorithm)
    .update(bytes.subarray(a, a + b))
    .update(bytes.subarray(c, c + d))
    .digest()
}

export function coveredBytes(bytes: Uint8Array, range: ByteRange): Uint8Array {
  const [a, b, c, d] = range
  const out = new Uint8Array(b + d)
  out.set(bytes.subarray(a, a + b), 0)
  out.set(bytes.subarray(c, c + d), b)
  return out
}

/** Writes DER as hex into the /Contents gap; the unused tail stays zeros, as readers expect. */
export function writeContents(bytes: Uint8Array, slot: SignatureSlot, der: Uint8Array): void {
  const hex = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('hex')
  if (hex.length > slot.contentsLength - 2) {
    throw new PdfUpdateError(
      `Signature of ${der.length} bytes exceeds the reserved ${(slot.contentsLength - 2) / 2} bytes`,
    )
  }
  if (bytes[slot.contentsOffset] !== 0x3c) throw new PdfUpdateError('Contents offset does not point at <')
  bytes.set(asciiBytes(hex), slot.contentsOffset + 1)
}
