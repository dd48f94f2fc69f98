import { and, eq, sql } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import { documentVisibility } from '../access/policy.ts'
import { type AuditContext, appendAuditEvent } from '../audit/audit.service.ts'
import type { Database, Tx } from '../platform/db/database.ts'
import { departments, documentGrants, documentParticipants, documents, users } from '../platform/db/schema/index.ts'
import { dateProblem, vietnamToday } from '../documents/document-fields.ts'
import { AppError, type FieldError, fieldError } from '../platform/errors.ts'
import { isUuid } from '../platform/ids.ts'
import { enqueueSearchSync } from '../search/search-outbox.ts'
import { appendTimelineEntry, timelineActor } from '../timeline/timeline.ts'
import { fileDocument } from '../records/files/record-file-lifecycle.ts'
import { type NotifyDeps, notifyRoutingStep } from './routing-notifications.ts'
import { actionsFrom, ROUTING_ACTIONS, type RoutingActionName, type RoutingActor } from './routing-machine.ts'

type Deps = { database: Database }
type Participant = typeof documentParticipants.$inferSelect
type DocumentRow = typeof documents.$inferSelect

/** A recipient named in a direction: a department or a person. */
export interface Recipient {
  departmentId?: string | undefined
  userId?: string | undefined
}

export interface RoutingInput {
  comment?: string | undefined
  leaderId?: string | undefined
  userId?: string | undefined
  lead?: Recipient | undefined
  cooperating?: Recipient[] | undefined
  informed?: Recipient[] | undefined
  deadline?: string | undefined
  replyDocumentId?: string | undefined
  /** complete: lập hồ sơ — the hồ sơ to file the completed document into, in the same transaction. */
  recordFileIds?: string[] | undefined
  progress?: number | undefined
}

const field = (name: string, vi: string, en: string): FieldError => ({ field: name, message: vi, messageEn: en })

/** Loads a document the actor may open, locked for the rest of the transaction; 404 otherwise. */
async function lockDocument(tx: Tx, actor: Actor, id: string): Promise<DocumentRow> {
  if (!isUuid(id)) throw new AppError('not-found')
  const [document] = await tx
    .select()
    .from(documents)
    .where(and(eq(documents.id, id), eq(documents.direction, 'incoming'), documentVisibility(actor, 'content')))
    .for('update')
  if (!document) throw new AppError('not-found')
  return document
}

async function activeParticipants(tx: Tx | Database['db'], documentId: string): Promise<Participant[]> {
  return tx
    .select()
    .from(documentParticipants)
    .where(and(eq(documentParticipants.documentId, documentId), eq(documentParticipants.active, true)))
}

/** Whether the actor plays the part an action needs, given the document's current participants. */
function plays(part: RoutingActor, actor: Actor, document: DocumentRow, participants: Participant[]): boolean {
  const isMe = (p: Participant) => p.userId === actor.userId || (p.userId === null && p.departmentId !== null && p.departmentId === actor.departmentId)
  const leads = participants.filter((p) => p.role === 'lead' || p.role === 'assignee')
  switch (part) {
    case 'owning-clerk':
      return actor.roles.has('clerk') && document.ownerDepartmentId === actor.departmentId
    case 'submitted-leader':
      return actor.roles.has('leader') && participants.some((p) => p.role === 'leader' && p.userId === actor.userId)
    case 'lead':
      return leads.some(isMe)
    case 'lead-department-leader':
      return actor.roles.has('leader') && leads.some((p) => p.role === 'lead' && p.departmentId !== null && p.departmentId === actor.departmentId)
    case 'participant':
      return [...leads, ...participants.filter((p) => p.role === 'cooperating')].some(isMe)
  }
}

/** The actions this actor may take on the document now. */
export function allowedActionsFor(actor: Actor, document: DocumentRow, participants: Participant[]): RoutingActionName[] {
  return actionsFrom(document.status).filter((name) => plays(ROUTING_ACTIONS[name].by, actor, document, participants))
}

/**
 * Takes one routing action: checks the transition (409 naming the allowed ones), the actor's part
 * (403), the inputs (400), then changes status and participants and writes the timeline step and its
 * audit event and the notifications of the people concerned — all in one transaction.
 */
export async function performRoutingAction(
  deps: Deps & NotifyDeps,
  actor: Actor,
  documentId: string,
  action: RoutingActionName,
  input: RoutingInput,
  context: AuditContext,
) {
  const definition = ROUTING_ACTIONS[action]
  return deps.database.db.transaction(async (tx) => {
    const document = await lockDocument(tx, actor, documentId)
    const participants = await activeParticipants(tx, document.id)
    if (!(definition.from as readonly string[]).includes(document.status)) {
      throw new AppError('transition-not-allowed', {
        detail: `"${action}" is not possible while the document is ${document.status}.`,
        extensions: { documentStatus: document.status, allowedActions: allowedActionsFor(actor, document, participants) },
      })
    }
    if (!plays(definition.by, actor, document, participants)) throw new AppError('forbidden')
    const comment = input.comment?.normalize('NFC').trim() || undefined
    if ('needsComment' in definition && definition.needsComment && !comment) {
      throw new AppError('validation-failed', { errors: [field('comment', 'Cần nhập nội dung.', 'A comment is required.')] })
    }
    const details = await applyAction(tx, actor, document, participants, action, input, context)
    const toStatus = 'to' in definition ? definition.to : document.status
    if (toStatus !== document.status || details.dueDate !== undefined) {
      await tx
        .update(documents)
        .set({ status: toStatus, updatedAt: new Date(), ...(details.dueDate !== undefined ? { dueDate: details.dueDate } : {}) })
        .where(eq(documents.id, document.id))
    }
    const step = await appendTimelineEntry(tx, {
      documentId: document.id,
      action,
      actor: timelineActor(actor),
      fromStatus: document.status,
      toStatus,
      comment,
      details: details.step,
    })
    await appendAuditEvent(tx, context, {
      action: `routing.${action}`,
      targetType: 'document',
      targetId: document.id,
      details: { from: document.status, to: toStatus, step: step.seq, ...details.step },
    })
    await notifyRoutingStep(tx, deps, { actor, document, participants, action, step: details.step, comment })
    if (action === 'complete') {
      for (const recordFileId of input.recordFileIds ?? []) await fileDocument(tx, actor, { recordFileId, documentId: document.id }, context)
    }
    await enqueueSearchSync(tx, document.id, deps.jobs)
    const after = await activeParticipants(tx, document.id)
    return { status: toStatus, step, allowedActions: allowedActionsFor(actor, { ...document, status: toStatus }, after) }
  })
}

interface Applied {
  step: Record<string, unknown>
  dueDate?: string | null
}

async function applyAction(
  tx: Tx,
  actor: Actor,
  document: DocumentRow,
  participants: Participant[],
  action: RoutingActionName,
  input: RoutingInput,
  context: AuditContext,
): Promise<Applied> {
  const handOver = (userId: string, name: string) => handOverSecret(tx, actor, context, document, userId, name, `routing.${action}`)
  const deactivate = (role: string) =>
    tx
      .update(documentParticipants)
      .set({ active: false })
      .where(and(eq(documentParticipants.documentId, document.id), eq(documentParticipants.role, role), eq(documentParticipants.active, true)))
  const add = (role: string, recipient: Recipient, deadline?: string | null) =>
    tx.insert(documentParticipants).values({
      documentId: document.id,
      role,
      userId: recipient.userId ?? null,
      departmentId: recipient.userId ? null : (recipient.departmentId ?? null),
      deadline: deadline ?? null,
    })
  const setState = (state: string) =>
    tx
      .update(documentParticipants)
      .set({ state })
      .where(
        and(
          eq(documentParticipants.documentId, document.id),
          eq(documentParticipants.active, true),
          sql`${documentParticipants.role} in ('lead', 'assignee')`,
        ),
      )

  switch (action) {
    case 'submit':
    case 'forward': {
      const leader = await requireUser(tx, actor, input.leaderId, 'leaderId', 'leader')
      await handOver(leader.id, 'leaderId')
      await deactivate('leader')
      await add('leader', { userId: leader.id })
      return { step: { leaderId: leader.id, leaderName: leader.fullName } }
    }
    case 'recall':
    case 'return':
      await deactivate('leader')
      return { step: {} }
    case 'direct': {
      const deadline = checkDeadline(input.deadline)
      const lead = await checkRecipient(tx, actor, input.lead, 'lead')
      if (!lead) throw new AppError('validation-failed', { errors: [field('lead', 'Chọn đơn vị hoặc người chủ trì.', 'Choose the lead unit or person.')] })
      const cooperating = await checkRecipients(tx, actor, input.cooperating, 'cooperating')
      const informed = await checkRecipients(tx, actor, input.informed, 'informed')
      const named: [Recipient, string][] = [
        [lead, 'lead'],
        ...cooperating.map((r, i): [Recipient, string] => [r, `cooperating.${i}`]),
        ...informed.map((r, i): [Recipient, string] => [r, `informed.${i}`]),
      ]
      for (const [recipient, name] of named) {
        if (document.secrecy > 0 && !recipient.userId) {
          throw new AppError('validation-failed', { errors: [fieldError(name, 'field-secret-needs-person')] })
        }
        if (recipient.userId) await handOver(recipient.userId, name)
      }
      // The leader stays a participant (to follow up and grant extensions).
      await add('lead', lead, deadline)
      for (const recipient of cooperating) await add('cooperating', recipient, deadline)
      for (const recipient of informed) await add('informed', recipient)
      return { step: { lead, cooperating, informed, deadline: deadline ?? null }, dueDate: deadline ?? undefined }
    }
    case 'reassign': {
      const lead = participants.find((p) => p.role === 'lead')
      const officer = await requireUser(tx, actor, input.userId, 'userId')
      if (officer.departmentId !== lead?.departmentId) {
        throw new AppError('validation-failed', { errors: [field('userId', 'Người được giao phải thuộc đơn vị chủ trì.', 'The assignee must belong to the lead unit.')] })
      }
      const deadline = checkDeadline(input.deadline) ?? lead?.deadline ?? null
      await handOver(officer.id, 'userId')
      await deactivate('assignee')
      await add('assignee', { userId: officer.id }, deadline)
      return { step: { userId: officer.id, userName: officer.fullName, deadline } }
    }
    case 'start':
      await setState('in_progress')
      return { step: {} }
    case 'note':
      return { step: input.progress !== undefined ? { progress: Math.max(0, Math.min(100, Math.round(input.progress))) } : {} }
    case 'complete':
      await setState('done')
      return { step: input.replyDocumentId ? { replyDocumentId: input.replyDocumentId } : {} }
    case 'request-extension':
      return { step: { requestedDeadline: checkDeadline(input.deadline, true) } }
    case 'grant-extension': {
      const deadline = checkDeadline(input.deadline, true)!
      await tx
        .update(documentParticipants)
        .set({ deadline })
        .where(and(eq(documentParticipants.documentId, document.id), eq(documentParticipants.active, true), sql`${documentParticipants.role} in ('lead', 'assignee', 'cooperating')`))
      return { step: { deadline, previousDeadline: document.dueDate }, dueDate: deadline }
    }
  }
}

/**
 * Handing a secret document on to a named person (trình, chuyển, giao) gives them its grant, in the
 * step's transaction and audited, when their clearance covers its level; otherwise the step is refused
 * naming the field. Without this the document sat "submitted" before a leader who got 404 and no
 * notification. Open documents need nothing.
 */
async function handOverSecret(tx: Tx, actor: Actor, context: AuditContext, document: DocumentRow, userId: string, name: string, reason: string) {
  if (document.secrecy === 0) return
  const [user] = await tx.select({ clearance: users.clearance, active: users.active }).from(users).where(eq(users.id, userId))
  if (!user?.active || user.clearance < document.secrecy) {
    throw new AppError('validation-failed', { errors: [fieldError(name, 'field-insufficient-clearance')] })
  }
  const added = await tx
    .insert(documentGrants)
    .values({ documentId: document.id, userId, grantedBy: actor.userId })
    .onConflictDoNothing()
    .returning({ userId: documentGrants.userId })
  if (added.length === 0) return
  await appendAuditEvent(tx, context, {
    action: 'document.grant-added',
    targetType: 'document',
    targetId: document.id,
    details: { userId, secrecy: document.secrecy, reason },
  })
}

function checkDeadline(value: string | undefined, required = false): string | undefined {
  if (!value) {
    if (required) throw new AppError('validation-failed', { errors: [field('deadline', 'Chọn thời hạn.', 'Choose a deadline.')] })
    return undefined
  }
  const problem = dateProblem(value, vietnamToday(), { notInFuture: false })
  if (problem) throw new AppError('validation-failed', { errors: [fieldError('deadline', problem)] })
  return value
}

async function requireUser(tx: Tx, actor: Actor, id: string | undefined, name: string, role?: 'leader') {
  const [user] = id && isUuid(id) ? await tx.select().from(users).where(and(eq(users.id, id), eq(users.agencyId, actor.agencyId))) : []
  if (!user?.active || (role && !user.roles.includes(role))) {
    throw new AppError('validation-failed', { errors: [field(name, 'Người nhận không hợp lệ.', 'Not a valid recipient.')] })
  }
  return user
}

async function checkRecipient(tx: Tx, actor: Actor, recipient: Recipient | undefined, name: string): Promise<Recipient | undefined> {
  if (!recipient || (!recipient.userId && !recipient.departmentId)) return undefined
  if (recipient.userId) return { userId: (await requireUser(tx, actor, recipient.userId, name)).id }
  const [department] = isUuid(recipient.departmentId!)
    ? await tx
        .select({ id: departments.id })
        .from(departments)
        .where(and(eq(departments.id, recipient.departmentId!), eq(departments.agencyId, actor.agencyId), eq(departments.active, true)))
    : []
  if (!department) throw new AppError('validation-failed', { errors: [field(name, 'Đơn vị không hợp lệ.', 'Not a valid unit.')] })
  return { departmentId: recipient.departmentId }
}

async function checkRecipients(tx: Tx, actor: Actor, recipients: Recipient[] | undefined, name: string) {
  const checked: Recipient[] = []
  for (const recipient of recipients ?? []) {
    const ok = await checkRecipient(tx, actor, recipient, name)
    if (ok) checked.push(ok)
  }
  return checked
}

/** The document's routing state for this actor: status, what they may do, who is on it. */
export async function routingStateOf(deps: Deps, actor: Actor, documentId: string) {
  if (!isUuid(documentId)) throw new AppError('not-found')
  const [document] = await deps.database.db
    .select()
    .from(documents)
    .where(and(eq(documents.id, documentId), documentVisibility(actor, 'metadata')))
  if (!document) throw new AppError('not-found')
  const participants = await activeParticipants(deps.database.db, document.id)
  return { status: document.status, allowedActions: allowedActionsFor(actor, document, participants), participants }
}

/**
 * Documents waiting for this actor: submitted to them as leader, or led / co-operated by them or their
 * department and not done yet. For inboxes ("Văn bản chờ chỉ đạo", "Văn bản được giao").
 */
export function awaitingActor(actor: Actor) {
  const mine = actor.departmentId
    ? sql`(${documentParticipants.userId} = ${actor.userId} or (${documentParticipants.userId} is null and ${documentParticipants.departmentId} = ${actor.departmentId}))`
    : sql`${documentParticipants.userId} = ${actor.userId}`
  return sql`exists (select 1 from ${documentParticipants} where ${documentParticipants.documentId} = ${documents.id}
    and ${documentParticipants.active} and ${documentParticipants.state} <> 'done' and ${mine}
    and ((${documentParticipants.role} = 'leader' and ${documents.status} = 'submitted')
      or (${documentParticipants.role} in ('lead', 'assignee', 'cooperating') and ${documents.status} in ('assigned', 'in_progress'))))`
}

/**
 * A recipient opening the document marks their unread participation as read (their own state), with its
 * audit event. Nothing happens for anyone else, or when already read.
 */
export async function markReadByRecipient(deps: Deps, actor: Actor, documentId: string, context: AuditContext): Promise<void> {
  const mine = actor.departmentId
    ? sql`(${documentParticipants.userId} = ${actor.userId} or (${documentParticipants.userId} is null and ${documentParticipants.departmentId} = ${actor.departmentId}))`
    : sql`${documentParticipants.userId} = ${actor.userId}`
  await deps.database.db.transaction(async (tx) => {
    const read = await tx
      .update(documentParticipants)
      .set({ state: 'read' })
      .where(
        and(
          eq(documentParticipants.documentId, documentId),
          eq(documentParticipants.active, true),
          eq(documentParticipants.state, 'unread'),
          mine,
        ),
      )
      .returning({ role: documentParticipants.role })
    if (read.length === 0) return
    await appendAuditEvent(tx, context, {
      action: 'routing.read',
      targetType: 'document',
      targetId: documentId,
      details: { roles: read.map((r) => r.role) },
    })
  })
}
