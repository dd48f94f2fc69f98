import { and, asc, eq, inArray } from 'drizzle-orm'
import type { Database } from '../platform/db/database.ts'
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
  options: { batchSize?: number; signal?: AbortSignal } = {},
) {
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

/** The sync job: sent with every outbox write, and every minute as a safety net. */
export function searchSyncJob(deps: SearchSyncDeps): JobDefinition<object> {
  return {
    name: SEARCH_SYNC_JOB,
    cron: '* * * * *',
    retryLimit: 5,
    retryDelaySeconds: 5,
    async handler(_payload, context) {
      return syncSearchIndex(deps, { signal: context.signal })
    },
  }
}
