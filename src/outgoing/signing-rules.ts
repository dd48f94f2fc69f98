/**
 * What the signing flow does differently for a document of the outgoing flow (ND30 Điều 15, 32; the
 * contract with issue 12 in the notes): the leader signs only once the draft is before them, and certifies
 * it (DocMDP P=2, so the number fill-in and the seal may follow and nothing else); the agency seal comes
 * only after cấp số, into the field prepared for it. Documents outside the flow sign as before. The
 * signing service calls these hooks; the status changes commit with the signature.
 */
import { eq } from 'drizzle-orm'
import type { AuditContext } from '../audit/audit.service.ts'
import type { Executor, Tx } from '../platform/db/database.ts'
import { documents } from '../platform/db/schema/index.ts'
import { AppError } from '../platform/errors.ts'
import type { Rect } from '../pades/pdf/index.ts'
import { sealFieldOf } from './number-fields.ts'
import { clerkTargets, recordOutgoingStep, type StepDeps } from './outgoing-steps.ts'
import * as repository from './outgoing.repository.ts'

export type SignatureKind = 'personal' | 'agency-seal'

export interface OutgoingSignatureRules {
  /** DocMDP permission of a certification signature (the leader's, on an unsigned PDF). */
  certify?: 2
  /** The prepared empty signature field to sign into (the seal), its page and rectangle. */
  fieldName?: string
  pageIndex?: number
  rect?: Rect
}

const refuse = (status: string, vi: string, en: string, allowed: string) =>
  new AppError('transition-not-allowed', {
    detail: `${vi} / ${en}`,
    extensions: { documentStatus: status, allowedActions: [], requiredStatus: allowed },
  })

/**
 * The rules for a signature about to be made, or undefined outside the flow. 409 when the step is out of
 * order: the leader signs in awaiting_signature; the seal needs the number (numbered).
 */
export async function outgoingSignatureRules(
  db: Executor,
  documentId: string,
  kind: SignatureKind,
  file: { signatureCount: number },
): Promise<OutgoingSignatureRules | undefined> {
  const outgoing = await repository.findOutgoing(db, documentId)
  if (!outgoing) return undefined
  const [document] = await db
    .select({ status: documents.status })
    .from(documents)
    .where(eq(documents.id, documentId))
  const status = document?.status ?? ''
  if (kind === 'personal') {
    if (status !== 'awaiting_signature')
      throw refuse(
        status,
        'Văn bản chưa được trình ký (hoặc đã ký); chỉ ký dự thảo đang chờ ký.',
        'The draft is not before its signer (or is signed already).',
        'awaiting_signature',
      )
    return file.signatureCount === 0 ? { certify: 2 } : {}
  }
  if (status !== 'numbered')
    throw refuse(
      status,
      status === 'signed'
        ? 'Văn bản chưa được cấp số; cấp số trước khi đóng dấu số.'
        : 'Văn bản không ở bước đóng dấu số.',
      status === 'signed'
        ? 'The document has no number yet: number it before the seal.'
        : 'The document is not at the seal step.',
      'numbered',
    )
  const seal = sealFieldOf(outgoing)
  return seal ? { fieldName: seal.name, pageIndex: seal.pageIndex, rect: seal.rect } : {}
}

/** A copy (bản sao) of the flow is sealed over the copied PDF even when its own file is not leader-signed. */
export async function isOutgoingCopy(db: Executor, documentId: string): Promise<boolean> {
  return Boolean((await repository.findOutgoing(db, documentId))?.copyForm)
}

/**
 * Called in the signing transaction after the signed file is stored: the leader's signature moves an
 * outgoing document to signed (the văn thư are told: chờ cấp số), the seal to sealed (chờ phát hành).
 * Answers the status change for the signature's timeline entry.
 */
export async function onOutgoingSigned(
  tx: Tx,
  deps: StepDeps,
  context: AuditContext,
  signed: { documentId: string; fileId: string; kind: SignatureKind; signerUserId: string | undefined },
): Promise<{ fromStatus: string; toStatus: string } | undefined> {
  const outgoing = await repository.findOutgoing(tx, signed.documentId)
  if (!outgoing) return undefined
  const [document] = await tx.select().from(documents).where(eq(documents.id, signed.documentId))
  if (!document) return undefined
  const to =
    signed.kind === 'personal' &&
    document.status === 'awaiting_signature' &&
    signed.signerUserId === outgoing.signerUserId
      ? 'signed'
      : signed.kind === 'agency-seal' && document.status === 'numbered'
        ? 'sealed'
        : undefined
  if (!to) return undefined
  const [changed] = await tx
    .update(documents)
    .set({ status: to, updatedAt: new Date() })
    .where(eq(documents.id, document.id))
    .returning()
  if (to === 'sealed') await repository.updateOutgoing(tx, document.id, { sealedAt: new Date() })
  await recordOutgoingStep(tx, deps, context, {
    actor: undefined,
    document: changed!,
    action: to === 'signed' ? 'outgoing.signed' : 'outgoing.sealed',
    fromStatus: document.status,
    toStatus: to,
    details: { fileId: signed.fileId },
    timeline: false,
    notify:
      to === 'signed'
        ? await clerkTargets(tx, document.agencyId!, 'outgoing.awaiting-number')
        : await clerkTargets(tx, document.agencyId!, 'outgoing.awaiting-issue'),
    except: signed.signerUserId,
  })
  return { fromStatus: document.status, toStatus: to }
}

/**
 * Called when a trình ký ends without a signature: refused by the signer, the draft goes back to its
 * drafter (returned); withdrawn, it is a draft again.
 */
export async function onSignatureRequestClosed(
  tx: Tx,
  deps: StepDeps,
  context: AuditContext,
  closed: {
    documentId: string
    outcome: 'refused' | 'withdrawn'
    actorUserId: string
    reason?: string | null
  },
): Promise<{ fromStatus: string; toStatus: string } | undefined> {
  const outgoing = await repository.findOutgoing(tx, closed.documentId)
  if (!outgoing) return undefined
  const [document] = await tx.select().from(documents).where(eq(documents.id, closed.documentId))
  if (document?.status !== 'awaiting_signature') return undefined
  const to = closed.outcome === 'refused' ? 'returned' : 'draft'
  const [changed] = await tx
    .update(documents)
    .set({ status: to, updatedAt: new Date() })
    .where(eq(documents.id, document.id))
    .returning()
  await recordOutgoingStep(tx, deps, context, {
    actor: undefined,
    document: changed!,
    action: closed.outcome === 'refused' ? 'outgoing.signature-refused' : 'outgoing.signature-withdrawn',
    fromStatus: document.status,
    toStatus: to,
    comment: closed.reason ?? null,
    timeline: false,
    except: closed.actorUserId,
  })
  return { fromStatus: document.status, toStatus: to }
}

/** The signing plan with the flow's rules applied: certification, or the prepared seal field and its place. */
export function withOutgoingRules<Plan extends { pageIndex?: number; appearance?: { rect: Rect } }>(
  plan: Plan,
  rules: OutgoingSignatureRules | undefined,
): Plan & { certify?: 2; fieldName?: string } {
  if (!rules) return plan
  const placed =
    rules.rect && plan.appearance
      ? { pageIndex: rules.pageIndex, appearance: { ...plan.appearance, rect: rules.rect } }
      : {}
  return {
    ...plan,
    ...placed,
    ...(rules.certify ? { certify: rules.certify } : {}),
    ...(rules.fieldName ? { fieldName: rules.fieldName } : {}),
  }
}

/** A draft of the outgoing flow goes before its signer through its own submit (review, fields): 409 here. */
export async function assertOutsideOutgoingFlow(db: Executor, documentId: string): Promise<void> {
  if (!(await repository.findOutgoing(db, documentId))) return
  throw new AppError('transition-not-allowed', {
    detail:
      'Dự thảo văn bản đi được trình ký bằng nút "Trình" của dự thảo (POST /api/outgoing/:id/submit). / ' +
      'An outgoing draft goes to its signer through its own submit (POST /api/outgoing/:id/submit).',
    extensions: { allowedActions: ['submit'] },
  })
}
