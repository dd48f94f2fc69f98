/**
 * What the incremental updates after a signature changed, object by object. Allowed after signing
 * (ISO 32000-2 12.8.2.2, PAdES): further signatures and document timestamps, the DSS, form fields and
 * their values, annotations (a page may gain /Annots), the catalog's /AcroForm, /DSS and /Extensions,
 * the document information dictionary and XMP metadata, and new objects. Flagged: a page whose other
 * entries changed (e.g. /Contents), an existing stream rewritten (content streams, images, fonts), the
 * catalog's other entries, any other existing object changed, and a free'd object.
 */
import { PDFArray, type PDFContext, PDFDict, PDFName, type PDFObject, PDFRawStream, PDFRef } from 'pdf-lib'
import { readXrefSection } from '../pdf/xref-reader.ts'
import { contextAt, type PdfStructure } from './pdf-structure.ts'

export type ChangeKind =
  | 'signature'
  | 'document-timestamp'
  | 'dss'
  | 'form-field'
  | 'annotation'
  | 'form'
  | 'catalog'
  | 'page-annotations'
  | 'metadata'
  | 'object-added'
  /** Flagged: */
  | 'page-modified'
  | 'catalog-modified'
  | 'content-modified'
  | 'object-modified'
  | 'object-deleted'

export interface Change {
  /** Byte offset of the cross-reference section of the update that made the change. */
  revisionOffset: number
  object: string
  kind: ChangeKind
  allowed: boolean
}

const FLAGGED = new Set<ChangeKind>([
  'page-modified',
  'catalog-modified',
  'content-modified',
  'object-modified',
  'object-deleted',
])

const typeOf = (object: PDFObject | undefined) => {
  const dict = object instanceof PDFRawStream ? object.dict : object
  if (!(dict instanceof PDFDict)) return undefined
  const type = dict.get(PDFName.of('Type'))
  return type instanceof PDFName ? type.decodeText() : undefined
}

const serialize = (object: PDFObject | undefined): string =>
  object instanceof PDFRawStream
    ? `${object.dict.toString()}|${Buffer.from(object.contents).toString('base64')}`
    : String(object?.toString())

/** Entries of two dictionaries that differ, ignoring `keys`. */
function differsExcept(a: PDFDict, b: PDFDict, keys: string[]) {
  const ignored = new Set(keys.map((key) => `/${key}`))
  const names = new Set([...a.keys(), ...b.keys()].map((key) => key.toString()))
  for (const name of names) {
    if (ignored.has(name)) continue
    if (serialize(a.get(PDFName.of(name.slice(1)))) !== serialize(b.get(PDFName.of(name.slice(1)))))
      return true
  }
  return false
}

function classify(
  now: PDFObject | undefined,
  before: PDFObject | undefined,
  infoRef: string | undefined,
  ref: string,
): ChangeKind | undefined {
  if (now === undefined) return before === undefined ? undefined : 'object-deleted'
  const type = typeOf(now)
  if (type === 'XRef' || type === 'ObjStm') return undefined
  if (before !== undefined && serialize(now) === serialize(before)) return undefined
  if (type === 'Sig') return 'signature'
  if (type === 'DocTimeStamp') return 'document-timestamp'
  if (type === 'DSS' || type === 'VRI') return 'dss'
  if (type === 'Metadata' || ref === infoRef) return 'metadata'
  const dict = now instanceof PDFDict ? now : undefined
  if (type === 'Catalog' && dict) {
    if (!(before instanceof PDFDict)) return 'catalog'
    return differsExcept(dict, before, ['AcroForm', 'DSS', 'Extensions', 'Metadata'])
      ? 'catalog-modified'
      : 'catalog'
  }
  if (type === 'Page' && dict) {
    if (!(before instanceof PDFDict)) return 'object-added'
    return differsExcept(dict, before, ['Annots']) ? 'page-modified' : 'page-annotations'
  }
  if (dict?.get(PDFName.of('FT')) || (dict?.get(PDFName.of('Parent')) && dict.get(PDFName.of('T'))))
    return 'form-field'
  if (type === 'Annot' || dict?.get(PDFName.of('Subtype')) === PDFName.of('Widget')) {
    return dict?.get(PDFName.of('Subtype')) === PDFName.of('Widget') ? 'form-field' : 'annotation'
  }
  if (dict?.get(PDFName.of('Fields'))) return 'form'
  if (before === undefined) return 'object-added'
  return now instanceof PDFRawStream ? 'content-modified' : 'object-modified'
}

/** The changes of every update whose cross-reference section starts at or after `from`. */
export function changesAfter(structure: PdfStructure, from: number): Change[] {
  const changes: Change[] = []
  const sections = structure.sections
  for (let i = 0; i < sections.length; i++) {
    const section = sections[i]!
    if (section.offset < from) continue
    const previous = sections[i - 1]
    const now = contextAt(structure, section.offset)
    const before: PDFContext | undefined = previous ? contextAt(structure, previous.offset) : undefined
    const { info, dssItems } = trailerRefs(structure, section.offset, now)
    for (const [number, entry] of section.entries) {
      if (number === 0) continue
      const generation = entry.type === 'offset' ? entry.generation : 0
      const ref = PDFRef.of(number, generation)
      const beforeObject = before ? safeLookup(before, number) : undefined
      const nowObject = entry.type === 'free' ? undefined : safeLookup(now, number, generation)
      const kind =
        dssItems.has(ref.toString()) && nowObject !== undefined
          ? 'dss'
          : classify(nowObject, beforeObject, info, ref.toString())
      if (kind)
        changes.push({
          revisionOffset: section.offset,
          object: ref.toString(),
          kind,
          allowed: !FLAGGED.has(kind),
        })
    }
  }
  return changes
}

function safeLookup(context: PDFContext, number: number, generation?: number): PDFObject | undefined {
  for (const gen of generation === undefined ? [0, 1, 2] : [generation]) {
    try {
      const object = context.lookup(PDFRef.of(number, gen))
      if (object !== undefined) return object
    } catch {
      return undefined
    }
  }
  return undefined
}

/** The /Info reference and the streams the DSS lists (certificates, CRLs, OCSP responses, VRI). */
function trailerRefs(structure: PdfStructure, offset: number, context: PDFContext) {
  const dssItems = new Set<string>()
  try {
    const trailer = readXrefSection(structure.bytes, offset, context).trailer
    const info = trailer.get(PDFName.of('Info'))
    const catalog = context.lookup(trailer.get(PDFName.of('Root')))
    const dss = catalog instanceof PDFDict ? context.lookup(catalog.get(PDFName.of('DSS'))) : undefined
    if (dss instanceof PDFDict) {
      for (const key of ['Certs', 'CRLs', 'OCSPs', 'VRI']) {
        const value = dss.get(PDFName.of(key))
        if (value instanceof PDFRef) dssItems.add(value.toString())
        const array = context.lookup(value)
        if (array instanceof PDFArray)
          for (const item of array.asArray()) if (item instanceof PDFRef) dssItems.add(item.toString())
      }
    }
    return { info: info instanceof PDFRef ? info.toString() : undefined, dssItems }
  } catch {
    return { info: undefined, dssItems }
  }
}

/** Kinds a certification's permission lets later revisions make (PDF 2.0 / PAdES: DSS and timestamps always). */
const LTV_KINDS = new Set<ChangeKind>(['dss', 'catalog', 'metadata'])
const TIMESTAMP_KINDS = new Set<ChangeKind>([
  ...LTV_KINDS,
  'document-timestamp',
  'form-field',
  'form',
  'page-annotations',
  'object-added',
])
const FORM_AND_SIGNATURE_KINDS = new Set<ChangeKind>([...TIMESTAMP_KINDS, 'signature'])

/**
 * Whether the changes after a certification signature exceed its DocMDP permission (ISO 32000-1
 * 12.8.2.2): P=1 allows only validation material (DSS) and document timestamps with their widgets; P=2 also
 * form filling and further signatures; P=3 also annotations. Changes flagged for every signature (page
 * content, other objects) exceed any permission. Judged per update, so a document timestamp's widget does
 * not excuse a form field filled in another update.
 */
export function exceedsDocMdp(changes: Change[], permission: 1 | 2 | 3): boolean {
  if (changes.some((change) => !change.allowed)) return true
  if (permission === 3) return false
  const updates = new Map<number, ChangeKind[]>()
  for (const change of changes)
    updates.set(change.revisionOffset, [...(updates.get(change.revisionOffset) ?? []), change.kind])
  for (const kinds of updates.values()) {
    const allowed =
      permission === 2
        ? FORM_AND_SIGNATURE_KINDS
        : kinds.includes('document-timestamp')
          ? TIMESTAMP_KINDS
          : LTV_KINDS
    if (kinds.some((kind) => !allowed.has(kind))) return true
  }
  return false
}
