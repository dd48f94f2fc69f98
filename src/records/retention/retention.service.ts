import { and, asc, eq, sql } from 'drizzle-orm'
import type { Actor } from '../../access/actor.ts'
import { type AuditContext, appendAuditEvent } from '../../audit/audit.service.ts'
import type { Database } from '../../platform/db/database.ts'
import { retentionScheduleEntries } from '../../platform/db/schema/index.ts'
import { AppError, type FieldError, fieldError } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'

type Deps = { database: Database }

export interface RetentionEntryInput {
  source: string
  code: string
  groupTitle?: string | null | undefined
  title: string
  /** null = Vĩnh viễn. */
  retentionYears: number | null
  notes?: string | null | undefined
  active?: boolean | undefined
}

const clean = (value: string | null | undefined, max: number) => value?.normalize('NFC').trim().slice(0, max) || null

function checkEntry(input: RetentionEntryInput, prefix = ''): FieldError[] {
  const errors: FieldError[] = []
  if (!clean(input.source, 100)) errors.push(fieldError(`${prefix}source`, 'field-required'))
  if (!clean(input.code, 30)) errors.push(fieldError(`${prefix}code`, 'field-required'))
  if (!clean(input.title, 500)) errors.push(fieldError(`${prefix}title`, 'field-required'))
  const years = input.retentionYears
  if (years !== null && (!Number.isInteger(years) || years < 1 || years > 100)) errors.push(fieldError(`${prefix}retentionYears`, 'field-invalid-value'))
  return errors
}

export async function listRetentionEntries(deps: Deps, actor: Actor) {
  return deps.database.db
    .select()
    .from(retentionScheduleEntries)
    .where(eq(retentionScheduleEntries.agencyId, actor.agencyId))
    .orderBy(asc(retentionScheduleEntries.source), sql`string_to_array(regexp_replace(${retentionScheduleEntries.code}, '[^0-9.]', '', 'g'), '.')::int[] nulls last`, asc(retentionScheduleEntries.code))
}

/**
 * Imports schedule rows (the common schedule, or a ministry's sector schedule): each row is added, or
 * replaces the row with the same source and code. All rows are checked first; one bad row refuses all.
 */
export async function importRetentionEntries(deps: Deps, actor: Actor, entries: RetentionEntryInput[], context: AuditContext) {
  const errors = entries.flatMap((entry, index) => checkEntry(entry, `entries.${index}.`))
  if (errors.length > 0) throw new AppError('validation-failed', { errors: errors.slice(0, 50) })
  return deps.database.db.transaction(async (tx) => {
    let added = 0
    let updated = 0
    for (const entry of entries) {
      const values = {
        agencyId: actor.agencyId,
        source: clean(entry.source, 100)!,
        code: clean(entry.code, 30)!,
        groupTitle: clean(entry.groupTitle, 300),
        title: clean(entry.title, 500)!,
        retentionYears: entry.retentionYears,
        notes: clean(entry.notes, 1000),
        active: entry.active ?? true,
      }
      const [row] = await tx
        .insert(retentionScheduleEntries)
        .values(values)
        .onConflictDoUpdate({
          target: [retentionScheduleEntries.agencyId, retentionScheduleEntries.source, retentionScheduleEntries.code],
          set: { ...values, updatedAt: new Date() },
        })
        .returning({ createdAt: retentionScheduleEntries.createdAt, updatedAt: retentionScheduleEntries.updatedAt })
      if (row && row.createdAt.getTime() === row.updatedAt.getTime()) added++
      else updated++
    }
    await appendAuditEvent(tx, context, {
      action: 'retention-schedule.imported',
      targetType: 'retention-schedule',
      targetId: actor.agencyId,
      details: { added, updated, sources: [...new Set(entries.map((entry) => clean(entry.source, 100)))] },
    })
    return { added, updated }
  })
}

/** Edits one schedule row; hồ sơ already bound to it keep the retention they took (it is copied on them). */
export async function updateRetentionEntry(deps: Deps, actor: Actor, id: string, input: RetentionEntryInput, context: AuditContext) {
  const errors = checkEntry(input)
  if (errors.length > 0) throw new AppError('validation-failed', { errors })
  return deps.database.db.transaction(async (tx) => {
    const [before] = isUuid(id)
      ? await tx.select().from(retentionScheduleEntries).where(and(eq(retentionScheduleEntries.id, id), eq(retentionScheduleEntries.agencyId, actor.agencyId)))
      : []
    if (!before) throw new AppError('not-found')
    const [after] = await tx
      .update(retentionScheduleEntries)
      .set({
        source: clean(input.source, 100)!,
        code: clean(input.code, 30)!,
        groupTitle: clean(input.groupTitle, 300),
        title: clean(input.title, 500)!,
        retentionYears: input.retentionYears,
        notes: clean(input.notes, 1000),
        active: input.active ?? before.active,
        updatedAt: new Date(),
      })
      .where(eq(retentionScheduleEntries.id, id))
      .returning()
    await appendAuditEvent(tx, context, {
      action: 'retention-schedule.entry-updated',
      targetType: 'retention-schedule',
      targetId: id,
      details: { before: { title: before.title, retentionYears: before.retentionYears, active: before.active }, after: { title: after!.title, retentionYears: after!.retentionYears, active: after!.active } },
    })
    return after!
  })
}

/** Parses the CSV an agency keeps its schedule in: source;code;group;title;years ("Vĩnh viễn" or a number). */
export function parseRetentionCsv(text: string): RetentionEntryInput[] {
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line.trim())
  const separator = rows[0]?.includes(';') ? ';' : ','
  return rows
    .map((line) => line.split(separator).map((cell) => cell.trim().replace(/^"|"$/g, '')))
    .filter((cells) => !/^source$/i.test(cells[0] ?? ''))
    .map(([source = '', code = '', groupTitle = '', title = '', years = '', notes = '']) => ({
      source,
      code,
      groupTitle,
      title,
      retentionYears: /vĩnh viễn|vinh vien|permanent/i.test(years) ? null : Number.parseInt(years, 10),
      notes,
    }))
}
