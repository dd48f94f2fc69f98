import { and, asc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import {
  agencies,
  departments,
  documentFiles,
  documents,
  filePlans,
  legalHoldItems,
  legalHolds,
  recordFileDocuments,
  recordFiles,
  users,
} from '../../platform/db/schema/index.ts'

export type RecordFileRow = typeof recordFiles.$inferSelect
export type NewRecordFileRow = typeof recordFiles.$inferInsert
export type FilePlanRow = typeof filePlans.$inferSelect

export async function findPlan(db: Executor, agencyId: string, year: number): Promise<FilePlanRow | undefined> {
  const [row] = await db.select().from(filePlans).where(and(eq(filePlans.agencyId, agencyId), eq(filePlans.year, year)))
  return row
}

export async function listPlans(db: Executor, agencyId: string) {
  return db
    .select({
      plan: filePlans,
      fileCount: sql<number>`(select count(*)::int from ${recordFiles} where ${recordFiles.planId} = ${filePlans.id})`,
    })
    .from(filePlans)
    .where(eq(filePlans.agencyId, agencyId))
    .orderBy(sql`${filePlans.year} desc`)
}

export async function insertPlan(db: Executor, row: typeof filePlans.$inferInsert): Promise<FilePlanRow> {
  const [inserted] = await db.insert(filePlans).values(row).returning()
  return inserted!
}

export async function insertRecordFile(db: Executor, row: NewRecordFileRow): Promise<RecordFileRow> {
  const [inserted] = await db.insert(recordFiles).values(row).returning()
  return inserted!
}

export async function updateRecordFile(db: Executor, id: string, values: Partial<NewRecordFileRow>): Promise<RecordFileRow> {
  const [row] = await db
    .update(recordFiles)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(recordFiles.id, id))
    .returning()
  return row!
}

/** A hồ sơ of the agency, locked for the rest of the transaction when `lock` is set. */
export async function findRecordFile(db: Executor, agencyId: string, id: string, lock = false) {
  const query = db
    .select()
    .from(recordFiles)
    .where(and(eq(recordFiles.id, id), eq(recordFiles.agencyId, agencyId)))
  const [row] = lock ? await query.for('update') : await query
  return row
}

export interface RecordFileFilter {
  agencyId: string
  /** Condition limiting the hồ sơ the caller may see. */
  visible?: SQL | undefined
  year?: number | undefined
  departmentId?: string | undefined
  status?: readonly string[] | undefined
  planId?: string | undefined
  /** Words of the title, code or notation (accents ignored). */
  q?: string | undefined
  /** true = under an active hold, false = not. */
  held?: boolean | undefined
  permanent?: boolean | undefined
  retentionYears?: number | undefined
}

/** Whether an active legal hold covers the hồ sơ (directly or through one of its documents). */
export function heldCondition(): SQL {
  return sql`exists (select 1 from ${legalHoldItems} i join ${legalHolds} h on h.id = i.hold_id
    where h.status = 'active' and (i.record_file_id = ${recordFiles.id} or i.document_id in
      (select d.document_id from ${recordFileDocuments} d where d.record_file_id = ${recordFiles.id})))`
}

export async function listRecordFiles(db: Executor, filter: RecordFileFilter, limit = 500) {
  const folded = (value: SQL | string) => sql`lower(public.unaccent('public.unaccent'::regdictionary, ${value}))`
  const words = filter.q?.normalize('NFC').trim().split(/\s+/).filter(Boolean) ?? []
  const conditions: (SQL | undefined)[] = [
    eq(recordFiles.agencyId, filter.agencyId),
    filter.visible,
    filter.year ? eq(recordFiles.year, filter.year) : undefined,
    filter.departmentId ? eq(recordFiles.departmentId, filter.departmentId) : undefined,
    filter.status?.length ? inArray(recordFiles.status, [...filter.status]) : undefined,
    filter.planId ? eq(recordFiles.planId, filter.planId) : undefined,
    filter.permanent !== undefined ? eq(recordFiles.permanent, filter.permanent) : undefined,
    filter.retentionYears ? eq(recordFiles.retentionYears, filter.retentionYears) : undefined,
    filter.held === true ? heldCondition() : filter.held === false ? sql`not ${heldCondition()}` : undefined,
    ...words.map(
      (word) =>
        sql`${folded(sql`${recordFiles.title} || ' ' || ${recordFiles.fileCode} || ' ' || coalesce(${recordFiles.keywords}, '')`)} like ${folded(`%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`,
    ),
  ]
  return db
    .select({
      file: recordFiles,
      departmentName: departments.name,
      keeperName: users.fullName,
      held: sql<boolean>`${heldCondition()}`,
      filedCount: sql<number>`(select count(*)::int from ${recordFileDocuments} d where d.record_file_id = ${recordFiles.id})`,
    })
    .from(recordFiles)
    .leftJoin(departments, eq(departments.id, recordFiles.departmentId))
    .leftJoin(users, eq(users.id, recordFiles.keeperUserId))
    .where(and(...conditions))
    .orderBy(asc(recordFiles.year), asc(recordFiles.heading), asc(recordFiles.notation))
    .limit(limit)
}

/**
 * The documents of a hồ sơ in the order of its mục lục văn bản: the frozen ordinal once closed,
 * otherwise by date (văn bản date, else arrival), then number, then when it was filed.
 */
export async function documentsOf(db: Executor, recordFileId: string, visible?: SQL) {
  return db
    .select({ filed: recordFileDocuments, document: documents })
    .from(recordFileDocuments)
    .innerJoin(documents, eq(documents.id, recordFileDocuments.documentId))
    .where(and(eq(recordFileDocuments.recordFileId, recordFileId), visible))
    .orderBy(
      asc(recordFileDocuments.ordinal),
      sql`coalesce(${documents.issuedDate}, ${documents.arrivalDate}, (${documents.createdAt} at time zone 'Asia/Ho_Chi_Minh')::date)`,
      sql`nullif(regexp_replace(coalesce(${documents.codeNumber}, ''), '\\D', '', 'g'), '')::bigint nulls last`,
      asc(recordFileDocuments.filedAt),
      asc(documents.id),
    )
}

/** The current files of documents (not destroyed), oldest first. */
export async function liveFilesOf(db: Executor, documentIds: string[]) {
  if (documentIds.length === 0) return []
  return db
    .select()
    .from(documentFiles)
    .where(and(inArray(documentFiles.documentId, documentIds), isNull(documentFiles.destroyedAt)))
    .orderBy(asc(documentFiles.createdAt), asc(documentFiles.id))
}

export async function agencyOf(db: Executor, agencyId: string) {
  const [agency] = await db.select().from(agencies).where(eq(agencies.id, agencyId))
  return agency!
}

/** The hồ sơ a document is filed in. */
export async function filesOfDocument(db: Executor, documentId: string) {
  return db
    .select({ id: recordFiles.id, fileCode: recordFiles.fileCode, title: recordFiles.title, status: recordFiles.status })
    .from(recordFileDocuments)
    .innerJoin(recordFiles, eq(recordFiles.id, recordFileDocuments.recordFileId))
    .where(eq(recordFileDocuments.documentId, documentId))
    .orderBy(asc(recordFiles.fileCode))
}

/** The names a hồ sơ's page prints: its department's and its keeper's. */
export async function namesOfFile(db: Executor, file: Pick<RecordFileRow, 'departmentId' | 'keeperUserId'>) {
  const [department] = file.departmentId ? await db.select({ name: departments.name }).from(departments).where(eq(departments.id, file.departmentId)) : []
  const [keeper] = file.keeperUserId ? await db.select({ name: users.fullName }).from(users).where(eq(users.id, file.keeperUserId)) : []
  return { departmentName: department?.name ?? null, keeperName: keeper?.name ?? null }
}
