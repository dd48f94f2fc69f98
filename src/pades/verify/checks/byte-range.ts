/**
 * Check 3 — byte ranges: a signature's /ByteRange must be [0 a b c], leave out exactly the `<hex>` of the
 * /Contents of its own signature dictionary (so the signed bytes are the whole revision but that value),
 * and end exactly at the end of a real revision (see structure.ts): a `%%EOF` inside a string is none.
 */
import { asciiAt, indexOfToken } from '../../pdf/pdf-bytes.ts'
import type { ByteRangeValue } from './revisions.ts'
import type { Revision } from './structure.ts'

export type ByteRangeReason = 'byterange-malformed' | 'signed-bytes-missing'

export interface ByteRangeInput {
  bytes: Uint8Array
  range: ByteRangeValue | undefined
  /** /Contents of the signature dictionary as signed. */
  contents: Uint8Array | undefined
  /** The revision the range ends at (undefined: it ends at none). */
  signedRevision: Revision | undefined
  /** Offset of the indirect object that holds the signature dictionary, in the signed revision. */
  containerOffset: number | undefined
}

export function checkByteRange(input: ByteRangeInput): ByteRangeReason[] {
  const { bytes, range, contents } = input
  if (!range || !contents) return ['byterange-malformed']
  const [start, length1, start2, length2] = range
  if (start !== 0 || length1 <= 0 || length2 < 0 || start2 <= length1 + 1) return ['byterange-malformed']
  if (start2 + length2 > bytes.length) return ['signed-bytes-missing']
  if (!input.signedRevision) return ['byterange-malformed']
  if (bytes[length1] !== 0x3c || bytes[start2 - 1] !== 0x3e) return ['byterange-malformed']
  const hex = asciiAt(bytes, length1 + 1, start2 - length1 - 2)
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) return ['byterange-malformed']
  if (!Buffer.from(hex, 'hex').equals(Buffer.from(contents))) return ['byterange-malformed']
  if (!gapInsideObject(bytes, input.containerOffset, length1, start2)) return ['byterange-malformed']
  return []
}

/** The gap lies inside the one indirect object that holds the signature dictionary. */
function gapInsideObject(
  bytes: Uint8Array,
  containerOffset: number | undefined,
  gapStart: number,
  gapEnd: number,
) {
  if (containerOffset === undefined || containerOffset >= gapStart) return false
  const endBefore = indexOfToken(bytes, 'endobj', containerOffset)
  if (endBefore >= 0 && endBefore < gapStart) return false
  const endAfter = indexOfToken(bytes, 'endobj', gapEnd)
  const nextObject = /\d+\s+\d+\s+obj\b/.exec(
    Buffer.from(bytes.subarray(gapEnd, endAfter < 0 ? gapEnd : endAfter)).toString('latin1'),
  )
  return endAfter >= 0 && nextObject === null
}
