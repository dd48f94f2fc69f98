import { randomBytes } from 'node:crypto'
import type { PDFObject, PDFRef } from 'pdf-lib'
import { asciiBytes, concatBytes } from './pdf-bytes.ts'
import type { LastRevision } from './revision.ts'
import { formatXrefTable, type XrefEntry, xrefStreamData } from './xref.ts'

/** One indirect object of the update: a changed object keeps its number, a new one takes a free one. */
export interface ObjectUpdate {
  ref: PDFRef
  object: PDFObject
}

/** An update as the bytes appended to the original: the original is neither copied nor touched. */
export interface AppendedSection {
  /** The bytes that follow the original (a newline first when it did not end with one). */
  appended: Uint8Array
  /** Offset of every object written in the whole file, by object number. */
  offsets: Map<number, number>
  /** Offset of the new cross-reference section (the new `startxref`). */
  startXref: number
  /** Length of the original file: where the appended bytes begin. */
  updateStart: number
}

export interface IncrementalUpdate extends AppendedSection {
  /** The original bytes, unchanged, followed by the update (a copy of both). */
  bytes: Uint8Array
}

export interface IncrementalOptions {
  /** Second /ID element; random by default (the first is kept so the document stays recognisable). */
  updateId?: Uint8Array
}

/** The update as one new file: the original copied, then the appended section. */
export function appendIncrementalUpdate(
  original: Uint8Array,
  revision: LastRevision,
  objects: readonly ObjectUpdate[],
  options: IncrementalOptions = {},
): IncrementalUpdate {
  const section = appendIncrementalSection(original, revision, objects, options)
  return { ...section, bytes: concatBytes([original, section.appended]) }
}

/**
 * Appends objects, a cross-reference section of the same kind as the newest one (table or stream)
 * and a trailer chained by /Prev. Earlier bytes are never touched, so earlier signatures stay valid.
 * Objects that lived in object streams are simply written as plain objects: the new xref wins.
 */
export function appendIncrementalSection(
  original: Uint8Array,
  revision: LastRevision,
  objects: readonly ObjectUpdate[],
  options: IncrementalOptions = {},
): AppendedSection {
  if (objects.length === 0) throw new Error('An incremental update needs at least one object')
  const chunks: Uint8Array[] = []
  let length = original.length
  const push = (chunk: Uint8Array) => {
    chunks.push(chunk)
    length += chunk.length
  }
  // The original may end right after %%EOF: the next object must start on a new line.
  const last = original[original.length - 1]
  if (last !== 0x0a && last !== 0x0d) push(asciiBytes('\n'))

  const offsets = new Map<number, number>()
  const entries: XrefEntry[] = []
  for (const { ref, object } of objects) {
    offsets.set(ref.objectNumber, length)
    entries.push({ objectNumber: ref.objectNumber, generation: ref.generationNumber, offset: length })
    push(serializeIndirect(ref, object))
  }
  const highest = Math.max(revision.size - 1, ...entries.map((e) => e.objectNumber))
  const startXref = length
  const id = trailerId(revision, options.updateId ?? randomBytes(16))
  if (revision.xrefKind === 'table') {
    const trailer = trailerFields(revision, highest + 1, id)
    push(asciiBytes(`${formatXrefTable(entries)}trailer\n<< ${trailer} >>\n`))
  } else {
    // The xref stream lists itself, so it takes the next free number.
    const selfNumber = highest + 1
    entries.push({ objectNumber: selfNumber, generation: 0, offset: startXref })
    push(xrefStreamObject(selfNumber, entries, trailerFields(revision, selfNumber + 1, id)))
  }
  push(asciiBytes(`startxref\n${startXref}\n%%EOF\n`))
  return { appended: concatBytes(chunks), offsets, startXref, updateStart: original.length }
}

function serializeIndirect(ref: PDFRef, object: PDFObject): Uint8Array {
  const head = asciiBytes(`${ref.objectNumber} ${ref.generationNumber} obj\n`)
  const tail = asciiBytes('\nendobj\n')
  const out = new Uint8Array(head.length + object.sizeInBytes() + tail.length)
  out.set(head, 0)
  const end = head.length + object.copyBytesInto(out, head.length)
  out.set(tail, end)
  return out
}

function trailerId(revision: LastRevision, updateId: Uint8Array): string {
  const second = `<${Buffer.from(updateId).toString('hex')}>`
  const first = revision.id?.get(0)?.toString() ?? second
  return `[${first} ${second}]`
}

function trailerFields(revision: LastRevision, size: number, id: string): string {
  const ref = (r: PDFRef) => `${r.objectNumber} ${r.generationNumber} R`
  const info = revision.info ? ` /Info ${ref(revision.info)}` : ''
  return `/Size ${size} /Root ${ref(revision.root)}${info} /ID ${id} /Prev ${revision.startXref}`
}

function xrefStreamObject(selfNumber: number, entries: XrefEntry[], trailer: string): Uint8Array {
  const { widths, index, data } = xrefStreamData(entries)
  const dict =
    `<< /Type /XRef ${trailer} /W [${widths.join(' ')}] /Index [${index.join(' ')}]` +
    ` /Length ${data.length} >>`
  const head = asciiBytes(`${selfNumber} 0 obj\n${dict}\nstream\n`)
  const tail = asciiBytes('\nendstream\nendobj\n')
  const out = new Uint8Array(head.length + data.length + tail.length)
  out.set(head, 0)
  out.set(data, head.length)
  out.set(tail, head.length + data.length)
  return out
}
