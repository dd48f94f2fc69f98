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
import { type PdfUpdateSession, type Rect, withUpdateSession } from '../../pades/pdf/index.ts'

/** A signed signature field's widget as it shows on its page. */
export interface SignatureWidget {
  fieldName: string
  pageIndex: number
  /** Normalised: x0 < x1, y0 < y1 (page space, points). */
  rect: Rect
  /** /Name of the signature dictionary (the signer's common name), when present. */
  signerName: string | undefined
}

const text = (object: PDFObject | undefined) =>
  object instanceof PDFString || object instanceof PDFHexString ? object.decodeText() : undefined

/**
 * The newest signed signature field with a visible widget (a non-empty /Rect), e.g. the leader's
 * signature the agency seal goes over. Newest = last in the AcroForm's /Fields, where each signature
 * appends its field. `skip` leaves out widgets such as an earlier seal.
 */
export function newestVisibleSignature(
  pdfBytes: Uint8Array,
  skip: (widget: SignatureWidget) => boolean = () => false,
): Promise<SignatureWidget | undefined> {
  return withUpdateSession(pdfBytes, (session) => findNewest(session, skip))
}

function findNewest(session: PdfUpdateSession, skip: (widget: SignatureWidget) => boolean) {
  const { context } = session
  const catalog = context.lookup(session.revision.root, PDFDict)
  const form = catalog.lookup(PDFName.of('AcroForm'))
  const fields = form instanceof PDFDict ? form.lookup(PDFName.of('Fields')) : undefined
  if (!(fields instanceof PDFArray)) return undefined
  const pages: PDFRef[] = []
  const pageRefs = () => {
    if (pages.length === 0) for (let i = 0; i < session.pageCount(); i++) pages.push(session.pageRef(i))
    return pages
  }
  // A widget without /P is found in its page's /Annots.
  const pageIndexOf = (page: PDFObject | undefined, widgetRef: PDFObject | undefined) =>
    page instanceof PDFRef
      ? pageRefs().findIndex((ref) => ref.objectNumber === page.objectNumber)
      : pageRefs().findIndex((ref) => {
          const annots = context.lookup(ref, PDFDict).lookup(PDFName.of('Annots'))
          return annots instanceof PDFArray && annots.asArray().some((item) => item === widgetRef)
        })
  const items = fields.asArray()
  for (let i = items.length - 1; i >= 0; i--) {
    const field = context.lookup(items[i])
    if (!(field instanceof PDFDict) || field.lookup(PDFName.of('FT')) !== PDFName.of('Sig')) continue
    const value = field.lookup(PDFName.of('V'))
    if (!(value instanceof PDFDict) || value.get(PDFName.of('Type')) === PDFName.of('DocTimeStamp')) continue
    const kids = field.lookup(PDFName.of('Kids'))
    const widgetRef = kids instanceof PDFArray ? kids.get(0) : items[i]
    const widget = context.lookup(widgetRef)
    if (!(widget instanceof PDFDict)) continue
    const rect = normalised(widget.lookup(PDFName.of('Rect')))
    if (!rect) continue
    const pageIndex = pageIndexOf(widget.get(PDFName.of('P')), widgetRef)
    if (pageIndex < 0) continue
    const found = {
      fieldName: text(field.lookup(PDFName.of('T'))) ?? '',
      pageIndex,
      rect,
      signerName: text(value.lookup(PDFName.of('Name'))),
    }
    if (!skip(found)) return found
  }
  return undefined
}

function normalised(object: PDFObject | undefined): Rect | undefined {
  if (!(object instanceof PDFArray) || object.size() !== 4) return undefined
  const n = object.asArray().map((item) => (item instanceof PDFNumber ? item.asNumber() : Number.NaN))
  if (n.some(Number.isNaN)) return undefined
  const rect: Rect = [
    Math.min(n[0]!, n[2]!),
    Math.min(n[1]!, n[3]!),
    Math.max(n[0]!, n[2]!),
    Math.max(n[1]!, n[3]!),
  ]
  return rect[2] - rect[0] > 0.5 && rect[3] - rect[1] > 0.5 ? rect : undefined
}
