import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { unaccent } from '@electric-sql/pglite/contrib/unaccent'
import { type SQL, sql } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import { MIGRATIONS_DIR } from '../paths.ts'
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts'
import * as schema from './schema/index.ts'

export type Schema = typeof schema
export type Db = PgDatabase<PgQueryResultHKT, Schema>
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
/** Anything a repository can run queries on: the database or an open transaction. */
export type Executor = Db | Tx

export interface SqlResult {
  rows: Record<string, unknown>[]
  rowCount: number
}

/** One handle over either driver; the rest of the code never knows which one it has. */
export interface Database {
  readonly kind: 'pglite' | 'postgres'
  readonly db: Db
  /** Raw SQL with $n placeholders (for libraries such as pg-boss); several statements when no values. */
  executeSql(text: string, values?: unknown[]): Promise<SqlResult>
  ping(): Promise<void>
  close(): Promise<void>
}

export interface DatabaseOptions {
  /** PostgreSQL URL; when absent, embedded PGlite. */
  url?: string | undefined
  /** PGlite data directory; absent = in memory (tests). */
  dataDir?: string | undefined
  /** A PGlite data directory archive (dumpDataDir) to start from: fast test setup. */
  loadDataDir?: Blob | undefined
  poolSize?: number
  /**
   * PostgreSQL: run queries as named prepared statements (default true). Set false behind a pooler
   * that cannot keep them (PgBouncer in transaction mode before 1.21).
   */
  preparedStatements?: boolean
  /** PGlite's shared_buffers (e.g. '32MB'). */
  pgliteSharedBuffers?: string | undefined
  /** Apply migrations on open (default true). */
  migrate?: boolean
}

export const MIGRATIONS_FOLDER = MIGRATIONS_DIR

/** Serialises migrations when several processes start at once against one PostgreSQL. */
const MIGRATION_LOCK_KEY = 7_231_001

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.url
    ? await openPostgres(options.url, options.poolSize ?? 10, options.preparedStatements ?? true)
    : await openPglite(options)
  if (options.migrate !== false) {
    try {
      await runMigrations(database)
    } catch (error) {
      await database.close()
      throw error
    }
  }
  return database
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  let lock: DataDirLock | undefined
  if (options.dataDir) lock = acquireDataDirLock(options.dataDir)
  let client: PGlite
  try {
    client = await PGlite.create(options.dataDir, {
      extensions: { unaccent, pg_trgm },
      // PGlite's default 128 MB page cache is most of the process's memory; the embedded mode serves one
      // office, and the operating system's file cache still holds the data files.
      startParams: [
        ...PGlite.defaultStartParams,
        '-c',
        `shared_buffers=${options.pgliteSharedBuffers ?? '32MB'}`,
      ],
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    })
  } catch (error) {
    lock?.release()
    throw error
  }
  const db = drizzlePglite({ client, schema }) as unknown as Db
  return {
    kind: 'pglite',
    db,
    async executeSql(text, values) {
      if (values && values.length > 0) {
        const result = await client.query<Record<string, unknown>>(text, libraryParams(values))
        return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length }
      }
      const results = await client.exec(text).catch(async (error: unknown) => {
        // As on PostgreSQL: never leave a script's failed BEGIN open on the one connection there is.
        if (client.isInTransaction()) await client.exec('rollback').catch(() => {})
        throw error
      })
      const last = results.at(-1)
      return { rows: (last?.rows ?? []) as Record<string, unknown>[], rowCount: last?.affectedRows ?? 0 }
    },
    async ping() {
      await client.query('select 1')
    },
    async close() {
      try {
        if (!client.closed) await client.close()
      } finally {
        lock?.release()
      }
    },
  }
}

async function openPostgres(url: string, poolSize: number, prepared: boolean): Promise<Database> {
  const client = postgres(url, {
    max: poolSize,
    prepare: prepared,
    onnotice: () => {},
    // Prepared statements are planned afresh for every execution, as unnamed ones are: a generic plan
    // chosen after five runs could suit one search term and not the next.
    connection: { application_name: 'vanthu', plan_cache_mode: 'force_custom_plan' },
  })
  const db = drizzlePostgres({ client: prepared ? preparingStatements(client) : client, schema }) as unknown as Db
  return {
    kind: 'postgres',
    db,
    async executeSql(text, values) {
      let result: postgres.RowList<postgres.Row[]>
      if (values && values.length > 0) {
        result = await client.unsafe(text, libraryParams(values) as postgres.ParameterOrJSON<never>[])
      } else {
        // Scripts may hold BEGIN/COMMIT, which postgres.js only allows on a connection of their own.
        const reserved = await client.reserve()
        try {
          result = await reserved.unsafe(text).simple()
        } catch (error) {
          // A failed script leaves its BEGIN open and aborted: the pooled connection would refuse every
          // later query (25P02) until someone rolls back.
          await reserved.unsafe('rollback').catch(() => {})
          throw error
        } finally {
          reserved.release()
        }
      }
      // Several statements (simple protocol) resolve to one row list per statement: keep the last.
      const list = (Array.isArray(result[0]) ? result.at(-1) : result) as postgres.RowList<
        Record<string, unknown>[]
      >
      return { rows: [...list], rowCount: list.count ?? list.length }
    },
    async ping() {
      await client`select 1`
    },
    async close() {
      await client.end({ timeout: 5 })
    },
  }
}

/**
 * The client drizzle is given: every query runs as a named prepared statement (parsed once per
 * connection, then only bound and executed) instead of drizzle's unnamed ones, parsed on every call. The
 * registration path runs ~15 statements a document; parsing was a sizeable part of PostgreSQL's time.
 * postgres.js keeps one statement per distinct query text per connection and replaces each connection
 * after 30–60 minutes (max_lifetime), so the cache stays bounded; it re-prepares a statement the server
 * reports stale (after a schema change).
 */
function preparingStatements(sql: postgres.Sql): postgres.Sql {
  // biome-ignore lint/suspicious/noExplicitAny: postgres.js' overloaded signatures are passed through as they are
  type Fn = (...args: any[]) => any
  const wrapCallback = (args: unknown[]) => {
    const callback = args.at(-1) as Fn
    return [...args.slice(0, -1), (inner: postgres.Sql) => callback(preparingStatements(inner))]
  }
  return new Proxy(sql, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver)
      if (property === 'unsafe') {
        return (query: string, parameters?: unknown[], options?: object) =>
          (value as Fn).call(target, query, parameters, { ...options, prepare: true })
      }
      if (property === 'begin' || property === 'savepoint') {
        return (...args: unknown[]) => (value as Fn).apply(target, wrapCallback(args))
      }
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

async function runMigrations(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    // biome-ignore lint/suspicious/noExplicitAny: the driver-specific migrator wants its own database type
    await migratePglite(database.db as any, { migrationsFolder: MIGRATIONS_FOLDER })
    return
  }
  await withSessionAdvisoryLock(database, MIGRATION_LOCK_KEY, async () => {
    // biome-ignore lint/suspicious/noExplicitAny: the driver-specific migrator wants its own database type
    await migratePostgres(database.db as any, { migrationsFolder: MIGRATIONS_FOLDER })
  })
}

async function withSessionAdvisoryLock(
  database: Database,
  key: number,
  work: () => Promise<void>,
): Promise<void> {
  // biome-ignore lint/suspicious/noExplicitAny: postgres.js client is only reachable through drizzle's $client
  const client = (database.db as any).$client as postgres.Sql
  const reserved = await client.reserve()
  try {
    await reserved`select pg_advisory_lock(${key})`
    await work()
  } finally {
    await reserved`select pg_advisory_unlock(${key})`.catch(() => {})
    reserved.release()
  }
}

/** Rows of a db.execute() result, whichever driver produced it. */
export function resultRows<T = Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[]
  return ((result as { rows?: T[] }).rows ?? []) as T[]
}

/** Runs raw SQL with $n placeholders on an executor (e.g. inside a drizzle transaction). */
export async function executeRaw(
  executor: Executor,
  text: string,
  values: unknown[] = [],
): Promise<SqlResult> {
  const params = libraryParams(values)
  const parts = text.split(/\$(\d+)/)
  const chunks: SQL[] = []
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) chunks.push(sql.raw(parts[i] ?? ''))
    else chunks.push(sql`${params[Number(parts[i]) - 1]}`)
  }
  const rows = resultRows(await executor.execute(sql.join(chunks, sql.raw(''))))
  return { rows, rowCount: rows.length }
}

/**
 * Parameters as node-postgres would send them, which is what libraries written for it (pg-boss) expect:
 * undefined is NULL and plain objects are JSON text.
 */
function libraryParams(values: unknown[]): unknown[] {
  return values.map((value) => {
    if (value === undefined) return null
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      return JSON.stringify(value)
    }
    return value
  })
}
