/**
 * `npm run reindex`: rebuilds the search index from the database — clears the configured engine, then
 * projects and indexes every document in batches, printing progress. Outbox rows older than the start
 * are covered and dropped; newer ones stay for the sync job.
 *
 * On the embedded database (no DATABASE_URL) the data directory is locked by a running server: stop the
 * server first. With DATABASE_URL it can run beside the servers (search answers less until it is done).
 */
import { asc, gt, lt, sql } from 'drizzle-orm'
import { resultRows } from '../src/platform/db/database.ts'
import { documents, searchOutbox } from '../src/platform/db/schema/index.ts'
import { projectDocuments } from '../src/search/search-projection.ts'
import { openScriptPlatform } from './lib/script-platform.ts'

const BATCH = 200

const platform = await openScriptPlatform('reindex')
const { database, search } = platform
try {
  const [{ startedAt }] = resultRows<{ startedAt: string }>(
    await database.db.execute(sql`select clock_timestamp()::text as "startedAt"`),
  ) as [{ startedAt: string }]
  const [{ total }] = (await database.db.select({ total: sql<number>`count(*)::int` }).from(documents)) as [
    { total: number },
  ]
  await search.prepare()
  await search.clear()
  let done = 0
  let pages = 0
  let after = '00000000-0000-0000-0000-000000000000'
  const began = Date.now()
  for (;;) {
    const rows = await database.db
      .select({ id: documents.id })
      .from(documents)
      .where(gt(documents.id, after))
      .orderBy(asc(documents.id))
      .limit(BATCH)
    if (rows.length === 0) break
    const projection = await projectDocuments(
      database.db,
      rows.map((row) => row.id),
    )
    await search.upsert(projection.documents)
    done += projection.documents.length
    pages += projection.documents.reduce((sum, document) => sum + document.pages.length, 0)
    process.stdout.write(`\rindexed ${done}/${total} documents, ${pages} pages (${search.name})`)
    after = rows.at(-1)!.id
  }
  await database.db.delete(searchOutbox).where(lt(searchOutbox.enqueuedAt, sql`${startedAt}::timestamptz`))
  console.log(`\nreindex done in ${((Date.now() - began) / 1000).toFixed(1)} s`)
} finally {
  await platform.close()
}
