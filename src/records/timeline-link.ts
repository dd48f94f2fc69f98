import { eq, sql } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import type { Tx } from '../platform/db/database.ts'
import { documents, routingSteps } from '../platform/db/schema/index.ts'

export type RecordTimelineAction =
  | 'record.filed'
  | 'record.unfiled'
  | 'record.file-closed'
  | 'record.transferred'
  | 'record.hold-placed'
  | 'record.hold-lifted'
  | 'record.destroyed'

/**
 * Adds a records step (filed, closed, transferred, held, destroyed) to the document's timeline, in the
 * caller's transaction. The timeline today is the document's handling steps (routing_steps, read by
 * GET /api/documents/:id/timeline); when the generic timeline (issue 11's appendTimelineEntry) lands,
 * this one function switches to it.
 */
export async function recordTimeline(
  tx: Tx,
  actor: Actor | null,
  documentId: string,
  action: RecordTimelineAction,
  details: Record<string, unknown>,
): Promise<void> {
  const [document] = await tx.select({ status: documents.status }).from(documents).where(eq(documents.id, documentId))
  if (!document) return
  const [{ next } = { next: 1 }] = await tx
    .select({ next: sql<number>`coalesce(max(${routingSteps.seq}), 0)::int + 1` })
    .from(routingSteps)
    .where(eq(routingSteps.documentId, documentId))
  await tx.insert(routingSteps).values({
    documentId,
    seq: Number(next),
    action,
    fromStatus: document.status,
    toStatus: document.status,
    actorUserId: actor?.userId ?? null,
    actorDepartmentId: actor?.departmentId ?? null,
    comment: null,
    details,
  })
}
