/**
 * `npm run restore -- DIR`: brings a backup made by `npm run backup` into an empty DATA_DIR or database
 * (the configured one), with its blobs checked against their SHA-256.
 */
import { defineJobs } from '../src/jobs.ts'
import { openScriptPlatform } from './lib/script-platform.ts'
import { restoreFrom } from '../src/records/backup/backup.ts'

const dir = process.argv[2]
if (!dir) {
  console.error('usage: npm run restore -- DIR')
  process.exit(2)
}
const platform = await openScriptPlatform('restore')
const started = Date.now()
try {
  // The job queue's tables exist once the queue has started: restore fills them too.
  defineJobs(platform)
  await platform.jobs.start({ work: false })
  const result = await restoreFrom(platform, dir)
  console.log(`restore: ${result.tables} tables, ${result.rows} rows, ${result.blobs} blobs in ${((Date.now() - started) / 1000).toFixed(1)} s`)
} finally {
  await platform.close()
}
