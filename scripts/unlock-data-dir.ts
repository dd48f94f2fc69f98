/**
 * `npm run db:unlock [-- --force]`: the operator's takeover of the embedded database's lock
 * (DATA_DIR/pg/vanthu.lock). A lock whose process is gone is removed (the server also takes those over
 * by itself); a lock taken on another host name (a replaced container, a moved disk) or unreadable is
 * removed only with --force, after the operator has made sure no vanthu process runs there. A lock
 * held by a live process on this machine is never removed.
 */
import path from 'node:path'
import { breakDataDirLock, DataDirLockedError, inspectDataDirLock } from '../src/platform/db/data-dir-lock.ts'
import { loadScriptConfig } from './lib/script-platform.ts'

const config = loadScriptConfig('db:unlock')
if (config.databaseUrl) {
  console.log('vanthu db:unlock: DATABASE_URL is set: PostgreSQL needs no lock file, nothing to do.')
  process.exit(0)
}
const dir = path.join(config.dataDir, 'pg')
const force = process.argv.includes('--force')
const found = inspectDataDirLock(dir)
if (!found) {
  breakDataDirLock(dir, { force })
  console.log(`vanthu db:unlock: ${dir} is not locked.`)
  process.exit(0)
}
try {
  const { holder, verdict } = breakDataDirLock(dir, { force })
  const who = holder ? `process ${holder.pid} on ${holder.host} (${holder.command}, started ${holder.startedAt})` : 'an unreadable lock'
  console.log(`vanthu db:unlock: removed the lock of ${who} [${verdict}]; the next start takes the database.`)
} catch (error) {
  if (!(error instanceof DataDirLockedError)) throw error
  console.error(`vanthu db:unlock: ${error.message}`)
  process.exit(1)
}
