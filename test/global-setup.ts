import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { openDatabase } from '../src/platform/db/database.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data directory archive: each test file starts from it in well under a second. */
    pgliteDump: string
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
}
