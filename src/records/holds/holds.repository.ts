import { and, asc, eq, inArray, or, sql } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { legalHoldItems, legalHolds, recordFileDocuments } from '../../platform/db/schema/index.ts'

export type LegalHoldRow = typeof legalHolds.$inferSelect

/** The oldest active hold covering the hồ sơ (itself, or any document filed in it). */
export async function activeHoldOnFile(db: Executor, recordFileId: string): Promise<LegalHoldRow | undefined> {
  const [row] = await db
    .select({ hold: legalHolds })
    .from(legalHolds)
    .innerJoin(legalHoldItems, eq(legalHoldItems.holdId, legalHolds.id))
    .where(
      and(
        eq(legalHolds.status, 'active'),
        or(
          eq(legalHoldItems.recordFileId, recordFileId),
          inArray(
            legalHoldItems.documentId,
            db
              .select({ id: recordFileDocuments.documentId })
              .from(recordFileDocuments)
              .where(eq(recordFileDocuments.recordFileId, recordFileId)),
          ),
        ),
      ),
    )
    .orderBy(asc(legalHolds.placedAt))
    .limit(1)
  return row?.hold
}

/** The oldest active hold covering the document (itself, or a hồ sơ it is filed in). */
export async function activeHoldOnDocument(db: Executor, documentId: string): Promise<LegalHoldRow | undefined> {
  const [row] = await db
    .select({ hold: legalHolds })
    .from(legalHolds)
    .innerJoin(legalHoldItems, eq(legalHoldItems.holdId, legalHolds.id))
    .where(
      and(
        eq(legalHolds.status, 'active'),
        or(
          eq(legalHoldItems.documentId, documentId),
          sql`${legalHoldItems.recordFileId} in (select record_file_id from ${recordFileDocuments} where document_id = ${documentId})`,
        ),
      ),
    )
    .orderBy(asc(legalHolds.placedAt))
    .limit(1)
  return row?.hold
}
