import { and, eq } from 'drizzle-orm'
import type { Actor } from '../../access/actor.ts'
import { documentVisibility } from '../../access/policy.ts'
import { type AuditContext, appendAuditEvent } from '../../audit/audit.service.ts'
import type { Database, Executor, Tx } from '../../platform/db/database.ts'
import { departments, recordFiles, retentionScheduleEntries, users } from '../../platform/db/schema/index.ts'
import { AppError, fieldError } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { activeHoldOnFile } from '../holds/holds.repository.ts'
import { holdRefusal } from '../record-lock.ts'
import { fileCodeOf, type Retention, vietnamDate } from '../records-policy.ts'
import { canManageRecordFile, canSeeRecordFile, recordFileVisibility } from './record-file-access.ts'
import * as repository from './record-files.repository.ts'

type Deps = { database: Database }

export interface RecordFileInput {
  year?: number | undefined
  departmentId?: string | null | undefined
  heading?: string | null | undefined
  notation?: string | undefined
  title?: string | undefined
  retentionEntryId?: string | null | undefined
  permanent?: boolean | undefined
  retentionYears?: number | null | undefined
  retentionReason?: string | null | undefined
  keeperUserId?: string | null | undefined
  mode?: number | undefined
  language?: string | undefined
  keywords?: string | null | undefined
  notes?: string | null | undefined
  description?: string | null | undefined
}

const NOTATION = /^[\p{L}\p{N}][\p{L}\p{N}.\-&]{0,19}$/u
const text = (value: string | null | undefined) => value?.normalize('NFC').trim() || null

/** The OrganId used in file codes: the agency's mã định danh, else its abbreviation (records-policy 5). */
export async function organIdOf(db: Executor, agencyId: string): Promise<string> {
  const agency = await repository.agencyOf(db, agencyId)
  return agency.organId ?? agency.abbreviation
}

/**
 * The retention a hồ sơ takes: its schedule entry's, or a justified override. Without an entry, or
 * differing from it, a reason is required (the schedule is the rule; departures are explained).
 */
async function resolveRetention(
  db: Executor,
  actor: Actor,
  input: RecordFileInput,
  current?: repository.RecordFileRow,
): Promise<Pick<repository.NewRecordFileRow, 'retentionEntryId' | 'permanent' | 'retentionYears' | 'retentionReason'>> {
  const entryId = input.retentionEntryId !== undefined ? input.retentionEntryId : (current?.retentionEntryId ?? null)
  let entry: typeof retentionScheduleEntries.$inferSelect | undefined
  if (entryId) {
    ;[entry] = isUuid(entryId)
      ? await db
          .select()
          .from(retentionScheduleEntries)
          .where(and(eq(retentionScheduleEntries.id, entryId), eq(retentionScheduleEntries.agencyId, actor.agencyId)))
      : []
    if (!entry) throw new AppError('validation-failed', { errors: [fieldError('retentionEntryId', 'field-invalid-value')] })
  }
  const fromEntry: Retention | undefined = entry ? { permanent: entry.retentionYears === null, years: entry.retentionYears } : undefined
  const explicit = input.permanent !== undefined || input.retentionYears !== undefined
  const permanent = explicit ? input.permanent === true : (fromEntry?.permanent ?? current?.permanent ?? false)
  const years = permanent ? null : explicit ? (input.retentionYears ?? null) : (fromEntry?.years ?? current?.retentionYears ?? null)
  if (!permanent && (years === null || !Number.isInteger(years) || years < 1 || years > 100)) {
    throw new AppError('validation-failed', { errors: [fieldError('retentionYears', 'field-invalid-value')] })
  }
  const reason = input.retentionReason !== undefined ? text(input.retentionReason) : (current?.retentionReason ?? null)
  const departs = !fromEntry || fromEntry.permanent !== permanent || (!permanent && fromEntry.years !== years)
  if (departs && !reason) throw new AppError('validation-failed', { errors: [fieldError('retentionReason', 'field-retention-reason')] })
  return { retentionEntryId: entry?.id ?? null, permanent, retentionYears: years, retentionReason: departs ? reason : null }
}

async function checkReferences(db: Executor, actor: Actor, input: RecordFileInput): Promise<void> {
  if (input.departmentId) {
    const [department] = isUuid(input.departmentId)
      ? await db
          .select({ id: departments.id })
          .from(departments)
          .where(and(eq(departments.id, input.departmentId), eq(departments.agencyId, actor.agencyId)))
      : []
    if (!department) throw new AppError('validation-failed', { errors: [fieldError('departmentId', 'field-invalid-value')] })
  }
  if (input.keeperUserId) {
    const [keeper] = isUuid(input.keeperUserId)
      ? await db
          .select({ id: users.id, active: users.active })
          .from(users)
          .where(and(eq(users.id, input.keeperUserId), eq(users.agencyId, actor.agencyId)))
      : []
    if (!keeper?.active) throw new AppError('validation-failed', { errors: [fieldError('keeperUserId', 'field-invalid-value')] })
  }
  if (input.notation !== undefined && !NOTATION.test(input.notation.normalize('NFC').trim())) {
    throw new AppError('validation-failed', { errors: [fieldError('notation', 'field-invalid-value')] })
  }
  if (input.mode !== undefined && ![1, 2, 3].includes(input.mode)) {
    throw new AppError('validation-failed', { errors: [fieldError('mode', 'field-invalid-value')] })
  }
}

/**
 * Opens a hồ sơ (or adds an entry to the year's danh mục when `planned`): code, title, retention,
 * keeper. Numbering is unique per agency and year (409 already-exists otherwise).
 */
export async function createRecordFile(deps: Deps, actor: Actor, input: RecordFileInput, context: AuditContext, options: { planned?: boolean } = {}) {
  const year = input.year ?? Number(vietnamDate().slice(0, 4))
  if (!Number.isInteger(year) || year < 1900 || year > 2999) throw new AppError('validation-failed', { errors: [fieldError('year', 'field-invalid-value')] })
  const title = text(input.title)
  const notation = input.notation?.normalize('NFC').trim()
  if (!title) throw new AppError('validation-failed', { errors: [fieldError('title', 'field-required')] })
  if (!notation) throw new AppError('validation-failed', { errors: [fieldError('notation', 'field-required')] })
  return deps.database.db.transaction(async (tx) => {
    await checkReferences(tx, actor, input)
    const departmentId = input.departmentId ?? actor.departmentId
    if (!actor.roles.has('archivist') && departmentId !== actor.departmentId) throw new AppError('forbidden')
    const retention = await resolveRetention(tx, actor, input)
    const plan = await repository.findPlan(tx, actor.agencyId, year)
    const [taken] = await tx
      .select({ id: recordFiles.id })
      .from(recordFiles)
      .where(and(eq(recordFiles.agencyId, actor.agencyId), eq(recordFiles.year, year), eq(recordFiles.notation, notation)))
    if (taken) throw new AppError('already-exists', { errors: [fieldError('notation', 'field-invalid-value')], extensions: { recordFileId: taken.id } })
    const file = await repository.insertRecordFile(tx, {
      agencyId: actor.agencyId,
      planId: plan?.id ?? null,
      year,
      departmentId,
      heading: text(input.heading),
      notation,
      fileCode: fileCodeOf(await organIdOf(tx, actor.agencyId), year, notation),
      title,
      ...retention,
      keeperUserId: input.keeperUserId ?? (options.planned ? null : actor.userId),
      mode: input.mode ?? 1,
      language: text(input.language) ?? 'Tiếng Việt',
      keywords: text(input.keywords),
      notes: text(input.notes),
      description: text(input.description),
      status: options.planned ? 'planned' : 'open',
      startDate: options.planned ? null : vietnamDate(),
      createdBy: actor.userId,
    })
    await appendAuditEvent(tx, context, {
      action: options.planned ? 'record-file.planned' : 'record-file.opened',
      targetType: 'record-file',
      targetId: file.id,
      details: { fileCode: file.fileCode, title: file.title, permanent: file.permanent, retentionYears: file.retentionYears, retentionEntryId: file.retentionEntryId },
    })
    return file
  })
}

/** A hồ sơ the actor may see, locked when `lock`; 404 otherwise. */
export async function loadRecordFile(db: Executor, actor: Actor, id: string, lock = false) {
  const file = isUuid(id) ? await repository.findRecordFile(db, actor.agencyId, id, lock) : undefined
  if (!file || !canSeeRecordFile(actor, file)) throw new AppError('not-found')
  return file
}

/** Loads a hồ sơ for a change: visible (404), the actor's to manage (403), not under hold (409). */
export async function lockForChange(tx: Tx, actor: Actor, id: string, allowed: readonly string[]) {
  const file = await loadRecordFile(tx, actor, id, true)
  if (!canManageRecordFile(actor, file)) throw new AppError('forbidden')
  if (!allowed.includes(file.status)) {
    throw new AppError('record-file-state', { detail: `The hồ sơ is ${file.status}.`, extensions: { recordFileStatus: file.status } })
  }
  const hold = await activeHoldOnFile(tx, file.id)
  if (hold) throw holdRefusal(hold)
  return file
}

/** Edits a planned or open hồ sơ; closed and transferred ones are records and refuse (409). */
export async function updateRecordFile(deps: Deps, actor: Actor, id: string, input: RecordFileInput, context: AuditContext) {
  return deps.database.db.transaction(async (tx) => {
    const file = await lockForChange(tx, actor, id, ['planned', 'open'])
    await checkReferences(tx, actor, input)
    const retention = await resolveRetention(tx, actor, input, file)
    const notation = input.notation?.normalize('NFC').trim()
    const changes: Partial<repository.NewRecordFileRow> = {
      ...retention,
      ...(input.title !== undefined ? { title: text(input.title) ?? file.title } : {}),
      ...(input.heading !== undefined ? { heading: text(input.heading) } : {}),
      ...(input.keeperUserId !== undefined ? { keeperUserId: input.keeperUserId } : {}),
      ...(input.departmentId !== undefined && actor.roles.has('archivist') ? { departmentId: input.departmentId } : {}),
      ...(input.mode !== undefined ? { mode: input.mode } : {}),
      ...(input.language !== undefined ? { language: text(input.language) ?? file.language } : {}),
      ...(input.keywords !== undefined ? { keywords: text(input.keywords) } : {}),
      ...(input.notes !== undefined ? { notes: text(input.notes) } : {}),
      ...(input.description !== undefined ? { description: text(input.description) } : {}),
      ...(notation && notation !== file.notation
        ? { notation, fileCode: fileCodeOf(await organIdOf(tx, actor.agencyId), file.year, notation) }
        : {}),
    }
    const updated = await repository.updateRecordFile(tx, file.id, changes).catch((error: unknown) => {
      if ((error as { cause?: { code?: string } }).cause?.code === '23505' || (error as { code?: string }).code === '23505') {
        throw new AppError('already-exists', { errors: [fieldError('notation', 'field-invalid-value')] })
      }
      throw error
    })
    const changed = Object.keys(changes).filter((key) => String((file as Record<string, unknown>)[key]) !== String((updated as Record<string, unknown>)[key]))
    await appendAuditEvent(tx, context, {
      action: 'record-file.updated',
      targetType: 'record-file',
      targetId: file.id,
      details: { fileCode: updated.fileCode, changed, before: Object.fromEntries(changed.map((key) => [key, (file as Record<string, unknown>)[key]])) },
    })
    return updated
  })
}

export async function listRecordFiles(deps: Deps, actor: Actor, filter: Omit<repository.RecordFileFilter, 'agencyId' | 'visible'>) {
  return repository.listRecordFiles(deps.database.db, { ...filter, agencyId: actor.agencyId, visible: recordFileVisibility(actor) })
}

/** A hồ sơ with its mục lục văn bản (documents the actor may know of; the count says how many there are). */
export async function getRecordFile(deps: Deps, actor: Actor, id: string) {
  const file = await loadRecordFile(deps.database.db, actor, id)
  const visible = await repository.documentsOf(deps.database.db, file.id, documentVisibility(actor, 'metadata'))
  const all = await repository.documentsOf(deps.database.db, file.id)
  const hold = await activeHoldOnFile(deps.database.db, file.id)
  const visibleIds = new Set(visible.map((row) => row.document.id))
  const entries = all.map((row, index) => ({ ...row, ordinal: row.filed.ordinal ?? index + 1 })).filter((row) => visibleIds.has(row.document.id))
  const names = await repository.namesOfFile(deps.database.db, file)
  return { file, names, entries, hiddenCount: all.length - entries.length, hold, canManage: canManageRecordFile(actor, file) }
}
