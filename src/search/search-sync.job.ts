import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { type Database, resultRows } from '../platform/db/database.ts'
import { searchOutbox } from '../platform/db/schema/index.ts'
import type { JobDefinition } from '../platform/jobs/job-queue.ts'
import type { SearchEngine } from './search-engine.ts'
import { SEARCH_SYNC_JOB } from './search-outbox.ts'
import { projectDocuments } from './search-projection.ts'

export interface SearchSyncDeps {
  database: Database
  search: SearchEngine
}

const BATCH = 100

/**
 * Brings the index up to date with the outbox: each batch is projected from the database, written to
 * the engine, and its outbox rows deleted only if no change re-enqueued them meanwhile. Rows are not
 * locked while the engine works (writers would wait on indexing); two syncs at once only repeat work.
 * A crash leaves the rows, so the next run does them again.
 */
export async function syncSearchIndex(
  deps: SearchSyncDeps,
  options: { batchSize?: number; signal?: AbortSignal; backfill?: number } = {},
) {
  if (options.backfill) await enqueueUnindexed(deps.database, options.backfill)
  let indexed = 0
  let removed = 0
  const batchSize = options.batchSize ?? BATCH
  for (;;) {
    if (options.signal?.aborted) break
    const rows = await deps.database.db
      .select()
      .from(searchOutbox)
      .orderBy(asc(searchOutbox.enqueuedAt))
      .limit(batchSize)
    if (rows.length === 0) break
    const projection = await projectDocuments(
      deps.database.db,
      rows.map((row) => row.documentId),
    )
    await deps.search.upsert(projection.documents)
    await deps.search.remove(projection.missing)
    indexed += projection.documents.length
    removed += projection.missing.length
    for (const row of rows) {
      await deps.database.db
        .delete(searchOutbox)
        .where(and(eq(searchOutbox.documentId, row.documentId), eq(searchOutbox.enqueuedAt, row.enqueuedAt)))
    }
    if (rows.length < batchSize) break
    // Rows re-enqueued during this batch are taken by the next loop; stop if nothing was deleted.
    const left = await deps.database.db
      .select({ id: searchOutbox.documentId })
      .from(searchOutbox)
      .where(
        inArray(
          searchOutbox.documentId,
          rows.map((row) => row.documentId),
        ),
      )
    if (left.length === rows.length) break
  }
  return { indexed, removed }
}

/** Documents per minute that the scheduled run finds missing from the index and enqueues. */
const BACKFILL = 1000

/**
 * Enqueues documents that have no index entry and no outbox row (stored before search existed, or
 * by a path that forgot the outbox), so the index heals without a reindex.
 */
export async function enqueueUnindexed(database: Database, limit: number): Promise<number> {
  const result = await database.db.execute(sql`
    insert into search_outbox (document_id)
    select d.id from documents d
    where not exists (select 1 from search_entries e where e.document_id = d.id)
      and not exists (select 1 from search_outbox o where o.document_id = d.id)
    limit ${limit}
    on conflict (document_id) do nothing
    returning document_id`)
  return resultRows(result).length
}

/**
 * The sync job: sent with every outbox write (`trigger: 'outbox'`), and every minute as a safety net
 * that also enqueues documents missing from the index.
 */
export function searchSyncJob(deps: SearchSyncDeps): JobDefinition<{ trigger?: string }> {
  return {
    name: SEARCH_SYNC_JOB,
    cron: '* * * * *',
    retryLimit: 5,
    retryDelaySeconds: 5,
    async handler(payload, context) {
      const scheduled = payload.trigger !== 'outbox'
      return syncSearchIndex(deps, { signal: context.signal, ...(scheduled ? { backfill: BACKFILL } : {}) })
    },
  }
}
