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
function appendToArray(
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

function fieldNames(session: PdfUpdateSession, fields: PDFObject | undefined, out = new Set<string>()) {
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

interface AcroForm {
  dict: PDFDict
  /** Rewrites the indirect object holding the AcroForm (itself, or the catalog when direct). */
  commit: () => void
}

/** The AcroForm to extend; a direct one lives in the catalog, a missing one is created. */
function acroForm(session: PdfUpdateSession): AcroForm {
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
