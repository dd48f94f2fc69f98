import { and, asc, desc, eq, gt, lt, lte, type SQL, sql } from 'drizzle-orm'
import { type Executor, resultRows, type Tx } from '../platform/db/database.ts'
import { auditEvents, auditHead, documents } from '../platform/db/schema/index.ts'

export type AuditEventRow = typeof auditEvents.$inferSelect

/** Locks the chain head for the rest of the transaction: concurrent appenders queue here, never fork. */
export async function lockHead(tx: Tx): Promise<{ lastSeq: number; lastHash: string }> {
  const [head] = await tx
    .select({ lastSeq: auditHead.lastSeq, lastHash: auditHead.lastHash })
    .from(auditHead)
    .where(eq(auditHead.id, 1))
    .for('update')
  if (!head) throw new Error('audit_head row is missing: migrations not applied')
  return { lastSeq: Number(head.lastSeq), lastHash: head.lastHash }
}

/**
 * Appends one event at the head in one statement: locks the head, numbers the event after it, hashes
 * `around.before` + prev hash + `around.middle` + seq + `around.after` (the event's canonical JSON) with
 * the database's SHA-256, inserts the event and moves the head.
 */
export async function appendAtHead(
  tx: Tx,
  event: Pick<AuditEventRow, 'occurredAt' | 'actor' | 'action' | 'targetType' | 'targetId' | 'details'>,
  around: { before: string; middle: string; after: string },
): Promise<{ seq: number; hash: string }> {
  const rows = resultRows<{ seq: string | number; hash: string }>(
    await tx.execute(sql`
      with head as (
        select last_seq + 1 as seq, last_hash as prev_hash from ${auditHead} where id = 1 for update
      ), event as (
        select seq, prev_hash,
          encode(sha256(convert_to(${around.before} || prev_hash || ${around.middle} || seq::text || ${around.after}, 'UTF8')), 'hex') as hash
        from head
      ), inserted as (
        insert into ${auditEvents} (seq, occurred_at, actor, action, target_type, target_id, details, prev_hash, hash)
        select seq, ${event.occurredAt.toISOString()}::timestamptz, ${event.actor}, ${event.action}, ${event.targetType},
          ${event.targetId}, ${JSON.stringify(event.details)}::jsonb, prev_hash, hash
        from event
        returning seq, hash
      )
      update ${auditHead} set last_seq = inserted.seq, last_hash = inserted.hash, updated_at = now()
      from inserted where ${auditHead}.id = 1
      returning inserted.seq, inserted.hash`),
  )
  const [row] = rows
  if (!row) throw new Error('audit_head row is missing: migrations not applied')
  return { seq: Number(row.seq), hash: row.hash }
}

export async function readHead(db: Executor): Promise<{ lastSeq: number; lastHash: string }> {
  const [head] = await db.select().from(auditHead).where(eq(auditHead.id, 1))
  return { lastSeq: Number(head?.lastSeq ?? 0), lastHash: head?.lastHash ?? '' }
}

/** Events with afterSeq < seq <= upToSeq, in order, at most `limit`. */
export async function readEventsBetween(db: Executor, afterSeq: number, upToSeq: number, limit: number): Promise<AuditEventRow[]> {
  return db
    .select()
    .from(auditEvents)
    .where(and(gt(auditEvents.seq, afterSeq), lte(auditEvents.seq, upToSeq)))
    .orderBy(asc(auditEvents.seq))
    .limit(limit)
}

export async function listEvents(
  db: Executor,
  filter: {
    targetType?: string | undefined
    targetId?: string | undefined
    beforeSeq?: number | undefined
    /** Events about documents for which this condition does not hold are left out (secret documents). */
    documentVisible?: SQL | undefined
  },
  limit: number,
): Promise<AuditEventRow[]> {
  const hiddenDocument = filter.documentVisible
    ? sql`exists (select 1 from ${documents} where ${documents.id}::text = ${auditEvents.targetId} and not (${filter.documentVisible}))`
    : undefined
  const conditions = [
    hiddenDocument ? sql`not (${auditEvents.targetType} = 'document' and ${hiddenDocument})` : undefined,
    filter.targetType ? eq(auditEvents.targetType, filter.targetType) : undefined,
    filter.targetId ? eq(auditEvents.targetId, filter.targetId) : undefined,
    filter.beforeSeq ? lt(auditEvents.seq, filter.beforeSeq) : undefined,
  ]
  return db
    .select()
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(desc(auditEvents.seq))
    .limit(limit)
}
