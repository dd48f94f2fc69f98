/**
 * Nơi nhận: the recipients of a draft checked against the agency's directory — external agencies by mã
 * định danh, internal departments and people — turned into rows. Unknown ones answer 422 naming each.
 * The "Lưu: VT, {unit}" line is added by the system (ND30 Phụ lục I: the văn thư and the drafting unit
 * keep a copy).
 */
import { and, eq, inArray } from 'drizzle-orm'
import type { Executor } from '../platform/db/database.ts'
import {
  type DeliveryChannel,
  departments,
  type outgoingRecipients,
  users,
} from '../platform/db/schema/index.ts'
import { AppError, type FieldError } from '../platform/errors.ts'
import type { RecipientInput } from './draft-fields.ts'
import * as repository from './outgoing.repository.ts'

type RecipientInsert = typeof outgoingRecipients.$inferInsert

/** Rows for the recipients, in order, after checking every one exists (else 422 naming them). */
export async function recipientRows(
  db: Executor,
  agencyId: string,
  documentId: string,
  recipients: RecipientInput[],
): Promise<RecipientInsert[]> {
  const organIds = recipients.flatMap((r) => ('organId' in r ? [r.organId] : []))
  const departmentIds = recipients.flatMap((r) => ('departmentId' in r ? [r.departmentId] : []))
  const userIds = recipients.flatMap((r) => ('userId' in r ? [r.userId] : []))
  const agencies = new Map(
    (await repository.externalAgenciesByOrganId(db, agencyId, organIds))
      .filter((a) => a.active)
      .map((a) => [a.organId, a]),
  )
  const units = new Map(
    (departmentIds.length > 0
      ? await db
          .select()
          .from(departments)
          .where(
            and(
              eq(departments.agencyId, agencyId),
              inArray(departments.id, departmentIds),
              eq(departments.active, true),
            ),
          )
      : []
    ).map((d) => [d.id, d]),
  )
  const people = new Map(
    (userIds.length > 0
      ? await db
          .select()
          .from(users)
          .where(and(eq(users.agencyId, agencyId), inArray(users.id, userIds), eq(users.active, true)))
      : []
    ).map((u) => [u.id, u]),
  )
  const errors: FieldError[] = []
  const rows: RecipientInsert[] = []
  const seen = new Set<string>()
  recipients.forEach((recipient, index) => {
    const field = `recipients[${index}]`
    const base = { documentId, position: index }
    if ('organId' in recipient) {
      const agency = agencies.get(recipient.organId)
      if (!agency) {
        errors.push({
          field,
          message: `Không có cơ quan mã định danh "${recipient.organId}" trong danh bạ.`,
          messageEn: `No agency with identifier "${recipient.organId}" in the directory.`,
        })
        return
      }
      if (seen.has(`a:${agency.id}`)) return
      seen.add(`a:${agency.id}`)
      const channel: DeliveryChannel = recipient.channel ?? 'interchange'
      if (channel === 'email' && !agency.email) {
        errors.push({
          field,
          message: `${agency.name} chưa có địa chỉ thư điện tử trong danh bạ.`,
          messageEn: `${agency.name} has no e-mail address in the directory.`,
        })
        return
      }
      rows.push({
        ...base,
        kind: 'external',
        externalAgencyId: agency.id,
        label: agency.name,
        channel,
        email: agency.email,
      })
    } else if ('departmentId' in recipient) {
      const unit = units.get(recipient.departmentId)
      if (!unit) {
        errors.push({
          field,
          message: `Không có đơn vị "${recipient.departmentId}" trong cơ quan.`,
          messageEn: `No unit "${recipient.departmentId}" in the agency.`,
        })
        return
      }
      if (seen.has(`d:${unit.id}`)) return
      seen.add(`d:${unit.id}`)
      rows.push({
        ...base,
        kind: 'department',
        departmentId: unit.id,
        label: unit.name,
        purpose: recipient.purpose ?? 'inform',
        channel: 'internal',
      })
    } else if ('userId' in recipient) {
      const person = people.get(recipient.userId)
      if (!person) {
        errors.push({
          field,
          message: `Không có người nhận "${recipient.userId}" trong cơ quan.`,
          messageEn: `No person "${recipient.userId}" in the agency.`,
        })
        return
      }
      if (seen.has(`u:${person.id}`)) return
      seen.add(`u:${person.id}`)
      rows.push({
        ...base,
        kind: 'user',
        userId: person.id,
        label: person.fullName,
        purpose: recipient.purpose ?? 'inform',
        channel: 'internal',
      })
    } else {
      rows.push({ ...base, kind: 'text', label: recipient.text, channel: 'none' })
    }
  })
  if (errors.length > 0) throw new AppError('validation-failed', { status: 422, errors })
  return rows.map((row, position) => ({ ...row, position }))
}

/** "Lưu: VT, KT." — the văn thư's and the drafting unit's file copies (ND30 Phụ lục I). */
export function archiveLine(unitAbbreviation: string | null | undefined): string {
  return `Lưu: VT${unitAbbreviation ? `, ${unitAbbreviation}` : ''}.`
}

/** The recipient list as printed under "Nơi nhận:" (ToPlaces, at most 1000 characters). */
export function toPlacesText(labels: string[], unitAbbreviation: string | null | undefined): string {
  return [...labels.map((label) => `- ${label};`), `- ${archiveLine(unitAbbreviation)}`]
    .join('\n')
    .slice(0, 1000)
}
