import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { openDatabase } from '../src/platform/db/database.ts'

const REPO_ROOT = path.resolve(import.meta.dirname, '..')

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data directory archive: each test file starts from it in well under a second. */
    pgliteDump: string
    /** A migrated embedded data directory (its `pg` folder) to copy for each server process a test starts. */
    embeddedDataDirTemplate: string
  }
}

/**
 * Server processes in tests run the build, as `npm start` does: rebuilt here when any server source is
 * newer than it (a clean clone, or an edit since the last build).
 */
function buildServerIfStale() {
  const entry = path.join(REPO_ROOT, 'dist/server/server.js')
  const built = existsSync(entry) ? statSync(entry).mtimeMs : 0
  const sources = readdirSync(path.join(REPO_ROOT, 'src'), { recursive: true, withFileTypes: true })
    .filter(
      (entry) =>
        entry.isFile() && !path.join(entry.parentPath, entry.name).includes(`${path.sep}src${path.sep}web`),
    )
    .map((entry) => statSync(path.join(entry.parentPath, entry.name)).mtimeMs)
  const newest = Math.max(...sources, statSync(path.join(REPO_ROOT, 'tsconfig.build.json')).mtimeMs)
  if (newest <= built) return
  const tsc = path.join(REPO_ROOT, 'node_modules/.bin/tsc')
  execFileSync(tsc, ['-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: 'inherit' })
  // tsc leaves unchanged outputs alone: mark the build as current.
  const now = new Date()
  utimesSync(entry, now, now)
}

/** Migrates one PGlite database for the whole run and hands its dump to every test file. */
export default async function setup(project: TestProject) {
  buildServerIfStale()
  const database = await openDatabase({})
  const client = (database.db as unknown as { $client: { dumpDataDir(c: 'gzip'): Promise<Blob> } }).$client
  const dump = await client.dumpDataDir('gzip')
  await database.close()
  const dir = path.join(os.tmpdir(), 'vanthu-test')
  await mkdir(dir, { recursive: true })
  const file = path.join(dir, `pglite-migrated-${process.pid}.tar.gz`)
  await writeFile(file, Buffer.from(await dump.arrayBuffer()))
  project.provide('pgliteDump', file)

  // The same database as an on-disk PGlite directory: a server process started on a copy skips the
  // migrations (seconds of WASM work each time), as a restarted office server would.
  const template = path.join(dir, `embedded-data-${process.pid}`)
  await rm(template, { recursive: true, force: true })
  const onDisk = await openDatabase({ dataDir: path.join(template, 'pg'), loadDataDir: dump })
  await onDisk.close()
  project.provide('embeddedDataDirTemplate', template)
}
