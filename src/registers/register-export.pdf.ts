import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { beginText, endText, moveText, PDFDocument, PDFName, type PDFPage, setFontAndSize, showText } from 'pdf-lib'
import { PROJECT_ROOT } from '../platform/paths.ts'
import { INCOMING_REGISTER_COLUMNS, INCOMING_REGISTER_TITLE, type IncomingRegisterSheet, vietnameseDate } from './register-sheet.ts'
import { EmbeddedTrueType } from './truetype.ts'

/** Liberation Serif (SIL OFL 1.1, metric-compatible with Times New Roman), shipped with the source. */
const FONT_DIR = path.join(PROJECT_ROOT, 'src', 'registers', 'fonts')
const PAGE = { width: 841.89, height: 595.28 } // A4 landscape
const MARGIN = { left: 28, right: 28, top: 30, bottom: 36 }
const SIZE = 10
const LINE = 12
const PAD = 3
/** Relative column widths, the trích yếu widest. */
const WEIGHTS = [8.5, 5, 13, 10, 8.5, 26, 13, 8.5, 6, 9.5]
const CENTRED = new Set([0, 1, 3, 4, 7])

interface Fonts {
  regular: EmbeddedTrueType
  bold: EmbeddedTrueType
}

/**
 * Greedy word wrap. A word wider than the column breaks after a "/" or "-" ("1562/QĐ-" + "UBND"), so a
 * số, ký hiệu stays readable; only a piece without them that is still too wide breaks between letters.
 */
export function wrap(text: string, width: number, measure: (s: string) => number): string[] {
  const lines: string[] = []
  for (const paragraph of text.normalize('NFC').split('\n')) {
    let line = ''
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word
      if (measure(candidate) <= width) {
        line = candidate
        continue
      }
      if (line) lines.push(line)
      line = ''
      for (const piece of word.match(/[^/\-–]+[/\-–]*|[/\-–]+/g) ?? [word]) {
        if (measure(line + piece) <= width) {
          line += piece
          continue
        }
        if (line) lines.push(line)
        line = ''
        for (const char of piece) {
          if (line && measure(line + char) > width) {
            lines.push(line)
            line = ''
          }
          line += char
        }
      }
    }
    lines.push(line)
  }
  return lines
}

class Layout {
  readonly columns: number[]
  private page!: PDFPage
  private y = 0
  readonly pages: PDFPage[] = []

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: Fonts,
    weights: readonly number[] = WEIGHTS,
    private readonly centredColumns: ReadonlySet<number> = CENTRED,
  ) {
    const usable = PAGE.width - MARGIN.left - MARGIN.right
    const total = weights.reduce((a, b) => a + b, 0)
    this.columns = weights.map((w) => (w / total) * usable)
  }

  text(font: EmbeddedTrueType, size: number, x: number, y: number, value: string): void {
    const name = font === this.fonts.bold ? 'VnB' : 'VnR'
    this.page.pushOperators(beginText(), setFontAndSize(name, size), moveText(x, y), showText(font.encode(value)), endText())
  }

  centred(font: EmbeddedTrueType, size: number, value: string): void {
    this.text(font, size, (PAGE.width - font.widthOf(value, size)) / 2, this.y - size, value)
    this.y -= size * 1.4
  }

  newPage(): void {
    this.page = this.doc.addPage([PAGE.width, PAGE.height])
    this.page.node.setFontDictionary(PDFName.of('VnR'), this.fonts.regular.ref)
    this.page.node.setFontDictionary(PDFName.of('VnB'), this.fonts.bold.ref)
    this.pages.push(this.page)
    this.y = PAGE.height - MARGIN.top
  }

  /** Draws one bordered row; starts a new page (with the header row again) when it does not fit. */
  row(cells: readonly string[], font: EmbeddedTrueType, header: readonly string[] | undefined, centreAll = false): void {
    const wrapped = cells.map((cell, i) => wrap(cell, this.columns[i]! - 2 * PAD, (s) => font.widthOf(s, SIZE)))
    const height = Math.max(...wrapped.map((lines) => lines.length)) * LINE + 2 * PAD
    if (header && this.y - height < MARGIN.bottom) {
      this.newPage()
      this.row(header, this.fonts.bold, undefined, true)
    }
    let x = MARGIN.left
    const top = this.y
    const bottom = top - height
    const rule = (x1: number, y1: number, x2: number, y2: number) =>
      this.page.drawLine({ start: { x: x1, y: y1 }, end: { x: x2, y: y2 }, thickness: 0.6 })
    rule(MARGIN.left, top, PAGE.width - MARGIN.right, top)
    rule(MARGIN.left, bottom, PAGE.width - MARGIN.right, bottom)
    wrapped.forEach((lines, i) => {
      const width = this.columns[i]!
      rule(x, top, x, bottom)
      lines.forEach((line, n) => {
        const offset = centreAll || this.centredColumns.has(i) ? (width - font.widthOf(line, SIZE)) / 2 : PAD
        this.text(font, SIZE, x + offset, top - PAD - (n + 1) * LINE + 2.5, line)
      })
      x += width
    })
    rule(x, top, x, bottom)
    this.y = bottom
  }

  title(sheet: IncomingRegisterSheet): void {
    this.centred(this.fonts.bold, 12, sheet.agencyName.toUpperCase())
    this.y -= 4
    this.centred(this.fonts.bold, 15, sheet.layout?.title ?? INCOMING_REGISTER_TITLE)
    this.centred(this.fonts.regular, 11, `Từ ngày ${vietnameseDate(sheet.from)} đến ngày ${vietnameseDate(sheet.to)}`)
    this.y -= 6
  }

  pageNumbers(): void {
    this.pages.forEach((page, i) => {
      this.page = page
      const label = `Trang ${i + 1}/${this.pages.length}`
      this.text(this.fonts.regular, 9, (PAGE.width - this.fonts.regular.widthOf(label, 9)) / 2, MARGIN.bottom / 2, label)
    })
  }
}

/** The register as an A4 landscape PDF: title, a bordered table whose header repeats on each page, page numbers. */
export async function renderIncomingRegisterPdf(sheet: IncomingRegisterSheet): Promise<Buffer> {
  const doc = await PDFDocument.create()
  const title = sheet.layout?.title ?? INCOMING_REGISTER_TITLE
  doc.setTitle(`${title} ${vietnameseDate(sheet.from)} – ${vietnameseDate(sheet.to)}`)
  doc.setProducer('vanthu')
  const [regular, bold] = await Promise.all(
    ['LiberationSerif-Regular', 'LiberationSerif-Bold'].map(async (name) =>
      new EmbeddedTrueType(doc.context, await readFile(path.join(FONT_DIR, `${name}.ttf`)), name),
    ),
  )
  const fonts: Fonts = { regular: regular!, bold: bold! }
  const layout = new Layout(doc, fonts, sheet.layout?.pdfWeights, sheet.layout?.pdfCentred)
  layout.newPage()
  layout.title(sheet)
  const header = [...(sheet.layout?.columns ?? INCOMING_REGISTER_COLUMNS)]
  layout.row(header, fonts.bold, undefined, true)
  for (const line of sheet.lines) layout.row(line, fonts.regular, header)
  const empty = sheet.layout?.emptyText ?? 'Không có văn bản đến trong khoảng thời gian này'
  if (sheet.lines.length === 0)
    layout.row(header.map((_, i) => (i === (sheet.layout ? 2 : 5) ? empty : '')), fonts.regular, header)
  layout.pageNumbers()
  fonts.regular.finish()
  fonts.bold.finish()
  return Buffer.from(await doc.save({ useObjectStreams: false }))
}
