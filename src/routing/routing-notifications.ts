import { and, desc, eq, inArray, or } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import { secretReaders } from '../followup/deadlines.repository.ts'
import { documentLabel } from '../followup/document-reference.ts'
import { vietnameseDate } from '../followup/follow-up-dates.ts'
import type { NotificationChannel } from '../followup/notification-channel.ts'
import { DELIVER_NOTIFICATIONS_JOB } from '../followup/notification-delivery.ts'
import { NOTIFICATION_KINDS, type NotificationKind } from '../followup/notification-kinds.ts'
import { insertNew, type NewNotification } from '../followup/notifications.repository.ts'
import type { Tx } from '../platform/db/database.ts'
import {
  type documentParticipants,
  type documents,
  routingSteps,
  users,
} from '../platform/db/schema/index.ts'
import type { JobQueue } from '../platform/jobs/job-queue.ts'
import type { RoutingActionName } from './routing-machine.ts'

type Participant = typeof documentParticipants.$inferSelect

export interface NotifyDeps {
  jobs: Pick<JobQueue, 'send'>
  notificationChannels: readonly NotificationChannel[]
}

/** One routing step as the notifications need it; `participants` are those before the step. */
export interface RoutingEvent {
  actor: Actor
  document: typeof documents.$inferSelect
  participants: Participant[]
  action: RoutingActionName
  step: Record<string, unknown>
  comment: string | undefined
}

/** A person, or a department that stands for its heads (trưởng phòng), told about a step as `kind`. */
interface Target {
  kind: NotificationKind
  userId?: string | null | undefined
  departmentId?: string | null | undefined
}

/**
 * Tells the people who now have to act (or should know) about a routing step, inside the step's
 * transaction: a rolled-back step leaves no notification. The actor is never told about their own step.
 * When delivery channels (e-mail) exist, a delivery job is queued in the same transaction.
 */
export async function notifyRoutingStep(tx: Tx, deps: NotifyDeps, event: RoutingEvent): Promise<number> {
  const targets = await targetsOf(tx, event)
  const people = await resolve(tx, event.actor, targets)
  if (event.document.secrecy > 0) {
    // Nobody outside the granted, cleared readers may learn a secret document exists.
    const readers = await secretReaders(tx, [event.document.id])
    for (const userId of people.keys())
      if (!readers.has(`${event.document.id}:${userId}`)) people.delete(userId)
  }
  const [actor] = await tx
    .select({ fullName: users.fullName })
    .from(users)
    .where(eq(users.id, event.actor.userId))
  const body = bodyOf(event, actor?.fullName ?? event.actor.username)
  const rows: NewNotification[] = [...people]
    .filter(([userId]) => userId !== event.actor.userId)
    .map(([userId, kind]) => ({
      userId,
      kind,
      documentId: event.document.id,
      title: NOTIFICATION_KINDS[kind].vi,
      body,
    }))
  // dedupDate stays null: every step is its own news, never merged with an earlier one.
  const created = await insertNew(tx, rows)
  if (created.length > 0 && deps.notificationChannels.length > 0) {
    await deps.jobs.send(
      DELIVER_NOTIFICATIONS_JOB,
      { notificationIds: created.map((n) => n.id) },
      { executor: tx },
    )
  }
  return created.length
}

async function targetsOf(tx: Tx, { action, step, participants, document }: RoutingEvent): Promise<Target[]> {
  const leaders = (kind: NotificationKind) =>
    participants.filter((p) => p.role === 'leader').map((p) => ({ kind, userId: p.userId }))
  const recipients = (kind: NotificationKind, value: unknown) =>
    (Array.isArray(value) ? value : value ? [value] : []).map(
      (r: { userId?: string; departmentId?: string }) => ({
        kind,
        userId: r.userId,
        departmentId: r.departmentId,
      }),
    )
  switch (action) {
    case 'submit':
      return [{ kind: 'routing.submitted', userId: step.leaderId as string }]
    case 'forward':
      return [{ kind: 'routing.forwarded', userId: step.leaderId as string }]
    case 'recall':
      return leaders('routing.recalled')
    case 'return':
      return [{ kind: 'routing.returned', userId: await lastActorOf(tx, document.id, 'submit') }]
    case 'direct':
      // Lead first: someone named twice hears the most pressing part.
      return [
        ...recipients('routing.assigned-lead', step.lead),
        ...recipients('routing.assigned-cooperating', step.cooperating),
        ...recipients('routing.assigned-informed', step.informed),
      ]
    case 'reassign':
      return [{ kind: 'routing.reassigned', userId: step.userId as string }]
    case 'request-extension':
      return leaders('routing.extension-requested')
    case 'grant-extension':
      return [
        {
          kind: 'routing.extension-granted',
          userId: await lastActorOf(tx, document.id, 'request-extension'),
        },
      ]
    case 'complete':
      return leaders('routing.completed')
    case 'start':
    case 'note':
      return []
  }
}

/** Who took the latest step of this kind (the clerk who submitted, the officer who asked for more time). */
async function lastActorOf(tx: Tx, documentId: string, action: string): Promise<string | null> {
  const [step] = await tx
    .select({ actorUserId: routingSteps.actorUserId })
    .from(routingSteps)
    .where(and(eq(routingSteps.documentId, documentId), eq(routingSteps.action, action)))
    .orderBy(desc(routingSteps.seq))
    .limit(1)
  return step?.actorUserId ?? null
}

/**
 * Targets to active people of the agency, one kind per person (the first wins). A department stands for
 * its leaders, who assign the work inside it; a department without one for all its active members.
 */
async function resolve(tx: Tx, actor: Actor, targets: Target[]): Promise<Map<string, NotificationKind>> {
  const userIds = targets.flatMap((t) => (t.userId ? [t.userId] : []))
  const departmentIds = targets.flatMap((t) => (!t.userId && t.departmentId ? [t.departmentId] : []))
  if (userIds.length === 0 && departmentIds.length === 0) return new Map()
  const people = await tx
    .select({ id: users.id, departmentId: users.departmentId, roles: users.roles })
    .from(users)
    .where(
      and(
        eq(users.agencyId, actor.agencyId),
        eq(users.active, true),
        or(
          userIds.length > 0 ? inArray(users.id, userIds) : undefined,
          departmentIds.length > 0 ? inArray(users.departmentId, departmentIds) : undefined,
        ),
      ),
    )
  const found = new Map<string, NotificationKind>()
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

/** "<document>. — <actor>: <comment>"; a secret document's comment stays inside the document too. */
function bodyOf(event: RoutingEvent, actorName: string): string {
  const label = documentLabel(event.document)
  const comment = event.comment && event.document.secrecy === 0 ? `: ${event.comment}` : ''
  const deadline =
    typeof event.step.deadline === 'string' ? ` Hạn xử lý: ${vietnameseDate(event.step.deadline)}.` : ''
  return `${label ? `${label}. ` : ''}${actorName}${comment}${deadline}`.slice(0, 2000)
}
