/**
 * Tên loại văn bản hành chính (ND30 Phụ lục III, spec §1) and the copy forms. Abbreviations are stored
 * exactly as the decree writes them (QyĐ, CTr, TTr, TrS); Công văn and Thư công have none.
 */
export interface DocumentKind {
  name: string
  code: string | null
}

export const DOCUMENT_KINDS: readonly DocumentKind[] = [
  { name: 'Nghị quyết', code: 'NQ' },
  { name: 'Quyết định', code: 'QĐ' },
  { name: 'Chỉ thị', code: 'CT' },
  { name: 'Quy chế', code: 'QC' },
  { name: 'Quy định', code: 'QyĐ' },
  { name: 'Thông cáo', code: 'TC' },
  { name: 'Thông báo', code: 'TB' },
  { name: 'Hướng dẫn', code: 'HD' },
  { name: 'Chương trình', code: 'CTr' },
  { name: 'Kế hoạch', code: 'KH' },
  { name: 'Phương án', code: 'PA' },
  { name: 'Đề án', code: 'ĐA' },
  { name: 'Dự án', code: 'DA' },
  { name: 'Báo cáo', code: 'BC' },
  { name: 'Biên bản', code: 'BB' },
  { name: 'Tờ trình', code: 'TTr' },
  { name: 'Hợp đồng', code: 'HĐ' },
  { name: 'Công văn', code: null },
  { name: 'Công điện', code: 'CĐ' },
  { name: 'Bản ghi nhớ', code: 'BGN' },
  { name: 'Bản thỏa thuận', code: 'BTT' },
  { name: 'Giấy ủy quyền', code: 'GUQ' },
  { name: 'Giấy mời', code: 'GM' },
  { name: 'Giấy giới thiệu', code: 'GGT' },
  { name: 'Giấy nghỉ phép', code: 'GNP' },
  { name: 'Phiếu gửi', code: 'PG' },
  { name: 'Phiếu chuyển', code: 'PC' },
  { name: 'Phiếu báo', code: 'PB' },
  { name: 'Thư công', code: null },
  { name: 'Bản sao y', code: 'SY' },
  { name: 'Bản trích sao', code: 'TrS' },
  { name: 'Bản sao lục', code: 'SL' },
]

const fold = (s: string) => s.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/g, ' ').trim()
const byName = new Map(DOCUMENT_KINDS.map((kind) => [fold(kind.name), kind]))
const byCode = new Map(DOCUMENT_KINDS.filter((k) => k.code).map((kind) => [kind.code!.toUpperCase(), kind]))

/** Finds a kind by its name (any case) or its abbreviation (any case: OCR gives QYĐ for QyĐ). */
export function findDocumentKind(nameOrCode: string): DocumentKind | undefined {
  const text = nameOrCode.normalize('NFC').trim()
  return byName.get(fold(text)) ?? byCode.get(text.toUpperCase())
}
