/** What a printed sổ đăng ký văn bản đến holds, whatever the file format. */

/** The ten columns of the sổ đăng ký văn bản đến (ND30; spec §5), in order. */
export const INCOMING_REGISTER_COLUMNS = [
  'Ngày đến',
  'Số đến',
  'Tác giả',
  'Số, ký hiệu',
  'Ngày tháng văn bản',
  'Tên loại và trích yếu',
  'Đơn vị hoặc người nhận',
  'Ngày chuyển',
  'Ký nhận',
  'Ghi chú',
] as const

export const INCOMING_REGISTER_TITLE = 'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN'

/** One printed line of the register: ten cells of text. */
export type RegisterLine = [string, string, string, string, string, string, string, string, string, string]

export interface IncomingRegisterSheet {
  agencyName: string
  from: string
  to: string
  lines: RegisterLine[]
  /** Another register's title, columns and layout (the outgoing one); the incoming register's by default. */
  layout?: RegisterLayout
}

/** Title and columns of a printed register, with relative column widths (PDF) and character widths (XLSX). */
export interface RegisterLayout {
  title: string
  sheetName: string
  columns: readonly string[]
  pdfWeights: readonly number[]
  pdfCentred: ReadonlySet<number>
  xlsxWidths: readonly number[]
  /** Columns (1-based) left-aligned in the XLSX; the others are centred. */
  xlsxLeft: ReadonlySet<number>
  emptyText: string
}

/** "2025-03-12" → "12/03/2025", the way dates are written in the register. */
export function vietnameseDate(iso: string | null): string {
  if (!iso) return ''
  const [year, month, day] = iso.split('-')
  return `${day}/${month}/${year}`
}
