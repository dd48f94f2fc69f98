import { sql } from 'drizzle-orm'
import type { Executor } from '../platform/db/database.ts'
import { searchOutbox } from '../platform/db/schema/index.ts'
import type { JobQueue } from '../platform/jobs/job-queue.ts'

export const SEARCH_SYNC_JOB = 'search.sync'

/**
 * Marks a document's search entry stale, in the transaction of the change (the outbox), and with `jobs`
 * asks for a sync that commits with it. Without `jobs` the once-a-minute sync picks the row up.
 * A later change moves `enqueued_at`, so a sync that read the older state does not drop the row.
 */
export async function enqueueSearchSync(
  tx: Executor,
  documentId: string,
  jobs?: Pick<JobQueue, 'send'>,
): Promise<void> {
  await tx
    .insert(searchOutbox)
    .values({ documentId, enqueuedAt: sql`clock_timestamp()` })
    .onConflictDoUpdate({ target: searchOutbox.documentId, set: { enqueuedAt: sql`clock_timestamp()` } })
  if (jobs)
    await jobs.send(SEARCH_SYNC_JOB, { trigger: 'outbox' }, { executor: tx, singletonKey: SEARCH_SYNC_JOB })
}
