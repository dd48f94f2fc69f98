import { PDFArray, type PDFContext, PDFDict, PDFName, PDFNumber, type PDFRef } from 'pdf-lib'
import { PdfUpdateError } from './pdf-bytes.ts'

/**
 * The DocMDP permission of a certified document (1 = no changes, 2 = form filling and signing,
 * 3 = also annotations), or undefined when it is not certified. Default P is 2 (ISO 32000 12.8.2.2).
 */
export function docMdpPermission(context: PDFContext, root: PDFRef): number | undefined {
  const perms = context.lookup(root, PDFDict).lookup(PDFName.of('Perms'))
  const signature = perms instanceof PDFDict ? perms.lookup(PDFName.of('DocMDP')) : undefined
  if (!(signature instanceof PDFDict)) return undefined
  const references = signature.lookup(PDFName.of('Reference'))
  for (const item of references instanceof PDFArray ? references.asArray() : []) {
    const reference = context.lookup(item)
    if (!(reference instanceof PDFDict)) continue
    if (reference.get(PDFName.of('TransformMethod')) !== PDFName.of('DocMDP')) continue
    const params = reference.lookup(PDFName.of('TransformParams'))
    const p = params instanceof PDFDict ? params.lookup(PDFName.of('P')) : undefined
    return p instanceof PDFNumber ? p.asNumber() : 2
  }
  return 2
}

/** A signature added to a document certified with P=1 would invalidate its certification. */
export function assertSigningAllowed(context: PDFContext, root: PDFRef): void {
  if (docMdpPermission(context, root) === 1) {
    throw new PdfUpdateError('The document is certified with no changes permitted (DocMDP P=1)')
  }
}
