import { createHash } from 'node:crypto'
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm'
import { appendAuditEvent } from '../../audit/audit.service.ts'
import { insertNew } from '../../followup/notifications.repository.ts'
import type { Database } from '../../platform/db/database.ts'
import { documentFiles, fixityChecks, fixityRuns, users } from '../../platform/db/schema/index.ts'
import type { BlobStore } from '../../storage/blob-store.ts'
import { vietnamDate } from '../records-policy.ts'

export interface FixityDeps {
  database: Database
  blobStore: BlobStore
}

export interface FixityOptions {
  /** Every blob is checked once per this many days: each run takes its share of the bytes. */
  cycleDays: number
  /** Runs per day (the job's schedule), to size each run's share. */
  runsPerDay: number
  /** Reading rate ceiling, MB/s (the job sleeps to stay under it). */
  maxMbPerSecond: number
  /** Check everything now (npm run blobs:check), ignoring the share. */
  everything?: boolean
  onProblem?: (problem: { blobKey: string; problem: string }) => void
}

export interface FixityRunReport {
  runId: string
  blobsChecked: number
  bytesChecked: number
  failures: number
  seconds: number
  mbPerSecond: number
}

/** Brings the list of blobs to check in line with the live file rows (new ones first in line). */
async function syncChecklist(database: Database): Promise<void> {
  await database.db.execute(sql`insert into ${fixityChecks} (blob_key, sha256, size)
    select distinct on (blob_key) blob_key, sha256, size from ${documentFiles} where destroyed_at is null
    on conflict (blob_key) do nothing`)
  await database.db.execute(sql`delete from ${fixityChecks} c where not exists
    (select 1 from ${documentFiles} f where f.blob_key = c.blob_key and f.destroyed_at is null)`)
}

async function hashOf(store: BlobStore, key: string, maxBytesPerSecond: number): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256')
  let size = 0
  const started = Date.now()
  for await (const chunk of await store.get(key)) {
    hash.update(chunk as Buffer)
    size += (chunk as Buffer).length
    // Rate limit: never read faster than the ceiling, so the office's own work keeps its disk.
    const ahead = (size / maxBytesPerSecond) * 1000 - (Date.now() - started)
    if (ahead > 20) await new Promise((resolve) => setTimeout(resolve, ahead))
  }
  return { sha256: hash.digest('hex'), size }
}

/**
 * One fixity run: re-hashes the least recently checked blobs, up to this run's share of everything
 * (so the whole store is covered once per cycle), at a bounded rate. Each check is recorded; a missing
 * blob or a wrong hash raises an audit event and a notification to every admin and archivist.
 */
export async function runFixity(deps: FixityDeps, options: FixityOptions): Promise<FixityRunReport> {
  await syncChecklist(deps.database)
  const [{ total } = { total: 0 }] = await deps.database.db.select({ total: sql<number>`coalesce(sum(${fixityChecks.size}), 0)::bigint` }).from(fixityChecks)
  const share = options.everything ? Number.POSITIVE_INFINITY : Math.max(1, Math.ceil(Number(total) / (options.cycleDays * options.runsPerDay)))
  const [run] = await deps.database.db.insert(fixityRuns).values({}).returning()
  const started = Date.now()
  let bytes = 0
  let blobs = 0
  let failures = 0
  const maxBytesPerSecond = options.maxMbPerSecond * 1024 * 1024
  while (bytes < share) {
    const batch = await deps.database.db
      .select()
      .from(fixityChecks)
      .where(options.everything ? sql`${fixityChecks.runId} is distinct from ${run!.id}` : undefined)
      .orderBy(sql`${fixityChecks.checkedAt} asc nulls first`, asc(fixityChecks.blobKey))
      .limit(50)
    const todo = batch.filter((row) => row.runId !== run!.id)
    if (todo.length === 0) break
    for (const row of todo) {
      if (bytes >= share) break
      let problem: string | null = null
      try {
        const info = await deps.blobStore.stat(row.blobKey)
        if (!info) problem = 'missing'
        else {
          const actual = await hashOf(deps.blobStore, row.blobKey, maxBytesPerSecond)
          if (actual.size !== row.size) problem = `size ${actual.size}, expected ${row.size}`
          else if (actual.sha256 !== row.sha256) problem = `sha256 ${actual.sha256}, expected ${row.sha256}`
          bytes += actual.size
        }
      } catch (error) {
        problem = `unreadable: ${(error as Error).message}`.slice(0, 300)
      }
      blobs++
      await deps.database.db.update(fixityChecks).set({ checkedAt: new Date(), ok: problem === null, problem, runId: run!.id }).where(eq(fixityChecks.blobKey, row.blobKey))
      if (problem) {
        failures++
        options.onProblem?.({ blobKey: row.blobKey, problem })
        await raiseAlert(deps, row.blobKey, problem)
      }
    }
  }
  const seconds = (Date.now() - started) / 1000
  const coverage = await coverageOf(deps.database, options.cycleDays)
  await deps.database.db.update(fixityRuns).set({ finishedAt: new Date(), blobsChecked: blobs, bytesChecked: bytes, failures, coverage }).where(eq(fixityRuns.id, run!.id))
  return { runId: run!.id, blobsChecked: blobs, bytesChecked: bytes, failures, seconds, mbPerSecond: seconds > 0 ? bytes / 1048576 / seconds : 0 }
}

async function raiseAlert(deps: FixityDeps, blobKey: string, problem: string): Promise<void> {
  const affected = await deps.database.db.select({ id: documentFiles.id, documentId: documentFiles.documentId }).from(documentFiles).where(and(eq(documentFiles.blobKey, blobKey), isNull(documentFiles.destroyedAt)))
  const people = await deps.database.db.select({ id: users.id }).from(users).where(and(eq(users.active, true), sql`${users.roles} && array['admin','archivist']::text[]`))
  await deps.database.db.transaction(async (tx) => {
    await appendAuditEvent(tx, { actor: 'job:records.fixity' }, { action: 'fixity.failed', targetType: 'blob', targetId: blobKey.slice(-64), details: { blobKey, problem, files: affected } })
    await insertNew(
      tx,
      people.map((person) => ({
        userId: person.id,
        kind: 'records.fixity-failed',
        documentId: affected[0]?.documentId ?? null,
        title: 'Phát hiện tệp lưu trữ bị hỏng hoặc mất',
        body: `Kiểm tra toàn vẹn: ${problem} (${affected.length} tệp của văn bản). Tệp: ${blobKey}`.slice(0, 2000),
        dedupDate: vietnamDate(),
      })),
    )
  })
}

async function coverageOf(database: Database, cycleDays: number) {
  const [row] = await database.db
    .select({
      total: sql<number>`count(*)::int`,
      checkedInCycle: sql<number>`count(*) filter (where ${fixityChecks.checkedAt} > now() - make_interval(days => ${cycleDays}))::int`,
      failing: sql<number>`count(*) filter (where ${fixityChecks.ok} = false)::int`,
    })
    .from(fixityChecks)
  return row ?? { total: 0, checkedInCycle: 0, failing: 0 }
}

/** The last runs, the cycle's progress and the blobs failing now (GET /api/records/fixity). */
export async function fixityReport(deps: FixityDeps, cycleDays: number) {
  const runs = await deps.database.db.select().from(fixityRuns).orderBy(desc(fixityRuns.startedAt)).limit(10)
  const failing = await deps.database.db.select().from(fixityChecks).where(eq(fixityChecks.ok, false)).orderBy(desc(fixityChecks.checkedAt)).limit(200)
  return { cycleDays, coverage: await coverageOf(deps.database, cycleDays), runs, failing }
}
