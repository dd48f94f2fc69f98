/**
 * `npm run search:explain -- [--user lanhdao] [--docs 100000] [--pglite] "dự toán ngân sách năm 2025"`:
 * the embedded engine's statements for one search, each with EXPLAIN (ANALYZE, BUFFERS), on a kept
 * bench:search instance (or DATABASE_URL with --url-as-is). For the plans in the closing note of
 * issue 15, and for finding the slow statement of a slow query.
 *
 * Options: --user NAME (default lanhdao, the bench leader)  --docs N --seed S --pglite (which kept
 *   instance)  --url-as-is (DATABASE_URL itself, not the bench database next to it)
 *   --sort relevance|date-desc|date-asc  --filter key=value (repeatable)  --limit N  --plain (no ANALYZE)
 *   --view hits|facets|all (default hits: the search page's first request)
 *   --repeat N (best plan of N runs)  --time N (whole search N times, no plans)
 *   --cpu N (each statement's backend CPU time, /proc/PID/schedstat, best of N runs; local PostgreSQL only)
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { eq } from 'drizzle-orm'
import postgres from 'postgres'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import type { Actor } from '../src/access/actor.ts'
import { type Database, type Db, openDatabase } from '../src/platform/db/database.ts'
import * as schema from '../src/platform/db/schema/index.ts'
import { PostgresSearchEngine } from '../src/search/postgres-engine.ts'
import type { SearchFilters, SearchQuery } from '../src/search/search-engine.ts'
import { benchInstance } from './lib/search-bench/instance.ts'

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    user: { type: 'string', default: 'lanhdao' },
    docs: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    pglite: { type: 'boolean', default: false },
    'url-as-is': { type: 'boolean', default: false },
    sort: { type: 'string', default: 'relevance' },
    filter: { type: 'string', multiple: true, default: [] },
    limit: { type: 'string', default: '20' },
    view: { type: 'string', default: 'hits' },
    plain: { type: 'boolean', default: false },
    // On a shared machine one run says little: run each statement N times, show the fastest run's plan.
    repeat: { type: 'string', default: '1' },
    // Only time the whole search (engine only, no HTTP) N times: no plans.
    time: { type: 'string' },
    // Each statement's CPU time in its PostgreSQL backend (local server only), best of N runs: on a
    // loaded machine wall times say more about the neighbours than about the query.
    cpu: { type: 'string' },
  },
})
const text = positionals.join(' ')

let database: Database | undefined
let url: string | undefined
if (flags['url-as-is'] && process.env.DATABASE_URL) {
  url = process.env.DATABASE_URL
} else {
  const instance = await benchInstance({
    docs: Number(flags.docs),
    seed: Number(flags.seed),
    pglite: flags.pglite,
    databaseUrl: process.env.DATABASE_URL,
  })
  url = instance.env.DATABASE_URL
  if (!url) database = await openDatabase({ dataDir: path.join(instance.dataDir, 'pg') })
}
// The migrations take a connection of their own for their lock: two at least.
if (url) database = await openDatabase({ url, poolSize: 2 })
if (!database) throw new Error('no database')
// EXPLAIN runs as the engine's statements do: without JIT (the engine sets it off in its transaction).
const explainer = url ? postgres(url, { max: 1, onnotice: () => {}, connection: { jit: 'off', enable_seqscan: 'off' } }) : undefined

const captured: { query: string; params: unknown[] }[] = []
const client = (database.db as unknown as { $client: never }).$client
const logger = { logQuery: (query: string, params: unknown[]) => captured.push({ query, params }) }
const traced: Db = (
  database.kind === 'postgres' ? drizzlePostgres({ client, schema, logger }) : drizzlePglite({ client, schema, logger })
) as unknown as Db

try {
  const [user] = await database.db.select().from(schema.users).where(eq(schema.users.username, flags.user))
  if (!user) throw new Error(`no user ${flags.user}`)
  const actor: Actor = {
    userId: user.id,
    username: user.username,
    agencyId: user.agencyId,
    departmentId: user.departmentId,
    roles: new Set(user.roles as Actor['roles'] extends ReadonlySet<infer R> ? R[] : never),
    clearance: user.clearance,
    totpEnabled: false,
    via: { kind: 'token', tokenId: 'explain', scopes: ['read'] },
  }
  const filters = Object.fromEntries(
    flags.filter.map((pair) => {
      const [key, value = ''] = pair.split('=')
      return [key, value === 'true' ? true : value === 'false' ? false : value]
    }),
  ) as SearchFilters
  const query: SearchQuery = {
    text,
    filters,
    sort: flags.sort as SearchQuery['sort'],
    limit: Number(flags.limit),
    view: flags.view as SearchQuery['view'],
  }
  if (flags.time) {
    const plain = new PostgresSearchEngine(database)
    const times: number[] = []
    for (let run = 0; run < Number(flags.time); run++) {
      const started = performance.now()
      await plain.search(actor, query)
      times.push(performance.now() - started)
    }
    console.log(`"${text}": ${times.map((t) => t.toFixed(1)).join(' ')} ms`)
    process.exit(0)
  }
  const engine = new PostgresSearchEngine({ ...database, db: traced })
  const started = performance.now()
  const result = await engine.search(actor, query)
  console.log(
    `search "${text}" as ${flags.user}: ${result.hits.length} hits, total ${result.total}${result.totalExact ? '' : '+'} in ${(performance.now() - started).toFixed(1)} ms (${captured.length} statements, with the tracing)`,
  )
  if (flags.cpu && explainer) {
    await cpuTimes(explainer, captured, Number(flags.cpu))
    process.exit(0)
  }
  for (const { query: statement, params } of captured) {
    if (/^(begin|commit|set local|explain|select id from documents where id in)/i.test(statement.trim())) continue
    console.log(`\n=== ${statement.replace(/\s+/g, ' ').slice(0, 300)}${statement.length > 300 ? '…' : ''}`)
    const explain = flags.plain ? 'explain' : 'explain (analyze, buffers)'
    let best: { ms: number; lines: string[] } | undefined
    const times: number[] = []
    for (let run = 0; run < Number(flags.repeat); run++) {
      const rows = explainer
        ? await explainer.unsafe(`${explain} ${statement}`, params as never[])
        : (await database.executeSql(`${explain} ${statement}`, params)).rows
      const lines = rows.map((row) => String(Object.values(row)[0]))
      const ms = Number(lines.find((line) => line.startsWith('Execution Time'))?.match(/[\d.]+/)?.[0] ?? 0)
      times.push(ms)
      if (!best || ms < best.ms) best = { ms, lines }
    }
    for (const line of best!.lines) console.log(line)
    if (times.length > 1) console.log(`(execution ms over ${times.length} runs: ${times.map((t) => t.toFixed(1)).join(' ')})`)
  }
} finally {
  await explainer?.end()
  await database.close()
}

/** Backend CPU milliseconds of each statement (best of `runs`), and their sum. */
async function cpuTimes(connection: postgres.Sql, statements: { query: string; params: unknown[] }[], runs: number) {
  const [{ pid }] = (await connection`select pg_backend_pid() as pid`) as unknown as [{ pid: number }]
  const cpu = () => Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6
  let sum = 0
  for (const { query: statement, params } of statements) {
    let best = Number.POSITIVE_INFINITY
    for (let run = 0; run < runs; run++) {
      const before = cpu()
      await connection.unsafe(statement, params as never[])
      best = Math.min(best, cpu() - before)
    }
    sum += best
    console.log(`${best.toFixed(2).padStart(8)} ms  ${statement.replace(/\s+/g, ' ').slice(0, 140)}`)
  }
  console.log(`${sum.toFixed(2).padStart(8)} ms  in all (backend CPU, best of ${runs})`)
}
