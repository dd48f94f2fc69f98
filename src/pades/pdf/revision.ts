import { PDFArray, type PDFContext, PDFName, PDFNumber, PDFRef } from 'pdf-lib'
import { lastStartXref, PdfUpdateError, XrefReadError } from './pdf-bytes.ts'
import { readXrefSection } from './xref-reader.ts'

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
  const { kind, trailer } = readXrefSection(bytes, startXref, context)
  if (trailer.get(PDFName.of('Encrypt'))) {
    throw new PdfUpdateError('Encrypted PDFs cannot be signed by appending plain objects')
  }
  const root = trailer.get(PDFName.of('Root')) ?? context.trailerInfo.Root
  // Retried on a full parse, which finds the catalog by scanning.
  if (!(root instanceof PDFRef)) throw new XrefReadError('Trailer has no /Root reference')
  const size = trailer.get(PDFName.of('Size'))
  const info = trailer.get(PDFName.of('Info')) ?? context.trailerInfo.Info
  const id = trailer.get(PDFName.of('ID')) ?? context.trailerInfo.ID
  return {
    startXref,
    xrefKind: kind,
    // A missing or short /Size must not make us reuse a live object number.
    size: Math.max(size instanceof PDFNumber ? size.asNumber() : 0, highestObjectNumber + 1),
    root,
    info: info instanceof PDFRef ? info : undefined,
    id: id instanceof PDFArray && id.size() === 2 ? id : undefined,
  }
}
