import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { beginText, endText, moveText, PDFDocument, PDFName, type PDFPage, setFontAndSize, showText } from 'pdf-lib'
import { PROJECT_ROOT } from '../../platform/paths.ts'
import { wrap } from '../../registers/register-export.pdf.ts'
import { EmbeddedTrueType } from '../../registers/truetype.ts'

/** The register machinery's embedded Liberation Serif (SIL OFL 1.1), shared by every records form. */
const FONT_DIR = path.join(PROJECT_ROOT, 'src', 'registers', 'fonts')
const SIZE = 10
const LINE = 12
const PAD = 3

export interface TableColumn {
  label: string
  /** Relative width. */
  weight: number
  centred?: boolean
}

/** A records form: heading lines, a bordered table whose header repeats on each page, paragraphs and signature blocks. */
export interface TableForm {
  title: string
  /** Lines above the title (agency, department), bold and centred. */
  header: string[]
  /** Lines under the title (period, decision), centred. */
  subtitle: string[]
  columns: TableColumn[]
  rows: string[][]
  /** Shown as one row spanning the table when there are no rows. */
  emptyText: string
  /** Paragraphs after the table (counts, statements). */
  paragraphs?: string[]
  /** Side-by-side signature blocks: title line(s), then space to sign, then the name. */
  signatures?: { title: string; name: string }[]
  landscape?: boolean
}

class FormLayout {
  private page!: PDFPage
  private y = 0
  readonly pages: PDFPage[] = []
  readonly width: number
  readonly height: number
  readonly columns: number[]
  private readonly margin = { left: 36, right: 28, top: 32, bottom: 40 }

  constructor(
    private readonly doc: PDFDocument,
    private readonly regular: EmbeddedTrueType,
    private readonly bold: EmbeddedTrueType,
    private readonly form: TableForm,
  ) {
    ;[this.width, this.height] = form.landscape ? [841.89, 595.28] : [595.28, 841.89]
    const usable = this.width - this.margin.left - this.margin.right
    const total = form.columns.reduce((sum, column) => sum + column.weight, 0)
    this.columns = form.columns.map((column) => (column.weight / total) * usable)
  }

  private text(font: EmbeddedTrueType, size: number, x: number, y: number, value: string): void {
    this.page.pushOperators(beginText(), setFontAndSize(font === this.bold ? 'VnB' : 'VnR', size), moveText(x, y), showText(font.encode(value)), endText())
  }

  centred(font: EmbeddedTrueType, size: number, value: string, x0 = 0, width = this.width): void {
    for (const line of wrap(value, width - 2 * this.margin.left, (s) => font.widthOf(s, size))) {
      this.ensure(size * 1.5)
      this.text(font, size, x0 + (width - font.widthOf(line, size)) / 2, this.y - size, line)
      this.y -= size * 1.4
    }
  }

  paragraph(value: string): void {
    const usable = this.width - this.margin.left - this.margin.right
    for (const line of wrap(value, usable, (s) => this.regular.widthOf(s, 11))) {
      this.ensure(16)
      this.text(this.regular, 11, this.margin.left, this.y - 11, line)
      this.y -= 15
    }
  }

  newPage(): void {
    this.page = this.doc.addPage([this.width, this.height])
    this.page.node.setFontDictionary(PDFName.of('VnR'), this.regular.ref)
    this.page.node.setFontDictionary(PDFName.of('VnB'), this.bold.ref)
    this.pages.push(this.page)
    this.y = this.height - this.margin.top
  }

  private ensure(height: number): void {
    if (this.y - height < this.margin.bottom) this.newPage()
  }

  space(points: number): void {
    this.y -= points
  }

  row(cells: readonly string[], font: EmbeddedTrueType, repeatHeader: boolean, centreAll = false): void {
    const wrapped = cells.map((cell, i) => wrap(cell, this.columns[i]! - 2 * PAD, (s) => font.widthOf(s, SIZE)))
    const height = Math.max(...wrapped.map((lines) => lines.length)) * LINE + 2 * PAD
    if (this.y - height < this.margin.bottom) {
      this.newPage()
      if (repeatHeader) this.row(this.form.columns.map((c) => c.label), this.bold, false, true)
    }
    const rule = (x1: number, y1: number, x2: number, y2: number) => this.page.drawLine({ start: { x: x1, y: y1 }, end: { x: x2, y: y2 }, thickness: 0.6 })
    const top = this.y
    const bottom = top - height
    const right = this.width - this.margin.right
    rule(this.margin.left, top, right, top)
    rule(this.margin.left, bottom, right, bottom)
    let x = this.margin.left
    wrapped.forEach((lines, i) => {
      const width = this.columns[i]!
      rule(x, top, x, bottom)
      lines.forEach((line, n) => {
        const offset = centreAll || this.form.columns[i]?.centred ? (width - font.widthOf(line, SIZE)) / 2 : PAD
        this.text(font, SIZE, x + offset, top - PAD - (n + 1) * LINE + 2.5, line)
      })
      x += width
    })
    rule(x, top, x, bottom)
    this.y = bottom
  }

  signatures(blocks: { title: string; name: string }[]): void {
    this.ensure(110)
    const width = (this.width - this.margin.left - this.margin.right) / blocks.length
    const top = this.y - 12
    blocks.forEach((block, i) => {
      const x0 = this.margin.left + i * width
      this.y = top
      this.centred(this.bold, 11, block.title, x0, width)
      this.y = top - 80
      this.centred(this.regular, 11, block.name, x0, width)
    })
  }

  pageNumbers(): void {
    this.pages.forEach((page, i) => {
      this.page = page
      const label = `Trang ${i + 1}/${this.pages.length}`
      this.text(this.regular, 9, (this.width - this.regular.widthOf(label, 9)) / 2, this.margin.bottom / 2, label)
    })
  }
}

/** Renders a records form (mục lục, biên bản) as a PDF with the embedded Vietnamese font. */
export async function renderTableForm(form: TableForm): Promise<Buffer> {
  const doc = await PDFDocument.create()
  doc.setTitle(form.title)
  doc.setProducer('vanthu')
  const [regular, bold] = await Promise.all(
    ['LiberationSerif-Regular', 'LiberationSerif-Bold'].map(async (name) => new EmbeddedTrueType(doc.context, await readFile(path.join(FONT_DIR, `${name}.ttf`)), name)),
  )
  const layout = new FormLayout(doc, regular!, bold!, form)
  layout.newPage()
  for (const line of form.header) layout.centred(bold!, 12, line)
  layout.space(6)
  layout.centred(bold!, 14, form.title)
  for (const line of form.subtitle) layout.centred(regular!, 11, line)
  layout.space(8)
  layout.row(form.columns.map((c) => c.label), bold!, false, true)
  for (const row of form.rows) layout.row(row, regular!, true)
  if (form.rows.length === 0) layout.row(form.columns.map((_, i) => (i === 0 ? form.emptyText : '')), regular!, true)
  layout.space(10)
  for (const paragraph of form.paragraphs ?? []) layout.paragraph(paragraph)
  if (form.signatures?.length) layout.signatures(form.signatures)
  layout.pageNumbers()
  regular!.finish()
  bold!.finish()
  return Buffer.from(await doc.save({ useObjectStreams: false }))
}
