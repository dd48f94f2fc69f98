import type { AuditContext } from '../../audit/audit.service.ts'
import { appendAuditEvent } from '../../audit/audit.service.ts'
import type { Executor, Tx } from '../../platform/db/database.ts'
import * as repository from './requests.repository.ts'
import { notifySignatureEvent, type RequestNotifyDeps } from './requests.notify.ts'

/**
 * Called in the signing transaction after a signed file is stored: a pending trình ký for the signer
 * is settled in the same transaction as the signature. A personal signature by someone else than the
 * named signer leaves the request pending; the agency seal tells the requester of the signed request.
 */
export async function onDocumentSigned(
  tx: Executor,
  deps: RequestNotifyDeps,
  context: AuditContext,
  signed: { documentId: string; fileId: string; kind: 'personal' | 'agency-seal' },
): Promise<void> {
  const userId = /^user:(.+)$/.exec(context.actor)?.[1]
  if (!userId) return
  if (signed.kind === 'agency-seal') return sealed(tx, deps, userId, signed.documentId)
  const pending = await repository.findPendingOfDocument(tx, signed.documentId)
  if (pending?.signerId !== userId) return
  await repository.decide(tx, pending.id, { state: 'signed', signedFileId: signed.fileId })
  await appendAuditEvent(tx as Tx, context, {
    action: 'signature.request-signed',
    targetType: 'document',
    targetId: signed.documentId,
    details: { signatureRequestId: pending.id, fileId: signed.fileId, requestedFileId: pending.fileId },
  })
  await notifySignatureEvent(tx, deps, {
    kind: 'signature.signed',
    userId: pending.requestedBy,
    actorUserId: userId,
    documentId: signed.documentId,
    lead: `${(await repository.fullNameOf(tx, userId)) ?? 'Lãnh đạo'} đã ký, chờ đóng dấu, ban hành`,
  })
}

async function sealed(
  tx: Executor,
  deps: RequestNotifyDeps,
  userId: string,
  documentId: string,
): Promise<void> {
  const request = await repository.latestSigned(tx, documentId)
  if (!request) return
  await notifySignatureEvent(tx, deps, {
    kind: 'signature.sealed',
    userId: request.requestedBy,
    actorUserId: userId,
    documentId,
    lead: `${(await repository.fullNameOf(tx, userId)) ?? 'Văn thư'} đã đóng dấu số`,
  })
}
