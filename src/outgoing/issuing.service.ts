/**
 * Phát hành (ND30 Điều 16–18): the clerk issues a sealed document the same day (urgent ones at once).
 * Internal recipients get it at once — their departments or themselves become participants, to handle
 * (lead) or to know (informed), as routed incoming documents are; external recipients get one delivery
 * each: electronic interchange waits for its transport ("chờ gửi liên thông"), e-mail goes out with the
 * PDF attached (a job), post and hand delivery wait for the clerk to mark them sent. The issued document
 * is locked: only revocation, replacement and correction follow. Issuing a replacement or a correction
 * marks the old document superseded or corrected and tells its recipients.
 */
import { and, eq, inArray } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import type { AuditContext } from '../audit/audit.service.ts'
import type { DocumentRow } from '../documents/documents.repository.ts'
import * as documentsRepository from '../documents/documents.repository.ts'
import type { Tx } from '../platform/db/database.ts'
import { documentParticipants, documents, outgoingRecipients } from '../platform/db/schema/index.ts'
import { AppError, type FieldError } from '../platform/errors.ts'
import { isUuid } from '../platform/ids.ts'
import type { DraftingDeps } from './drafting.service.ts'
import type { RecipientInput } from './draft-fields.ts'
import { loadForAction } from './outgoing-access.ts'
import { type StepTarget, recordOutgoingStep } from './outgoing-steps.ts'
import * as repository from './outgoing.repository.ts'
import { recipientRows, toPlacesText } from './recipients.ts'
import { secretDocumentReader } from './secret-readers.ts'

export const DELIVER_EMAIL_JOB = 'outgoing.deliver-email'

/** POST /api/documents/:id/issue — with `recipients`, the list is replaced first (the issue dialog). */
export async function issueDocument(
  deps: DraftingDeps,
  actor: Actor,
  documentId: string,
  input: { recipients?: RecipientInput[] | undefined },
  context: AuditContext,
  now = new Date(),
) {
  return deps.database.db.transaction(async (tx) => {
    const { document, outgoing } = await loadForAction(tx, actor, documentId, 'issue')
    if (input.recipients) {
      const rows = await recipientRows(tx, actor.agencyId, document.id, input.recipients)
      await repository.replaceRecipients(tx, document.id, rows)
      const unit = outgoing.draftingDepartmentId
        ? await repository.departmentById(tx, actor.agencyId, outgoing.draftingDepartmentId)
        : undefined
      await documentsRepository.updateDocument(tx, document.id, {
        toPlaces: toPlacesText(
          rows.map((r) => r.label),
          unit?.abbreviation,
        ),
      })
    }
    const recipients = (await repository.recipientsOf(tx, document.id)).map((r) => r.recipient)
    const deliverable = recipients.filter((r) => r.kind !== 'text')
    if (deliverable.length === 0)
      throw new AppError('validation-failed', {
        status: 422,
        errors: [field('recipients', 'Văn bản chưa có nơi nhận.', 'The document has no recipients.')],
      })
    await checkSecretRecipients(tx, document, recipients)
    const notify: StepTarget[] = []
    const deliveries: Record<string, number> = {}
    for (const recipient of deliverable) {
      const state = await deliver(tx, deps, document, recipient, now)
      deliveries[state] = (deliveries[state] ?? 0) + 1
      if (recipient.kind === 'department' || recipient.kind === 'user')
        notify.push({
          kind: recipient.purpose === 'handle' ? 'outgoing.received-handle' : 'outgoing.received-inform',
          userId: recipient.userId,
          departmentId: recipient.departmentId,
        })
    }
    const changed = await documentsRepository.updateDocument(tx, document.id, { status: 'issued' })
    await repository.updateOutgoing(tx, document.id, { issuedAt: now, issuedBy: actor.userId })
    await recordOutgoingStep(tx, deps, context, {
      actor,
      document: changed,
      action: 'outgoing.issued',
      fromStatus: document.status,
      toStatus: 'issued',
      details: { numberNotation: `${document.codeNumber}/${document.codeNotation}`, deliveries },
      notify: [...notify, { kind: 'outgoing.issued', userId: outgoing.drafterUserId }],
    })
    if (outgoing.replacesDocumentId)
      await endOldDocument(tx, deps, actor, changed, outgoing.replacesDocumentId, 'superseded', context)
    if (outgoing.correctsDocumentId)
      await endOldDocument(tx, deps, actor, changed, outgoing.correctsDocumentId, 'corrected', context)
    if (outgoing.replyToDocumentId)
      await markReplied(tx, deps, actor, changed, outgoing.replyToDocumentId, context)
    return { status: 'issued' as const, deliveries }
  })
}

const field = (name: string, vi: string, en: string): FieldError => ({
  field: name,
  message: vi,
  messageEn: en,
})

/** People named on a secret document must already be cleared and granted: issuing never widens access. */
async function checkSecretRecipients(tx: Tx, document: DocumentRow, recipients: repository.RecipientRow[]) {
  if (document.secrecy === 0) return
  const errors: FieldError[] = []
  for (const recipient of recipients) {
    if (recipient.channel === 'email' || recipient.channel === 'interchange')
      errors.push(
        field(
          `recipients[${recipient.position}]`,
          'Văn bản mật không gửi qua thư điện tử hay trục liên thông (Luật Bảo vệ bí mật nhà nước).',
          'Secret documents are not sent by e-mail or electronic interchange (State Secrets Protection Law).',
        ),
      )
    if (recipient.kind !== 'user') continue
    const user = await repository.userById(tx, document.agencyId!, recipient.userId!)
    if (!user || !(await secretDocumentReader(tx, document, user)))
      errors.push(
        field(
          `recipients[${recipient.position}]`,
          `${recipient.label} chưa được cấp quyền đọc văn bản mật này.`,
          `${recipient.label} is not cleared and granted for this secret document.`,
        ),
      )
  }
  if (errors.length > 0) throw new AppError('validation-failed', { status: 422, errors })
}

/** Delivers to one recipient at issue; answers the delivery state. */
async function deliver(
  tx: Tx,
  deps: DraftingDeps,
  document: DocumentRow,
  recipient: repository.RecipientRow,
  now: Date,
) {
  if (recipient.kind === 'department' || recipient.kind === 'user') {
    await repository.addParticipant(tx, document.id, recipient.purpose === 'handle' ? 'lead' : 'informed', {
      userId: recipient.userId,
      departmentId: recipient.departmentId,
    })
    await repository.updateRecipient(tx, recipient.id, { state: 'delivered', sentAt: now, stateAt: now })
    return 'delivered'
  }
  switch (recipient.channel) {
    case 'interchange':
      await repository.updateRecipient(tx, recipient.id, {
        state: 'waiting-interchange',
        stateAt: now,
        stateNote: 'Chờ gửi liên thông (trục liên thông văn bản chưa được kết nối).',
      })
      return 'waiting-interchange'
    case 'email':
      await repository.updateRecipient(tx, recipient.id, { state: 'pending', stateAt: now, stateNote: null })
      await deps.jobs.send(
        DELIVER_EMAIL_JOB,
        { recipientId: recipient.id, documentId: document.id, purpose: 'issue' },
        { executor: tx },
      )
      return 'pending'
    default:
      await repository.updateRecipient(tx, recipient.id, { state: 'pending', stateAt: now, stateNote: null })
      return 'pending'
  }
}

/**
 * The old document of a replacement or correction: marked, linked both ways, and its recipients told —
 * internal ones by notification, e-mail ones by mail, interchange ones wait for the transport, post and
 * hand ones are left for the clerk (their delivery notes say so).
 */
async function endOldDocument(
  tx: Tx,
  deps: DraftingDeps,
  actor: Actor,
  replacement: DocumentRow,
  oldId: string,
  status: 'superseded' | 'corrected',
  context: AuditContext,
) {
  const [old] = await tx.select().from(documents).where(eq(documents.id, oldId)).for('update')
  if (!old || !['issued', 'corrected'].includes(old.status))
    throw new AppError('conflict', {
      detail:
        'Văn bản được thay thế/đính chính không còn ở trạng thái đã phát hành. / The replaced or corrected document is no longer issued.',
    })
  await repository.updateOutgoing(
    tx,
    old.id,
    status === 'superseded'
      ? { supersededByDocumentId: replacement.id }
      : { correctedByDocumentId: replacement.id },
  )
  const changed = await documentsRepository.updateDocument(tx, old.id, { status })
  const notify = await tellRecipients(tx, deps, old, status === 'superseded' ? 'supersede' : 'correct')
  await recordOutgoingStep(tx, deps, context, {
    actor,
    document: changed,
    action: status === 'superseded' ? 'outgoing.superseded' : 'outgoing.corrected',
    fromStatus: old.status,
    toStatus: status,
    details: {
      byDocumentId: replacement.id,
      byNumberNotation: `${replacement.codeNumber}/${replacement.codeNotation}`,
    },
    notify: notify.map((target) => ({
      ...target,
      kind: status === 'superseded' ? 'outgoing.superseded' : 'outgoing.corrected',
    })),
  })
}

type Notice = 'revoke' | 'supersede' | 'correct'
const NOTICE_NOTES: Record<Notice, Record<string, string>> = {
  revoke: {
    interchange: 'Chờ gửi thông báo thu hồi qua liên thông.',
    post: 'Cần gửi thông báo thu hồi qua bưu điện.',
    hand: 'Cần thông báo thu hồi trực tiếp.',
  },
  supersede: {
    interchange: 'Chờ gửi thông báo thay thế qua liên thông.',
    post: 'Cần gửi văn bản thay thế qua bưu điện.',
    hand: 'Cần chuyển văn bản thay thế trực tiếp.',
  },
  correct: {
    interchange: 'Chờ gửi văn bản đính chính qua liên thông.',
    post: 'Cần gửi văn bản đính chính qua bưu điện.',
    hand: 'Cần chuyển văn bản đính chính trực tiếp.',
  },
}

/**
 * Tells a document's recipients it was revoked, replaced or corrected: answers the internal ones to
 * notify; external deliveries are marked recalled with what remains to do (e-mail ones get a mail).
 */
export async function tellRecipients(tx: Tx, deps: DraftingDeps, document: DocumentRow, notice: Notice) {
  const recipients = (await repository.recipientsOf(tx, document.id)).map((r) => r.recipient)
  const now = new Date()
  const internal: { userId?: string | null; departmentId?: string | null }[] = []
  for (const recipient of recipients) {
    if (recipient.kind === 'department' || recipient.kind === 'user') {
      internal.push({ userId: recipient.userId, departmentId: recipient.departmentId })
      continue
    }
    if (recipient.kind !== 'external' || recipient.state === 'planned') continue
    const note = recipient.channel === 'email' ? null : (NOTICE_NOTES[notice][recipient.channel] ?? null)
    await repository.updateRecipient(tx, recipient.id, { recalledAt: now, stateNote: note })
    if (recipient.channel === 'email')
      await deps.jobs.send(
        DELIVER_EMAIL_JOB,
        { recipientId: recipient.id, documentId: document.id, purpose: notice },
        { executor: tx },
      )
  }
  return internal
}

/** The incoming document answered: its timeline says "đã trả lời bằng văn bản số …", its handlers are told. */
async function markReplied(
  tx: Tx,
  deps: DraftingDeps,
  actor: Actor,
  reply: DocumentRow,
  incomingId: string,
  context: AuditContext,
) {
  const [incoming] = await tx.select().from(documents).where(eq(documents.id, incomingId))
  if (!incoming) return
  const handlers = await tx
    .select({ userId: documentParticipants.userId, departmentId: documentParticipants.departmentId })
    .from(documentParticipants)
    .where(
      and(
        eq(documentParticipants.documentId, incoming.id),
        eq(documentParticipants.active, true),
        inArray(documentParticipants.role, ['lead', 'assignee', 'leader']),
      ),
    )
  await recordOutgoingStep(tx, deps, context, {
    actor,
    document: incoming,
    action: 'outgoing.reply-issued',
    fromStatus: incoming.status,
    toStatus: incoming.status,
    details: { replyDocumentId: reply.id, replyNumberNotation: `${reply.codeNumber}/${reply.codeNotation}` },
    notify: handlers.map((h) => ({
      kind: 'outgoing.issued' as const,
      userId: h.userId,
      departmentId: h.departmentId,
    })),
  })
}

/** PATCH /api/documents/:id/deliveries/:recipientId — the clerk records a delivery's progress. */
export async function updateDelivery(
  deps: DraftingDeps,
  actor: Actor,
  documentId: string,
  recipientId: string,
  input: {
    state: 'sent' | 'delivered' | 'failed' | 'pending'
    note?: string | undefined
    channel?: 'post' | 'hand' | 'email' | 'interchange' | undefined
  },
  context: AuditContext,
) {
  return deps.database.db.transaction(async (tx) => {
    const { document } = await loadForAction(tx, actor, documentId, 'update-delivery')
    if (!isUuid(recipientId)) throw new AppError('not-found')
    const [recipient] = await tx
      .select()
      .from(outgoingRecipients)
      .where(and(eq(outgoingRecipients.id, recipientId), eq(outgoingRecipients.documentId, document.id)))
    if (recipient?.kind !== 'external') throw new AppError('not-found')
    const now = new Date()
    const note = input.note?.normalize('NFC').trim().slice(0, 500) || null
    const channel = input.channel ?? recipient.channel
    const updated = await repository.updateRecipient(tx, recipient.id, {
      channel,
      state: input.state,
      stateNote: note,
      stateAt: now,
      ...(input.state === 'sent' && !recipient.sentAt ? { sentAt: now } : {}),
    })
    if (channel === 'email' && input.state === 'pending')
      await deps.jobs.send(
        DELIVER_EMAIL_JOB,
        { recipientId: recipient.id, documentId: document.id, purpose: 'issue' },
        { executor: tx },
      )
    await recordOutgoingStep(tx, deps, context, {
      actor,
      document,
      action: 'outgoing.delivery-updated',
      fromStatus: document.status,
      toStatus: document.status,
      comment: note,
      details: {
        recipientId: recipient.id,
        recipient: recipient.label,
        channel,
        from: recipient.state,
        state: input.state,
      },
    })
    return updated!
  })
}
