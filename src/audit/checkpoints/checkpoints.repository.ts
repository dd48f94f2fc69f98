import { asc, desc, gt, sql } from 'drizzle-orm'
import type { Executor, Tx } from '../../platform/db/database.ts'
import { agencies, auditCheckpoints, auditEvents, auditSigningKeys } from '../../platform/db/schema/index.ts'

export type CheckpointRow = typeof auditCheckpoints.$inferSelect
export type AuditKeyRow = typeof auditSigningKeys.$inferSelect

export async function listAuditKeys(db: Executor): Promise<AuditKeyRow[]> {
  return db.select().from(auditSigningKeys).orderBy(desc(auditSigningKeys.createdAt))
}

export async function insertAuditKey(tx: Tx, row: Omit<AuditKeyRow, 'createdAt'>): Promise<void> {
  await tx.insert(auditSigningKeys).values(row)
}

/** The name written into the audit key's certificate (the first agency; 'vanthu' before one exists). */
export async function agencyName(db: Executor): Promise<string> {
  const [agency] = await db.select({ name: agencies.name }).from(agencies).orderBy(asc(agencies.createdAt)).limit(1)
  return agency?.name ?? 'vanthu'
}

/** Call with the chain head locked: ids are then handed out one at a time. */
export async function nextCheckpointId(tx: Tx): Promise<number> {
  const [row] = await tx.select({ last: sql<number>`coalesce(max(${auditCheckpoints.id}), 0)::int` }).from(auditCheckpoints)
  return Number(row?.last ?? 0) + 1
}

export async function insertCheckpoint(tx: Tx, row: CheckpointRow): Promise<void> {
  await tx.insert(auditCheckpoints).values(row)
}

export async function lastCheckpoint(db: Executor): Promise<CheckpointRow | undefined> {
  const [row] = await db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.id)).limit(1)
  return row
}

export async function listCheckpoints(db: Executor, afterId: number, limit: number): Promise<CheckpointRow[]> {
  return db
    .select()
    .from(auditCheckpoints)
    .where(gt(auditCheckpoints.id, afterId))
    .orderBy(asc(auditCheckpoints.id))
    .limit(limit)
}

/** The action of the newest event, to tell whether anything but the last checkpoint happened since. */
export async function eventAction(db: Executor, seq: number): Promise<string | undefined> {
  const [row] = await db.select({ action: auditEvents.action }).from(auditEvents).where(sql`${auditEvents.seq} = ${seq}`)
  return row?.action
}
