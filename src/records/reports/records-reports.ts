import type { Actor } from '../../access/actor.ts'
import type { Database } from '../../platform/db/database.ts'
import { AppError, fieldError } from '../../platform/errors.ts'
import { agencyOf } from '../files/record-files.repository.ts'
import { getRecordFile, listRecordFiles } from '../files/record-files.service.ts'
import { type DocumentLine, documentListForm, fileInventoryForm, filePlanForm } from './records-forms.ts'
import { renderTableForm, type TableForm } from './table-pdf.ts'
import { renderTableFormXlsx } from './table-xlsx.ts'

type Deps = { database: Database }

export type ReportFormat = 'xlsx' | 'pdf'

export interface RecordsReport {
  fileName: string
  contentType: string
  body: Buffer
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

function formatOf(requested: string | undefined): ReportFormat {
  const format = (requested ?? 'xlsx').toLowerCase()
  if (format !== 'xlsx' && format !== 'pdf') throw new AppError('validation-failed', { errors: [fieldError('format', 'field-invalid-value')] })
  return format
}

async function render(form: TableForm, format: ReportFormat, baseName: string, sheetName: string): Promise<RecordsReport> {
  return format === 'pdf'
    ? { fileName: `${baseName}.pdf`, contentType: 'application/pdf', body: await renderTableForm(form) }
    : { fileName: `${baseName}.xlsx`, contentType: XLSX, body: await renderTableFormXlsx(form, sheetName) }
}

/** Danh mục hồ sơ of a year: every hồ sơ of that year the actor may see, under its heading. */
export async function filePlanReport(deps: Deps, actor: Actor, year: number, format?: string): Promise<RecordsReport> {
  const chosen = formatOf(format)
  const agency = await agencyOf(deps.database.db, actor.agencyId)
  const rows = await listRecordFiles(deps, actor, { year })
  const files = rows.map((row) => ({ ...row.file, keeperName: row.keeperName ?? row.departmentName }))
  return render(filePlanForm(agency.name, year, files), chosen, `danh-muc-ho-so-${year}`, `Danh mục hồ sơ ${year}`)
}

/** Mục lục hồ sơ: the hồ sơ a filter finds (year, department, status, retention, hold), one row each. */
export async function fileInventoryReport(
  deps: Deps,
  actor: Actor,
  filter: Parameters<typeof listRecordFiles>[2],
  format?: string,
): Promise<RecordsReport> {
  const chosen = formatOf(format)
  const agency = await agencyOf(deps.database.db, actor.agencyId)
  const rows = await listRecordFiles(deps, actor, filter)
  const departments = [...new Set(rows.map((row) => row.departmentName).filter(Boolean))]
  const form = fileInventoryForm(agency.name, departments.length === 1 ? departments[0]! : '', rows.map((row) => row.file))
  if (filter.year) form.subtitle = [`Năm ${filter.year}`, ...form.subtitle]
  return render(form, chosen, filter.year ? `muc-luc-ho-so-${filter.year}` : 'muc-luc-ho-so', 'Mục lục hồ sơ')
}

/**
 * Mục lục văn bản trong hồ sơ: the documents in mục lục order (frozen once closed) with number, date,
 * kind and trích yếu, author and tờ số. Documents the actor may not open are counted, not listed.
 */
export async function documentListReport(deps: Deps, actor: Actor, recordFileId: string, format?: string): Promise<RecordsReport> {
  const chosen = formatOf(format)
  const { file, entries, hiddenCount } = await getRecordFile(deps, actor, recordFileId)
  const agency = await agencyOf(deps.database.db, actor.agencyId)
  const lines: DocumentLine[] = entries.map(({ document, filed, ordinal }) => ({
    ordinal,
    numberNotation: document.codeNumber ? `${document.codeNumber}/${document.codeNotation ?? ''}` : '',
    date: document.issuedDate ?? document.arrivalDate,
    kindAndSubject: [document.kind, document.subject].filter(Boolean).join(' '),
    author: document.issuerName ?? (document.direction === 'outgoing' ? agency.name : ''),
    pages: filed.pageFrom ? (filed.pageFrom === filed.pageTo ? String(filed.pageFrom) : `${filed.pageFrom}–${filed.pageTo}`) : '',
    notes: '',
  }))
  const form = documentListForm(agency.name, file, lines)
  if (hiddenCount > 0) form.paragraphs = [...(form.paragraphs ?? []), `Ngoài ra có ${hiddenCount} văn bản người xuất không có quyền xem (không liệt kê).`]
  return render(form, chosen, `muc-luc-van-ban-${file.fileCode}`, 'Mục lục văn bản')
}
