import type { TableForm } from './table-pdf.ts'

const FONT = { name: 'Times New Roman', size: 12 }
const THIN = { style: 'thin' } as const
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN }

/**
 * A records form (mục lục, danh mục) as a workbook of one sheet, laid out as the PDF is: heading lines,
 * the title and subtitle merged across the table, the header row repeated on every printed page, then
 * the rows and the closing paragraphs. Column widths follow the form's weights.
 */
export async function renderTableFormXlsx(form: TableForm, sheetName: string): Promise<Buffer> {
  // Loaded on the first export, not at start-up (it is the largest module the server has).
  const { default: ExcelJS } = await import('exceljs')
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'vanthu'
  const headerRow = form.header.length + 2 + form.subtitle.length + 1
  const ws = workbook.addWorksheet(sheetName.slice(0, 31), {
    pageSetup: { paperSize: 9, orientation: form.landscape ? 'landscape' : 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    views: [{ state: 'frozen', ySplit: headerRow }],
  })
  const total = form.columns.reduce((sum, column) => sum + column.weight, 0)
  const characters = form.landscape ? 150 : 100
  ws.columns = form.columns.map((column) => ({
    width: Math.max(6, Math.round((column.weight / total) * characters)),
    style: { font: FONT, alignment: { vertical: 'top', wrapText: true } },
  }))
  const last = form.columns.length
  let row = 1
  const banner = (text: string, bold: boolean, size = 12) => {
    ws.mergeCells(row, 1, row, last)
    const cell = ws.getCell(row, 1)
    cell.value = text
    cell.font = { ...FONT, size, bold }
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true }
    row++
  }
  for (const line of form.header) banner(line, true)
  row++
  banner(form.title, true, 14)
  for (const line of form.subtitle) banner(line, false)
  const header = ws.getRow(headerRow)
  header.values = form.columns.map((column) => column.label)
  header.eachCell((cell) => {
    cell.font = { ...FONT, bold: true }
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true }
    cell.border = BORDER
  })
  ws.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`
  const rows = form.rows.length > 0 ? form.rows : [form.columns.map((_, i) => (i === 0 ? form.emptyText : ''))]
  for (const values of rows) {
    const added = ws.addRow(values)
    added.eachCell({ includeEmpty: true }, (cell, column) => {
      cell.font = FONT
      cell.border = BORDER
      cell.alignment = { vertical: 'top', wrapText: true, horizontal: form.columns[column - 1]?.centred ? 'center' : 'left' }
    })
  }
  row = ws.rowCount + 2
  for (const paragraph of form.paragraphs ?? []) {
    ws.mergeCells(row, 1, row, last)
    ws.getCell(row, 1).value = paragraph
    row++
  }
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
