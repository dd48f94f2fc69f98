/**
 * Search at archive scale: `npm run bench:search -- --docs 100000` (PostgreSQL when DATABASE_URL is set)
 * or `npm run bench:search -- --docs 20000 --pglite` (the embedded database).
 *
 * Loads a deterministic synthetic archive (scripts/lib/search-bench/generator.ts) through the bulk path,
 * plus the 24 corpus documents through the real write path in a department of their own; starts the
 * built server on it; then, after one warm-up round, times every query class over HTTP (GET /api/search)
 * as the agency's leader (sees everything not secret) and as an officer (sees what was routed to his
 * department), and measures recall@10 / MRR on the judged corpus queries as the corpus clerk. Each search
 * is timed as the search page asks it: its results (view=hits, limit 20), and apart, in the `facets`
 * class, the facet request the page sends beside it. Prints p50/p95/max per class and actor, wall time
 * and CPU time (server process and its PostgreSQL backends, from /proc: on a shared machine the wall
 * time is mostly the wait for a core), and ends with one summary line over the corpus and common-word
 * queries, both actors:
 *   bench:search docs=100000 engine=postgres p50=12.3ms p95=41.0ms max=88.2ms recall@10=1.000 mrr=0.983
 *
 * Options: --docs N (default 10000)  --seed S (1)  --rounds R (timed rounds, 3)  --pglite
 *   --keep      leave the loaded instance behind; a later run with the same --docs/--seed reuses it
 *   --reload    load afresh even when a kept instance exists
 *   --reindex   rebuild the kept instance's search index first (after a change to the index)
 *   --verbose   per-query medians and totals
 *   --cpu-prof DIR   a V8 CPU profile of the server (node --cpu-prof), written into DIR when it stops
 */
import { readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import postgres from 'postgres'
import { type Call, judgedQueries, overall, report, runQueries, tokenHeaders } from './lib/corpus-quality.ts'
import { GENERATOR_VERSION } from './lib/search-bench/generator.ts'
import { benchInstance } from './lib/search-bench/instance.ts'
import { BENCH_PASSWORD, CORPUS_CLERK, loadInstance, reindexInstance } from './lib/search-bench/load.ts'
import { percentile, type QueryClass, queryClasses } from './lib/search-bench/queries.ts'
import { startServer } from './lib/search-bench/server.ts'

const REPO_ROOT = path.resolve(import.meta.dirname, '..')
const { values: flags } = parseArgs({
  options: {
    docs: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '3' },
    pglite: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    reload: { type: 'boolean', default: false },
    reindex: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    // A V8 CPU profile of the server (node --cpu-prof) written into this directory when it stops.
    'cpu-prof': { type: 'string' },
  },
})
const positive = (name: string, raw: string) => {
  if (/^[1-9]\d*$/.test(raw)) return Number(raw)
  console.error(`bench-search: --${name} expects a positive integer, got ${raw}`)
  process.exit(2)
}
const docs = positive('docs', flags.docs)
const seed = positive('seed', flags.seed)
const rounds = positive('rounds', flags.rounds)
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`)
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ')

const ACTORS = [
  { name: 'leader', username: 'lanhdao', password: BENCH_PASSWORD },
  { name: 'officer', username: 'chuyenvienkt', password: BENCH_PASSWORD },
]

const instance = await benchInstance({ docs, seed, pglite: flags.pglite, databaseUrl: process.env.DATABASE_URL })
log(`load average ${load()} (1, 5, 15 min); instance ${instance.location}`)
let marker = await instance.readMarker()
if (marker && !flags.reload && marker.generator === GENERATOR_VERSION && marker.docs === docs && marker.seed === seed) {
  log(`reusing the instance loaded at ${marker.loadedAt} (--reload to load afresh)`)
  if (flags.reindex) await reindexInstance(instance, log)
} else {
  log(`loading ${docs} synthetic documents (seed ${seed}) into ${instance.kind}`)
  const started = performance.now()
  marker = await loadInstance(instance, { docs, seed, log })
  log(`loaded in ${((performance.now() - started) / 1000).toFixed(0)} s`)
}
const corpusOf = new Map(Object.entries(marker.corpus))

const server = await startServer(
  REPO_ROOT,
  instance.env,
  flags['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(flags['cpu-prof'])}`] : [],
)
const meter = await cpuMeter(server.pid, instance.env.DATABASE_URL)
let exitCode = 0
try {
  const callers = new Map<string, Call>()
  for (const actor of [...ACTORS, { name: 'corpus', username: CORPUS_CLERK.username, password: BENCH_PASSWORD }]) {
    callers.set(actor.name, await httpCaller(server.baseUrl, actor.username, actor.password))
  }
  const judged = await judgedQueries()
  const classes = queryClasses(docs, seed, judged)
  log(`warm-up round (load average ${load()})`)
  await timeRound(classes, callers, meter, () => {})
  const timings = new Map<string, number[]>()
  const cpuTimings = new Map<string, number[]>()
  const perQuery = new Map<string, number[]>()
  const totals = new Map<string, number>()
  const add = (map: Map<string, number[]>, key: string, value: number) => map.set(key, [...(map.get(key) ?? []), value])
  for (let round = 0; round < rounds; round++) {
    log(`timed round ${round + 1}/${rounds}`)
    await meter.refresh()
    await timeRound(classes, callers, meter, (key, label, elapsed, total, cpu) => {
      add(timings, key, elapsed)
      add(cpuTimings, key, cpu)
      add(perQuery, `${key}|${label}`, elapsed)
      totals.set(`${key}|${label}`, total)
    })
  }
  const loadAfter = load()
  const scored = await runQueries(callers.get('corpus')!, judged, corpusOf)
  printTimings(classes, timings, cpuTimings, perQuery, totals)
  if (flags.verbose) report(scored)
  const relevance = overall(scored)
  const summary = [...timings]
    .filter(([key]) => classes.find((c) => c.name === key.split('|')[0])?.inSummary)
    .flatMap(([, values]) => values)
    .sort((a, b) => a - b)
  console.log(`\nrelevance on the ${relevance.queries} judged corpus queries (corpus clerk): recall@10 ${relevance.recallAt10.toFixed(3)}, MRR ${relevance.mrr.toFixed(3)}, nDCG@10 ${relevance.ndcgAt10.toFixed(3)}`)
  console.log(`load average after the timed rounds: ${loadAfter}; cores: ${os.availableParallelism()}`)
  const cpuSummary = [...cpuTimings]
    .filter(([key]) => classes.find((c) => c.name === key.split('|')[0])?.inSummary)
    .flatMap(([, values]) => values)
    .sort((a, b) => a - b)
  console.log(
    `CPU per request (server process + its database backends; wall times above include waiting for the cores): p50=${ms(percentile(cpuSummary, 50))} p95=${ms(percentile(cpuSummary, 95))} max=${ms(cpuSummary.at(-1)!)}`,
  )
  console.log(
    `bench:search docs=${docs} engine=${instance.kind === 'pglite' ? 'pglite' : 'postgres'} p50=${ms(percentile(summary, 50))} p95=${ms(percentile(summary, 95))} max=${ms(summary.at(-1)!)} recall@10=${relevance.recallAt10.toFixed(3)} mrr=${relevance.mrr.toFixed(3)}`,
  )
} catch (error) {
  console.error(error)
  exitCode = 1
} finally {
  await meter.close()
  await server.stop()
  if (flags.keep) log(`kept: ${instance.location} (next run with --docs ${docs} --seed ${seed} reuses it)`)
  else await instance.drop()
}
process.exit(exitCode)

function ms(value: number) {
  return `${value.toFixed(1)}ms`
}

async function httpCaller(baseUrl: string, username: string, password: string): Promise<Call> {
  let headers: Record<string, string> = {}
  const call: Call = async (method, url, body) => {
    const response = await fetch(new URL(url, baseUrl), {
      method,
      headers: { ...headers, ...(body ? { 'content-type': body.contentType } : {}) },
      ...(body ? { body: body.payload } : {}),
    })
    const text = await response.text()
    return { status: response.status, json: text ? JSON.parse(text) : null }
  }
  headers = await tokenHeaders(call, username, password)
  return call
}

interface CpuMeter {
  /** CPU milliseconds used so far by the server process (all threads) and its database backends. */
  read(): number
  /** Looks up the database backends again (the server's pool opens connections as needed). */
  refresh(): Promise<void>
  close(): Promise<void>
}

/**
 * CPU time from /proc/PID/task/TID/schedstat (nanoseconds on a core): on a machine shared with other
 * work, wall time mostly measures the wait for a core, CPU time what a request costs. PostgreSQL's
 * backends are counted when its server runs on this machine; PGlite runs inside the server process.
 */
async function cpuMeter(serverPid: number, databaseUrl: string | undefined): Promise<CpuMeter> {
  const admin = databaseUrl ? postgres(databaseUrl, { max: 1, onnotice: () => {} }) : undefined
  const database = databaseUrl ? new URL(databaseUrl).pathname.slice(1) : ''
  let backends: number[] = []
  const taskTime = (pid: number) => {
    let sum = 0
    try {
      for (const task of readdirSync(`/proc/${pid}/task`)) {
        sum += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0])
      }
    } catch {
      // A backend that ended, or no /proc: nothing more to count.
    }
    return sum
  }
  const meter: CpuMeter = {
    read: () => [serverPid, ...backends].reduce((sum, pid) => sum + taskTime(pid), 0) / 1e6,
    async refresh() {
      if (!admin) return
      const rows = await admin`select pid from pg_stat_activity where datname = ${database} and backend_type = 'client backend' and pid <> pg_backend_pid()`
      backends = rows.map((row) => Number(row.pid))
    },
    close: async () => {
      await admin?.end()
    },
  }
  await meter.refresh()
  return meter
}

/** One pass over every query of every class as each actor, each timing handed to `record`. */
async function timeRound(
  classes: QueryClass[],
  callers: Map<string, Call>,
  meter: CpuMeter,
  record: (key: string, label: string, elapsed: number, total: number, cpu: number) => void,
) {
  for (const queryClass of classes) {
    for (const actor of ACTORS) {
      const call = callers.get(actor.name)!
      for (const query of queryClass.queries) {
        const cpuBefore = meter.read()
        const started = performance.now()
        const response = await call('GET', `/api/search?${new URLSearchParams({ limit: '20', ...query.params })}`)
        const elapsed = performance.now() - started
        const cpu = meter.read() - cpuBefore
        if (response.status !== 200) throw new Error(`${query.label}: HTTP ${response.status} ${JSON.stringify(response.json)}`)
        record(`${queryClass.name}|${actor.name}`, query.label, elapsed, (response.json as { total: number }).total, cpu)
      }
    }
  }
}

function printTimings(
  classes: QueryClass[],
  timings: Map<string, number[]>,
  cpuTimings: Map<string, number[]>,
  perQuery: Map<string, number[]>,
  totals: Map<string, number>,
) {
  console.log(
    `\n${'class'.padEnd(10)} ${'actor'.padEnd(8)} ${'n'.padStart(4)} ${'p50'.padStart(9)} ${'p95'.padStart(9)} ${'max'.padStart(9)}   ${'cpu p50'.padStart(9)} ${'cpu p95'.padStart(9)} ${'cpu max'.padStart(9)}`,
  )
  for (const queryClass of classes) {
    for (const actor of ACTORS) {
      const key = `${queryClass.name}|${actor.name}`
      const values = [...(timings.get(key) ?? [])].sort((a, b) => a - b)
      const cpu = [...(cpuTimings.get(key) ?? [])].sort((a, b) => a - b)
      console.log(
        `${queryClass.name.padEnd(10)} ${actor.name.padEnd(8)} ${String(values.length).padStart(4)} ${ms(percentile(values, 50)).padStart(9)} ${ms(percentile(values, 95)).padStart(9)} ${ms(values.at(-1) ?? Number.NaN).padStart(9)}   ${ms(percentile(cpu, 50)).padStart(9)} ${ms(percentile(cpu, 95)).padStart(9)} ${ms(cpu.at(-1) ?? Number.NaN).padStart(9)}`,
      )
      if (!flags.verbose) continue
      for (const query of queryClass.queries) {
        const per = [...(perQuery.get(`${key}|${query.label}`) ?? [])].sort((a, b) => a - b)
        console.log(`    ${ms(percentile(per, 50)).padStart(9)} total=${String(totals.get(`${key}|${query.label}`)).padStart(6)}  ${query.label}`)
      }
    }
  }
}
