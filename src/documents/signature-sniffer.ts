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
    const window = Buffer.concat([this.tail, chunk])
    let at = window.indexOf(MARKER)
    while (at !== -1) {
      this.count++
      at = window.indexOf(MARKER, at + MARKER.length)
    }
    // Keep less than one marker, so a marker split across chunks is seen once and never twice.
    this.tail = window.subarray(Math.max(0, window.length - (MARKER.length - 1)))
    callback(null, chunk)
  }
}
