/**
 * The fields of a draft (dự thảo) as a client sends them — multipart text parts or JSON — validated and
 * normalised. Recipients are only shaped here; whether they exist is checked against the database by
 * recipients.ts.
 */
import { findDocumentKind } from '../documents/document-kinds.ts'
import { SECRECY_LEVELS, URGENCY_LEVELS } from '../documents/document-fields.ts'
import { AUTHORITY_PREFIXES, DELIVERY_CHANNELS, type DeliveryChannel } from '../platform/db/schema/index.ts'
import { type FieldError, fieldError } from '../platform/errors.ts'
import { isUuid } from '../platform/ids.ts'

export type RecipientInput =
  | { organId: string; channel?: DeliveryChannel | undefined }
  | { departmentId: string; purpose?: 'handle' | 'inform' | undefined }
  | { userId: string; purpose?: 'handle' | 'inform' | undefined }
  | { text: string }

export interface DraftFields {
  kind?: string | undefined
  kindCode?: string | null | undefined
  subject?: string | undefined
  signerUserId?: string | null | undefined
  authorityPrefix?: string | null | undefined
  authorityName?: string | null | undefined
  signerPosition?: string | null | undefined
  draftingDepartmentId?: string | null | undefined
  urgency?: number | undefined
  secrecy?: number | undefined
  dueDate?: string | null | undefined
  legalNormative?: boolean | undefined
  replyToDocumentId?: string | null | undefined
  replacesDocumentId?: string | null | undefined
  correctsDocumentId?: string | null | undefined
  description?: string | null | undefined
  recipients?: RecipientInput[] | undefined
}

export const DRAFT_FIELD_NAMES = [
  'kind',
  'subject',
  'signerId',
  'authorityPrefix',
  'authorityName',
  'signerPosition',
  'draftingDepartmentId',
  'urgency',
  'secrecy',
  'dueDate',
  'legalNormative',
  'replyToDocumentId',
  'replacesDocumentId',
  'correctsDocumentId',
  'description',
  'recipients',
] as const

const MAX_RECIPIENTS = 100

type Result = { ok: true; value: DraftFields } | { ok: false; errors: FieldError[] }

/**
 * Parses what a client sent. `required` (a new draft): subject and kind must be there. Values may be
 * strings (multipart) or typed (JSON); absent keys stay undefined (unchanged on an edit), empty strings
 * clear optional fields.
 */
export function parseDraftFields(input: Record<string, unknown>, options: { required: boolean }): Result {
  const errors: FieldError[] = []
  const out: DraftFields = {}
  const fail = (field: string, vi: string, en: string) => errors.push({ field, message: vi, messageEn: en })
  const text = (name: string): string | null | undefined => {
    const value = input[name]
    if (value === undefined) return undefined
    if (value === null) return null
    if (typeof value !== 'string') {
      errors.push(fieldError(name, 'field-invalid-value'))
      return undefined
    }
    const cleaned = value.normalize('NFC').trim()
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are refused, not stored
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(cleaned)) {
      errors.push(fieldError(name, 'field-invalid-value'))
      return undefined
    }
    return cleaned || null
  }
  const limited = (name: string, max: number) => {
    const value = text(name)
    if (value && value.length > max) errors.push(fieldError(name, 'field-too-long'))
    return value
  }
  const id = (name: string) => {
    const value = text(name)
    if (value && !isUuid(value)) errors.push(fieldError(name, 'field-invalid-value'))
    return value
  }

  const kind = text('kind')
  if (kind) {
    const found = findDocumentKind(kind)
    if (!found || ['SY', 'SL', 'TrS'].includes(found.code ?? ''))
      errors.push(fieldError('kind', 'field-unknown-kind'))
    else {
      out.kind = found.name
      out.kindCode = found.code
    }
  } else if (kind === null || options.required) errors.push(fieldError('kind', 'field-required'))

  const subject = limited('subject', 500)
  if (subject) out.subject = subject
  else if (subject === null || options.required) errors.push(fieldError('subject', 'field-required'))

  const signer = id('signerId')
  if (signer !== undefined) out.signerUserId = signer
  const prefix = text('authorityPrefix')
  if (prefix !== undefined) {
    const normal = prefix ? `${prefix.replace(/\.$/, '').toUpperCase()}.` : null
    if (normal && !(AUTHORITY_PREFIXES as readonly string[]).includes(normal))
      fail('authorityPrefix', 'Chỉ dùng TM., KT., Q., TL. hoặc TUQ.', 'Use TM., KT., Q., TL. or TUQ.')
    else out.authorityPrefix = normal
  }
  const authorityName = limited('authorityName', 100)
  if (authorityName !== undefined) out.authorityName = authorityName
  const position = limited('signerPosition', 100)
  if (position !== undefined) out.signerPosition = position
  const department = id('draftingDepartmentId')
  if (department !== undefined) out.draftingDepartmentId = department

  const level = (name: string, labels: readonly string[]) => {
    const value = input[name]
    if (value === undefined) return undefined
    const raw = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : ''
    if (raw === '') return 0
    const index = /^[0-3]$/.test(raw)
      ? Number(raw)
      : labels.findIndex((label) => label.toLocaleLowerCase('vi') === raw.toLocaleLowerCase('vi'))
    if (index < 0) errors.push(fieldError(name, 'field-invalid-value'))
    return Math.max(index, 0)
  }
  out.urgency = level('urgency', URGENCY_LEVELS)
  out.secrecy = level('secrecy', SECRECY_LEVELS)

  const due = text('dueDate')
  if (due !== undefined) {
    if (due && !isIsoDate(due)) errors.push(fieldError('dueDate', 'field-invalid-date'))
    out.dueDate = due
  }
  const legal = input.legalNormative
  if (legal !== undefined) {
    if (typeof legal === 'boolean') out.legalNormative = legal
    else if (legal === 'true' || legal === '1' || legal === 'on') out.legalNormative = true
    else if (legal === 'false' || legal === '0' || legal === '') out.legalNormative = false
    else errors.push(fieldError('legalNormative', 'field-invalid-value'))
  }
  for (const name of ['replyToDocumentId', 'replacesDocumentId', 'correctsDocumentId'] as const) {
    const value = id(name)
    if (value !== undefined) out[name] = value
  }
  const description = limited('description', 500)
  if (description !== undefined) out.description = description

  if (input.recipients !== undefined) {
    const recipients = parseRecipients(input.recipients, errors)
    if (recipients) out.recipients = recipients
  }

  for (const name of Object.keys(input)) {
    if (!(DRAFT_FIELD_NAMES as readonly string[]).includes(name))
      errors.push(fieldError(name, 'field-invalid-value'))
  }
  if (errors.length > 0) return { ok: false, errors }
  return { ok: true, value: out }
}

function parseRecipients(raw: unknown, errors: FieldError[]): RecipientInput[] | undefined {
  let value = raw
  if (typeof raw === 'string') {
    try {
      value = raw.trim() === '' ? [] : JSON.parse(raw)
    } catch {
      errors.push({
        field: 'recipients',
        message: 'Danh sách nơi nhận phải là JSON.',
        messageEn: 'Recipients must be a JSON list.',
      })
      return undefined
    }
  }
  if (!Array.isArray(value) || value.length > MAX_RECIPIENTS) {
    errors.push({
      field: 'recipients',
      message: `Danh sách nơi nhận có tối đa ${MAX_RECIPIENTS} dòng.`,
      messageEn: `At most ${MAX_RECIPIENTS} recipients.`,
    })
    return undefined
  }
  const out: RecipientInput[] = []
  for (const [index, item] of (value as unknown[]).entries()) {
    const recipient = parseRecipient(item)
    if (recipient) out.push(recipient)
    else errors.push(fieldError(`recipients[${index}]`, 'field-invalid-value'))
  }
  return out
}

function parseRecipient(item: unknown): RecipientInput | undefined {
  if (!item || typeof item !== 'object') return undefined
  const r = item as Record<string, unknown>
  const purpose = r.purpose
  if (purpose !== undefined && purpose !== 'handle' && purpose !== 'inform') return undefined
  if (typeof r.organId === 'string') {
    const channel = r.channel
    const known = channel === undefined || (DELIVERY_CHANNELS as readonly unknown[]).includes(channel)
    if (!known || channel === 'internal') return undefined
    return { organId: r.organId.trim(), channel: channel as DeliveryChannel | undefined }
  }
  if (typeof r.departmentId === 'string' && isUuid(r.departmentId))
    return { departmentId: r.departmentId, purpose }
  if (typeof r.userId === 'string' && isUuid(r.userId)) return { userId: r.userId, purpose }
  const text = typeof r.text === 'string' ? r.text.normalize('NFC').trim() : ''
  if (text && text.length <= 200) return { text }
  return undefined
}

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)
}
