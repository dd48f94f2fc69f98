/**
 * Incremental updates an attacker (or a careless editor) appends to a signed PDF: through the library's
 * update session (well-formed), or written by hand (hostile cross-references).
 */
import {
  PDFArray,
  PDFContext,
  PDFDict,
  PDFHexString,
  PDFName,
  type PDFNumber,
  type PDFObject,
  PDFRef,
  PDFString,
} from 'pdf-lib'
import { lastStartXref } from '../../src/pades/pdf/pdf-bytes.ts'
import { openPdfForUpdate, type PdfUpdateSession } from '../../src/pades/pdf/pdf-update.ts'
import { readXrefChain, readXrefSection } from '../../src/pades/pdf/xref-reader.ts'

/** One well-formed update made by `edit` (which may return extra work to do before writing). */
export async function update(
  bytes: Uint8Array,
  edit: (session: PdfUpdateSession, tools: Tools) => void,
): Promise<Uint8Array> {
  const session = await openPdfForUpdate(bytes)
  edit(session, tools(session))
  return session.write().bytes
}

export interface Tools {
  catalog(): PDFDict
  page(index?: number): { ref: PDFRef; dict: PDFDict }
  /** The page's content streams (references). */
  contents(index?: number): PDFRef[]
  acroForm(): { ref: PDFRef | undefined; dict: PDFDict }
  /** A field by (partial = full, top-level) name. */
  field(name: string): { ref: PDFRef; dict: PDFDict }
  /** A widget annotation (a field's kid, or the field itself). */
  widgetOf(name: string): { ref: PDFRef; dict: PDFDict }
  annots(index?: number): PDFObject[]
}

function tools(session: PdfUpdateSession): Tools {
  const { context } = session
  const catalog = () => context.lookup(session.revision.root, PDFDict)
  const page = (index = 0) => {
    const ref = session.pageRef(index)
    return { ref, dict: context.lookup(ref, PDFDict) }
  }
  const acroForm = () => {
    const raw = catalog().get(PDFName.of('AcroForm'))
    return { ref: raw instanceof PDFRef ? raw : undefined, dict: context.lookup(raw, PDFDict) }
  }
  const field = (name: string) => {
    const fields = context.lookup(acroForm().dict.get(PDFName.of('Fields')), PDFArray)
    for (const item of fields.asArray()) {
      const dict = context.lookup(item)
      const title = dict instanceof PDFDict ? dict.get(PDFName.of('T')) : undefined
      const text =
        title instanceof PDFString || title instanceof PDFHexString ? title.decodeText() : undefined
      if (item instanceof PDFRef && dict instanceof PDFDict && text === name) return { ref: item, dict }
    }
    throw new Error(`no field ${name}`)
  }
  return {
    catalog,
    page,
    contents: (index = 0) => {
      const raw = page(index).dict.get(PDFName.of('Contents'))
      const value = context.lookup(raw)
      if (value instanceof PDFArray) return value.asArray() as PDFRef[]
      return [raw as PDFRef]
    },
    acroForm,
    field,
    widgetOf: (name: string) => {
      const found = field(name)
      const kids = context.lookup(found.dict.get(PDFName.of('Kids')))
      if (kids instanceof PDFArray) {
        const ref = kids.get(0) as PDFRef
        return { ref, dict: context.lookup(ref, PDFDict) }
      }
      return found
    },
    annots: (index = 0) => {
      const value = context.lookup(page(index).dict.get(PDFName.of('Annots')))
      return value instanceof PDFArray ? value.asArray() : []
    },
  }
}

/** Fills a text field the way an issuing system would: /V, and a new /AP /N stream on its widget. */
export function fillTextField(session: PdfUpdateSession, t: Tools, name: string, value: string) {
  const { context } = session
  const field = t.field(name)
  field.dict.set(PDFName.of('V'), PDFString.of(value))
  session.put(field.ref, field.dict)
  const widget = t.widgetOf(name)
  const rect = context.lookup(widget.dict.get(PDFName.of('Rect')), PDFArray).asArray() as PDFNumber[]
  const [x1, y1, x2, y2] = rect.map((n) => n.asNumber())
  const width = Math.abs(x2! - x1!)
  const height = Math.abs(y2! - y1!)
  const font = session.add(
    context.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica', Encoding: 'WinAnsiEncoding' }),
  )
  const appearance = session.add(
    context.stream(`/Tx BMC BT /Helv 11 Tf 0 g 2 6 Td (${value}) Tj ET EMC`, {
      Type: 'XObject',
      Subtype: 'Form',
      BBox: [0, 0, width, height],
      Resources: { Font: { Helv: font } },
    }),
  )
  widget.dict.set(PDFName.of('AP'), context.obj({ N: appearance }))
  session.put(widget.ref, widget.dict)
}

export interface RawObject {
  number: number
  generation?: number
  /** The object's body as PDF syntax (between `obj` and `endobj`). */
  body: string | Uint8Array
}

export interface RawUpdateOptions {
  objects?: RawObject[]
  /** Extra xref entries: number -> offset (may point anywhere: a hostile table). */
  entries?: Map<number, number>
  /** Shift the listed offset of these objects by this many bytes (wrong offsets). */
  skew?: Map<number, number>
  /** `null`: no /Prev (a complete table is then written for every object of the file). */
  prev?: number | null
  /** Omit the xref, trailer and startxref: objects appended with no cross-reference at all. */
  noXref?: boolean
  /** Objects written in the update's bytes but left out of its table. */
  unlisted?: RawObject[]
}

/** An update written by hand (classic table), for the hostile cross-reference class. */
export function rawUpdate(bytes: Uint8Array, options: RawUpdateOptions): Uint8Array {
  const chunks: Buffer[] = [Buffer.from(bytes)]
  let length = bytes.length
  const push = (chunk: Buffer) => {
    chunks.push(chunk)
    length += chunk.length
  }
  if (bytes[bytes.length - 1] !== 0x0a) push(Buffer.from('\n'))
  const offsets = new Map<number, number>()
  const write = (object: RawObject) => {
    const at = length
    push(Buffer.from(`${object.number} ${object.generation ?? 0} obj\n`, 'latin1'))
    push(Buffer.from(object.body as Uint8Array | string))
    push(Buffer.from('\nendobj\n', 'latin1'))
    return at
  }
  for (const object of options.unlisted ?? []) write(object)
  for (const object of options.objects ?? []) offsets.set(object.number, write(object))
  if (options.noXref) return Buffer.concat(chunks)
  const startXref = lastStartXref(bytes)
  const previous = readXrefSection(bytes, startXref, PDFContext.create()).trailer
  const entries = new Map<number, number>(options.entries ?? [])
  for (const [number, offset] of offsets) entries.set(number, offset + (options.skew?.get(number) ?? 0))
  let size = (previous.get(PDFName.of('Size')) as PDFNumber).asNumber()
  if (options.prev === null) {
    // A complete table: every object the file had, overridden by this update's.
    for (const [number, entry] of readXrefChain(bytes, startXref, PDFContext.create())) {
      if (number === 0 || entries.has(number) || entry.type !== 'offset') continue
      entries.set(number, entry.offset)
    }
  }
  size = Math.max(size, ...[...entries.keys()].map((n) => n + 1))
  const xrefAt = length
  push(Buffer.from(xrefTable(entries, options.prev === null), 'latin1'))
  const root = previous.get(PDFName.of('Root'))!.toString()
  const info = previous.get(PDFName.of('Info'))
  const prev = options.prev === null ? '' : ` /Prev ${options.prev ?? startXref}`
  push(
    Buffer.from(
      `trailer\n<< /Size ${size} /Root ${root}${info ? ` /Info ${info.toString()}` : ''}${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`,
      'latin1',
    ),
  )
  return Buffer.concat(chunks)
}

function xrefTable(entries: Map<number, number>, complete: boolean): string {
  const numbers = [...entries.keys()].sort((a, b) => a - b)
  let text = 'xref\n'
  if (complete) text += '0 1\n0000000000 65535 f \n'
  for (const number of numbers) {
    text += `${number} 1\n${String(entries.get(number)).padStart(10, '0')} 00000 n \n`
  }
  return text
}

/** The object's bytes `N G obj … endobj` as the newest revision has them, as PDF syntax for a raw update. */
export async function objectBody(bytes: Uint8Array, ref: PDFRef): Promise<string> {
  const session = await openPdfForUpdate(bytes)
  const object = session.context.lookup(ref)
  if (!object) throw new Error(`no object ${ref}`)
  const buffer = new Uint8Array(object.sizeInBytes())
  object.copyBytesInto(buffer, 0)
  return Buffer.from(buffer).toString('latin1')
}
