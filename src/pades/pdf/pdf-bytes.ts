/** Byte-level helpers shared by the incremental writer and the signature placeholder. */

export class PdfUpdateError extends Error {
  override name = 'PdfUpdateError'
}

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)

/** Offset of the last occurrence of an ASCII token at or before `before`, or -1. */
export function lastIndexOfToken(bytes: Uint8Array, token: string, before = bytes.length): number {
  return latin1(bytes).lastIndexOf(token, before, 'latin1')
}

/** Offset of the first occurrence of an ASCII token at or after `from`, or -1. */
export function indexOfToken(bytes: Uint8Array, token: string, from = 0): number {
  return latin1(bytes).indexOf(token, from, 'latin1')
}

export function asciiAt(bytes: Uint8Array, start: number, length: number): string {
  return latin1(bytes).toString('latin1', start, Math.min(bytes.length, start + length))
}

export function asciiBytes(text: string): Uint8Array {
  return Buffer.from(text, 'latin1')
}

/**
 * A file as consecutive pieces: the earlier revisions as read, then what an update appends. Large
 * files are hashed, stored and streamed this way without being copied into one array.
 */
export type PdfChunks = readonly Uint8Array[]

/** The parts of the file in [from, to), as views into its chunks (no copy). */
export function* chunkSlices(chunks: PdfChunks, from: number, to: number): Generator<Uint8Array> {
  let at = 0
  for (const chunk of chunks) {
    const start = Math.max(from, at)
    const end = Math.min(to, at + chunk.length)
    if (start < end) yield chunk.subarray(start - at, end - at)
    at += chunk.length
  }
}

/** One new array holding the chunks one after the other. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0))
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.length
  }
  return out
}

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20])

export function skipWhitespace(bytes: Uint8Array, offset: number): number {
  let at = offset
  while (at < bytes.length && WHITESPACE.has(bytes[at]!)) at++
  return at
}

/** The offset in the last `startxref`: where the newest cross-reference section begins. */
export function lastStartXref(bytes: Uint8Array): number {
  const at = lastIndexOfToken(bytes, 'startxref')
  if (at < 0) throw new PdfUpdateError('No startxref: not a PDF or truncated')
  const match = /^startxref\s+(\d+)/.exec(asciiAt(bytes, at, 40))
  if (!match) throw new PdfUpdateError('Malformed startxref')
  const offset = Number(match[1])
  if (offset >= bytes.length) throw new PdfUpdateError('startxref points past the end of the file')
  return offset
}

/** The cross-reference data could not be followed; a full parse of the file may still succeed. */
export class XrefReadError extends PdfUpdateError {
  override name = 'XrefReadError'
}
