/** Loading an outgoing document as the actor may see it, with what the state machine needs. */
import { and, eq } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import { documentVisibility } from '../access/policy.ts'
import type { DocumentRow } from '../documents/documents.repository.ts'
import type { Executor, Tx } from '../platform/db/database.ts'
import { documents } from '../platform/db/schema/index.ts'
import { AppError } from '../platform/errors.ts'
import { isUuid } from '../platform/ids.ts'
import { type ActionContext, type OutgoingActionName, assertAction } from './outgoing-machine.ts'
import * as repository from './outgoing.repository.ts'

export interface LoadedOutgoing {
  document: DocumentRow
  outgoing: repository.OutgoingRow
  context: ActionContext
}

/**
 * The document (visible to the actor: 404 otherwise, as every document route answers) and its outgoing
 * row; `lock` takes the document row's lock for the rest of the transaction. A document outside the
 * outgoing flow answers 404 here too.
 */
export async function loadOutgoing(
  db: Executor,
  actor: Actor,
  documentId: string,
  options: { lock?: boolean } = {},
): Promise<LoadedOutgoing> {
  if (!isUuid(documentId)) throw new AppError('not-found')
  const query = db
    .select()
    .from(documents)
    .where(and(eq(documents.id, documentId), documentVisibility(actor, 'metadata')))
  const [document] = options.lock ? await query.for('update') : await query
  if (!document) throw new AppError('not-found')
  const outgoing = await repository.findOutgoing(db, document.id)
  if (!outgoing) throw new AppError('not-found', { detail: 'Not a document of the outgoing flow.' })
  const [openable] = await db
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.id, documentId), documentVisibility(actor, 'content')))
  const pendingReview = await repository.pendingReview(db, document.id)
  return {
    document,
    outgoing,
    context: { status: document.status, outgoing, pendingReview, canOpen: Boolean(openable) },
  }
}

/** loadOutgoing with the lock, then the action checked (409 with the allowed ones, or 403). */
export async function loadForAction(
  tx: Tx,
  actor: Actor,
  documentId: string,
  action: OutgoingActionName,
): Promise<LoadedOutgoing> {
  const loaded = await loadOutgoing(tx, actor, documentId, { lock: true })
  assertAction(actor, loaded.context, action)
  return loaded
}
