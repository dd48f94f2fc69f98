import { and, asc, eq, inArray } from 'drizzle-orm'
import type { Executor } from '../platform/db/database.ts'
import { documentFiles, documentPages, textExtractions } from '../platform/db/schema/index.ts'

export type TextExtractionRow = typeof textExtractions.$inferSelect
export type DocumentPageRow = typeof documentPages.$inferSelect
export type NewDocumentPageRow = typeof documentPages.$inferInsert

/** Records that a file's text is waiting for the given job (a fresh run starts from nothing). */
export async function insertPendingExtraction(
  db: Executor,
  row: { fileId: string; documentId: string; jobId: string },
) {
  await db
    .insert(textExtractions)
    .values({ ...row, state: 'pending' })
    .onConflictDoUpdate({
      target: textExtractions.fileId,
      set: {
        state: 'pending',
        jobId: row.jobId,
        pagesDone: 0,
        pagesTotal: null,
        errorCode: null,
        errorMessage: null,
        updatedAt: new Date(),
      },
    })
}

/** A run has started (the row is made if the file was stored before extraction existed). */
export async function markRunning(db: Executor, row: { fileId: string; documentId: string; jobId: string }) {
  const running = { state: 'running', jobId: row.jobId, pagesDone: 0, errorCode: null, errorMessage: null }
  await db
    .insert(textExtractions)
    .values({ ...row, ...running })
    .onConflictDoUpdate({ target: textExtractions.fileId, set: { ...running, updatedAt: new Date() } })
}

/** The extraction row, locked for the rest of the transaction (one finishing run at a time per file). */
export async function lockExtraction(db: Executor, fileId: string): Promise<TextExtractionRow | undefined> {
  const [row] = await db
    .select()
    .from(textExtractions)
    .where(eq(textExtractions.fileId, fileId))
    .for('update')
  return row
}

export async function updateExtraction(
  db: Executor,
  fileId: string,
  values: Partial<Omit<typeof textExtractions.$inferInsert, 'fileId' | 'documentId'>>,
): Promise<void> {
  await db
    .update(textExtractions)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(textExtractions.fileId, fileId))
}

export async function extractionsOf(db: Executor, fileIds: string[]): Promise<TextExtractionRow[]> {
  if (fileIds.length === 0) return []
  return db.select().from(textExtractions).where(inArray(textExtractions.fileId, fileIds))
}

/** A document's extractions in the order of its files. */
export async function extractionsOfDocument(db: Executor, documentId: string): Promise<TextExtractionRow[]> {
  const rows = await db
    .select({ extraction: textExtractions })
    .from(textExtractions)
    .innerJoin(documentFiles, eq(documentFiles.id, textExtractions.fileId))
    .where(eq(textExtractions.documentId, documentId))
    .orderBy(asc(documentFiles.createdAt), asc(documentFiles.id))
  return rows.map((row) => row.extraction)
}

export async function pagesOfDocument(db: Executor, documentId: string): Promise<DocumentPageRow[]> {
  return db
    .select()
    .from(documentPages)
    .where(eq(documentPages.documentId, documentId))
    .orderBy(asc(documentPages.fileId), asc(documentPages.pageNumber))
}

/** A file's pages as a whole: the earlier run's pages go. */
export async function replacePages(db: Executor, fileId: string, pages: NewDocumentPageRow[]): Promise<void> {
  await db.delete(documentPages).where(eq(documentPages.fileId, fileId))
  // Batches keep each INSERT's parameter count far below PostgreSQL's limit on long documents.
  for (let i = 0; i < pages.length; i += 500) await db.insert(documentPages).values(pages.slice(i, i + 500))
}

/** The searchable rendition already made from a file, if any. */
export async function findSearchableRendition(db: Executor, sourceFileId: string) {
  const [row] = await db
    .select()
    .from(documentFiles)
    .where(and(eq(documentFiles.derivedFromId, sourceFileId), eq(documentFiles.role, 'searchable')))
    .limit(1)
  return row
}
