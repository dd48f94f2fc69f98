import { vietnameseDate } from '../../registers/register-sheet.ts'
import type { RecordFileRow } from '../files/record-files.repository.ts'
import { retentionLabel, vietnamDate } from '../records-policy.ts'
import type { TableForm } from './table-pdf.ts'

/** The printed forms of the records capability (ND30 Phụ lục V), as table forms for PDF and XLSX. */

const period = (file: Pick<RecordFileRow, 'startDate' | 'endDate'>) =>
  [vietnameseDate(file.startDate), vietnameseDate(file.endDate)].filter(Boolean).join(' – ')

const todayLine = (place = '') => {
  const [y, m, d] = vietnamDate().split('-')
  return `${place ? `${place}, ` : ''}ngày ${d} tháng ${m} năm ${y}`
}

/** Mục lục hồ sơ nộp lưu. */
export function transferInventoryForm(agencyName: string, departmentName: string, files: RecordFileRow[]): TableForm {
  return fileInventoryForm(agencyName, departmentName, files, 'MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU')
}

/** Mục lục hồ sơ: one row per hồ sơ (code, title, period, retention, sheets and documents). */
export function fileInventoryForm(agencyName: string, departmentName: string, files: RecordFileRow[], title = 'MỤC LỤC HỒ SƠ'): TableForm {
  return {
    title,
    header: [agencyName.toUpperCase(), departmentName].filter(Boolean),
    subtitle: [todayLine()],
    columns: [
      { label: 'STT', weight: 4, centred: true },
      { label: 'Số, ký hiệu hồ sơ', weight: 14 },
      { label: 'Tiêu đề hồ sơ', weight: 34 },
      { label: 'Thời gian tài liệu', weight: 14, centred: true },
      { label: 'Thời hạn bảo quản', weight: 10, centred: true },
      { label: 'Số tờ / số văn bản', weight: 10, centred: true },
      { label: 'Ghi chú', weight: 10 },
    ],
    rows: files.map((file, i) => [
      String(i + 1),
      file.fileCode,
      file.title,
      period(file),
      retentionLabel({ permanent: file.permanent, years: file.retentionYears }),
      `${file.pageCount ?? 0} / ${file.documentCount ?? 0}`,
      file.notes ?? '',
    ]),
    emptyText: 'Không có hồ sơ',
    paragraphs: [`Mục lục này gồm ${files.length} hồ sơ.`],
    landscape: true,
  }
}

export interface ReceiptFacts {
  agencyName: string
  departmentName: string
  transferId: string
  files: RecordFileRow[]
  documentCount: number
  fileCount: number
  byteCount: number
  submittedBy: string
  receivedBy: string
  inventorySha256: string | null
}

/** Biên bản giao nhận hồ sơ, tài liệu (electronic records: totals of hồ sơ and files). */
export function transferReceiptForm(facts: ReceiptFacts): TableForm {
  return {
    title: 'BIÊN BẢN GIAO NHẬN HỒ SƠ, TÀI LIỆU ĐIỆN TỬ',
    header: [facts.agencyName.toUpperCase()],
    subtitle: [todayLine(), `Mã lượt nộp lưu: ${facts.transferId}`],
    columns: [
      { label: 'STT', weight: 4, centred: true },
      { label: 'Mã hồ sơ', weight: 18 },
      { label: 'Tiêu đề hồ sơ', weight: 38 },
      { label: 'Thời gian tài liệu', weight: 14, centred: true },
      { label: 'Số văn bản', weight: 8, centred: true },
      { label: 'Thời hạn bảo quản', weight: 10, centred: true },
    ],
    rows: facts.files.map((file, i) => [
      String(i + 1),
      file.fileCode,
      file.title,
      period(file),
      String(file.documentCount ?? 0),
      retentionLabel({ permanent: file.permanent, years: file.retentionYears }),
    ]),
    emptyText: 'Không có hồ sơ',
    paragraphs: [
      `Bên giao: ${facts.departmentName}, đại diện ${facts.submittedBy}. Bên nhận: Lưu trữ cơ quan, đại diện ${facts.receivedBy}.`,
      `Tổng số hồ sơ: ${facts.files.length}. Tổng số văn bản: ${facts.documentCount}. Tổng số tệp: ${facts.fileCount} (${(facts.byteCount / 1048576).toFixed(2)} MB).`,
      'Toàn vẹn: mã băm SHA-256 của từng tệp đã được hệ thống tính lại khi nhận và khớp với mã băm lưu khi tạo tệp.',
      ...(facts.inventorySha256 ? [`Mục lục hồ sơ nộp lưu kèm theo (SHA-256): ${facts.inventorySha256}`] : []),
      'Biên bản được lập thành 02 bản, mỗi bên giữ 01 bản.',
    ],
    signatures: [
      { title: 'ĐẠI DIỆN BÊN GIAO', name: facts.submittedBy },
      { title: 'ĐẠI DIỆN BÊN NHẬN', name: facts.receivedBy },
    ],
    landscape: true,
  }
}

export interface DocumentLine {
  ordinal: number
  numberNotation: string
  date: string | null
  kindAndSubject: string
  author: string
  pages: string
  notes: string
}

/** Mục lục văn bản trong hồ sơ. */
export function documentListForm(agencyName: string, file: RecordFileRow, lines: DocumentLine[]): TableForm {
  return {
    title: 'MỤC LỤC VĂN BẢN',
    header: [agencyName.toUpperCase()],
    subtitle: [`Hồ sơ số: ${file.fileCode}`, file.title],
    columns: [
      { label: 'STT', weight: 5, centred: true },
      { label: 'Số, ký hiệu văn bản', weight: 14, centred: true },
      { label: 'Ngày tháng văn bản', weight: 11, centred: true },
      { label: 'Tên loại và trích yếu nội dung văn bản', weight: 38 },
      { label: 'Tác giả văn bản', weight: 16 },
      { label: 'Tờ số', weight: 7, centred: true },
      { label: 'Ghi chú', weight: 9 },
    ],
    rows: lines.map((line) => [String(line.ordinal), line.numberNotation, vietnameseDate(line.date), line.kindAndSubject, line.author, line.pages, line.notes]),
    emptyText: 'Hồ sơ chưa có văn bản',
    paragraphs: [`Mục lục này gồm ${lines.length} văn bản.`],
    landscape: true,
  }
}

/** Danh mục hồ sơ of a year: rows grouped under their headings. */
export function filePlanForm(agencyName: string, year: number, files: (RecordFileRow & { keeperName: string | null })[]): TableForm {
  const rows: string[][] = []
  let heading: string | null | undefined
  for (const file of files) {
    if (file.heading !== heading) {
      heading = file.heading
      if (heading) rows.push(['', heading.toUpperCase(), '', '', ''])
    }
    rows.push([file.notation, file.title, retentionLabel({ permanent: file.permanent, years: file.retentionYears }), file.keeperName ?? '', file.notes ?? ''])
  }
  const permanent = files.filter((file) => file.permanent).length
  return {
    title: `DANH MỤC HỒ SƠ NĂM ${year}`,
    header: [agencyName.toUpperCase()],
    subtitle: [`(Kèm theo Quyết định ban hành Danh mục hồ sơ năm ${year})`],
    columns: [
      { label: 'Số và ký hiệu hồ sơ', weight: 12, centred: true },
      { label: 'Tên đề mục và tiêu đề hồ sơ', weight: 46 },
      { label: 'Thời hạn bảo quản', weight: 12, centred: true },
      { label: 'Đơn vị/người lập hồ sơ', weight: 18 },
      { label: 'Ghi chú', weight: 12 },
    ],
    rows,
    emptyText: 'Danh mục chưa có hồ sơ',
    paragraphs: [`Danh mục gồm ${files.length} hồ sơ: ${permanent} hồ sơ bảo quản vĩnh viễn, ${files.length - permanent} hồ sơ bảo quản có thời hạn.`],
    landscape: false,
  }
}

export interface DestructionFacts {
  agencyName: string
  disposalId: string
  decisionNumber: string
  decisionDate: string
  approvedBy: string
  councilMembers: string
  destroyedBy: string
  files: { fileCode: string; title: string; period: string; retention: string; documents: number; bytesDestroyed: number; blobsKept: number }[]
}

/** Biên bản hủy tài liệu hết giá trị. */
export function destructionCertificateForm(facts: DestructionFacts): TableForm {
  const documents = facts.files.reduce((sum, file) => sum + file.documents, 0)
  return {
    title: 'BIÊN BẢN HỦY TÀI LIỆU HẾT GIÁ TRỊ',
    header: [facts.agencyName.toUpperCase()],
    subtitle: [todayLine(), `Căn cứ Quyết định số ${facts.decisionNumber} ngày ${vietnameseDate(facts.decisionDate)} về việc hủy tài liệu hết giá trị`],
    columns: [
      { label: 'STT', weight: 4, centred: true },
      { label: 'Mã hồ sơ', weight: 18 },
      { label: 'Tiêu đề hồ sơ', weight: 36 },
      { label: 'Thời gian tài liệu', weight: 13, centred: true },
      { label: 'Thời hạn bảo quản', weight: 9, centred: true },
      { label: 'Số văn bản', weight: 8, centred: true },
      { label: 'Dữ liệu đã xóa', weight: 12, centred: true },
    ],
    rows: facts.files.map((file, i) => [
      String(i + 1),
      file.fileCode,
      file.title,
      file.period,
      file.retention,
      String(file.documents),
      `${(file.bytesDestroyed / 1048576).toFixed(2)} MB${file.blobsKept ? ` (giữ ${file.blobsKept} tệp dùng chung)` : ''}`,
    ]),
    emptyText: 'Không có hồ sơ',
    paragraphs: [
      `Hội đồng xác định giá trị tài liệu: ${facts.councilMembers || '(không ghi)'}. Người phê duyệt: ${facts.approvedBy}.`,
      `Đã hủy ${facts.files.length} hồ sơ, ${documents} văn bản: xóa toàn bộ dữ liệu (tệp gốc, bản nhận dạng, bản ký số, chỉ mục tra cứu, mọi phiên bản lưu trữ). Thông tin mô tả, mã băm và nhật ký được giữ lại làm chứng cứ hủy.`,
      `Mã lượt hủy: ${facts.disposalId}.`,
    ],
    signatures: [
      { title: 'NGƯỜI THỰC HIỆN HỦY', name: facts.destroyedBy },
      { title: 'NGƯỜI PHÊ DUYỆT', name: facts.approvedBy },
    ],
    landscape: true,
  }
}
