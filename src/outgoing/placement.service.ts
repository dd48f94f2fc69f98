/**
 * Đặt vị trí số, ngày: when the text layer did not show where "Số:" and the date go (a scan, an unusual
 * layout), the clerk places them on the draft before the leader signs; the PDF put forward is prepared
 * again from the draft's version with those fields (and the seal field) and the trình ký points at it.
 */
import { eq } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import type { AuditContext } from '../audit/audit.service.ts'
import { signatureRequests } from '../platform/db/schema/index.ts'
import { AppError } from '../platform/errors.ts'
import * as requestsRepository from '../signatures/requests/requests.repository.ts'
import type { DraftingDeps } from './drafting.service.ts'
import { type FieldDeps, type Placement, prepareNumberFields } from './number-fields.ts'
import { loadForAction } from './outgoing-access.ts'
import { recordOutgoingStep } from './outgoing-steps.ts'
import * as repository from './outgoing.repository.ts'

function checkPlacement(name: string, placement: Placement, pages: number | null) {
  const bad = placement.width < 8 || placement.height < 6 || placement.x < 0 || placement.y < 0
  if (bad || (pages !== null && placement.page > pages))
    throw new AppError('validation-failed', {
      status: 422,
      errors: [
        {
          field: name,
          message: 'Vị trí nằm ngoài văn bản hoặc quá nhỏ.',
          messageEn: 'The place is outside the document or too small.',
        },
      ],
    })
}

export async function placeNumberFields(
  deps: DraftingDeps & FieldDeps,
  actor: Actor,
  documentId: string,
  input: { number: Placement; date?: Placement | undefined },
  context: AuditContext,
) {
  return deps.database.db.transaction(async (tx) => {
    const loaded = await loadForAction(tx, actor, documentId, 'place-number')
    const { document } = loaded
    checkPlacement('number', input.number, document.pageCount)
    if (input.date) checkPlacement('date', input.date, document.pageCount)
    const { fileId, fields } = await prepareNumberFields(deps, tx, loaded, context, input)
    await repository.updateOutgoing(tx, document.id, { numberFields: fields })
    const pending = await requestsRepository.findPendingOfDocument(tx, document.id)
    if (pending)
      await tx.update(signatureRequests).set({ fileId }).where(eq(signatureRequests.id, pending.id))
    await recordOutgoingStep(tx, deps, context, {
      actor,
      document,
      action: 'outgoing.number-placed',
      fromStatus: document.status,
      toStatus: document.status,
      details: { fileId, fields: fields.fields.map((f) => f.role) },
    })
    return fields
  })
}
