/**
 * A Flate-compressed PDF stream made with Node's native zlib: pdf-lib's `context.flateStream` runs pako
 * (JavaScript), several times slower on the font files and images every signature appearance and every
 * number fill embeds — a large part of the time of sealing and numbering a document.
 */
import { deflateSync } from 'node:zlib'
import { type PDFContext, type PDFDict, PDFRawStream } from 'pdf-lib'

export function nativeFlateStream(
  context: PDFContext,
  contents: Uint8Array | string,
  dict: Record<string, unknown> = {},
): PDFRawStream {
  const bytes = typeof contents === 'string' ? Buffer.from(contents, 'latin1') : contents
  return deflatedStream(context, deflateSync(bytes), dict)
}

/** A stream of bytes already Flate-compressed (kept from an earlier deflate): written as they are. */
export function deflatedStream(
  context: PDFContext,
  deflated: Uint8Array,
  dict: Record<string, unknown> = {},
): PDFRawStream {
  const streamDict = context.obj({ ...dict, Filter: 'FlateDecode' } as never) as unknown as PDFDict
  return PDFRawStream.of(streamDict, deflated)
}
