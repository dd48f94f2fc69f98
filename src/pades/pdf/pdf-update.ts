import { PDFContext, PDFDocument, type PDFObject, PDFRef } from 'pdf-lib'
import {
  type AppendedSection,
  appendIncrementalSection,
  appendIncrementalUpdate,
  type IncrementalOptions,
  type IncrementalUpdate,
} from './incremental-writer.ts'
import { lazyContext } from './lazy-objects.ts'
import { findPageRef, pageCount } from './page-tree.ts'
import { lastStartXref, PdfUpdateError, XrefReadError } from './pdf-bytes.ts'
import { type LastRevision, readLastRevision } from './revision.ts'
import { readXrefChain } from './xref-reader.ts'

/**
 * A PDF opened to append one incremental update: read objects through pdf-lib's model, record
 * the ones changed or added, then write only those. Never save it with pdf-lib: a full rewrite
 * breaks every earlier signature.
 */
export interface PdfUpdateSession {
  context: PDFContext
  revision: LastRevision
  pageCount(): number
  /** Reference of the page at a zero-based index. */
  pageRef(index: number): PDFRef
  /** A fresh object number, counting up from the trailer's /Size. */
  allocate(): PDFRef
  /** Records `object` to be written under `ref` (an existing number = a changed object). */
  put(ref: PDFRef, object: PDFObject): void
  /** Registers a new object under a fresh number and returns its reference. */
  add(object: PDFObject): PDFRef
  /** The original followed by the update, as one new array. */
  write(options?: IncrementalOptions): IncrementalUpdate
  /** Only the bytes that follow the original: for large files, which need not be copied. */
  append(options?: IncrementalOptions): AppendedSection
}

/**
 * `lazy` (default) reads only the objects it needs through the cross-reference sections; `full`
 * parses the whole file with pdf-lib, which also copes with broken cross-references.
 */
export type ReadMode = 'lazy' | 'full'

export async function openPdfForUpdate(
  bytes: Uint8Array,
  mode: ReadMode = 'lazy',
): Promise<PdfUpdateSession> {
  const { context, revision } = mode === 'lazy' ? openLazy(bytes) : await openFull(bytes)
  let next = revision.size
  const pending = new Map<number, { ref: PDFRef; object: PDFObject }>()
  const session: PdfUpdateSession = {
    context,
    revision,
    pageCount: () => pageCount(context, revision.root),
    pageRef: (index) => findPageRef(context, revision.root, index),
    allocate: () => PDFRef.of(next++),
    put(ref, object) {
      pending.set(ref.objectNumber, { ref, object })
      // Keeps lookups consistent with what will be written.
      context.assign(ref, object)
    },
    add(object) {
      const ref = session.allocate()
      session.put(ref, object)
      return ref
    },
    write: (options) => appendIncrementalUpdate(bytes, revision, [...pending.values()], options),
    append: (options) => appendIncrementalSection(bytes, revision, [...pending.values()], options),
  }
  return session
}

function openLazy(bytes: Uint8Array) {
  const entries = readXrefChain(bytes, lastStartXref(bytes), PDFContext.create())
  const context = lazyContext(bytes, entries)
  const revision = readLastRevision(bytes, context, Math.max(0, ...entries.keys()))
  return { context, revision }
}

async function openFull(bytes: Uint8Array) {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: Number.POSITIVE_INFINITY })
  return { context: doc.context, revision: readLastRevision(bytes, doc.context) }
}

/**
 * Runs `build` on the lazily read file; when its cross-references cannot be followed, runs it again
 * on a full parse (pdf-lib recovers objects by scanning). Document-level refusals are not retried.
 */
export async function withUpdateSession<T>(
  bytes: Uint8Array,
  build: (session: PdfUpdateSession) => T,
): Promise<T> {
  try {
    return build(await openPdfForUpdate(bytes, 'lazy'))
  } catch (lazyError) {
    if (lazyError instanceof PdfUpdateError && !(lazyError instanceof XrefReadError)) throw lazyError
    return build(await openPdfForUpdate(bytes, 'full'))
  }
}
