import { and, eq } from 'drizzle-orm'
import type { Actor } from '../../access/actor.ts'
import { type AuditContext, appendAuditEvent } from '../../audit/audit.service.ts'
import type { Database } from '../../platform/db/database.ts'
import { filePlans, recordFiles } from '../../platform/db/schema/index.ts'
import { AppError, fieldError } from '../../platform/errors.ts'
import { fileCodeOf } from '../records-policy.ts'
import * as repository from './record-files.repository.ts'
import { organIdOf } from './record-files.service.ts'

type Deps = { database: Database }

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 1900 || year > 2999) {
    throw new AppError('validation-failed', { errors: [fieldError('year', 'field-invalid-value')] })
  }
}

/**
 * Creates the year's danh mục hồ sơ. With `copyFromYear`, every hồ sơ of that year's plan is copied as
 * a planned entry of the new year (same heading, notation, title, retention, department, keeper), to be
 * adjusted before approval — as offices do each January. Hồ sơ opened later join the plan of their year.
 */
export async function createFilePlan(
  deps: Deps,
  actor: Actor,
  input: { year: number; title?: string | undefined; copyFromYear?: number | undefined },
  context: AuditContext,
) {
  checkYear(input.year)
  if (input.copyFromYear !== undefined) checkYear(input.copyFromYear)
  return deps.database.db.transaction(async (tx) => {
    if (await repository.findPlan(tx, actor.agencyId, input.year)) {
      throw new AppError('already-exists', { errors: [fieldError('year', 'field-invalid-value')] })
    }
    const source = input.copyFromYear !== undefined ? await repository.findPlan(tx, actor.agencyId, input.copyFromYear) : undefined
    if (input.copyFromYear !== undefined && !source) throw new AppError('validation-failed', { errors: [fieldError('copyFromYear', 'field-invalid-value')] })
    const plan = await repository.insertPlan(tx, {
      agencyId: actor.agencyId,
      year: input.year,
      title: input.title?.normalize('NFC').trim() || `Danh mục hồ sơ năm ${input.year}`,
      copiedFromPlanId: source?.id ?? null,
      createdBy: actor.userId,
    })
    // Hồ sơ already opened this year before the plan existed join it.
    await tx
      .update(recordFiles)
      .set({ planId: plan.id })
      .where(and(eq(recordFiles.agencyId, actor.agencyId), eq(recordFiles.year, input.year)))
    let copied = 0
    if (source) {
      const organId = await organIdOf(tx, actor.agencyId)
      const rows = await tx.select().from(recordFiles).where(eq(recordFiles.planId, source.id))
      const taken = new Set(
        (await tx.select({ notation: recordFiles.notation }).from(recordFiles).where(and(eq(recordFiles.agencyId, actor.agencyId), eq(recordFiles.year, input.year)))).map(
          (row) => row.notation,
        ),
      )
      for (const row of rows) {
        if (taken.has(row.notation)) continue
        await repository.insertRecordFile(tx, {
          agencyId: actor.agencyId,
          planId: plan.id,
          year: input.year,
          departmentId: row.departmentId,
          heading: row.heading,
          notation: row.notation,
          fileCode: fileCodeOf(organId, input.year, row.notation),
          title: row.title,
          retentionEntryId: row.retentionEntryId,
          permanent: row.permanent,
          retentionYears: row.retentionYears,
          retentionReason: row.retentionReason,
          keeperUserId: row.keeperUserId,
          mode: row.mode,
          language: row.language,
          keywords: row.keywords,
          notes: row.notes,
          status: 'planned',
          createdBy: actor.userId,
        })
        copied++
      }
    }
    await appendAuditEvent(tx, context, {
      action: 'file-plan.created',
      targetType: 'file-plan',
      targetId: plan.id,
      details: { year: plan.year, copiedFromYear: input.copyFromYear ?? null, copied },
    })
    return { plan, copied }
  })
}

/** The head of the agency approves (ban hành) the year's danh mục. */
export async function approveFilePlan(deps: Deps, actor: Actor, year: number, context: AuditContext) {
  return deps.database.db.transaction(async (tx) => {
    const plan = await repository.findPlan(tx, actor.agencyId, year)
    if (!plan) throw new AppError('not-found')
    if (plan.status === 'approved') return plan
    const [approved] = await tx
      .update(filePlans)
      .set({ status: 'approved', approvedBy: actor.userId, approvedAt: new Date(), updatedAt: new Date() })
      .where(eq(filePlans.id, plan.id))
      .returning()
    await appendAuditEvent(tx, context, { action: 'file-plan.approved', targetType: 'file-plan', targetId: plan.id, details: { year } })
    return approved!
  })
}

export async function listFilePlans(deps: Deps, actor: Actor) {
  return repository.listPlans(deps.database.db, actor.agencyId)
}
