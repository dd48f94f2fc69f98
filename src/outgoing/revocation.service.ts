/**
 * Thu hồi (ND30 Điều 18.4, spec §4): a leader decides, the clerk executes. The revoked document is marked,
 * its recipients are told (internal ones by notification; e-mail ones by mail; interchange ones wait for
 * the transport; post and hand ones are left for the clerk), and it stays frozen for the record.
 */
import type { Actor } from '../access/actor.ts'
import type { AuditContext } from '../audit/audit.service.ts'
import * as documentsRepository from '../documents/documents.repository.ts'
import { AppError } from '../platform/errors.ts'
import type { DraftingDeps } from './drafting.service.ts'
import { tellRecipients } from './issuing.service.ts'
import { loadForAction } from './outgoing-access.ts'
import { clerkTargets, recordOutgoingStep } from './outgoing-steps.ts'
import * as repository from './outgoing.repository.ts'

const reasonOf = (text: string | undefined) => {
  const reason = text?.normalize('NFC').trim().slice(0, 2000)
  if (!reason)
    throw new AppError('validation-failed', {
      errors: [{ field: 'reason', message: 'Cần nêu lý do thu hồi.', messageEn: 'A reason is required.' }],
    })
  return reason
}

/** POST /api/documents/:id/revocation: the leader's decision to revoke; the clerks are told to execute it. */
export async function decideRevocation(
  deps: DraftingDeps,
  actor: Actor,
  documentId: string,
  input: { reason?: string | undefined },
  context: AuditContext,
) {
  const reason = reasonOf(input.reason)
  return deps.database.db.transaction(async (tx) => {
    const { document } = await loadForAction(tx, actor, documentId, 'decide-revocation')
    const now = new Date()
    await repository.updateOutgoing(tx, document.id, {
      revocationDecidedBy: actor.userId,
      revocationDecidedAt: now,
      revocationReason: reason,
    })
    await recordOutgoingStep(tx, deps, context, {
      actor,
      document,
      action: 'outgoing.revocation-decided',
      fromStatus: document.status,
      toStatus: document.status,
      comment: reason,
      notify: await clerkTargets(tx, actor.agencyId, 'outgoing.revocation-decided'),
    })
    return { status: document.status, revocationDecidedAt: now.toISOString() }
  })
}

/** POST /api/documents/:id/revoke: the clerk executes the leader's decision. */
export async function revokeDocument(
  deps: DraftingDeps,
  actor: Actor,
  documentId: string,
  context: AuditContext,
) {
  return deps.database.db.transaction(async (tx) => {
    const { document, outgoing } = await loadForAction(tx, actor, documentId, 'revoke')
    const now = new Date()
    await repository.updateOutgoing(tx, document.id, { revokedAt: now, revokedBy: actor.userId })
    const changed = await documentsRepository.updateDocument(tx, document.id, { status: 'revoked' })
    const internal = await tellRecipients(tx, deps, changed, 'revoke')
    await recordOutgoingStep(tx, deps, context, {
      actor,
      document: changed,
      action: 'outgoing.revoked',
      fromStatus: document.status,
      toStatus: 'revoked',
      comment: outgoing.revocationReason,
      details: { decidedBy: outgoing.revocationDecidedBy },
      notify: [
        ...internal.map((target) => ({ ...target, kind: 'outgoing.revoked' as const })),
        { kind: 'outgoing.revoked', userId: outgoing.drafterUserId },
      ],
    })
    return { status: 'revoked' as const }
  })
}
