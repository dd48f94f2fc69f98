/**
 * Trình ký (issue 6 §7): a clerk, officer or leader puts a document's newest PDF before a leader; the
 * leader signs it (settled by the signing hook) or refuses with a reason that goes back to the requester;
 * the requester may withdraw it while it is pending. Every change writes its audit event and tells the
 * other person in the same transaction.
 */
import type { Actor } from '../../access/actor.ts'
import { can, documentVisibility } from '../../access/policy.ts'
import { type AuditContext, appendAuditEvent } from '../../audit/audit.service.ts'
import * as documentsRepository from '../../documents/documents.repository.ts'
import type { Database, Executor, Tx } from '../../platform/db/database.ts'
import type { Role } from '../../platform/db/schema/index.ts'
import { AppError, type FieldError } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { appendTimelineEntry, timelineActor } from '../../timeline/timeline.ts'
import { assertOutsideOutgoingFlow, onSignatureRequestClosed } from '../../outgoing/signing-rules.ts'
import { newestSignable } from '../signing/signing.repository.ts'
import * as repository from './requests.repository.ts'
import { notifySignatureEvent, type RequestNotifyDeps } from './requests.notify.ts'
import { signatureRequestView } from './requests.views.ts'

export interface RequestsDeps extends RequestNotifyDeps {
  database: Database
}

const field = (name: string, vi: string, en: string): FieldError => ({
  field: name,
  message: vi,
  messageEn: en,
})
const unprocessable = (error: FieldError) =>
  new AppError('validation-failed', { status: 422, errors: [error] })

/** A document the actor may open; 404 otherwise, as every document route answers. */
async function openableDocument(db: Executor, actor: Actor, documentId: string) {
  if (!isUuid(documentId)) throw new AppError('not-found')
  const document = await documentsRepository.findDocument(
    db,
    documentId,
    documentVisibility(actor, 'content'),
  )
  if (!document) throw new AppError('not-found')
  return document
}

/** The signer as the access policy sees them: an active leader of the agency who can open the document. */
async function checkSigner(db: Executor, actor: Actor, documentId: string, signerId: string) {
  const user = isUuid(signerId) ? await repository.findUser(db, signerId, actor.agencyId) : undefined
  if (!user?.active || !user.roles.includes('leader'))
    throw unprocessable(
      field(
        'signerId',
        'Người ký phải là lãnh đạo đang làm việc của cơ quan.',
        'The signer must be an active leader of the agency.',
      ),
    )
  if (user.id === actor.userId)
    throw unprocessable(
      field(
        'signerId',
        'Không trình ký cho chính mình; hãy ký trực tiếp.',
        'You cannot ask yourself; sign directly.',
      ),
    )
  const signer: Actor = {
    userId: user.id,
    username: user.username,
    agencyId: user.agencyId,
    departmentId: user.departmentId,
    roles: new Set(user.roles as Role[]),
    clearance: user.clearance,
    totpEnabled: user.totpEnabledAt !== null,
    via: { kind: 'session', sessionId: '' },
  }
  if (!(await documentsRepository.findDocument(db, documentId, documentVisibility(signer, 'content'))))
    throw unprocessable(
      field(
        'signerId',
        'Người ký không đủ cấp độ mật hoặc chưa được cấp quyền xem văn bản mật này.',
        'The signer lacks the clearance for this secret document, or has not been granted it.',
      ),
    )
  return user
}

const clean = (text: string | undefined) => text?.normalize('NFC').trim() || null

/** POST /documents/:id/signature-requests: the newest PDF of the document goes before the leader. */
export async function createRequest(
  deps: RequestsDeps,
  actor: Actor,
  documentId: string,
  input: { signerId: string; comment?: string | undefined },
  context: AuditContext,
) {
  const { db } = deps.database
  await openableDocument(db, actor, documentId)
  await assertOutsideOutgoingFlow(db, documentId)
  const signer = await checkSigner(db, actor, documentId, input.signerId)
  const comment = clean(input.comment)
  const id = await db.transaction(async (tx) => {
    const file = await pdfToPutForward(tx, documentId)
    const row = await repository.insert(tx, {
      documentId,
      fileId: file.id,
      requestedBy: actor.userId,
      signerId: signer.id,
      comment,
    })
    await appendAuditEvent(tx, context, {
      action: 'signature.requested',
      targetType: 'document',
      targetId: documentId,
      details: { signatureRequestId: row.id, signerId: signer.id, fileId: file.id },
    })
    await appendTimelineEntry(tx, {
      documentId,
      action: 'signature-requested',
      actor: timelineActor(actor),
      comment,
      details: { signerName: signer.fullName, fileName: file.fileName },
    })
    await notifySignatureEvent(tx, deps, {
      kind: 'signature.requested',
      userId: signer.id,
      actorUserId: actor.userId,
      documentId,
      lead: `${(await repository.fullNameOf(tx, actor.userId)) ?? actor.username} trình ký`,
      comment,
    })
    return row.id
  })
  return viewOf(db, id)
}

/**
 * With the document locked (so two requests cannot both pass): its newest PDF, else 409; 409 naming the
 * pending request when there is one.
 */
async function pdfToPutForward(tx: Tx, documentId: string) {
  await repository.lockDocument(tx, documentId)
  const file = await newestSignable(tx, documentId)
  if (file?.mediaType !== 'application/pdf')
    throw new AppError('conflict', {
      detail: 'Văn bản không có tệp PDF để trình ký. / The document has no PDF to put forward for signature.',
    })
  const pending = await repository.findPendingOfDocument(tx, documentId)
  if (pending)
    throw new AppError('conflict', {
      detail:
        'Văn bản đang chờ ký; rút lại yêu cầu trước khi trình lại. / ' +
        'The document is already awaiting a signature; withdraw that request first.',
      extensions: { signatureRequestId: pending.id, signerId: pending.signerId },
    })
  return file
}

async function viewOf(db: Executor, id: string) {
  const row = await repository.findView(db, id)
  if (!row) throw new AppError('not-found')
  return signatureRequestView(row)
}

export type ListScope = 'mine' | 'sent'
export type ListState = repository.RequestState | 'all'

/** GET /signature-requests: mine (the leader's "chờ ký" queue and history) or sent (what I put forward). */
export async function listRequests(
  deps: RequestsDeps,
  actor: Actor,
  query: { scope: ListScope; state: ListState; limit: number; offset: number },
) {
  if (query.scope === 'mine' && !can(actor, 'signature.sign')) throw new AppError('forbidden')
  const states: repository.RequestState[] =
    query.state === 'all' ? ['pending', 'signed', 'refused', 'withdrawn'] : [query.state]
  const { items, total } = await repository.list(deps.database.db, {
    scope: query.scope,
    userId: actor.userId,
    states,
    visible: documentVisibility(actor, 'content'),
    limit: query.limit,
    offset: query.offset,
  })
  return { items: items.map(signatureRequestView), total }
}

/** GET /signature-requests/count: the badge of the leader's "chờ ký" menu entry. */
export async function countPending(deps: RequestsDeps, actor: Actor) {
  return {
    pending: await repository.countPending(
      deps.database.db,
      actor.userId,
      documentVisibility(actor, 'content'),
    ),
  }
}

/** GET /documents/:id/signature-requests: the document's requests, newest first. */
export async function listForDocument(deps: RequestsDeps, actor: Actor, documentId: string) {
  await openableDocument(deps.database.db, actor, documentId)
  const rows = await repository.listForDocument(deps.database.db, documentId)
  return { items: rows.map(signatureRequestView) }
}

/**
 * Locks a request for a decision by `who`: 404 when its document is out of the actor's sight, 403 when
 * the actor is not that person, 409 (with the state and the states it needs) when it is not pending.
 */
async function decidable(tx: Tx, actor: Actor, id: string, who: 'signerId' | 'requestedBy') {
  if (!isUuid(id)) throw new AppError('not-found')
  // The document first, then the request: the order signing takes them in (no deadlock with a signature).
  const documentId = await repository.documentIdOf(tx, id)
  if (documentId) await repository.lockDocument(tx, documentId)
  const request = await repository.findForUpdate(tx, id, documentVisibility(actor, 'content'))
  if (!request) throw new AppError('not-found')
  if (request[who] !== actor.userId)
    throw new AppError('forbidden', {
      detail:
        who === 'signerId'
          ? 'Chỉ người được trình ký mới trả lại được. / Only the named signer can refuse.'
          : 'Chỉ người trình ký mới rút lại được. / Only the requester can withdraw.',
    })
  if (request.state !== 'pending')
    throw new AppError('conflict', {
      detail: `Yêu cầu trình ký đã ở trạng thái "${request.state}". / The request is already ${request.state}.`,
      extensions: { state: request.state, allowedStates: ['pending'] },
    })
  return request
}

/** POST /signature-requests/:id/refuse: the leader sends the document back with a reason. */
export async function refuseRequest(
  deps: RequestsDeps,
  actor: Actor,
  id: string,
  input: { reason: string },
  context: AuditContext,
) {
  const reason = clean(input.reason)
  if (!reason) throw unprocessable(field('reason', 'Cần nêu lý do trả lại.', 'A reason is required.'))
  const { db } = deps.database
  await db.transaction(async (tx) => {
    const request = await decidable(tx, actor, id, 'signerId')
    await repository.decide(tx, request.id, { state: 'refused', decisionComment: reason })
    await appendAuditEvent(tx, context, {
      action: 'signature.refused',
      targetType: 'document',
      targetId: request.documentId,
      details: { signatureRequestId: request.id, fileId: request.fileId, reason },
    })
    // A draft of the outgoing flow goes back to its drafter.
    const transition = await onSignatureRequestClosed(tx, deps, context, {
      documentId: request.documentId,
      outcome: 'refused',
      actorUserId: actor.userId,
      reason,
    })
    await appendTimelineEntry(tx, {
      documentId: request.documentId,
      action: 'signature-refused',
      actor: timelineActor(actor),
      comment: reason,
      ...transition,
    })
    await notifySignatureEvent(tx, deps, {
      kind: 'signature.refused',
      userId: request.requestedBy,
      actorUserId: actor.userId,
      documentId: request.documentId,
      lead: `${(await repository.fullNameOf(tx, actor.userId)) ?? actor.username} trả lại, không ký`,
      comment: reason,
    })
  })
  return viewOf(db, id)
}

/** POST /signature-requests/:id/withdraw: the requester takes a pending request back. */
export async function withdrawRequest(deps: RequestsDeps, actor: Actor, id: string, context: AuditContext) {
  const { db } = deps.database
  await db.transaction(async (tx) => {
    const request = await decidable(tx, actor, id, 'requestedBy')
    await repository.decide(tx, request.id, { state: 'withdrawn' })
    const transition = await onSignatureRequestClosed(tx, deps, context, {
      documentId: request.documentId,
      outcome: 'withdrawn',
      actorUserId: actor.userId,
    })
    await appendTimelineEntry(tx, {
      documentId: request.documentId,
      action: 'signature-withdrawn',
      actor: timelineActor(actor),
      details: { signerName: await repository.fullNameOf(tx, request.signerId) },
      ...transition,
    })
    await notifySignatureEvent(tx, deps, {
      kind: 'signature.withdrawn',
      userId: request.signerId,
      actorUserId: actor.userId,
      documentId: request.documentId,
      lead: `${(await repository.fullNameOf(tx, actor.userId)) ?? actor.username} rút lại yêu cầu trình ký`,
    })
    // The audit head last: document rows (timeline) first, the order every writer keeps.
    await appendAuditEvent(tx, context, {
      action: 'signature.withdrawn',
      targetType: 'document',
      targetId: request.documentId,
      details: { signatureRequestId: request.id, signerId: request.signerId },
    })
  })
  return viewOf(db, id)
}
