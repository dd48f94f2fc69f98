import { PDFDocument, PDFName, PDFSignature } from 'pdf-lib'
import type { PageImage } from './page-images.ts'

/** Tesseract's text-only PDF page (invisible GlyphLessFont text) for one OCRed page. */
export interface OcrLayer {
  pageIndex: number
  pdf: Uint8Array
}

type Input = { source: PDFDocument; layers: OcrLayer[] } | { images: PageImage[]; layers: OcrLayer[] }

/**
 * A searchable rendition: every page as it was (or the scanned image), with the OCR text laid invisibly
 * over the pages that needed OCR, scaled to the page. Pages that had a text layer are copied unchanged.
 * Not PDF/A: no XMP metadata nor OutputIntent are written.
 */
export async function buildSearchablePdf(input: Input): Promise<Uint8Array> {
  const out = await PDFDocument.create({ updateMetadata: false })
  out.setProducer('vanthu (tesseract.js OCR)')
  const layerOf = new Map(input.layers.map((layer) => [layer.pageIndex, layer.pdf]))
  if ('source' in input) {
    const copied = await out.copyPages(input.source, input.source.getPageIndices())
    for (const [index, page] of copied.entries()) {
      out.addPage(page)
      const layer = layerOf.get(index)
      if (!layer) continue
      const [text] = await out.embedPdf(layer)
      const box = page.getMediaBox()
      page.drawPage(text!, { x: box.x, y: box.y, width: box.width, height: box.height })
    }
  } else {
    for (const [index, image] of input.images.entries()) {
      const [text] = await out.embedPdf(input.layers[index]!.pdf)
      // Tesseract sized its page from the image's resolution: the scan keeps its real size.
      const page = out.addPage([text!.width, text!.height])
      const isPngImage = image.bytes[0] === 0x89
      const embedded = isPngImage ? await out.embedPng(image.bytes) : await out.embedJpg(image.bytes)
      page.drawImage(embedded, { x: 0, y: 0, width: text!.width, height: text!.height })
      page.drawPage(text!, { x: 0, y: 0, width: text!.width, height: text!.height })
    }
  }
  return out.save({ useObjectStreams: true })
}

/** Signature fields (signed or not): re-saving would break a signature, so no rendition is made. */
export function hasSignatureFields(doc: PDFDocument): boolean {
  try {
    if (
      doc
        .getForm()
        .getFields()
        .some((field) => field instanceof PDFSignature)
    )
      return true
    // Signatures on pages without an AcroForm entry (malformed, but seen): look at the widgets' /FT.
    return doc.getPages().some((page) =>
      page.node
        .Annots()
        ?.asArray()
        .some((ref) => {
          const annot = doc.context.lookup(ref)
          return (
            annot !== undefined &&
            'get' in annot &&
            (annot as never as { get(n: PDFName): unknown }).get(PDFName.of('FT')) === PDFName.of('Sig')
          )
        }),
    )
  } catch {
    // A form pdf-lib cannot read: assume it may be signed.
    return true
  }
}
