/**
 * The benchmark's database: a PostgreSQL database of its own on the server of DATABASE_URL, or an
 * embedded data directory, loaded once and reused by later runs when kept (`--keep`) — loading 100,000
 * documents takes a while on two cores, and iterating on queries should not.
 */
import { existsSync } from 'node:fs'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'

/** What a loaded instance holds: compared with what a run asks for before it is reused. */
export interface InstanceMarker {
  generator: number
  seed: number
  docs: number
  loadedAt: string
  /** Corpus document id (001…024) of each document of the relevance department. */
  corpus: Record<string, string>
}

export interface BenchInstance {
  kind: 'postgres' | 'pglite'
  /** For the server and scripts: DATABASE_URL (PostgreSQL) or DATA_DIR (PGlite, data in DATA_DIR/pg). */
  env: Record<string, string>
  /** Where it lives, for the report. */
  location: string
  dataDir: string
  readMarker(): Promise<InstanceMarker | undefined>
  writeMarker(marker: InstanceMarker): Promise<void>
  /** Empties it for a fresh load. */
  reset(): Promise<void>
  drop(): Promise<void>
}

export async function benchInstance(options: {
  docs: number
  seed: number
  pglite: boolean
  databaseUrl: string | undefined
}): Promise<BenchInstance> {
  // BENCH_DB_PREFIX: a helper's own instances beside the shared ones (e.g. `h15_`).
  const name = `${process.env.BENCH_DB_PREFIX ?? ''}vanthu_search_bench_${options.docs}_s${options.seed}`
  const dataDir = path.join(os.tmpdir(), name.replaceAll('_', '-'))
  await mkdir(dataDir, { recursive: true })
  const markerFile = path.join(dataDir, 'bench-search.json')
  const readFileMarker = async () =>
    existsSync(markerFile) ? (JSON.parse(await readFile(markerFile, 'utf8')) as InstanceMarker) : undefined
  const writeFileMarker = (marker: InstanceMarker) => writeFile(markerFile, JSON.stringify(marker))

  if (options.pglite || !options.databaseUrl) {
    return {
      kind: 'pglite',
      env: { DATA_DIR: dataDir },
      location: path.join(dataDir, 'pg'),
      dataDir,
      readMarker: readFileMarker,
      writeMarker: writeFileMarker,
      async reset() {
        await rm(dataDir, { recursive: true, force: true })
        await mkdir(dataDir, { recursive: true })
      },
      drop: () => rm(dataDir, { recursive: true, force: true }),
    }
  }
  const url = new URL(options.databaseUrl)
  url.pathname = `/${name}`
  const admin = () => postgres(options.databaseUrl!, { max: 1, onnotice: () => {} })
  const exists = async () => {
    const sql = admin()
    try {
      return (await sql`select 1 from pg_database where datname = ${name}`).length > 0
    } finally {
      await sql.end()
    }
  }
  return {
    kind: 'postgres',
    env: { DATABASE_URL: url.toString(), DATA_DIR: dataDir },
    location: url.toString(),
    dataDir,
    // The marker lives beside the blobs directory; a database dropped by hand makes it stale.
    readMarker: async () => ((await exists()) ? readFileMarker() : undefined),
    writeMarker: writeFileMarker,
    async reset() {
      const sql = admin()
      try {
        await sql.unsafe(`drop database if exists ${name} with (force)`)
        await sql.unsafe(`create database ${name}`)
      } finally {
        await sql.end()
      }
      await rm(dataDir, { recursive: true, force: true })
      await mkdir(dataDir, { recursive: true })
    },
    async drop() {
      const sql = admin()
      try {
        await sql.unsafe(`drop database if exists ${name} with (force)`)
      } finally {
        await sql.end()
      }
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
