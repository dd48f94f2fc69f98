/**
 * Form fields added before a certification signature and filled after it (ISO 32000-2 §12.7, §12.8.2.2):
 * empty text fields and empty signature fields are placed in an unsigned update; a DocMDP P=2
 * certification then allows exactly "filling in forms … and signing" — setting a text field's /V and
 * its widget's appearance, and signing an empty signature field — and nothing else. A signature field may
 * carry a /Lock (FieldMDP) naming the fields its signature will lock.
 */
import { PDFArray, PDFDict, PDFName, type PDFRef, type PDFStream } from 'pdf-lib'
import { PdfUpdateError } from './pdf-bytes.ts'
import { pdfTextString } from './pdf-text.ts'
import type { PdfUpdateSession } from './pdf-update.ts'
import type { AppearanceContext, Rect } from './signature-placeholder.ts'
import { acroForm, appendToArray, fieldNames, findField } from './signature-field.ts'

export interface TextFieldSpec {
  /** A partial name without dots; unique in the form. */
  name: string
  pageIndex: number
  rect: Rect
  /** Size of the /DA font (Helvetica) a viewer would use if it drew the value itself. */
  fontSize: number
  /** 0 left, 1 centred, 2 right. */
  quadding?: 0 | 1 | 2
}

export interface EmptySignatureFieldSpec {
  name: string
  pageIndex: number
  rect: Rect
  /** Fields whose values the signature in this field locks (a FieldMDP /Lock with /Action /Include). */
  locks?: readonly string[]
}

const HELVETICA = { Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica', Encoding: 'WinAnsiEncoding' }

/** An empty form XObject: the field shows nothing until it is filled. */
function blankAppearance(session: PdfUpdateSession, rect: Rect): PDFRef {
  const [x1, y1, x2, y2] = rect
  return session.add(
    session.context.stream('', {
      Type: 'XObject',
      Subtype: 'Form',
      BBox: [0, 0, Math.abs(x2 - x1), Math.abs(y2 - y1)],
    }),
  )
}

/**
 * Adds the text fields and empty signature fields to the pages and the AcroForm (with a /DR Helvetica
 * for the text fields' /DA). Throws when a name is taken. Nothing is signed here.
 */
export function addEmptyFields(
  session: PdfUpdateSession,
  fields: { text?: readonly TextFieldSpec[]; signatures?: readonly EmptySignatureFieldSpec[] },
): void {
  const form = acroForm(session)
  const taken = fieldNames(session, form.dict.get(PDFName.of('Fields')))
  const all = [...(fields.text ?? []), ...(fields.signatures ?? [])]
  for (const { name } of all) {
    if (!name || name.includes('.') || taken.has(name))
      throw new PdfUpdateError(`Field name ${name} is taken or invalid`)
    taken.add(name)
  }
  const context = session.context
  if (fields.text?.length) {
    const resources = form.dict.lookup(PDFName.of('DR'))
    const dr = resources instanceof PDFDict ? resources : context.obj({})
    const fonts = dr.lookup(PDFName.of('Font'))
    const fontDict = fonts instanceof PDFDict ? fonts : context.obj({})
    if (!fontDict.has(PDFName.of('Helv')))
      fontDict.set(PDFName.of('Helv'), session.add(context.obj(HELVETICA)))
    dr.set(PDFName.of('Font'), fontDict)
    form.dict.set(PDFName.of('DR'), dr)
  }
  const place = (pageIndex: number, widget: PDFDict) => {
    const pageRef = session.pageRef(pageIndex)
    widget.set(PDFName.of('P'), pageRef)
    const ref = session.add(widget)
    appendToArray(session, form.dict, 'Fields', ref, form.commit)
    const page = context.lookup(pageRef, PDFDict)
    appendToArray(session, page, 'Annots', ref, () => session.put(pageRef, page))
  }
  for (const spec of fields.text ?? []) {
    const widget = context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Tx',
      Rect: spec.rect,
      F: 4,
      Q: spec.quadding ?? 0,
      MK: {},
    })
    widget.set(PDFName.of('T'), pdfTextString(spec.name))
    widget.set(PDFName.of('DA'), pdfTextString(`/Helv ${spec.fontSize} Tf 0 g`))
    widget.set(PDFName.of('AP'), context.obj({ N: blankAppearance(session, spec.rect) }))
    place(spec.pageIndex, widget)
  }
  for (const spec of fields.signatures ?? []) {
    const widget = context.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', Rect: spec.rect, F: 4, MK: {} })
    widget.set(PDFName.of('T'), pdfTextString(spec.name))
    widget.set(PDFName.of('AP'), context.obj({ N: blankAppearance(session, spec.rect) }))
    if (spec.locks?.length) {
      const lock = context.obj({ Type: 'SigFieldLock', Action: 'Include' })
      lock.set(PDFName.of('Fields'), context.obj(spec.locks.map((name) => pdfTextString(name))))
      widget.set(PDFName.of('Lock'), lock)
    }
    place(spec.pageIndex, widget)
  }
  form.commit()
}

export interface TextFieldValue {
  name: string
  value: string
  /** Draws the value: a form XObject with /BBox [0 0 width height] of the widget. */
  appearance(ctx: AppearanceContext): PDFStream
}

/**
 * Fills text fields: sets each field's /V and gives its widget a new normal appearance. Only the field
 * dictionaries and the new appearance objects are written — a form fill a DocMDP P=2 certification
 * allows. Throws when a field is missing, is not a text field, or already has a value.
 */
export function fillTextFields(session: PdfUpdateSession, values: readonly TextFieldValue[]): void {
  const form = acroForm(session)
  for (const { name, value, appearance } of values) {
    const field = findField(session, form.dict.get(PDFName.of('Fields')), name)
    if (!field) throw new PdfUpdateError(`No field named ${name}`)
    if (field.type !== PDFName.of('Tx')) throw new PdfUpdateError(`Field ${name} is not a text field`)
    if (field.dict.get(PDFName.of('V'))) throw new PdfUpdateError(`Field ${name} is filled already`)
    const kids = field.dict.lookup(PDFName.of('Kids'))
    const kidRef = kids instanceof PDFArray && kids.size() === 1 ? kids.get(0) : undefined
    const widget = kidRef ? { ref: kidRef as PDFRef, dict: session.context.lookup(kidRef, PDFDict) } : field
    const rect = widget.dict
      .lookup(PDFName.of('Rect'), PDFArray)
      .asArray()
      .map((n) => Number(n.toString()))
    const [x1, y1, x2, y2] = rect as Rect
    const stream = appearance({
      context: session.context,
      register: (object) => session.add(object),
      width: Math.abs(x2 - x1),
      height: Math.abs(y2 - y1),
    })
    field.dict.set(PDFName.of('V'), pdfTextString(value))
    widget.dict.set(PDFName.of('AP'), session.context.obj({ N: session.add(stream) }))
    session.put(field.ref, field.dict)
    if (widget.ref !== field.ref) session.put(widget.ref, widget.dict)
  }
}

/** The rectangle and page of a field's widget, or undefined when there is no such field. */
export function fieldWidget(
  session: PdfUpdateSession,
  name: string,
): { rect: Rect; pageRef: PDFRef | undefined } | undefined {
  const form = acroForm(session)
  const field = findField(session, form.dict.get(PDFName.of('Fields')), name)
  if (!field) return undefined
  const rect = field.dict.lookup(PDFName.of('Rect'))
  if (!(rect instanceof PDFArray)) return undefined
  const page = field.dict.get(PDFName.of('P'))
  return {
    rect: rect.asArray().map((n) => Number(n.toString())) as Rect,
    pageRef: page && 'objectNumber' in page ? (page as PDFRef) : undefined,
  }
}

/** The FieldMDP /Lock of a signature field: the /Reference entry its signature must carry. */
export function fieldMdpReference(session: PdfUpdateSession, name: string): PDFDict | undefined {
  const form = acroForm(session)
  const field = findField(session, form.dict.get(PDFName.of('Fields')), name)
  const lock = field?.dict.lookup(PDFName.of('Lock'))
  if (!(lock instanceof PDFDict)) return undefined
  const params = session.context.obj({ Type: 'TransformParams', V: '1.2' })
  for (const key of ['Action', 'Fields']) {
    const value = lock.get(PDFName.of(key))
    if (value) params.set(PDFName.of(key), value)
  }
  return session.context.obj({ Type: 'SigRef', TransformMethod: 'FieldMDP', TransformParams: params })
}
