/**
 * Kiểm tra dự thảo (ND30 Điều 12): the drafter submits to reviewers in order — the head of unit for the
 * content, the office for the format — each approves or returns with comments; after the last approval
 * (or at once, without reviewers) the draft goes to the signer as a trình ký. A return ends the round:
 * the drafter revises (a new version) and submits again, starting a new round.
 */
import type { Actor } from '../access/actor.ts'
import type { AuditContext } from '../audit/audit.service.ts'
import type { DocumentRow } from '../documents/documents.repository.ts'
import * as documentsRepository from '../documents/documents.repository.ts'
import type { Tx } from '../platform/db/database.ts'
import { AppError, type FieldError } from '../platform/errors.ts'
import { isUuid } from '../platform/ids.ts'
import * as requestsRepository from '../signatures/requests/requests.repository.ts'
import { notifySignatureEvent } from '../signatures/requests/requests.notify.ts'
import { appendAuditEvent } from '../audit/audit.service.ts'
import type { DraftingDeps } from './drafting.service.ts'
import { loadForAction } from './outgoing-access.ts'
import { recordOutgoingStep } from './outgoing-steps.ts'
import * as repository from './outgoing.repository.ts'
import { secretDocumentReader } from './secret-readers.ts'

export interface ReviewerInput {
  userId: string
  kind: 'content' | 'format'
}

export type ReviewDeps = DraftingDeps & {
  /**
   * Called when a draft goes to its signer, inside the transaction: prepares the PDF for signing (the
   * number and date fields) and answers the file to put forward.
   */
  prepareForSignature?: (
    tx: Tx,
    loaded: { document: DocumentRow; outgoing: repository.OutgoingRow },
    context: AuditContext,
  ) => Promise<string | undefined>
}

const MAX_REVIEWERS = 5
const unprocessable = (errors: FieldError[]) => new AppError('validation-failed', { status: 422, errors })
const field = (name: string, vi: string, en: string): FieldError => ({
  field: name,
  message: vi,
  messageEn: en,
})
const clean = (text: string | undefined | null) => text?.normalize('NFC').trim().slice(0, 2000) || null

/** POST /api/outgoing/:id/submit: to the reviewers in order, or straight to the signer without any. */
export async function submitDraft(
  deps: ReviewDeps,
  actor: Actor,
  documentId: string,
  input: { reviewers?: ReviewerInput[] | undefined; comment?: string | undefined },
  context: AuditContext,
) {
  return deps.database.db.transaction(async (tx) => {
    const loaded = await loadForAction(tx, actor, documentId, 'submit')
    const { document, outgoing } = loaded
    if (!outgoing.signerUserId)
      throw unprocessable([
        field('signerId', 'Chọn người ký trước khi trình.', 'Choose the signer before submitting.'),
      ])
    const reviewers = await checkReviewers(tx, actor, document, input.reviewers ?? [])
    const comment = clean(input.comment)
    if (reviewers.length === 0) return toSignature(tx, deps, actor, loaded, comment, context)
    const round = (await repository.lastRound(tx, document.id)) + 1
    await repository.insertReviews(
      tx,
      reviewers.map((reviewer, position) => ({
        documentId: document.id,
        round,
        position,
        reviewerUserId: reviewer.userId,
        kind: reviewer.kind,
        state: position === 0 ? 'pending' : 'waiting',
        version: outgoing.currentVersion,
      })),
    )
    for (const reviewer of reviewers)
      await repository.addParticipant(tx, document.id, 'reviewer', { userId: reviewer.userId })
    const changed = await documentsRepository.updateDocument(tx, document.id, { status: 'in_review' })
    await recordOutgoingStep(tx, deps, context, {
      actor,
      document: changed,
      action: 'outgoing.submitted',
      fromStatus: document.status,
      toStatus: 'in_review',
      comment,
      details: { round, version: outgoing.currentVersion, reviewers },
      notify: [{ kind: 'outgoing.review-requested', userId: reviewers[0]!.userId }],
    })
    return { status: 'in_review' as const, round }
  })
}

async function checkReviewers(tx: Tx, actor: Actor, document: DocumentRow, reviewers: ReviewerInput[]) {
  if (reviewers.length > MAX_REVIEWERS)
    throw unprocessable([
      field('reviewers', `Tối đa ${MAX_REVIEWERS} bước kiểm tra.`, `At most ${MAX_REVIEWERS} review steps.`),
    ])
  const errors: FieldError[] = []
  for (const [index, reviewer] of reviewers.entries()) {
    const at = `reviewers[${index}]`
    const user = isUuid(reviewer.userId)
      ? await repository.userById(tx, actor.agencyId, reviewer.userId)
      : undefined
    if (!user?.active)
      errors.push(field(at, 'Người kiểm tra không có trong cơ quan.', 'No such reviewer in the agency.'))
    else if (user.id === actor.userId)
      errors.push(
        field(
          at,
          'Người soạn thảo không tự kiểm tra dự thảo của mình.',
          'The drafter cannot review their own draft.',
        ),
      )
    else if (document.secrecy > 0 && !(await secretDocumentReader(tx, document, user)))
      errors.push(
        field(
          at,
          'Người kiểm tra chưa được cấp quyền đọc văn bản mật này.',
          'The reviewer is not cleared and granted for this secret document.',
        ),
      )
  }
  if (errors.length > 0) throw unprocessable(errors)
  return reviewers
}

/** POST /api/outgoing/:id/review: the open step's reviewer approves, or returns with comments. */
export async function decide(
  deps: ReviewDeps,
  actor: Actor,
  documentId: string,
  input: { decision: 'approve' | 'return'; comment?: string | undefined },
  context: AuditContext,
) {
  return deps.database.db.transaction(async (tx) => {
    const loaded = await loadForAction(tx, actor, documentId, input.decision)
    const { document, context: action } = loaded
    const review = action.pendingReview!
    const comment = clean(input.comment)
    if (input.decision === 'return') {
      if (!comment)
        throw unprocessable([
          field('comment', 'Cần ghi ý kiến khi trả lại.', 'Say why the draft is returned.'),
        ])
      await repository.decideReview(tx, review.id, { state: 'returned', comment })
      await repository.cancelOpenReviews(tx, document.id)
      const changed = await documentsRepository.updateDocument(tx, document.id, { status: 'returned' })
      await recordOutgoingStep(tx, deps, context, {
        actor,
        document: changed,
        action: 'outgoing.returned',
        fromStatus: document.status,
        toStatus: 'returned',
        comment,
        details: { round: review.round, kind: review.kind, version: review.version },
        notify: [{ kind: 'outgoing.returned', userId: loaded.outgoing.drafterUserId }],
      })
      return { status: 'returned' as const }
    }
    await repository.decideReview(tx, review.id, { state: 'approved', comment })
    const next = await repository.nextWaitingReview(tx, document.id, review.round)
    if (!next) return toSignature(tx, deps, actor, loaded, comment, context, review)
    await repository.decideReview(tx, next.id, { state: 'pending' })
    await recordOutgoingStep(tx, deps, context, {
      actor,
      document,
      action: 'outgoing.approved',
      fromStatus: document.status,
      toStatus: document.status,
      comment,
      details: { round: review.round, kind: review.kind, version: review.version, next: next.reviewerUserId },
      notify: [
        { kind: 'outgoing.review-requested', userId: next.reviewerUserId },
        { kind: 'outgoing.approved', userId: loaded.outgoing.drafterUserId },
      ],
    })
    return { status: 'in_review' as const }
  })
}

/**
 * The draft goes before its signer (trình ký): the PDF is prepared for signing, a signature request is
 * made for the signer (the leader's "Chờ ký" queue), the văn thư become participants (they will number,
 * seal and issue it), and the status is awaiting_signature.
 */
async function toSignature(
  tx: Tx,
  deps: ReviewDeps,
  actor: Actor,
  loaded: { document: DocumentRow; outgoing: repository.OutgoingRow },
  comment: string | null,
  context: AuditContext,
  lastReview?: repository.ReviewRow,
) {
  const { document, outgoing } = loaded
  const signerId = outgoing.signerUserId!
  const signer = await repository.userById(tx, actor.agencyId, signerId)
  if (!signer?.active || !signer.roles.includes('leader'))
    throw unprocessable([
      field(
        'signerId',
        'Người ký phải là lãnh đạo đang làm việc của cơ quan.',
        'The signer must be an active leader of the agency.',
      ),
    ])
  if (document.secrecy > 0 && !(await secretDocumentReader(tx, document, signer)))
    throw unprocessable([
      field(
        'signerId',
        'Người ký chưa được cấp quyền đọc văn bản mật này.',
        'The signer is not cleared and granted for this secret document.',
      ),
    ])
  if (await requestsRepository.findPendingOfDocument(tx, document.id))
    throw new AppError('conflict', {
      detail: 'Văn bản đang chờ ký. / The document is already awaiting a signature.',
    })
  const fileId =
    (await deps.prepareForSignature?.(tx, loaded, context)) ?? (await currentPdfId(tx, document.id))
  const request = await requestsRepository.insert(tx, {
    documentId: document.id,
    fileId,
    requestedBy: outgoing.drafterUserId,
    signerId,
    comment,
  })
  for (const departmentId of await repository.clerkDepartments(tx, actor.agencyId))
    await repository.addParticipant(tx, document.id, 'clerk', { departmentId })
  await repository.addParticipant(tx, document.id, 'signer', { userId: signerId })
  const changed = await documentsRepository.updateDocument(tx, document.id, { status: 'awaiting_signature' })
  await appendAuditEvent(tx, context, {
    action: 'signature.requested',
    targetType: 'document',
    targetId: document.id,
    details: { signatureRequestId: request.id, signerId, fileId },
  })
  await recordOutgoingStep(tx, deps, context, {
    actor,
    document: changed,
    action: lastReview ? 'outgoing.approved' : 'outgoing.submitted',
    fromStatus: document.status,
    toStatus: 'awaiting_signature',
    comment,
    details: {
      signerId,
      signerName: signer.fullName,
      signatureRequestId: request.id,
      ...(lastReview ? { round: lastReview.round, kind: lastReview.kind, version: lastReview.version } : {}),
    },
    notify: lastReview ? [{ kind: 'outgoing.approved', userId: outgoing.drafterUserId }] : [],
  })
  await notifySignatureEvent(tx, deps, {
    kind: 'signature.requested',
    userId: signerId,
    actorUserId: actor.userId,
    documentId: document.id,
    lead: `${(await repository.userById(tx, actor.agencyId, actor.userId))?.fullName ?? actor.username} trình ký`,
    comment,
  })
  return { status: 'awaiting_signature' as const, signatureRequestId: request.id }
}

/** The PDF of the draft's current version (the newest original). */
async function currentPdfId(tx: Tx, documentId: string): Promise<string> {
  const files = await documentsRepository.filesOf(tx, [documentId])
  const pdf = files.filter((f) => f.role === 'original' && f.mediaType === 'application/pdf').at(-1)
  if (!pdf) throw new AppError('conflict', { detail: 'Dự thảo không có tệp PDF. / The draft has no PDF.' })
  return pdf.id
}

/**
 * POST /api/outgoing/:id/recall: the drafter takes the draft back from review or from the signer (the
 * pending trình ký is withdrawn); it becomes a draft again.
 */
export async function recallDraft(
  deps: ReviewDeps,
  actor: Actor,
  documentId: string,
  input: { comment?: string | undefined },
  context: AuditContext,
) {
  return deps.database.db.transaction(async (tx) => {
    const { document } = await loadForAction(tx, actor, documentId, 'recall')
    const comment = clean(input.comment)
    await repository.cancelOpenReviews(tx, document.id)
    const pending = await requestsRepository.findPendingOfDocument(tx, document.id)
    if (pending) {
      await requestsRepository.decide(tx, pending.id, { state: 'withdrawn' })
      await appendAuditEvent(tx, context, {
        action: 'signature.withdrawn',
        targetType: 'document',
        targetId: document.id,
        details: { signatureRequestId: pending.id, signerId: pending.signerId },
      })
      await notifySignatureEvent(tx, deps, {
        kind: 'signature.withdrawn',
        userId: pending.signerId,
        actorUserId: actor.userId,
        documentId: document.id,
        lead: `${(await repository.userById(tx, actor.agencyId, actor.userId))?.fullName ?? actor.username} rút lại dự thảo`,
      })
    }
    const changed = await documentsRepository.updateDocument(tx, document.id, { status: 'draft' })
    await recordOutgoingStep(tx, deps, context, {
      actor,
      document: changed,
      action: 'outgoing.recalled',
      fromStatus: document.status,
      toStatus: 'draft',
      comment,
    })
    return { status: 'draft' as const }
  })
}
