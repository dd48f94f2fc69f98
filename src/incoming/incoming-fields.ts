import { type DocumentFields, parseDocumentFields } from '../documents/document-fields.ts'
import type { FieldError } from '../platform/errors.ts'

/** Register form field (as clerks and integrations send it) → document field. */
const FIELD_NAMES = {
  issuer: 'issuerName',
  numberNotation: 'numberNotation',
  documentDate: 'issuedDate',
  kind: 'kind',
  subject: 'subject',
  signer: 'signerName',
  signerPosition: 'signerPosition',
  urgency: 'urgency',
  secrecy: 'secrecy',
  deadline: 'dueDate',
  receivedDate: 'arrivalDate',
  receivingDepartment: 'toPlaces',
  notes: 'description',
  pageCount: 'pageCount',
  language: 'language',
} as const

/** Options that steer registration rather than describe the document. */
export const CONTROL_FIELDS = ['registerId', 'confirmDuplicate', 'draft'] as const

export type IncomingFieldName = keyof typeof FIELD_NAMES

const BACK = Object.fromEntries(Object.entries(FIELD_NAMES).map(([form, field]) => [field, form]))

/**
 * Validates the fields of an incoming registration (spec §5, §7). The date received defaults to today;
 * errors name the form's fields, in Vietnamese and English.
 */
export function parseIncomingFields(
  form: Record<string, string>,
  today: string,
): { ok: true; value: DocumentFields } | { ok: false; errors: FieldError[] } {
  const fields: Record<string, string> = { direction: 'incoming' }
  const unknown: string[] = []
  for (const [name, value] of Object.entries(form)) {
    if ((CONTROL_FIELDS as readonly string[]).includes(name)) continue
    const field = FIELD_NAMES[name as IncomingFieldName]
    if (field) fields[field] = value
    else unknown.push(name)
  }
  fields.arrivalDate ||= today
  const parsed = parseDocumentFields(fields, today)
  const errors = parsed.ok ? [] : parsed.errors.map((error) => ({ ...error, field: BACK[error.field] ?? error.field }))
  for (const name of unknown) {
    errors.push({ field: name, message: 'Trường không được hỗ trợ.', messageEn: 'Unknown field.' })
  }
  if (errors.length > 0 || !parsed.ok) return { ok: false, errors }
  return { ok: true, value: parsed.value }
}
