import type { Actor } from '../access/actor.ts'
import type { Database } from '../platform/db/database.ts'
import { AppError, type FieldError } from '../platform/errors.ts'
import { agencyName, type IncomingRegisterRecord, selectIncomingRegister } from './register-export.repository.ts'
import { renderIncomingRegisterPdf } from './register-export.pdf.ts'
import { renderIncomingRegisterXlsx } from './register-export.xlsx.ts'
import { type IncomingRegisterSheet, type RegisterLine, vietnameseDate } from './register-sheet.ts'

export const EXPORT_FORMATS = ['xlsx', 'pdf'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export interface ExportRequest {
  from?: string | undefined
  to?: string | undefined
  format?: string | undefined
  registerId?: string | undefined
}

const MAX_RANGE_DAYS = 366
const DAY_MS = 86_400_000

function parseIsoDate(value: string | undefined): number | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined
  const time = Date.parse(`${value}T00:00:00Z`)
  return Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value ? undefined : time
}

/** Checks the query; every problem is reported at once as a validation-failed problem. */
export function validateExportRequest(query: ExportRequest): { from: string; to: string; format: ExportFormat; registerId?: string } {
  const errors: FieldError[] = []
  const from = parseIsoDate(query.from)
  const to = parseIsoDate(query.to)
  if (from === undefined) errors.push({ field: 'from', message: 'Từ ngày phải là ngày hợp lệ dạng YYYY-MM-DD', messageEn: 'from must be a valid YYYY-MM-DD date' })
  if (to === undefined) errors.push({ field: 'to', message: 'Đến ngày phải là ngày hợp lệ dạng YYYY-MM-DD', messageEn: 'to must be a valid YYYY-MM-DD date' })
  if (from !== undefined && to !== undefined) {
    if (from > to) errors.push({ field: 'to', message: 'Đến ngày không được trước từ ngày', messageEn: 'to must not be before from' })
    else if ((to - from) / DAY_MS + 1 > MAX_RANGE_DAYS)
      errors.push({ field: 'to', message: `Khoảng thời gian không quá ${MAX_RANGE_DAYS} ngày`, messageEn: `The range may span at most ${MAX_RANGE_DAYS} days` })
  }
  const format = query.format ?? 'xlsx'
  if (!(EXPORT_FORMATS as readonly string[]).includes(format))
    errors.push({ field: 'format', message: 'Định dạng phải là xlsx hoặc pdf', messageEn: 'format must be xlsx or pdf' })
  if (query.registerId !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(query.registerId))
    errors.push({ field: 'registerId', message: 'Mã sổ không hợp lệ', messageEn: 'registerId must be a UUID' })
  if (errors.length > 0) throw new AppError('validation-failed', { errors })
  return { from: query.from!, to: query.to!, format: format as ExportFormat, ...(query.registerId ? { registerId: query.registerId } : {}) }
}

/** Turns a stored record into the ten cells the decree prescribes. */
export function registerLine(record: IncomingRegisterRecord): RegisterLine {
  const numberNotation = [record.codeNumber, record.codeNotation].filter(Boolean).join('/')
  const kindAndSubject = record.kind && record.subject ? `${record.kind}: ${record.subject}` : (record.subject ?? record.kind ?? '')
  return [
    vietnameseDate(record.arrivalDate),
    String(record.arrivalNumber),
    record.issuerName ?? '',
    numberNotation,
    vietnameseDate(record.issuedDate),
    kindAndSubject,
    record.submittedTo ?? record.toPlaces ?? '',
    vietnameseDate(record.submittedOn),
    '',
    record.description ?? '',
  ]
}

export interface RegisterExport {
  fileName: string
  contentType: string
  body: Buffer
}

/** The sổ đăng ký văn bản đến for a date range, as XLSX or PDF, holding only what the actor may see. */
export async function exportIncomingRegister(database: Database, actor: Actor, query: ExportRequest): Promise<RegisterExport> {
  const request = validateExportRequest(query)
  const records = await selectIncomingRegister(database.db, actor, request)
  const sheet: IncomingRegisterSheet = {
    agencyName: await agencyName(database.db, actor.agencyId),
    from: request.from,
    to: request.to,
    lines: records.map(registerLine),
  }
  const baseName = `Sổ đăng ký văn bản đến ${request.from} – ${request.to}`
  if (request.format === 'pdf')
    return { fileName: `${baseName}.pdf`, contentType: 'application/pdf', body: await renderIncomingRegisterPdf(sheet) }
  return {
    fileName: `${baseName}.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: await renderIncomingRegisterXlsx(sheet),
  }
}
