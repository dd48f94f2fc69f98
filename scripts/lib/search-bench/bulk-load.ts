/**
 * The benchmark's bulk path: writes synthetic documents with multi-row INSERTs into the same tables, in
 * the same shape, as the write path does (registration, text extraction, routing, grants), then builds the
 * search index with the very code the search.sync job runs (projectDocuments + engine.upsert). Registering
 * 100,000 documents one by one through the API would take hours on two cores; this takes minutes.
 * test/integration/search-bench-bulk-path.test.ts checks, on a sample, that both paths give the same rows.
 *
 * Not written here (search never reads them): audit events, routing steps, notifications, jobs and file
 * bytes (document_files rows point at content addresses that hold no blob: a benchmark database is not
 * one to run `npm run blobs:check` on).
 */
import { createHash, randomUUID } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import type { Database, Executor } from '../../../src/platform/db/database.ts'
import {
  documentFiles,
  documentGrants,
  documentPages,
  documentParticipants,
  documents,
  issuingAgencies,
  registerCounters,
  textExtractions,
} from '../../../src/platform/db/schema/index.ts'
import { registerFor } from '../../../src/registers/registers.service.ts'
import type { SearchEngine } from '../../../src/search/search-engine.ts'
import { projectDocuments } from '../../../src/search/search-projection.ts'
import { blobKeyFor } from '../../../src/storage/blob-store.ts'
import type { DepartmentKey, SyntheticDocument, SyntheticRecipient } from './generator.ts'

/** Who the documents belong to: ids of the agency, its departments and its users (by generator key). */
export interface BenchAgency {
  agencyId: string
  departments: Record<DepartmentKey, string>
  users: Record<string, { id: string; departmentId: string | null }>
}

type DocumentRow = typeof documents.$inferInsert
type ParticipantRow = typeof documentParticipants.$inferInsert

/** What the write path's status is once the document's routing steps ran (routing-machine.ts). */
export function statusAfterRouting(document: SyntheticDocument): string {
  const routing = document.routing
  if (!routing) return 'registered'
  if (!routing.direction) return 'submitted'
  if (routing.progress === 'completed') return 'completed'
  return routing.progress === 'started' ? 'in_progress' : 'assigned'
}

/** The sha256 the benchmark gives document n's file (unique per seed and n: no duplicate detection). */
export function syntheticSha256(seed: number, n: number): string {
  return createHash('sha256').update(`vanthu-search-bench ${seed} ${n}`).digest('hex')
}

/** Register-and-year counters, continued from what the database holds (a kept instance grows). */
class Numbering {
  private readonly next = new Map<string, number>()
  constructor(private readonly db: Executor) {}

  async take(registerId: string, year: number): Promise<number> {
    const key = `${registerId}:${year}`
    let last = this.next.get(key)
    if (last === undefined) {
      const [row] = await this.db
        .select({ last: registerCounters.lastNumber })
        .from(registerCounters)
        .where(and(eq(registerCounters.registerId, registerId), eq(registerCounters.year, year)))
      last = row?.last ?? 0
    }
    this.next.set(key, last + 1)
    return last + 1
  }

  /** Writes the counters so that the write path continues after the bulk-loaded numbers. */
  async save(tx: Executor): Promise<void> {
    for (const [key, last] of this.next) {
      const [registerId, year] = key.split(':') as [string, string]
      await tx
        .insert(registerCounters)
        .values({ registerId, year: Number(year), lastNumber: last })
        .onConflictDoUpdate({
          target: [registerCounters.registerId, registerCounters.year],
          set: { lastNumber: sql`greatest(${registerCounters.lastNumber}, excluded.last_number)` },
        })
    }
  }
}

export interface BulkLoader {
  /** Writes the documents' rows (one transaction per call) and answers their ids, in order. */
  load(batch: SyntheticDocument[]): Promise<string[]>
}

export async function bulkLoader(database: Database, agency: BenchAgency, seed: number): Promise<BulkLoader> {
  const registers = await database.db.transaction(async (tx) => ({
    open: await registerFor(tx, agency.agencyId, 'incoming', false),
    secret: await registerFor(tx, agency.agencyId, 'incoming', true),
  }))
  const numbering = new Numbering(database.db)
  const userId = (key: string) => {
    const user = agency.users[key]
    if (!user) throw new Error(`bench: no user ${key}`)
    return user.id
  }
  const recipient = (r: SyntheticRecipient) =>
    r.user ? { userId: userId(r.user), departmentId: null } : { userId: null, departmentId: agency.departments[r.department!] }
  const clerk = agency.users.clerk!

  return {
    async load(batch) {
      const documentRows: DocumentRow[] = []
      const files: (typeof documentFiles.$inferInsert)[] = []
      const extractions: (typeof textExtractions.$inferInsert)[] = []
      const pages: (typeof documentPages.$inferInsert)[] = []
      const participants: ParticipantRow[] = []
      const grants: (typeof documentGrants.$inferInsert)[] = []
      const issuers = new Map<string, number>()
      for (const synthetic of batch) {
        const id = randomUUID()
        const fileId = randomUUID()
        const register = synthetic.secrecy > 0 ? registers.secret : registers.open
        const year = Number(synthetic.arrivalDate.slice(0, 4))
        const direction = synthetic.routing?.direction
        documentRows.push({
          id,
          direction: 'incoming',
          status: statusAfterRouting(synthetic),
          kind: synthetic.kind,
          kindCode: synthetic.kindCode,
          codeNumber: synthetic.codeNumber,
          codeNotation: synthetic.codeNotation,
          issuedDate: synthetic.issuedDate,
          issuerName: synthetic.issuerName,
          subject: synthetic.subject,
          signerName: synthetic.signerName,
          signerPosition: synthetic.signerPosition,
          urgency: synthetic.urgency,
          secrecy: synthetic.secrecy,
          dueDate: direction?.deadline ?? null,
          arrivalDate: synthetic.arrivalDate,
          arrivalNumber: await numbering.take(register.id, year),
          registerId: register.id,
          registerYear: year,
          agencyId: agency.agencyId,
          ownerDepartmentId: clerk.departmentId,
          createdBy: `user:${clerk.id}`,
        })
        const sha256 = syntheticSha256(seed, synthetic.n)
        files.push({
          id: fileId,
          documentId: id,
          role: 'original',
          fileName: synthetic.fileName,
          mediaType: 'application/pdf',
          size: 40_000 + synthetic.pages.length * 20_000,
          sha256,
          blobKey: blobKeyFor(sha256),
          pageCount: synthetic.pages.length,
          signatureCount: synthetic.signed ? 1 : 0,
          createdBy: `user:${clerk.id}`,
        })
        const ocr = synthetic.pages.filter((page) => page.engine === 'ocr')
        extractions.push({
          fileId,
          documentId: id,
          state: 'done',
          pagesTotal: synthetic.pages.length,
          pagesDone: synthetic.pages.length,
          ocrPages: ocr.length,
          meanConfidence: ocr.length > 0 ? ocr.reduce((sum, page) => sum + page.confidence!, 0) / ocr.length : null,
        })
        for (const [index, page] of synthetic.pages.entries()) {
          const { text, engine, confidence } = page
          pages.push({ fileId, documentId: id, pageNumber: index + 1, text, engine, confidence })
        }
        participants.push(...participantsOf(id, synthetic, userId, recipient))
        if (synthetic.secrecy > 0) grants.push({ documentId: id, userId: clerk.id, grantedBy: clerk.id })
        for (const key of synthetic.grants) grants.push({ documentId: id, userId: userId(key), grantedBy: userId('leader') })
        issuers.set(synthetic.issuerName, (issuers.get(synthetic.issuerName) ?? 0) + 1)
      }
      await database.db.transaction(async (tx) => {
        await insertChunks(tx, documents, documentRows, 400)
        await insertChunks(tx, documentFiles, files, 1000)
        await insertChunks(tx, textExtractions, extractions, 1000)
        await insertChunks(tx, documentPages, pages, 500)
        await insertChunks(tx, documentParticipants, participants, 1000)
        await insertChunks(tx, documentGrants, grants, 1000)
        for (const [name, uses] of issuers) {
          await tx
            .insert(issuingAgencies)
            .values({ agencyId: agency.agencyId, name, uses })
            .onConflictDoUpdate({
              target: [issuingAgencies.agencyId, issuingAgencies.name],
              set: { uses: sql`${issuingAgencies.uses} + ${uses}`, lastUsedAt: sql`now()` },
            })
        }
        await numbering.save(tx)
      })
      return documentRows.map((row) => row.id!)
    },
  }
}

/** The participant rows the routing steps (submit, direct, start, complete) leave, in their order. */
function participantsOf(
  documentId: string,
  synthetic: SyntheticDocument,
  userId: (key: string) => string,
  recipient: (r: SyntheticRecipient) => { userId: string | null; departmentId: string | null },
): ParticipantRow[] {
  const routing = synthetic.routing
  if (!routing) return []
  const rows: ParticipantRow[] = [
    { documentId, role: 'leader', userId: userId(routing.submittedTo), departmentId: null, deadline: null },
  ]
  const direction = routing.direction
  if (!direction) return rows
  const leadState = routing.progress === 'completed' ? 'done' : routing.progress === 'started' ? 'in_progress' : 'unread'
  rows.push({ documentId, role: 'lead', ...recipient(direction.lead), deadline: direction.deadline, state: leadState })
  for (const r of direction.cooperating) rows.push({ documentId, role: 'cooperating', ...recipient(r), deadline: direction.deadline })
  for (const r of direction.informed) rows.push({ documentId, role: 'informed', ...recipient(r), deadline: null })
  return rows
}

async function insertChunks<T extends Parameters<Executor['insert']>[0]>(
  tx: Executor,
  table: T,
  rows: T['$inferInsert'][],
  size: number,
): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await tx.insert(table).values(rows.slice(i, i + size))
}

/**
 * Runs `work` with the search tables' GIN indexes dropped, then builds them again: building a GIN index
 * once over 100,000 documents is many times faster than maintaining it row by row (as pg_restore does).
 * The definitions are read back from the catalogue, so the indexes come back exactly as migrated.
 */
export async function withoutSearchIndexes<T>(database: Database, work: () => Promise<T>): Promise<T> {
  const { rows } = await database.executeSql(
    `select indexname, indexdef from pg_indexes
     where schemaname = 'public' and tablename in ('search_entries', 'search_pages') and indexdef like '% USING gin %'`,
  )
  for (const row of rows) await database.executeSql(`drop index if exists "${String(row.indexname)}"`)
  try {
    return await work()
  } finally {
    await database.executeSql(`set maintenance_work_mem = '256MB'`).catch(() => {})
    for (const row of rows) await database.executeSql(String(row.indexdef))
  }
}

/** Projects the documents and writes them to the engine: what search.sync does with its outbox rows. */
export async function indexDocuments(database: Database, engine: SearchEngine, ids: string[], batchSize = 200) {
  for (let i = 0; i < ids.length; i += batchSize) {
    const projection = await projectDocuments(database.db, ids.slice(i, i + batchSize))
    await engine.upsert(projection.documents)
  }
}
