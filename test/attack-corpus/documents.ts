/**
 * The unsigned documents the attack corpus starts from:
 * - `officialDocument`: one A4 page of an official letter with empty text fields for the số/ký hiệu and
 *   the date (filled after the leader signs, as issue 14 numbers outgoing documents), an empty signature
 *   field for the leader (optionally with a FieldMDP /Lock), an opaque FreeText annotation covering a line
 *   (the Shadow "hide" set-up), content under an optional-content group, and a shadow page tree nothing
 *   references (the Shadow "hide-and-replace" set-up). Classic cross-reference table.
 * - the same saved with object and xref streams (`xrefStreams`).
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, type PDFRef, PDFString, StandardFonts } from 'pdf-lib'

export interface OfficialDocumentOptions {
  /** FieldMDP lock on the leader's empty signature field. */
  lock?: { action: 'All' | 'Include' | 'Exclude'; fields: string[] }
  xrefStreams?: boolean
}

export const NUMBER_FIELD = 'so_ky_hieu'
export const DATE_FIELD = 'ngay_ban_hanh'
export const LEADER_FIELD = 'chu_ky_lanh_dao'
export const SHADOW_PAGES_KEY = 'ShadowPages'

export async function officialDocument(options: OfficialDocumentOptions = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  doc.setTitle('Quyet dinh phe duyet du toan', { showInWindowTitleBar: false })
  const page = doc.addPage([595, 842])
  const font = await doc.embedFont(StandardFonts.Helvetica)
  const lines = [
    'UY BAN NHAN DAN TINH HOA GIANG',
    'QUYET DINH ve viec phe duyet du toan kinh phi nam 2026',
    'Dieu 1. Phe duyet du toan voi tong kinh phi: 1.000.000.000 dong.',
    'Dieu 2. Giao So Tai chinh thuc hien.',
    'Dieu 3. Quyet dinh co hieu luc ke tu ngay ky.',
  ]
  lines.forEach((line, i) => {
    page.drawText(line, { x: 60, y: 760 - i * 30, size: 12, font })
  })
  const form = doc.getForm()
  const number = form.createTextField(NUMBER_FIELD)
  number.addToPage(page, { x: 60, y: 790, width: 200, height: 20, font })
  const date = form.createTextField(DATE_FIELD)
  date.addToPage(page, { x: 330, y: 790, width: 200, height: 20, font })
  const { context } = doc
  const pageRef = doc.getPage(0).ref
  const annots = page.node.Annots() ?? context.obj([])
  // The leader's empty signature field (merged field and widget), bottom right.
  const leaderField = context.register(
    context.obj({
      FT: 'Sig',
      T: PDFString.of(LEADER_FIELD),
      Type: 'Annot',
      Subtype: 'Widget',
      Rect: [360, 80, 540, 150],
      F: 4,
      P: pageRef,
      ...(options.lock
        ? {
            Lock: {
              Type: 'SigFieldLock',
              Action: options.lock.action,
              Fields: options.lock.fields.map((name) => PDFString.of(name)),
            },
          }
        : {}),
    }),
  )
  annots.push(leaderField)
  form.acroForm.addField(leaderField)
  // An opaque white box over the third line (the amount): drawn in the signed document.
  const cover = context.register(
    context.stream('1 1 1 rg 0 0 480 22 re f', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 480, 22] }),
  )
  const freeText = context.register(
    context.obj({
      Type: 'Annot',
      Subtype: 'FreeText',
      Rect: [55, 695, 535, 717],
      Contents: PDFString.of('Ghi chu'),
      DA: PDFString.of('/Helv 10 Tf 0 g'),
      F: 4,
      P: pageRef,
      AP: { N: cover },
    }),
  )
  annots.push(freeText)
  page.node.set(PDFName.of('Annots'), annots)
  addOptionalContent(doc, pageRef)
  addShadowPages(doc)
  return doc.save({ useObjectStreams: options.xrefStreams ?? false, addDefaultPage: false })
}

/** A line drawn inside an optional-content group that is on, listed in the catalog's /OCProperties. */
function addOptionalContent(doc: PDFDocument, pageRef: PDFRef) {
  const { context } = doc
  const ocg = context.register(context.obj({ Type: 'OCG', Name: PDFString.of('Ghi chu noi bo') }))
  doc.catalog.set(PDFName.of('OCProperties'), context.obj({ OCGs: [ocg], D: { ON: [ocg], OFF: [] } }))
  const page = context.lookup(pageRef, PDFDict)
  const resources = page.lookup(PDFName.of('Resources'), PDFDict)
  resources.set(PDFName.of('Properties'), context.obj({ oc1: ocg }))
  const layer = context.register(context.stream('/OC /oc1 BDC 0 0 1 rg 60 600 200 4 re f EMC'))
  const contents = page.get(PDFName.of('Contents'))
  const array = contents instanceof PDFArray ? contents : context.obj([contents as PDFRef])
  array.push(layer)
  page.set(PDFName.of('Contents'), array)
}

/** A complete page tree nothing references: it renders only if an update points the catalog at it. */
function addShadowPages(doc: PDFDocument) {
  const { context } = doc
  const font = context.register(
    context.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica', Encoding: 'WinAnsiEncoding' }),
  )
  const content = context.register(
    context.stream('BT /F1 12 Tf 60 700 Td (Dieu 1. Tong kinh phi: 9.000.000.000 dong.) Tj ET'),
  )
  const treeRef = context.nextRef()
  const shadowPage = context.register(
    context.obj({
      Type: 'Page',
      Parent: treeRef,
      MediaBox: [0, 0, 595, 842],
      Contents: content,
      Resources: { Font: { F1: font } },
    }),
  )
  context.assign(treeRef, context.obj({ Type: 'Pages', Kids: [shadowPage], Count: 1 }))
  // Kept reachable from nowhere that renders: the catalog only names it under a private key the
  // attack removes, so pdf-lib writes it (it drops unreferenced objects otherwise).
  doc.catalog.set(PDFName.of(SHADOW_PAGES_KEY), treeRef)
}

/** A one-page letter without any form: what issue 14 starts from before adding its fields. */
export async function plainDocument(): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  const page = doc.addPage([595, 842])
  const font = await doc.embedFont(StandardFonts.Helvetica)
  page.drawText('So:      /QD-UBND          Hoa Giang, ngay    thang    nam 2026', {
    x: 60,
    y: 784,
    size: 11,
    font,
  })
  page.drawText('QUYET DINH ve viec phe duyet du toan kinh phi nam 2026', { x: 60, y: 730, size: 12, font })
  return doc.save({ useObjectStreams: false, addDefaultPage: false })
}
