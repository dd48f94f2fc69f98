/**
 * What the verifier reads from a PDF's structure: revisions (one per cross-reference section), the
 * signature fields of the final revision, the DSS, and each incremental update's objects.
 */
import {
  PDFArray,
  PDFContext,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFRawStream,
  PDFRef,
  PDFString,
} from 'pdf-lib'
import { lazyContext } from '../pdf/lazy-objects.ts'
import { asciiAt, lastStartXref } from '../pdf/pdf-bytes.ts'
import { decodeStreamBytes } from '../pdf/stream-decode.ts'
import { readXrefChain, readXrefSection, type XrefLocation } from '../pdf/xref-reader.ts'

export class NotAPdfError extends Error {
  override name = 'NotAPdfError'
}

export interface XrefSectionInfo {
  offset: number
  /** Entries written by this section alone (with its hybrid /XRefStm). */
  entries: Map<number, XrefLocation>
}

export interface PdfStructure {
  bytes: Uint8Array
  context: PDFContext
  root: PDFRef | undefined
  /** Oldest first. Empty when the cross-references could not be followed (full-parse fallback). */
  sections: XrefSectionInfo[]
  /** Offsets just past each `%%EOF` (with and without its end-of-line): where revisions end. */
  revisionEnds: Set<number>
}

/**
 * `lazy` reads objects through the cross-reference sections (and knows the revisions); `full` parses
 * the whole file with pdf-lib, which recovers from broken cross-references but loses the revisions.
 */
export async function readPdf(bytes: Uint8Array, mode: 'lazy' | 'full' = 'lazy'): Promise<PdfStructure> {
  if (!asciiAt(bytes, 0, 1024).includes('%PDF-')) throw new NotAPdfError('No %PDF- header')
  const revisionEnds = findRevisionEnds(bytes)
  try {
    if (mode === 'full') throw new Error('full parse asked for')
    const startXref = lastStartXref(bytes)
    const entries = readXrefChain(bytes, startXref, PDFContext.create())
    const context = lazyContext(bytes, entries)
    const { trailer } = readXrefSection(bytes, startXref, context)
    const root = trailer.get(PDFName.of('Root'))
    if (!(root instanceof PDFRef) || !(context.lookup(root) instanceof PDFDict)) throw new Error('no catalog')
    return { bytes, context, root, sections: readSections(bytes, startXref), revisionEnds }
  } catch {
    try {
      const doc = await PDFDocument.load(bytes, {
        updateMetadata: false,
        ignoreEncryption: true,
        throwOnInvalidObject: false,
      })
      const root = doc.context.trailerInfo.Root
      return {
        bytes,
        context: doc.context,
        root: root instanceof PDFRef ? root : undefined,
        sections: [],
        revisionEnds,
      }
    } catch (error) {
      throw new NotAPdfError(`Unreadable PDF: ${(error as Error).message}`)
    }
  }
}

function findRevisionEnds(bytes: Uint8Array): Set<number> {
  const ends = new Set<number>()
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let at = text.indexOf('%%EOF'); at >= 0; at = text.indexOf('%%EOF', at + 5)) {
    let end = at + 5
    ends.add(end)
    if (text[end] === 0x0d) ends.add(++end)
    if (text[end] === 0x0a) ends.add(end + 1)
  }
  return ends
}

function readSections(bytes: Uint8Array, startXref: number): XrefSectionInfo[] {
  const sections: XrefSectionInfo[] = []
  const seen = new Set<number>()
  const scratch = PDFContext.create()
  for (let offset: number | undefined = startXref; offset !== undefined && !seen.has(offset); ) {
    seen.add(offset)
    const entries = new Map<number, XrefLocation>()
    const { trailer } = readXrefSection(bytes, offset, scratch, entries)
    const hybrid = trailer.get(PDFName.of('XRefStm'))
    if (hybrid instanceof PDFNumber) readXrefSection(bytes, hybrid.asNumber(), scratch, entries)
    sections.push({ offset, entries })
    const prev = trailer.get(PDFName.of('Prev'))
    offset = prev instanceof PDFNumber ? prev.asNumber() : undefined
  }
  return sections.sort((a, b) => a.offset - b.offset)
}

/** The objects as a reader saw them when the section at `offset` was the newest. */
export function contextAt(structure: PdfStructure, offset: number): PDFContext {
  return lazyContext(structure.bytes, readXrefChain(structure.bytes, offset, PDFContext.create()))
}

export interface SignatureFieldInfo {
  name: string
  /** The /V dictionary. */
  value: PDFDict
  ref?: PDFRef
}

const text = (object: PDFObject | undefined) =>
  object instanceof PDFString || object instanceof PDFHexString ? object.decodeText() : undefined

/** Every signature field with a value, walking /AcroForm /Fields and /Kids (names joined with dots). */
export function signatureFields(structure: PdfStructure): SignatureFieldInfo[] {
  const { context, root } = structure
  const catalog = root ? context.lookup(root) : undefined
  if (!(catalog instanceof PDFDict)) return []
  const form = context.lookup(catalog.get(PDFName.of('AcroForm')))
  if (!(form instanceof PDFDict)) return []
  const found: SignatureFieldInfo[] = []
  const seen = new Set<string>()
  const walk = (
    item: PDFObject | undefined,
    parentName: string | undefined,
    inheritedFt: PDFObject | undefined,
    depth: number,
  ) => {
    if (depth > 32) return
    if (item instanceof PDFRef) {
      if (seen.has(item.toString())) return
      seen.add(item.toString())
    }
    const field = context.lookup(item)
    if (!(field instanceof PDFDict)) return
    const partial = text(field.get(PDFName.of('T')))
    const name = partial === undefined ? parentName : parentName ? `${parentName}.${partial}` : partial
    const ft = field.get(PDFName.of('FT')) ?? inheritedFt
    const kids = context.lookup(field.get(PDFName.of('Kids')))
    if (kids instanceof PDFArray) for (const kid of kids.asArray()) walk(kid, name, ft, depth + 1)
    if (ft !== PDFName.of('Sig')) return
    const rawValue = field.get(PDFName.of('V'))
    const value = context.lookup(rawValue)
    if (value instanceof PDFDict) {
      found.push({ name: name ?? '(unnamed)', value, ref: rawValue instanceof PDFRef ? rawValue : undefined })
    }
  }
  const fields = context.lookup(form.get(PDFName.of('Fields')))
  if (fields instanceof PDFArray) for (const field of fields.asArray()) walk(field, undefined, undefined, 0)
  return found
}

export interface DssContents {
  present: boolean
  certs: Uint8Array[]
  crls: Uint8Array[]
  ocsps: Uint8Array[]
}

export function readDss(structure: PdfStructure): DssContents {
  const { context, root } = structure
  const catalog = root ? context.lookup(root) : undefined
  const dss = catalog instanceof PDFDict ? context.lookup(catalog.get(PDFName.of('DSS'))) : undefined
  const items = (key: string) => {
    if (!(dss instanceof PDFDict)) return []
    const array = context.lookup(dss.get(PDFName.of(key)))
    if (!(array instanceof PDFArray)) return []
    return array.asArray().flatMap((item) => {
      const stream = context.lookup(item)
      try {
        return stream instanceof PDFRawStream ? [decodeStreamBytes(stream)] : []
      } catch {
        return []
      }
    })
  }
  return {
    present: dss instanceof PDFDict,
    certs: items('Certs'),
    crls: items('CRLs'),
    ocsps: items('OCSPs'),
  }
}
