import {
  PDFArray,
  PDFDict,
  PDFName,
  PDFNumber,
  type PDFContext,
  type PDFObject,
  PDFObjectParser,
  PDFRef,
  PDFStream,
} from 'pdf-lib'
import { asciiAt, lastStartXref, PdfUpdateError, skipWhitespace, indexOfToken } from './pdf-bytes.ts'

/** What an incremental update needs to know about the newest revision of a file. */
export interface LastRevision {
  /** Offset of the newest xref section: becomes /Prev of the update. */
  startXref: number
  /** The update mirrors it: a file that switched to xref streams must keep them for PDF 1.5 readers. */
  xrefKind: 'table' | 'stream'
  /** /Size of the newest trailer: first free object number. */
  size: number
  root: PDFRef
  info?: PDFRef
  /** The /ID array as written, e.g. `[<ab..><cd..>]`. */
  id?: PDFArray
}

/** Reads the trailer (or xref stream dictionary) that the final `startxref` points to. */
export function readLastRevision(
  bytes: Uint8Array,
  context: PDFContext,
  highestObjectNumber = context.largestObjectNumber,
): LastRevision {
  const startXref = lastStartXref(bytes)
  const at = skipWhitespace(bytes, startXref)
  const isTable = asciiAt(bytes, at, 4) === 'xref'
  const trailer = isTable ? readTableTrailer(bytes, at, context) : readStreamDict(bytes, at, context)
  if (trailer.get(PDFName.of('Encrypt'))) {
    throw new PdfUpdateError('Encrypted PDFs cannot be signed by appending plain objects')
  }
  const root = trailer.get(PDFName.of('Root')) ?? context.trailerInfo.Root
  if (!(root instanceof PDFRef)) throw new PdfUpdateError('Trailer has no /Root reference')
  const size = trailer.get(PDFName.of('Size'))
  const info = trailer.get(PDFName.of('Info')) ?? context.trailerInfo.Info
  const id = trailer.get(PDFName.of('ID')) ?? context.trailerInfo.ID
  return {
    startXref,
    xrefKind: isTable ? 'table' : 'stream',
    // A missing or short /Size must not make us reuse a live object number.
    size: Math.max(size instanceof PDFNumber ? size.asNumber() : 0, highestObjectNumber + 1),
    root,
    info: info instanceof PDFRef ? info : undefined,
    id: id instanceof PDFArray && id.size() === 2 ? id : undefined,
  }
}

function readTableTrailer(bytes: Uint8Array, xrefAt: number, context: PDFContext): PDFDict {
  const at = indexOfToken(bytes, 'trailer', xrefAt)
  if (at < 0) throw new PdfUpdateError('xref table without trailer')
  return expectDict(parseObjectAt(bytes, at + 'trailer'.length, context))
}

function readStreamDict(bytes: Uint8Array, at: number, context: PDFContext): PDFDict {
  const header = /^(\d+)\s+(\d+)\s+obj/.exec(asciiAt(bytes, at, 32))
  if (!header) throw new PdfUpdateError('startxref points at neither an xref table nor an xref stream')
  const object = parseObjectAt(bytes, at + header[0].length, context)
  const dict = object instanceof PDFStream ? object.dict : undefined
  if (dict?.get(PDFName.of('Type')) !== PDFName.of('XRef')) {
    throw new PdfUpdateError('startxref points at an object that is not an xref stream')
  }
  return dict
}

function parseObjectAt(bytes: Uint8Array, at: number, context: PDFContext): PDFObject {
  return PDFObjectParser.forBytes(bytes.subarray(skipWhitespace(bytes, at)), context).parseObject()
}

function expectDict(object: PDFObject): PDFDict {
  if (!(object instanceof PDFDict)) throw new PdfUpdateError('Trailer is not a dictionary')
  return object
}
