import { PDFDocument } from 'pdf-lib'

const A4_WIDTH_PT = 595.28

/**
 * Joins scanned page images (PNG, JPEG) into one PDF, one page per image in the given order. Each page
 * keeps the image's proportions at A4 width, so a 200–300 dpi scan prints at its real size.
 */
export async function imagesToPdf(images: { bytes: Uint8Array; mediaType: 'image/png' | 'image/jpeg' }[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create()
  pdf.setProducer('vanthu')
  for (const image of images) {
    const embedded = image.mediaType === 'image/png' ? await pdf.embedPng(image.bytes) : await pdf.embedJpg(image.bytes)
    const scale = A4_WIDTH_PT / embedded.width
    const page = pdf.addPage([A4_WIDTH_PT, embedded.height * scale])
    page.drawImage(embedded, { x: 0, y: 0, width: A4_WIDTH_PT, height: embedded.height * scale })
  }
  return pdf.save({ useObjectStreams: true })
}
