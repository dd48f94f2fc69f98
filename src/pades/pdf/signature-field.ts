import {
  PDFArray,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFRef,
  PDFString,
} from 'pdf-lib'
import { PdfUpdateError } from './pdf-bytes.ts'
import type { PdfUpdateSession } from './pdf-update.ts'

/**
 * Appends to the array under `key`, rewriting the array object when it is indirect, otherwise
 * the indirect object that holds `parent` (`commit`).
 */
export function appendToArray(
  session: PdfUpdateSession,
  parent: PDFDict,
  key: string,
  item: PDFRef,
  commit: () => void,
) {
  const name = PDFName.of(key)
  const raw = parent.get(name)
  if (raw instanceof PDFRef) {
    const array = session.context.lookup(raw)
    if (!(array instanceof PDFArray)) throw new PdfUpdateError(`/${key} is not an array`)
    array.push(item)
    session.put(raw, array)
    return
  }
  if (raw instanceof PDFArray) raw.push(item)
  else parent.set(name, session.context.obj([item]))
  commit()
}

export function fieldNames(
  session: PdfUpdateSession,
  fields: PDFObject | undefined,
  out = new Set<string>(),
) {
  const array = fields instanceof PDFRef ? session.context.lookup(fields) : fields
  if (!(array instanceof PDFArray)) return out
  for (const item of array.asArray()) {
    const field = session.context.lookup(item)
    if (!(field instanceof PDFDict)) continue
    const title = field.lookup(PDFName.of('T'))
    if (title instanceof PDFString || title instanceof PDFHexString) out.add(title.decodeText())
    fieldNames(session, field.get(PDFName.of('Kids')), out)
  }
  return out
}

export interface AcroForm {
  dict: PDFDict
  /** Rewrites the indirect object holding the AcroForm (itself, or the catalog when direct). */
  commit: () => void
}

/** The AcroForm to extend; a direct one lives in the catalog, a missing one is created. */
export function acroForm(session: PdfUpdateSession): AcroForm {
  const rootRef = session.revision.root
  const catalog = session.context.lookup(rootRef, PDFDict)
  const raw = catalog.get(PDFName.of('AcroForm'))
  if (raw instanceof PDFRef) {
    const dict = session.context.lookup(raw, PDFDict)
    return { dict, commit: () => session.put(raw, dict) }
  }
  if (raw instanceof PDFDict) return { dict: raw, commit: () => session.put(rootRef, catalog) }
  const dict = session.context.obj({ Fields: [] })
  const ref = session.add(dict)
  catalog.set(PDFName.of('AcroForm'), ref)
  session.put(rootRef, catalog)
  return { dict, commit: () => session.put(ref, dict) }
}

/** `Signature1`, `Signature2`, …: the first name no field uses yet. */
export function uniqueFieldName(taken: ReadonlySet<string>, prefix = 'Signature'): string {
  let n = 1
  while (taken.has(`${prefix}${n}`)) n++
  return `${prefix}${n}`
}

/**
 * Adds `widgetRef` (a merged signature field + widget) to the page's /Annots and the AcroForm's
 * /Fields, sets /SigFlags 3 (signatures exist, append only) and returns the field name to use.
 */
export function registerSignatureField(
  session: PdfUpdateSession,
  pageRef: PDFRef,
  widgetRef: PDFRef,
): string {
  const form = acroForm(session)
  const name = uniqueFieldName(fieldNames(session, form.dict.get(PDFName.of('Fields'))))
  appendToArray(session, form.dict, 'Fields', widgetRef, form.commit)
  form.dict.set(PDFName.of('SigFlags'), PDFNumber.of(3))
  form.commit()
  const page = session.context.lookup(pageRef, PDFDict)
  appendToArray(session, page, 'Annots', widgetRef, () => session.put(pageRef, page))
  return name
}

export interface FoundField {
  ref: PDFRef
  dict: PDFDict
  /** /FT may be inherited from an ancestor. */
  type: PDFObject | undefined
}

export function findField(
  session: PdfUpdateSession,
  fields: PDFObject | undefined,
  fullName: string,
  prefix = '',
  inheritedType?: PDFObject,
): FoundField | undefined {
  const array = session.context.lookup(fields)
  if (!(array instanceof PDFArray)) return undefined
  for (const item of array.asArray()) {
    const dict = session.context.lookup(item)
    if (!(item instanceof PDFRef) || !(dict instanceof PDFDict)) continue
    const title = dict.lookup(PDFName.of('T'))
    const partial =
      title instanceof PDFString || title instanceof PDFHexString ? title.decodeText() : undefined
    const name = partial === undefined ? prefix : prefix ? `${prefix}.${partial}` : partial
    const type = dict.get(PDFName.of('FT')) ?? inheritedType
    if (partial !== undefined && name === fullName) return { ref: item, dict, type }
    const inKids = findField(session, dict.get(PDFName.of('Kids')), fullName, name, type)
    if (inKids) return inKids
  }
  return undefined
}

/**
 * Signs into a signature field prepared in the template (e.g. the leader's box): sets its /V and
 * /SigFlags 3 and returns the widget to carry an appearance (the field itself or its only kid).
 */
export function fillEmptySignatureField(
  session: PdfUpdateSession,
  fullName: string,
  sigRef: PDFRef,
): { ref: PDFRef; dict: PDFDict } {
  const form = acroForm(session)
  const field = findField(session, form.dict.get(PDFName.of('Fields')), fullName)
  if (!field) throw new PdfUpdateError(`No field named ${fullName}`)
  if (field.type !== PDFName.of('Sig')) throw new PdfUpdateError(`Field ${fullName} is not a signature field`)
  if (field.dict.get(PDFName.of('V'))) throw new PdfUpdateError(`Field ${fullName} is already signed`)
  field.dict.set(PDFName.of('V'), sigRef)
  session.put(field.ref, field.dict)
  form.dict.set(PDFName.of('SigFlags'), PDFNumber.of(3))
  form.commit()
  const kids = field.dict.lookup(PDFName.of('Kids'))
  const kid = kids instanceof PDFArray && kids.size() === 1 ? kids.get(0) : undefined
  if (kid instanceof PDFRef) return { ref: kid, dict: session.context.lookup(kid, PDFDict) }
  return { ref: field.ref, dict: field.dict }
}
