import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { agencies, documentFiles, documents, signingSessions } from '../../platform/db/schema/index.ts'

export type SigningSessionRow = typeof signingSessions.$inferSelect

/** The newest 'signed' file of the document, else its original. */
export async function newestSignable(db: Executor, documentId: string) {
  const [file] = await db
    .select()
    .from(documentFiles)
    .where(and(eq(documentFiles.documentId, documentId), inArray(documentFiles.role, ['signed', 'original'])))
    .orderBy(desc(eq(documentFiles.role, 'signed')), desc(documentFiles.createdAt), desc(documentFiles.id))
    .limit(1)
  return file
}

/** Serialises signatures of one document: the second of two concurrent signers sees the first's file. */
export async function lockDocument(tx: Executor, documentId: string): Promise<void> {
  await tx.execute(sql`select 1 from ${documents} where ${documents.id} = ${documentId} for update`)
}

export async function insertSession(tx: Executor, values: typeof signingSessions.$inferInsert) {
  const [row] = await tx.insert(signingSessions).values(values).returning()
  return row!
}

export async function findSession(db: Executor, input: { id: string; documentId: string; userId: string }) {
  const [row] = await db
    .select()
    .from(signingSessions)
    .where(
      and(
        eq(signingSessions.id, input.id),
        eq(signingSessions.documentId, input.documentId),
        eq(signingSessions.userId, input.userId),
      ),
    )
  return row
}

/** Marks a prepared session completed; false when it was not 'prepared' any more. */
export async function completeSession(tx: Executor, id: string): Promise<boolean> {
  const done = await tx
    .update(signingSessions)
    .set({ state: 'completed', completedAt: new Date() })
    .where(and(eq(signingSessions.id, id), eq(signingSessions.state, 'prepared')))
    .returning({ id: signingSessions.id })
  return done.length > 0
}

export async function agencyName(db: Executor, agencyId: string): Promise<string | undefined> {
  const [row] = await db.select({ name: agencies.name }).from(agencies).where(eq(agencies.id, agencyId))
  return row?.name
}
