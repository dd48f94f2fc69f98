import type { Actor } from '../access/actor.ts'
import type { Tx } from '../platform/db/database.ts'
import { appendTimelineEntry } from '../timeline/timeline.ts'

export type RecordTimelineAction =
  | 'record-filed'
  | 'record-unfiled'
  | 'record-file-closed'
  | 'record-transferred'
  | 'record-hold-placed'
  | 'record-hold-lifted'
  | 'record-destroyed'

/**
 * Adds a records step (filed, closed, transferred, held, destroyed) to the document's timeline, in the
 * caller's transaction, through the generic timeline.
 */
export async function recordTimeline(
  tx: Tx,
  actor: Actor | null,
  documentId: string,
  action: RecordTimelineAction,
  details: Record<string, unknown>,
): Promise<void> {
  await appendTimelineEntry(tx, {
    documentId,
    action,
    actor: actor ? { userId: actor.userId, departmentId: actor.departmentId } : 'system',
    details,
  })
}
