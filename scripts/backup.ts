/**
 * `npm run backup -- DIR`: a consistent backup of the database (every table, one snapshot) and the blobs
 * into DIR. Works while the service runs on PostgreSQL; on the embedded database stop the server first
 * (its data directory is locked).
 */
import { openScriptPlatform } from './lib/script-platform.ts'
import { backupTo } from '../src/records/backup/backup.ts'

const dir = process.argv[2]
if (!dir) {
  console.error('usage: npm run backup -- DIR')
  process.exit(2)
}
const platform = await openScriptPlatform('backup')
const started = Date.now()
try {
  const manifest = await backupTo(platform, dir)
  const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0)
  console.log(`backup: ${manifest.tables.length} tables, ${rows} rows, ${manifest.blobs.length} blobs in ${((Date.now() - started) / 1000).toFixed(1)} s → ${dir}`)
} finally {
  await platform.close()
}
