import { Transform, type TransformCallback } from 'node:stream'

const MARKER = Buffer.from('/ByteRange')

/**
 * Counts `/ByteRange` entries — one per signature dictionary of a signed PDF — while the bytes stream
 * past, across chunk boundaries. Registration records it; verification comes with the signatures work.
 */
export class SignatureSniffer extends Transform {
  count = 0
  private tail = Buffer.alloc(0)

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    // A marker split across chunks starts in the tail: the tail and the chunk's first bytes are enough
    // to find it, without copying the whole chunk (a 1 MB upload would be copied once more).
    const edge = Buffer.concat([this.tail, chunk.subarray(0, MARKER.length - 1)])
    this.count += occurrences(edge) + occurrences(chunk)
    // Keep less than one marker, so a marker split across chunks is seen once and never twice.
    this.tail =
      chunk.length >= MARKER.length - 1
        ? Buffer.from(chunk.subarray(chunk.length - (MARKER.length - 1)))
        : edge.subarray(Math.max(0, edge.length - (MARKER.length - 1)))
    callback(null, chunk)
  }
}

function occurrences(bytes: Buffer): number {
  let found = 0
  for (let at = bytes.indexOf(MARKER); at !== -1; at = bytes.indexOf(MARKER, at + MARKER.length)) found++
  return found
}
