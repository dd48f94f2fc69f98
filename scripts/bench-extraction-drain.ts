/**
 * Extraction backlog benchmark: how fast the text queues drain behind a burst of registrations.
 *   1. starts the API with WORKERS_IN_PROCESS=false (it queues jobs and runs none) on a fresh DATA_DIR and
 *      the PostgreSQL database of DATABASE_URL (empty; the run creates its users there), and registers
 *      `count` born-digital PDFs and `scans` scanned PDFs of ../shared/corpus through POST /api/incoming;
 *   2. starts `workers` job processes (`npm run worker`: dist/server/worker.js) and polls text_extractions
 *      until every file is done: born-digital files go through `text.extract` (text layer), scans on to
 *      `text.extract-ocr` (tesseract), beside the page-count and search jobs of the same registrations.
 * Prints documents/s for the text layer and OCR pages/s, from the workers' spawn (start-up included) and
 * from their first finished file; exits non-zero when a file fails or the backlog is not drained in time.
 *
 *   DATABASE_URL=postgres://…/empty npm run bench:drain -- [--count 200] [--scans 3] [--workers 1]
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import postgres from 'postgres'
import { type BenchServer, startServer } from './lib/bench-server.ts'

const REPO_ROOT = path.resolve(import.meta.dirname, '..')
const CORPUS = path.resolve(REPO_ROOT, '../shared/corpus/docs')
const CORPUS_DOCUMENTS = 24
const POLL_MS = 250

const { values: flags } = parseArgs({
  options: {
    count: { type: 'string', default: '200' },
    scans: { type: 'string', default: '3' },
    workers: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '4' },
    'timeout-s': { type: 'string', default: '1800' },
  },
})
const count = positiveInt('count', flags.count)
const scans = Number(flags.scans)
const workerCount = positiveInt('workers', flags.workers)
const concurrency = positiveInt('concurrency', flags.concurrency)
const timeoutMs = positiveInt('timeout-s', flags['timeout-s']) * 1000

function positiveInt(name: string, raw: string): number {
  if (/^[1-9]\d*$/.test(raw)) return Number(raw)
  console.error(`bench-drain: --${name} expects a positive integer, got ${raw}`)
  process.exit(2)
}

const databaseUrl = process.env.DATABASE_URL
if (!databaseUrl) {
  // Separate job processes need a database they can share: the embedded one admits one process.
  console.error('bench-drain: set DATABASE_URL to an empty PostgreSQL database (job processes share it)')
  process.exit(2)
}
if (!Number.isInteger(scans) || scans < 0) {
  console.error(`bench-drain: --scans expects a whole number, got ${flags.scans}`)
  process.exit(2)
}

/** Corpus file `i` (cycling through the 24 documents), made unique so no registration is a duplicate. */
function corpusFile(i: number, scanned: boolean): Buffer {
  const name = `${String((i % CORPUS_DOCUMENTS) + 1).padStart(3, '0')}${scanned ? '.scan' : ''}.pdf`
  const bytes = readFileSync(path.join(CORPUS, name))
  return Buffer.concat([bytes, Buffer.from(`\n% vanthu-bench-drain ${process.pid} ${scanned ? 's' : 'd'}${i}\n`)])
}

async function register(server: BenchServer, bytes: Buffer, name: string): Promise<void> {
  const form = new FormData()
  form.set('kind', 'Công văn')
  form.set('subject', `V/v kiểm tra tốc độ trích xuất ${name}`)
  form.set('file', new Blob([bytes], { type: 'application/pdf' }), name)
  const response = await fetch(`${server.baseUrl}/api/incoming`, {
    method: 'POST',
    headers: { authorization: server.authorization },
    body: form,
  })
  const body = await response.text()
  if (response.status !== 201) throw new Error(`register ${name}: HTTP ${response.status}: ${body.slice(0, 300)}`)
}

/** The backlog: born-digital files first, then the scans, registered by `concurrency` clients. */
async function registerBacklog(server: BenchServer): Promise<number> {
  const files = [
    ...Array.from({ length: count }, (_, i) => ({ i, scanned: false })),
    ...Array.from({ length: scans }, (_, i) => ({ i, scanned: true })),
  ]
  let next = 0
  const started = performance.now()
  const client = async () => {
    while (next < files.length) {
      const { i, scanned } = files[next++]!
      await register(server, corpusFile(i, scanned), `drain-${scanned ? 'scan' : 'pdf'}-${i}.pdf`)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, client))
  return performance.now() - started
}

/** A job process on the same database and blob directory as the API (dist/server/worker.js). */
function startWorker(dataDir: string): ChildProcess {
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => /^(PATH|HOME|TMPDIR|LANG|LC_\w+|TZ|DATABASE_\w+|OCR_\w+)$/.test(key)),
  )
  Object.assign(env, { DATA_DIR: dataDir, LOG_LEVEL: 'warn' })
  return spawn(process.execPath, ['dist/server/worker.js'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] })
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  await exited
  clearTimeout(timer)
}

interface Progress {
  files: number
  textDone: number
  ocrDone: number
  ocrPages: number
  /** Files an OCR job is reading now. */
  ocrRunning: number
  failed: number
}

async function readProgress(sql: postgres.Sql): Promise<Progress> {
  const [row] = await sql<Progress[]>`
    select count(*)::int as files,
           (count(*) filter (where state = 'done' and ocr_pages = 0))::int as "textDone",
           (count(*) filter (where state = 'done' and ocr_pages > 0))::int as "ocrDone",
           coalesce(sum(ocr_pages) filter (where state = 'done'), 0)::int as "ocrPages",
           (count(*) filter (where state = 'running' and job_id in (
             select id from pgboss.job where name = 'text.extract-ocr')))::int as "ocrRunning",
           (count(*) filter (where state = 'failed'))::int as failed
    from text_extractions`
  return row!
}

/** Wall times (ms since the workers' spawn) at which the text-layer and OCR counts last and first moved. */
interface Drain {
  progress: Progress
  firstText?: number
  lastText?: number
  firstOcr?: number
  lastOcr?: number
  /** When an OCR job was first seen reading (the scans wait behind the text-layer queue before). */
  ocrStarted?: number
  drained: boolean
}

async function watchDrain(sql: postgres.Sql, expected: number, spawnedAt: number): Promise<Drain> {
  const drain: Drain = { progress: await readProgress(sql), drained: false }
  let seen = drain.progress
  while (performance.now() - spawnedAt < timeoutMs) {
    await sleep(POLL_MS)
    const now = performance.now() - spawnedAt
    const progress = await readProgress(sql)
    if (progress.textDone > seen.textDone) {
      drain.firstText ??= now
      drain.lastText = now
    }
    if (progress.ocrRunning > 0) drain.ocrStarted ??= now
    if (progress.ocrDone > seen.ocrDone) {
      drain.firstOcr ??= now
      drain.lastOcr = now
    }
    seen = progress
    drain.progress = progress
    if (progress.files >= expected && progress.textDone + progress.ocrDone + progress.failed >= expected) {
      drain.drained = true
      break
    }
  }
  return drain
}

type Row = [label: string, value: string]

function drainRows(drain: Drain, registerMs: number): { rows: Row[]; summary: string } {
  const { progress } = drain
  const perSecond = (n: number, ms: number | undefined) => (ms ? n / (ms / 1000) : Number.NaN)
  const textRate = perSecond(progress.textDone, drain.lastText)
  const textSteady = perSecond(progress.textDone - 1, (drain.lastText ?? 0) - (drain.firstText ?? 0))
  const ocrStart = drain.ocrStarted ?? 0
  const ocrRate = perSecond(progress.ocrPages, drain.lastOcr === undefined ? undefined : drain.lastOcr - ocrStart)
  const fmt = (value: number, unit: string) =>
    Number.isFinite(value) ? `${value.toFixed(value < 1 ? 2 : 1)}${unit ? ` ${unit}` : ''}` : 'n/a'
  const seconds = (ms: number | undefined) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(1)} s`)
  const rows: Row[] = [
    [`registered (${count} born-digital + ${scans} scans, ${concurrency} clients)`, `${((count + scans) / (registerMs / 1000)).toFixed(1)} documents/s`],
    [`job processes`, `${workerCount} x npm run worker`],
    ['text layer: files done / drained at', `${progress.textDone} / ${seconds(drain.lastText)}`],
    ['  documents/s (from spawn)', fmt(textRate, '')],
    ['  documents/s (from first finished)', fmt(textSteady, '')],
    ['OCR: files done / pages / drained at', `${progress.ocrDone} / ${progress.ocrPages} / ${seconds(drain.lastOcr)}`],
    ['  OCR began at', seconds(drain.ocrStarted)],
    ['  pages/s (from the first OCR job reading)', fmt(ocrRate, '')],
    ['failed extractions', String(progress.failed)],
    ['load average (1 min) at the end', os.loadavg()[0]!.toFixed(2)],
  ]
  const summary =
    `bench:drain ${workerCount} job process${workerCount > 1 ? 'es' : ''}: text layer ${fmt(textRate, 'docs/s')} ` +
    `(${progress.textDone} files), OCR ${fmt(ocrRate, 'pages/s')} (${progress.ocrPages} pages), ` +
    `${drain.drained ? 'drained' : 'NOT drained'} in ${seconds(Math.max(drain.lastText ?? 0, drain.lastOcr ?? 0))}`
  return { rows, summary }
}

async function main(): Promise<number> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-bench-drain-'))
  const sql = postgres(databaseUrl!, { max: 1, onnotice: () => {} })
  const workers: ChildProcess[] = []
  let server: BenchServer | undefined
  try {
    server = await startServer({ repoRoot: REPO_ROOT, dataDir, uploadMaxMb: 50, env: { WORKERS_IN_PROCESS: 'false' } })
    const registerMs = await registerBacklog(server)
    const spawnedAt = performance.now()
    for (let i = 0; i < workerCount; i++) workers.push(startWorker(dataDir))
    const drain = await watchDrain(sql, count + scans, spawnedAt)
    const { rows, summary } = drainRows(drain, registerMs)
    const cpus = os.cpus()
    rows.push(['machine', `${cpus.length} CPUs (${cpus[0]?.model.trim()}), node ${process.version}`])
    const width = Math.max(...rows.map(([label]) => label.length))
    console.log(['', 'vanthu extraction backlog benchmark', ...rows.map(([l, v]) => `${l.padEnd(width)}  ${v}`), '', summary].join('\n'))
    return drain.drained && drain.progress.failed === 0 ? 0 : 1
  } finally {
    await Promise.all(workers.map(stopWorker))
    await server?.stop()
    await sql.end({ timeout: 5 })
    await rm(dataDir, { recursive: true, force: true })
  }
}

process.exitCode = await main().catch((error: unknown) => {
  console.error('bench-drain failed:', error)
  return 1
})
