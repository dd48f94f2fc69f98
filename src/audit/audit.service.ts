import type { Actor } from '../access/actor.ts'
import { documentVisibility } from '../access/policy.ts'
import type { Database, Executor, Tx } from '../platform/db/database.ts'
import { type ChainVerdict, ChainWalker, canonicalAroundHead } from './audit-chain.ts'
import type { SecretBox } from '../auth/secrets.ts'
import * as repository from './audit.repository.ts'
import { CheckpointPins, findingVerdict } from './checkpoints/checkpoint-verify.ts'
import { listAuditKeys, listCheckpoints } from './checkpoints/checkpoints.repository.ts'

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
  const details: Record<string, unknown> = { ...input.details }
  if (context.ip) details.ip = context.ip
  if (context.requestId) details.requestId = context.requestId
  const event = {
    occurredAt: new Date(),
    actor: context.actor,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId ?? null,
    // Round-trip through JSON so what is hashed is exactly what jsonb will give back.
    details: JSON.parse(JSON.stringify(details)) as Record<string, unknown>,
  }
  // The database takes the head, hashes and inserts in one statement: the head (the one lock every
  // writer waits for) is held through one round trip and the commit, not three.
  return repository.appendAtHead(tx, event, canonicalAroundHead(event))
}

const VERIFY_BATCH = 2000

export interface VerifyOptions {
  batchSize?: number
  /**
   * The server key: checkpoints count only when signed by an audit key it sealed (a key row someone
   * inserted behind the service's back does not open). The service always passes it.
   */
  secretBox?: SecretBox | undefined
}

/**
 * Walks the whole chain and names the first event that was changed, removed or moved, and compares it
 * with every signed checkpoint (checkpoint-verify.ts). The walk sees one consistent state while events
 * keep being appended: on PostgreSQL it runs in one REPEATABLE READ, read-only transaction (a snapshot,
 * which blocks no writer), so the head and every event are read as of one instant; on PGlite, whose
 * single connection a long transaction would hold against the whole office, the checkpoints and the
 * head are read in one short transaction and the walk stops at that head — events are only ever
 * appended after it, and the head names the last one that was committed. Reading the head and then
 * walking whatever events existed by then reported "head-mismatch" on intact data under load.
 */
export async function verifyAuditChain(database: Database, options: VerifyOptions = {}): Promise<ChainVerdict> {
  const batchSize = options.batchSize ?? VERIFY_BATCH
  if (database.kind === 'postgres') {
    return database.db.transaction(async (tx) => walkChain(tx, await readStart(tx, options), batchSize), {
      isolationLevel: 'repeatable read',
      accessMode: 'read only',
    })
  }
  const start = await database.db.transaction((tx) => readStart(tx, options))
  return walkChain(database.db, start, batchSize)
}

interface WalkStart {
  head: { lastSeq: number; lastHash: string }
  pins: ReturnType<typeof CheckpointPins.load>
}

async function readStart(db: Executor, options: VerifyOptions): Promise<WalkStart> {
  const [rows, keys] = await Promise.all([listCheckpoints(db, 0, Number.MAX_SAFE_INTEGER), listAuditKeys(db)])
  return { head: await repository.readHead(db), pins: CheckpointPins.load(rows, keys, options.secretBox) }
}

async function walkChain(db: Executor, { head, pins }: WalkStart, batchSize: number): Promise<ChainVerdict> {
  if (!(pins instanceof CheckpointPins)) return findingVerdict(pins, 0)
  const walker = new ChainWalker()
  let after = 0
  for (;;) {
    const rows = await repository.readEventsBetween(db, after, head.lastSeq, batchSize)
    for (const row of rows) {
      const event = { ...row, seq: Number(row.seq), details: row.details as Record<string, unknown> }
      const verdict = walker.accept(event)
      if (verdict) return verdict
      const finding = pins.check(event)
      if (finding) return findingVerdict(finding, walker.checked)
    }
    if (rows.length < batchSize) break
    after = Number(rows.at(-1)?.seq)
  }
  const verdict = walker.finish(head)
  if (!verdict.ok) return verdict
  const finding = pins.finish()
  return finding ? findingVerdict(finding, walker.checked) : { ...verdict, checkpoints: pins.rows.length }
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
