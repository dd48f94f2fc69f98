import { mkdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { openDatabase } from '../src/platform/db/database.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data directory archive: each test file starts from it in well under a second. */
    pgliteDump: string
    /** A migrated embedded data directory (its `pg` folder) to copy for each server process a test starts. */
    embeddedDataDirTemplate: string
  }
}

/** Migrates one PGlite database for the whole run and hands its dump to every test file. */
export default async function setup(project: TestProject) {
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
