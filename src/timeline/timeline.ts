/**
 * Quá trình xử lý: every step of a document's life — received or registered (with số đến), each routing
 * step, trình ký and its refusal or withdrawal, signatures, the seal, renewals, and later numbering and
 * issue — as one ordered list per document. Writers call `appendTimelineEntry` inside the transaction of
 * their change (beside its audit event), so a step is on the timeline exactly when the change committed.
 */
import { and, asc, eq, sql } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import { documentVisibility } from '../access/policy.ts'
import type { AuditContext } from '../audit/audit.service.ts'
import type { Database, Tx } from '../platform/db/database.ts'
import { departments, documents, routingSteps, users } from '../platform/db/schema/index.ts'
import { AppError } from '../platform/errors.ts'
import { isUuid } from '../platform/ids.ts'

/** A person (their department is looked up when not given), or the system (jobs, scripts). */
export type TimelineActor = { userId: string; departmentId?: string | null | undefined } | 'system'

export interface TimelineEntry {
  documentId: string
  /** What happened, in kebab-case: 'registered', 'submit', 'signature-requested', 'signed', 'sealed'… */
  action: string
  actor: TimelineActor
  /**
   * The document's status before and after the step; both default to its status as the transaction sees
   * it now (write the status change first, then the entry, and give `fromStatus`).
   */
  fromStatus?: string | undefined
  toStatus?: string | undefined
  /** What the person wrote (ý kiến, lý do trả lại…), shown as said. */
  comment?: string | null | undefined
  /** Facts of the step the UI shows as label: value lines (số đến, người ký, hạn xử lý…). */
  details?: Record<string, unknown> | undefined
}

export type TimelineStepRow = typeof routingSteps.$inferSelect

/**
 * Appends one step to the document's timeline. Must run in the transaction of the change it records.
 * Locks the document row so steps of one document are numbered 1, 2, 3… without gaps or repeats (the
 * unique index on document and seq backs this); a caller holding the lock already takes it again freely.
 */
export async function appendTimelineEntry(tx: Tx, entry: TimelineEntry): Promise<TimelineStepRow> {
  const [document] = await tx
    .select({ status: documents.status })
    .from(documents)
    .where(eq(documents.id, entry.documentId))
    .for('update')
  if (!document) throw new Error(`appendTimelineEntry: no document ${entry.documentId}`)
  const [{ next } = { next: 1 }] = await tx
    .select({ next: sql<number>`coalesce(max(${routingSteps.seq}), 0)::int + 1` })
    .from(routingSteps)
    .where(eq(routingSteps.documentId, entry.documentId))
  return insertStep(tx, entry, Number(next), document.status)
}

/**
 * The first step of a document created in this transaction: no one else can see the document yet, so
 * there is nothing to lock or count (step 1; the unique index on document and seq still backs this).
 * One statement instead of three on the registration path.
 */
export function appendFirstTimelineEntry(tx: Tx, entry: TimelineEntry, status: string): Promise<TimelineStepRow> {
  return insertStep(tx, entry, 1, status)
}

async function insertStep(tx: Tx, entry: TimelineEntry, seq: number, status: string): Promise<TimelineStepRow> {
  const actor = entry.actor === 'system' ? undefined : entry.actor
  let departmentId = actor?.departmentId ?? null
  if (actor && actor.departmentId === undefined) {
    const [user] = await tx.select({ departmentId: users.departmentId }).from(users).where(eq(users.id, actor.userId))
    departmentId = user?.departmentId ?? null
  }
  const comment = entry.comment?.normalize('NFC').trim() || null
  const [row] = await tx
    .insert(routingSteps)
    .values({
      documentId: entry.documentId,
      seq,
      action: entry.action,
      fromStatus: entry.fromStatus ?? status,
      toStatus: entry.toStatus ?? status,
      actorUserId: actor?.userId ?? null,
      actorDepartmentId: departmentId,
      comment: comment?.slice(0, 2000) ?? null,
      details: JSON.parse(JSON.stringify(entry.details ?? {})) as Record<string, unknown>,
    })
    .returning()
  return row!
}

/** The timeline actor of an audit context: `user:<id>` is that person, anything else the system. */
export function timelineActorOf(context: AuditContext): TimelineActor {
  const userId = /^user:([0-9a-f-]{36})$/.exec(context.actor)?.[1]
  return userId ? { userId } : 'system'
}

/** The timeline actor of a signed-in actor (their department is known already). */
export const timelineActor = (actor: Actor): TimelineActor => ({ userId: actor.userId, departmentId: actor.departmentId })

/** GET /api/documents/:id/timeline: every step, oldest first, with actor and department names. */
export async function timelineOf(deps: { database: Database }, actor: Actor, documentId: string) {
  if (!isUuid(documentId)) throw new AppError('not-found')
  const { db } = deps.database
  const [visible] = await db
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.id, documentId), documentVisibility(actor, 'metadata')))
  if (!visible) throw new AppError('not-found')
  return db
    .select({
      seq: routingSteps.seq,
      action: routingSteps.action,
      fromStatus: routingSteps.fromStatus,
      toStatus: routingSteps.toStatus,
      actorUserId: routingSteps.actorUserId,
      actorName: users.fullName,
      actorDepartmentId: routingSteps.actorDepartmentId,
      actorDepartmentName: departments.name,
      comment: routingSteps.comment,
      details: routingSteps.details,
      createdAt: routingSteps.createdAt,
    })
    .from(routingSteps)
    .leftJoin(users, eq(users.id, routingSteps.actorUserId))
    .leftJoin(departments, eq(departments.id, routingSteps.actorDepartmentId))
    .where(eq(routingSteps.documentId, documentId))
    .orderBy(asc(routingSteps.seq))
}
