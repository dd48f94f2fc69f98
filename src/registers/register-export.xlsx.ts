import { INCOMING_REGISTER_COLUMNS, INCOMING_REGISTER_TITLE, type IncomingRegisterSheet, vietnameseDate } from './register-sheet.ts'

/** Column widths in characters, sized for A4 landscape printing. */
const WIDTHS = [12, 8, 24, 16, 12, 42, 22, 12, 12, 18]
const FONT = { name: 'Times New Roman', size: 12 }
const THIN = { style: 'thin' } as const
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN }

/** The register as a workbook of one sheet: agency, title, range, header row, then one row per document. */
export async function renderIncomingRegisterXlsx(sheet: IncomingRegisterSheet): Promise<Buffer> {
  // Loaded on the first export, not at start-up (it is the largest module the server has).
  const { default: ExcelJS } = await import('exceljs')
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'vanthu'
  const layout = sheet.layout
  const columns = layout?.columns ?? INCOMING_REGISTER_COLUMNS
  const ws = workbook.addWorksheet(layout?.sheetName ?? 'Sổ văn bản đến', {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    views: [{ state: 'frozen', ySplit: 5 }],
  })
  ws.columns = (layout?.xlsxWidths ?? WIDTHS).map((width) => ({ width, style: { font: FONT, alignment: { vertical: 'top', wrapText: true } } }))
  const last = columns.length
  const banner = (row: number, text: string, bold: boolean, size = 12) => {
    ws.mergeCells(row, 1, row, last)
    const cell = ws.getCell(row, 1)
    cell.value = text
    cell.font = { ...FONT, size, bold }
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true }
  }
  banner(1, sheet.agencyName.toUpperCase(), true)
  banner(2, layout?.title ?? INCOMING_REGISTER_TITLE, true, 14)
  banner(3, `Từ ngày ${vietnameseDate(sheet.from)} đến ngày ${vietnameseDate(sheet.to)}`, false)
  const header = ws.getRow(5)
  header.values = [...columns]
  header.eachCell((cell) => {
    cell.font = { ...FONT, bold: true }
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true }
    cell.border = BORDER
  })
  ws.pageSetup.printTitlesRow = '5:5'
  for (const line of sheet.lines) {
    const row = ws.addRow(line)
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cell.font = FONT
      cell.border = BORDER
      const left = layout ? layout.xlsxLeft.has(column) : column === 6 || column === 3 || column === 7 || column === 10
      cell.alignment = { vertical: 'top', wrapText: true, horizontal: left ? 'left' : 'center' }
    })
  }
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
