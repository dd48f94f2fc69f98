import { type PDFContext, PDFDocument, type PDFObject, PDFRef } from 'pdf-lib'
import {
  appendIncrementalUpdate,
  type IncrementalOptions,
  type IncrementalUpdate,
} from './incremental-writer.ts'
import { type LastRevision, readLastRevision } from './revision.ts'

/**
 * A PDF opened to append one incremental update: read objects through pdf-lib's model, record
 * the ones changed or added, then write only those. Never call `doc.save()` on it: that rewrites
 * the whole file and breaks every earlier signature.
 */
export interface PdfUpdateSession {
  doc: PDFDocument
  context: PDFContext
  revision: LastRevision
  /** A fresh object number, counting up from the trailer's /Size. */
  allocate(): PDFRef
  /** Records `object` to be written under `ref` (an existing number = a changed object). */
  put(ref: PDFRef, object: PDFObject): void
  /** Registers a new object under a fresh number and returns its reference. */
  add(object: PDFObject): PDFRef
  write(options?: IncrementalOptions): IncrementalUpdate
}

export async function openPdfForUpdate(bytes: Uint8Array): Promise<PdfUpdateSession> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: Number.POSITIVE_INFINITY })
  const context = doc.context
  const revision = readLastRevision(bytes, context)
  let next = revision.size
  const pending = new Map<number, { ref: PDFRef; object: PDFObject }>()
  const session: PdfUpdateSession = {
    doc,
    context,
    revision,
    allocate: () => PDFRef.of(next++),
    put(ref, object) {
      pending.set(ref.objectNumber, { ref, object })
      // Keeps lookups through pdf-lib consistent with what will be written.
      context.assign(ref, object)
    },
    add(object) {
      const ref = session.allocate()
      session.put(ref, object)
      return ref
    },
    write: (options) => appendIncrementalUpdate(bytes, revision, [...pending.values()], options),
  }
  return session
}
