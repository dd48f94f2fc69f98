import type { Actor } from '../access/actor.ts'
import { documentVisibility } from '../access/policy.ts'
import type { Database, Executor, Tx } from '../platform/db/database.ts'
import { type ChainVerdict, ChainWalker, hashEvent } from './audit-chain.ts'
import * as repository from './audit.repository.ts'

/** Who did something, and from where: carried from the request (or job) into every audit event. */
export interface AuditContext {
  /** `user:<id>`, `system`, `job:<name>` or `anonymous`. */
  actor: string
  ip?: string | undefined
  requestId?: string | undefined
  userAgent?: string | undefined
}

export interface AuditEventInput {
  action: string
  targetType: string
  targetId?: string | null
  details?: Record<string, unknown>
}

export const SYSTEM_CONTEXT: AuditContext = Object.freeze({ actor: 'system' })

/**
 * Appends one event to the hash chain. Must run inside the transaction of the change it records, so
 * the change and its event commit or roll back together.
 */
export async function appendAuditEvent(
  tx: Tx,
  context: AuditContext,
  input: AuditEventInput,
): Promise<{ seq: number; hash: string }> {
  const head = await repository.lockHead(tx)
  const details: Record<string, unknown> = { ...input.details }
  if (context.ip) details.ip = context.ip
  if (context.requestId) details.requestId = context.requestId
  const event = {
    seq: head.lastSeq + 1,
    occurredAt: new Date(),
    actor: context.actor,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId ?? null,
    // Round-trip through JSON so what is hashed is exactly what jsonb will give back.
    details: JSON.parse(JSON.stringify(details)) as Record<string, unknown>,
    prevHash: head.lastHash,
  }
  const hash = hashEvent(event)
  await repository.insertEventAndMoveHead(tx, { ...event, hash })
  return { seq: event.seq, hash }
}

const VERIFY_BATCH = 2000

/**
 * Walks the whole chain and names the first event that was changed, removed or moved. The walk sees
 * one consistent state while events keep being appended: on PostgreSQL it runs in one REPEATABLE READ,
 * read-only transaction (a snapshot, which blocks no writer), so the head and every event are read as
 * of one instant; on PGlite, whose single connection a long transaction would hold against the whole
 * office, it stops at the head read first — events are only ever appended after it, and the head names
 * the last one that was committed. Reading the head and then walking whatever events existed by then
 * reported "head-mismatch" on intact data under load.
 */
export async function verifyAuditChain(database: Database, options: { batchSize?: number } = {}): Promise<ChainVerdict> {
  const batchSize = options.batchSize ?? VERIFY_BATCH
  if (database.kind === 'postgres') {
    return database.db.transaction((tx) => walkChain(tx, batchSize), { isolationLevel: 'repeatable read', accessMode: 'read only' })
  }
  return walkChain(database.db, batchSize)
}

async function walkChain(db: Executor, batchSize: number): Promise<ChainVerdict> {
  const head = await repository.readHead(db)
  const walker = new ChainWalker()
  let after = 0
  for (;;) {
    const rows = await repository.readEventsBetween(db, after, head.lastSeq, batchSize)
    for (const row of rows) {
      const verdict = walker.accept({
        ...row,
        seq: Number(row.seq),
        details: row.details as Record<string, unknown>,
      })
      if (verdict) return verdict
    }
    if (rows.length < batchSize) break
    after = Number(rows.at(-1)?.seq)
  }
  return walker.finish(head)
}

/** Audit events, newest first; events about documents the actor may not know of are left out. */
export async function listAuditEvents(
  db: Executor,
  actor: Actor,
  filter: { targetType?: string | undefined; targetId?: string | undefined; beforeSeq?: number | undefined },
  limit = 50,
) {
  const rows = await repository.listEvents(db, { ...filter, documentVisible: documentVisibility(actor, 'metadata') }, limit)
  return rows.map((row) => ({ ...row, seq: Number(row.seq), occurredAt: row.occurredAt.toISOString() }))
}
