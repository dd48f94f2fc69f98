/**
 * Check 2 — revisions: each revision as a reader of that revision sees it (objects read through its own
 * cross-references, on its own bytes), and the signatures of the document found across all of them.
 *
 * A signature is identified by its /ByteRange and /Contents, wherever a field points at it. Its dictionary
 * is read as it stands in the revision its /ByteRange covers (so a later update cannot rewrite /M or drop
 * /Reference unseen); further fields pointing at the same signature are clones, not signatures; a
 * signature present in an earlier revision but gone from the final one was stripped.
 */
import {
  PDFArray,
  type PDFContext,
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
import { lazyContext } from '../../pdf/lazy-objects.ts'
import { decodeStreamBytes } from '../../pdf/stream-decode.ts'
import type { FileStructure, Revision } from './structure.ts'

export interface RevisionView {
  /** The revision's index; `recovered` views come after the last complete revision. */
  index: number
  context: PDFContext
  trailer: PDFDict
  root: PDFRef | undefined
  /** A full scan of the file (later definitions win), as a repairing reader shows a damaged file. */
  recovered: boolean
}

export function openRevision(structure: FileStructure, revision: Revision): RevisionView {
  const context = lazyContext(structure.bytes.subarray(0, revision.end), revision.merged)
  const root = revision.trailer.get(PDFName.of('Root'))
  return {
    index: revision.index,
    context,
    trailer: revision.trailer,
    root: root instanceof PDFRef ? root : undefined,
    recovered: false,
  }
}

/** What a reader that rebuilds the cross-references by scanning shows; undefined when even that fails. */
export async function recoveredView(bytes: Uint8Array, index: number): Promise<RevisionView | undefined> {
  // pdf-lib reports each object it cannot parse on console.warn: expected here, not news.
  const warn = console.warn
  console.warn = () => {}
  try {
    const doc = await PDFDocument.load(bytes, {
      updateMetadata: false,
      ignoreEncryption: true,
      throwOnInvalidObject: false,
    })
    const { Root, Info } = doc.context.trailerInfo
    const trailer = doc.context.obj({})
    if (Root) trailer.set(PDFName.of('Root'), Root)
    if (Info) trailer.set(PDFName.of('Info'), Info)
    return {
      index,
      context: doc.context,
      trailer,
      root: Root instanceof PDFRef ? Root : undefined,
      recovered: true,
    }
  } catch {
    return undefined
  } finally {
    console.warn = warn
  }
}

export const textOf = (object: PDFObject | undefined) =>
  object instanceof PDFString || object instanceof PDFHexString ? object.decodeText() : undefined

export function catalogOf(view: RevisionView): PDFDict | undefined {
  const catalog = view.root ? safeLookup(view.context, view.root) : undefined
  return catalog instanceof PDFDict ? catalog : undefined
}

/** lookup that answers undefined for objects that cannot be read. */
export function safeLookup(context: PDFContext, object: PDFObject | undefined): PDFObject | undefined {
  try {
    return context.lookup(object)
  } catch {
    return undefined
  }
}

export interface FieldInfo {
  /** Fully qualified name (partial names joined with dots). */
  name: string
  ref: PDFRef | undefined
  dict: PDFDict
  /** /FT, inherited from ancestors. */
  type: string | undefined
  /** /V as written (a reference for signatures). */
  rawValue: PDFObject | undefined
}

/** Every terminal-or-not field of the AcroForm, walking /Fields and /Kids (cycles and depth bounded). */
export function formFields(view: RevisionView): FieldInfo[] {
  const catalog = catalogOf(view)
  const form = catalog ? safeLookup(view.context, catalog.get(PDFName.of('AcroForm'))) : undefined
  if (!(form instanceof PDFDict)) return []
  const found: FieldInfo[] = []
  const seen = new Set<string>()
  const walk = (
    item: PDFObject,
    parentName: string | undefined,
    inherited: string | undefined,
    depth: number,
  ) => {
    if (depth > 32 || found.length > 10_000) return
    if (item instanceof PDFRef) {
      if (seen.has(item.toString())) return
      seen.add(item.toString())
    }
    const dict = safeLookup(view.context, item)
    if (!(dict instanceof PDFDict)) return
    const partial = textOf(dict.get(PDFName.of('T')))
    const name = partial === undefined ? parentName : parentName ? `${parentName}.${partial}` : partial
    const ft = dict.get(PDFName.of('FT'))
    const type = ft instanceof PDFName ? nameText(ft) : inherited
    if (partial !== undefined || parentName === undefined)
      found.push({
        name: name ?? '(unnamed)',
        ref: item instanceof PDFRef ? item : undefined,
        dict,
        type,
        rawValue: dict.get(PDFName.of('V')),
      })
    const kids = safeLookup(view.context, dict.get(PDFName.of('Kids')))
    if (kids instanceof PDFArray) for (const kid of kids.asArray()) walk(kid, name, type, depth + 1)
  }
  const fields = safeLookup(view.context, form.get(PDFName.of('Fields')))
  if (fields instanceof PDFArray) for (const field of fields.asArray()) walk(field, undefined, undefined, 0)
  return found
}

export type ByteRangeValue = [number, number, number, number]

export function byteRangeOf(dict: PDFDict, context: PDFContext): ByteRangeValue | undefined {
  const raw = safeLookup(context, dict.get(PDFName.of('ByteRange')))
  if (!(raw instanceof PDFArray) || raw.size() !== 4) return undefined
  const numbers = raw.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : Number.NaN))
  return numbers.every((n) => Number.isSafeInteger(n)) ? (numbers as ByteRangeValue) : undefined
}

export function contentsOf(dict: PDFDict, context: PDFContext): Uint8Array | undefined {
  const raw = safeLookup(context, dict.get(PDFName.of('Contents')))
  return raw instanceof PDFHexString || raw instanceof PDFString ? raw.asBytes() : undefined
}

export interface SignatureOccurrence {
  view: number
  field: string
  fieldRef: PDFRef | undefined
  valueRef: PDFRef | undefined
  value: PDFDict
}

export interface DiscoveredSignature {
  /** The field that holds it in the revision it signed (else where first seen). */
  field: string
  /** Key: /ByteRange and /Contents. */
  key: string
  byteRange: ByteRangeValue | undefined
  /** Index of the revision the /ByteRange ends at; undefined when it ends at none. */
  signedRevision: number | undefined
  /** The signature dictionary as it stands in the signed revision (else as first seen). */
  dict: PDFDict
  /** The view `dict` was read from (its context resolves the dictionary's references). */
  dictView: number
  valueRef: PDFRef | undefined
  /** The field object holding it in that revision (holds the dictionary itself when /V is direct). */
  fieldRef: PDFRef | undefined
  firstSeen: number
  /** Present (some field holds it) in the newest view. */
  inFinal: boolean
  /** Other fields that point at the same signature: not signatures of their own. */
  clones: string[]
}

/**
 * The signatures of the document, oldest first by the end of their /ByteRange. `views` are every
 * revision oldest first (and a recovered view last, when the file is damaged).
 */
export function discoverSignatures(
  views: RevisionView[],
  revisionEnding: (end: number) => number | undefined,
): DiscoveredSignature[] {
  const groups = new Map<string, SignatureOccurrence[]>()
  for (const view of views) {
    for (const field of formFields(view)) {
      if (field.type !== 'Sig') continue
      const value = safeLookup(view.context, field.rawValue)
      if (!(value instanceof PDFDict)) continue
      const key = signatureKey(value, view.context, field.rawValue)
      const list = groups.get(key) ?? []
      list.push({
        view: view.index,
        field: field.name,
        fieldRef: field.ref,
        valueRef: field.rawValue instanceof PDFRef ? field.rawValue : undefined,
        value,
      })
      groups.set(key, list)
    }
  }
  const newest = views.at(-1)?.index
  const signatures: DiscoveredSignature[] = []
  for (const [key, occurrences] of groups) {
    const first = occurrences[0]!
    const firstView = views.find((view) => view.index === first.view)!
    const byteRange = byteRangeOf(first.value, firstView.context)
    const signedRevision = byteRange ? revisionEnding(byteRange[2] + byteRange[3]) : undefined
    // The owner: the field holding it in the revision it signed (its dictionary as signed).
    const owner = occurrences.find((o) => o.view === signedRevision) ?? first
    const ownerView = views.find((view) => view.index === owner.view)!
    const inFinal = occurrences.some((o) => o.view === newest)
    const finalName = occurrences.find((o) => o.view === newest && o.field === owner.field)?.field
    signatures.push({
      field: finalName ?? owner.field,
      key,
      byteRange: byteRangeOf(owner.value, ownerView.context) ?? byteRange,
      signedRevision,
      dict: owner.value,
      dictView: owner.view,
      valueRef: owner.valueRef,
      fieldRef: owner.fieldRef,
      firstSeen: first.view,
      inFinal,
      clones: [...new Set(occurrences.map((o) => o.field))].filter((name) => name !== owner.field),
    })
  }
  return signatures.sort((a, b) => endOf(a) - endOf(b))
}

const endOf = (signature: DiscoveredSignature) =>
  signature.byteRange ? signature.byteRange[2] + signature.byteRange[3] : Number.MAX_SAFE_INTEGER

function signatureKey(value: PDFDict, context: PDFContext, raw: PDFObject | undefined): string {
  const range = byteRangeOf(value, context)
  const contents = contentsOf(value, context)
  if (!range || !contents)
    return `ref:${raw instanceof PDFRef ? raw.toString() : value.toString().slice(0, 200)}`
  return `${range.join(' ')}|${Buffer.from(contents)
    .toString('hex')
    .replace(/(00)+$/, '')}`
}

export interface DssContents {
  present: boolean
  certs: Uint8Array[]
  crls: Uint8Array[]
  ocsps: Uint8Array[]
}

/** The Document Security Store of a view: certificates, CRLs and OCSP responses (DER). */
export function dssOf(view: RevisionView | undefined): DssContents {
  const catalog = view ? catalogOf(view) : undefined
  const dss = view && catalog ? safeLookup(view.context, catalog.get(PDFName.of('DSS'))) : undefined
  const items = (key: string): Uint8Array[] => {
    if (!view || !(dss instanceof PDFDict)) return []
    const array = safeLookup(view.context, dss.get(PDFName.of(key)))
    if (!(array instanceof PDFArray)) return []
    return array.asArray().flatMap((item) => {
      const stream = safeLookup(view.context, item)
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

const NAME_TEXT = new Map<PDFName, string>()

/** A name's text; pdf-lib pools names, so the decoding is done once per distinct name. */
export function nameText(name: PDFName): string {
  let text = NAME_TEXT.get(name)
  if (text === undefined) {
    text = name.decodeText()
    if (NAME_TEXT.size < 50_000) NAME_TEXT.set(name, text)
  }
  return text
}
