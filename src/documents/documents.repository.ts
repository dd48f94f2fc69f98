import { and, asc, desc, eq, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm'
import type { Executor } from '../platform/db/database.ts'
import { documentFiles, documents } from '../platform/db/schema/index.ts'

export type DocumentRow = typeof documents.$inferSelect
export type DocumentFileRow = typeof documentFiles.$inferSelect
export type NewDocumentRow = typeof documents.$inferInsert
export type NewDocumentFileRow = typeof documentFiles.$inferInsert

export async function insertDocument(db: Executor, row: NewDocumentRow): Promise<DocumentRow> {
  const [inserted] = await db.insert(documents).values(row).returning()
  return inserted!
}

export async function insertFile(db: Executor, row: NewDocumentFileRow): Promise<DocumentFileRow> {
  const [inserted] = await db.insert(documentFiles).values(row).returning()
  return inserted!
}

export async function updateDocument(db: Executor, id: string, values: Partial<NewDocumentRow>): Promise<DocumentRow> {
  const [row] = await db.update(documents).set({ ...values, updatedAt: new Date() }).where(eq(documents.id, id)).returning()
  return row!
}

/** A document by id, only if `visible` (the access policy's condition) holds for it. */
export async function findDocument(db: Executor, id: string, visible?: SQL): Promise<DocumentRow | undefined> {
  const [row] = await db.select().from(documents).where(and(eq(documents.id, id), visible))
  return row
}

export async function filesOf(db: Executor, documentIds: string[]): Promise<DocumentFileRow[]> {
  if (documentIds.length === 0) return []
  return db
    .select()
    .from(documentFiles)
    .where(inArray(documentFiles.documentId, documentIds))
    .orderBy(asc(documentFiles.createdAt), asc(documentFiles.id))
}

/** A file row as documentsWithFiles reads it: JSON, so its timestamps come as text. */
type FileJson = Omit<DocumentFileRow, 'createdAt' | 'destroyedAt'> & { createdAt: string; destroyedAt: string | null }

/**
 * The documents of `ids` for which `visible` holds, each with its files (filesOf's order), in one
 * statement: a page of search hits is read in one round trip.
 */
export async function documentsWithFiles(
  db: Executor,
  ids: string[],
  visible?: SQL,
): Promise<(DocumentRow & { files: DocumentFileRow[] })[]> {
  if (ids.length === 0) return []
  const rows = await db
    .select({
      document: documents,
      // Written out (drizzle renders a column of a subquery's table unqualified, which would bind to the
      // wrong table here): the row shape of DocumentFileRow.
      files: sql<FileJson[]>`coalesce((select json_agg(json_build_object(
        'id', f.id, 'documentId', f.document_id, 'role', f.role, 'derivedFromId', f.derived_from_id,
        'fileName', f.file_name, 'mediaType', f.media_type, 'size', f.size, 'sha256', f.sha256,
        'blobKey', f.blob_key, 'pageCount', f.page_count, 'signatureCount', f.signature_count,
        'createdBy', f.created_by, 'createdAt', f.created_at, 'destroyedAt', f.destroyed_at
      ) order by f.created_at, f.id) from document_files f where f.document_id = "documents"."id"), '[]'::json)`,
    })
    .from(documents)
    .where(and(inArray(documents.id, ids), visible))
  return rows.map(({ document, files }) => ({
    ...document,
    files: (typeof files === 'string' ? (JSON.parse(files) as FileJson[]) : files).map((file) => ({
      ...file,
      createdAt: new Date(file.createdAt),
      destroyedAt: file.destroyedAt === null ? null : new Date(file.destroyedAt),
    })),
  }))
}

export async function findFile(
  db: Executor,
  documentId: string,
  fileId: string,
  visible?: SQL,
): Promise<DocumentFileRow | undefined> {
  const [row] = await db
    .select({ file: documentFiles })
    .from(documentFiles)
    .innerJoin(documents, eq(documents.id, documentFiles.documentId))
    .where(and(eq(documentFiles.documentId, documentId), eq(documentFiles.id, fileId), visible))
  return row?.file
}

export async function updateFilePageCount(db: Executor, fileId: string, pageCount: number): Promise<void> {
  await db.update(documentFiles).set({ pageCount }).where(eq(documentFiles.id, fileId))
}

/** Sets the document's page count from its file unless a clerk already entered one. */
export async function fillDocumentPageCount(db: Executor, documentId: string, pageCount: number): Promise<boolean> {
  const updated = await db
    .update(documents)
    .set({ pageCount, updatedAt: new Date() })
    .where(and(eq(documents.id, documentId), isNull(documents.pageCount)))
    .returning({ id: documents.id })
  return updated.length > 0
}

export interface DocumentListFilter {
  /** The access policy's condition: only rows it holds for are listed. */
  visible: SQL
  direction?: 'incoming' | 'outgoing' | undefined
  status?: string | undefined
  kind?: string | undefined
  codeNumber?: string | undefined
  /** Extra condition (e.g. "awaiting my action" from routing). */
  extra?: SQL | undefined
  /** Keyset cursor: the last row of the previous page. */
  after?: { createdAt: Date; id: string } | undefined
}

/** Newest first, keyset-paginated on (created_at, id) so pages stay stable while rows are added. */
export async function listDocuments(db: Executor, filter: DocumentListFilter, limit: number): Promise<DocumentRow[]> {
  const conditions: (SQL | undefined)[] = [
    filter.visible,
    filter.extra,
    filter.direction ? eq(documents.direction, filter.direction) : undefined,
    filter.status ? eq(documents.status, filter.status) : undefined,
    filter.kind ? eq(documents.kind, filter.kind) : undefined,
    filter.codeNumber ? eq(documents.codeNumber, filter.codeNumber) : undefined,
    filter.after
      ? or(
          lt(documents.createdAt, filter.after.createdAt),
          and(eq(documents.createdAt, filter.after.createdAt), lt(documents.id, filter.after.id)),
        )
      : undefined,
  ]
  return db
    .select()
    .from(documents)
    .where(and(...conditions))
    .orderBy(desc(documents.createdAt), desc(documents.id))
    .limit(limit)
}
