/**
 * Every step of an outgoing document writes, in the step's own transaction: its audit event, its
 * timeline entry and the notifications of whoever must act next (or should know) — never the actor.
 * A rolled-back step leaves none of them.
 */
import { and, eq, inArray, or, sql } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import { type AuditContext, appendAuditEvent } from '../audit/audit.service.ts'
import { secretReaders } from '../followup/deadlines.repository.ts'
import { documentLabel } from '../followup/document-reference.ts'
import type { NotificationChannel } from '../followup/notification-channel.ts'
import { DELIVER_NOTIFICATIONS_JOB } from '../followup/notification-delivery.ts'
import { NOTIFICATION_KINDS, type NotificationKind } from '../followup/notification-kinds.ts'
import { insertNew, type NewNotification } from '../followup/notifications.repository.ts'
import type { Tx } from '../platform/db/database.ts'
import { type documents, users } from '../platform/db/schema/index.ts'
import type { JobQueue } from '../platform/jobs/job-queue.ts'
import { enqueueSearchSync } from '../search/search-outbox.ts'
import { appendTimelineEntry, timelineActor } from '../timeline/timeline.ts'

export interface StepDeps {
  jobs: Pick<JobQueue, 'send'>
  notificationChannels: readonly NotificationChannel[]
}

/** A person, or a department standing for its heads (its leaders; all members when it has none). */
export interface StepTarget {
  kind: NotificationKind
  userId?: string | null | undefined
  departmentId?: string | null | undefined
}

export interface OutgoingStep {
  actor: Actor | undefined
  document: typeof documents.$inferSelect
  /** e.g. `outgoing.submitted`; the timeline entry's action is the part after the dot. */
  action: string
  fromStatus: string
  toStatus: string
  comment?: string | null | undefined
  details?: Record<string, unknown>
  notify?: StepTarget[]
  /** false when another writer records this step on the timeline (the signing flow's 'signed', 'sealed'). */
  timeline?: boolean
  /** Someone not to notify besides the actor (the signer of a system-recorded step). */
  except?: string | undefined
}

/** Writes the step's audit event, timeline entry and notifications; the search entry is refreshed. */
export async function recordOutgoingStep(tx: Tx, deps: StepDeps, context: AuditContext, step: OutgoingStep) {
  const details = step.details ?? {}
  if (step.timeline !== false)
    await appendTimelineEntry(tx, {
      documentId: step.document.id,
      // Audit actions are namespaced (outgoing.numbered); timeline actions are the step's own name.
      action: step.action.replace(/^outgoing\./, ''),
      actor: step.actor ? timelineActor(step.actor) : 'system',
      fromStatus: step.fromStatus,
      toStatus: step.toStatus,
      comment: step.comment ?? null,
      details: step.details ?? {},
    })
  if (step.notify?.length) await notifyTargets(tx, deps, step)
  await enqueueSearchSync(tx, step.document.id, deps.jobs)
  // The audit head last (document rows first, the order every writer keeps): the one lock every
  // writer of the agency waits for is held only through this statement and the commit.
  await appendAuditEvent(tx, context, {
    action: step.action,
    targetType: 'document',
    targetId: step.document.id,
    details: {
      from: step.fromStatus,
      to: step.toStatus,
      ...details,
      ...(step.comment ? { comment: step.comment } : {}),
    },
  })
}

async function notifyTargets(tx: Tx, deps: StepDeps, step: OutgoingStep) {
  const people = await resolveTargets(tx, step.document.agencyId!, step.notify ?? [])
  if (step.document.secrecy > 0) {
    // Nobody outside the granted, cleared readers may learn a secret document exists.
    const readers = await secretReaders(tx, [step.document.id])
    for (const userId of people.keys())
      if (!readers.has(`${step.document.id}:${userId}`)) people.delete(userId)
  }
  const actorName = step.actor
    ? ((await tx.select({ name: users.fullName }).from(users).where(eq(users.id, step.actor.userId)))[0]
        ?.name ?? step.actor.username)
    : 'Hệ thống'
  const label = documentLabel(step.document)
  const comment = step.comment && step.document.secrecy === 0 ? `: ${step.comment}` : ''
  const body = `${label ? `${label}. ` : ''}${actorName}${comment}`.slice(0, 2000)
  const rows: NewNotification[] = [...people]
    .filter(([userId]) => userId !== step.actor?.userId && userId !== step.except)
    .map(([userId, kind]) => ({
      userId,
      kind,
      documentId: step.document.id,
      title: NOTIFICATION_KINDS[kind].vi,
      body,
    }))
  const created = await insertNew(tx, rows)
  if (created.length > 0 && deps.notificationChannels.length > 0)
    await deps.jobs.send(
      DELIVER_NOTIFICATIONS_JOB,
      { notificationIds: created.map((n) => n.id) },
      { executor: tx },
    )
}

/** Targets to active people of the agency, one kind per person (the first wins). */
async function resolveTargets(tx: Tx, agencyId: string, targets: StepTarget[]) {
  const userIds = targets.flatMap((t) => (t.userId ? [t.userId] : []))
  const departmentIds = targets.flatMap((t) => (!t.userId && t.departmentId ? [t.departmentId] : []))
  const found = new Map<string, NotificationKind>()
  if (userIds.length === 0 && departmentIds.length === 0) return found
  const people = await tx
    .select({ id: users.id, departmentId: users.departmentId, roles: users.roles })
    .from(users)
    .where(
      and(
        eq(users.agencyId, agencyId),
        eq(users.active, true),
        or(
          userIds.length > 0 ? inArray(users.id, userIds) : undefined,
          departmentIds.length > 0 ? inArray(users.departmentId, departmentIds) : undefined,
        ),
      ),
    )
  for (const target of targets) {
    if (target.userId) {
      if (people.some((p) => p.id === target.userId) && !found.has(target.userId))
        found.set(target.userId, target.kind)
      continue
    }
    const members = people.filter((p) => p.departmentId === target.departmentId)
    const heads = members.filter((p) => p.roles.includes('leader'))
    for (const person of heads.length > 0 ? heads : members)
      if (!found.has(person.id)) found.set(person.id, target.kind)
  }
  return found
}

/** The clerks of the agency (văn thư), who act on numbering, sealing and issue. */
export async function clerkTargets(tx: Tx, agencyId: string, kind: NotificationKind): Promise<StepTarget[]> {
  const clerks = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.agencyId, agencyId), eq(users.active, true), sql`'clerk' = any(${users.roles})`))
  return clerks.map((clerk) => ({ kind, userId: clerk.id }))
}
