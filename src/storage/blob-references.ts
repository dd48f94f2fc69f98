import { and, eq, gt, isNull, or, sql } from 'drizzle-orm'
import type { Executor, Tx } from '../platform/db/database.ts'
import { documentFiles, recordDisposals, recordTransfers, signingSessions } from '../platform/db/schema/index.ts'

/**
 * Serialises, per blob key, the code that adds a reference with the code that removes an unreferenced
 * blob: an upload of identical bytes cannot commit a row pointing at a blob the sweep is deleting.
 */
export async function lockBlobKey(tx: Tx, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`blob:${key}`}, 0))`)
}

/** Whether any row points at the blob. Every table holding blob keys is listed here. */
export async function isBlobReferenced(db: Executor, key: string): Promise<boolean> {
  const rows = await db
    .select({ one: sql<number>`1` })
    .from(documentFiles)
    // A destroyed record's row stays as part of its tombstone but no longer keeps the bytes.
    .where(and(eq(documentFiles.blobKey, key), isNull(documentFiles.destroyedAt)))
    .limit(1)
  if (rows.length > 0) return true
  // A two-step signing session's prepared PDF, while the session can still be completed.
  const prepared = await db
    .select({ one: sql<number>`1` })
    .from(signingSessions)
    .where(
      and(
        eq(signingSessions.preparedBlobKey, key),
        eq(signingSessions.state, 'prepared'),
        gt(signingSessions.expiresAt, new Date()),
      ),
    )
    .limit(1)
  if (prepared.length > 0) return true
  // Records forms kept as PDFs: mục lục and biên bản giao nhận of transfers, decisions and biên bản hủy.
  const forms = await db
    .select({ one: sql<number>`1` })
    .from(recordTransfers)
    .where(or(eq(recordTransfers.inventoryBlobKey, key), eq(recordTransfers.receiptBlobKey, key)))
    .union(
      db
        .select({ one: sql<number>`1` })
        .from(recordDisposals)
        .where(or(eq(recordDisposals.decisionBlobKey, key), eq(recordDisposals.certificateBlobKey, key))),
    )
    .limit(1)
  return forms.length > 0
}
