import { PDFArray, type PDFContext, PDFDict, PDFName, PDFNumber, type PDFRef } from 'pdf-lib'
import type { PdfUpdateSession } from './pdf-update.ts'
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

/** What a certification allows later revisions: 1 nothing, 2 form filling and signing, 3 also annotations. */
export type DocMdpPermission = 1 | 2 | 3

/** The /Reference array of a certification signature dictionary (DocMDP transform with permission P). */
export function docMdpReference(context: PDFContext, permission: DocMdpPermission): PDFArray {
  return context.obj([
    {
      Type: 'SigRef',
      TransformMethod: 'DocMDP',
      TransformParams: { Type: 'TransformParams', P: permission, V: '1.2' },
    },
  ])
}

/** Points the catalog's /Perms /DocMDP at the certification signature dictionary. */
export function addDocMdpPerms(session: PdfUpdateSession, signatureRef: PDFRef): void {
  const root = session.revision.root
  const catalog = session.context.lookup(root, PDFDict)
  catalog.set(PDFName.of('Perms'), session.context.obj({ DocMDP: signatureRef }))
  session.put(root, catalog)
}

/**
 * The DocMDP permission a signature dictionary certifies with (its /Reference names the DocMDP transform;
 * P defaults to 2), or undefined for an approval signature.
 */
export function signatureDocMdp(context: PDFContext, signature: PDFDict): DocMdpPermission | undefined {
  const references = context.lookup(signature.get(PDFName.of('Reference')))
  for (const item of references instanceof PDFArray ? references.asArray() : []) {
    const reference = context.lookup(item)
    if (!(reference instanceof PDFDict)) continue
    if (context.lookup(reference.get(PDFName.of('TransformMethod'))) !== PDFName.of('DocMDP')) continue
    const params = context.lookup(reference.get(PDFName.of('TransformParams')))
    const p = params instanceof PDFDict ? context.lookup(params.get(PDFName.of('P'))) : undefined
    const value = p instanceof PDFNumber ? p.asNumber() : 2
    return value === 1 || value === 3 ? value : 2
  }
  return undefined
}
