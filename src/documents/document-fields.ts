import type { FieldError } from '../platform/errors.ts'
import { type MessageCode, messages } from '../platform/messages.ts'
import { findDocumentKind } from './document-kinds.ts'
import { parseNumberNotation } from './number-notation.ts'

/** Register metadata of a document (spec §5, §7), validated and normalised. */
export interface DocumentFields {
  direction: 'incoming' | 'outgoing'
  kind: string | null
  kindCode: string | null
  codeNumber: string | null
  codeNotation: string | null
  issuedDate: string | null
  issuerName: string | null
  subject: string | null
  language: string
  pageCount: number | null
  description: string | null
  signerName: string | null
  signerPosition: string | null
  urgency: number
  secrecy: number
  dueDate: string | null
  arrivalDate: string | null
  toPlaces: string | null
}

export const URGENCY_LEVELS = ['Thường', 'Khẩn', 'Thượng khẩn', 'Hỏa tốc'] as const
export const SECRECY_LEVELS = ['Thường', 'Mật', 'Tối mật', 'Tuyệt mật'] as const

/** Text fields and their maximum lengths (ND30 Phụ lục VI Phần II). */
const TEXT_FIELDS = {
  issuerName: 200,
  subject: 500,
  description: 500,
  signerName: 50,
  signerPosition: 100,
  toPlaces: 1000,
  language: 30,
} as const

export const DOCUMENT_FIELD_NAMES = [
  'direction',
  'kind',
  'numberNotation',
  'issuedDate',
  'dueDate',
  'arrivalDate',
  'pageCount',
  'urgency',
  'secrecy',
  ...Object.keys(TEXT_FIELDS),
] as const

type Result = { ok: true; value: DocumentFields } | { ok: false; errors: FieldError[] }

/**
 * Validates form fields as sent by a client (strings). `today` is the agency's calendar date
 * (YYYY-MM-DD in Vietnam time), against which "not in the future" is judged.
 */
export function parseDocumentFields(fields: Record<string, string | undefined>, today: string): Result {
  const errors: FieldError[] = []
  const fail = (field: string, code: MessageCode) =>
    errors.push({ field, message: messages[code].vi, messageEn: messages[code].en })
  const text = (name: string) => {
    const value = fields[name]?.normalize('NFC').trim()
    return value ? value : null
  }

  const direction = text('direction')
  if (!direction) fail('direction', 'field-required')
  else if (direction !== 'incoming' && direction !== 'outgoing') fail('direction', 'field-invalid-value')

  let kind: string | null = null
  let kindCode: string | null = null
  const kindText = text('kind')
  if (kindText) {
    const found = findDocumentKind(kindText)
    if (found) ({ name: kind, code: kindCode } = found)
    else fail('kind', 'field-unknown-kind')
  }

  let codeNumber: string | null = null
  let codeNotation: string | null = null
  const numberText = text('numberNotation')
  if (numberText) {
    const parsed = parseNumberNotation(numberText)
    if (!parsed || parsed.codeNotation.length > 30) fail('numberNotation', 'field-invalid-number-notation')
    else ({ codeNumber, codeNotation } = parsed)
  }

  const date = (name: string, notInFuture: boolean) => {
    const value = text(name)
    if (!value) return null
    const problem = dateProblem(value, today, { notInFuture })
    if (problem) fail(name, problem)
    return value
  }
  const issuedDate = date('issuedDate', true)
  const arrivalDate = date('arrivalDate', true)
  const dueDate = date('dueDate', false)

  const level = (name: string, labels: readonly string[]) => {
    const value = text(name)
    if (!value) return 0
    const index = /^[0-3]$/.test(value)
      ? Number(value)
      : labels.findIndex((label) => label.toLocaleLowerCase('vi') === value.toLocaleLowerCase('vi'))
    if (index < 0) fail(name, 'field-invalid-value')
    return Math.max(index, 0)
  }
  const urgency = level('urgency', URGENCY_LEVELS)
  const secrecy = level('secrecy', SECRECY_LEVELS)

  let pageCount: number | null = null
  const pages = text('pageCount')
  if (pages) {
    if (!/^\d{1,3}$/.test(pages) || Number(pages) === 0) fail('pageCount', 'field-invalid-value')
    else pageCount = Number(pages)
  }

  const texts = {} as Record<keyof typeof TEXT_FIELDS, string | null>
  for (const [name, max] of Object.entries(TEXT_FIELDS) as [keyof typeof TEXT_FIELDS, number][]) {
    const value = text(name)
    if (value && value.length > max) fail(name, 'field-too-long')
    texts[name] = value
  }

  for (const name of Object.keys(fields)) {
    if (!(DOCUMENT_FIELD_NAMES as readonly string[]).includes(name)) fail(name, 'field-invalid-value')
  }

  if (errors.length > 0) return { ok: false, errors }
  return {
    ok: true,
    value: {
      direction: direction as DocumentFields['direction'],
      kind,
      kindCode,
      codeNumber,
      codeNotation,
      issuedDate,
      issuerName: texts.issuerName,
      subject: texts.subject,
      language: texts.language ?? 'vi',
      pageCount,
      description: texts.description,
      signerName: texts.signerName,
      signerPosition: texts.signerPosition,
      urgency,
      secrecy,
      dueDate,
      arrivalDate,
      toPlaces: texts.toPlaces,
    },
  }
}

/**
 * The earliest date a record of the Vietnamese state can carry: 2 September 1945, when the Democratic
 * Republic of Vietnam was founded. Before it a date is a typing slip (0001-01-01 made a register for
 * year 1), not a document. The spec sets no bound; see the issue-13 notes.
 */
export const EARLIEST_DATE = '1945-09-02'
/** Deadlines (thời hạn) further ahead than this many years are slips too. */
export const LATEST_YEARS_AHEAD = 10

/**
 * Why a YYYY-MM-DD value cannot be a date of a document, its arrival or its deadline, or undefined when
 * it can. `today` is the agency's calendar date.
 */
export function dateProblem(value: string, today: string, { notInFuture }: { notInFuture: boolean }): MessageCode | undefined {
  if (!isIsoDate(value)) return 'field-invalid-date'
  if (notInFuture && value > today) return 'field-future-date'
  const latest = `${Number(today.slice(0, 4)) + LATEST_YEARS_AHEAD}${today.slice(4)}`
  if (value < EARLIEST_DATE || value > latest) return 'field-date-out-of-range'
  return undefined
}

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)
}

/** Today's date in Vietnam (UTC+7, no daylight saving), as YYYY-MM-DD. */
export function vietnamToday(now = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10)
}
