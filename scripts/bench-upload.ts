/**
 * Upload benchmark: starts the real server (node src/server.ts) on a fresh temp DATA_DIR, signs in as a
 * clerk it creates (bench-server.ts: bootstrap admin -> POST /api/admin/users -> bearer token) and measures
 *   1. throughput: N distinct ~1 MiB PDFs through POST /api/documents with C concurrent clients;
 *   2. memory: one big PDF-shaped upload streamed from disk, sampling the server's RSS meanwhile.
 * It prints figures and never asserts timing; it exits non-zero only when an upload fails or a returned
 * sha256 differs from the local one. Set DATABASE_URL (and S3_*) to measure PostgreSQL (and S3); that
 * database must be empty (the run creates its users there).
 *
 *   npm run bench:upload -- [--count 200] [--concurrency 4] [--big-mb 200] [--skip-big]
 *   npm run bench:upload -- --register --skip-big     (registration through POST /api/incoming)
 *   … --workers none         the API alone: the jobs each registration queues wait (default: in-process)
 *   … --cpu-prof DIR         a V8 CPU profile of the server (node --cpu-prof) written into DIR
 * Besides wall-clock figures it prints CPU per document of the server, of the PostgreSQL backends (local
 * PostgreSQL) and of this client — the figures load on a shared machine disturbs least — and a last line
 * saying whether registration meets the target (≥ 50 documents/s with 4 clients, p95 ≤ 200 ms).
 */
import { createHash, randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { pipeline } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import { type BenchServer, readMemory, resetPeakRss, sampleRss, startServer } from './lib/bench-server.ts'
import { PostgresCpu, postgresIsLocal, processCpuMs } from './lib/cpu-time.ts'

const MIB = 1024 * 1024
const WARMUP = 10
const SAMPLE_EVERY_MS = 50
const REPO_ROOT = path.resolve(import.meta.dirname, '..')
const CORPUS_PDF = path.resolve(import.meta.dirname, '../../shared/corpus/docs/001.pdf')

const { values: flags } = parseArgs({
  options: {
    count: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '4' },
    'big-mb': { type: 'string', default: '200' },
    'skip-big': { type: 'boolean', default: false },
    // Register through POST /api/incoming (số đến, duplicate check) instead of a plain upload.
    register: { type: 'boolean', default: false },
    // Where the jobs each registration queues (page count, text layer, search) run: in the API process
    // (`npm start`'s default), or nowhere during the run (the API's own cost; the jobs wait in the queue).
    workers: { type: 'string', default: 'in-process' },
    // Write a V8 CPU profile of the server (node --cpu-prof) into this directory.
    'cpu-prof': { type: 'string' },
  },
})
const count = positiveInt('count', flags.count)
const concurrency = positiveInt('concurrency', flags.concurrency)
const bigMb = positiveInt('big-mb', flags['big-mb'])
if (flags.workers !== 'in-process' && flags.workers !== 'none') {
  console.error(`bench-upload: --workers expects in-process or none, got ${flags.workers}`)
  process.exit(2)
}

function positiveInt(name: string, raw: string): number {
  if (/^[1-9]\d*$/.test(raw)) return Number(raw)
  console.error(`bench-upload: --${name} expects a positive integer, got ${raw}`)
  process.exit(2)
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
const mibPerSec = (bytes: number, ms: number) => bytes / MIB / (ms / 1000)

// Padding made of PDF comment lines: the file stays a parseable PDF (the inspect job runs pdf-lib on it).
const PAD_LINE = `%${'.'.repeat(78)}\n`
const PADDING = Buffer.from(PAD_LINE.repeat(Math.ceil(MIB / PAD_LINE.length)))
const basePdf = readFileSync(CORPUS_PDF)
const runId = randomUUID()

/** Document `i` of this run: the corpus PDF + a unique comment + padding to 1 MiB. Unique bytes => no dedup. */
function makeDocument(i: number): Buffer {
  const marker = Buffer.from(`\n% vanthu-bench ${runId} ${i}\n`)
  const pad = Buffer.from(PADDING.subarray(0, Math.max(1, MIB - basePdf.length - marker.length)))
  pad[pad.length - 1] = 0x0a // end the last (possibly cut) comment line
  return Buffer.concat([basePdf, marker, pad])
}

type UploadResult = { status: number; sha256: string | undefined; body: string }
/** Where uploads go and as whom (the clerk's bearer token). */
type Api = Pick<BenchServer, 'baseUrl' | 'authorization'>

/** One upload's request body, built (and hashed) before any timing starts. */
interface PreparedUpload {
  contentType: string
  body: Buffer
  /** The file's own size and sha256 (what the server must answer with). */
  size: number
  expected: string
}

/**
 * The multipart body of document `i`, as a browser would send it. Built ahead of the timed phase so the
 * client's own work (building 1 MiB, hashing it, FormData copies) does not take the cores the server is
 * being measured on: on this 2-core machine that was ~11 ms of CPU per document.
 */
function prepareUpload(i: number): PreparedUpload {
  const bytes = makeDocument(i)
  const boundary = `----vanthu-bench-${runId}-${i}`
  const field = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
  const fields = flags.register
    ? field('kind', 'Công văn') + field('subject', `V/v kiểm tra hiệu năng bench-${i}.pdf`)
    : field('direction', 'incoming')
  const head = Buffer.from(
    `${fields}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench-${i}.pdf"\r\n` +
      'Content-Type: application/pdf\r\n\r\n',
  )
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    size: bytes.length,
    expected: sha256(bytes),
  }
}

// Keep-alive connections, one per client, as a browser keeps its connection to the server.
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 64 })

function uploadSmall({ baseUrl, authorization }: Api, upload: PreparedUpload): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${baseUrl}${flags.register ? '/api/incoming' : '/api/documents'}`, {
      method: 'POST',
      agent: keepAlive,
      headers: { authorization, 'content-type': upload.contentType, 'content-length': upload.body.length },
    })
    request.once('error', reject)
    request.once('response', (response) => {
      text(response).then((body) => resolve(parseUpload(response.statusCode ?? 0, body)), reject)
    })
    request.end(upload.body)
  })
}

function parseUpload(status: number, body: string): UploadResult {
  let sha: string | undefined
  try {
    const parsed = JSON.parse(body) as { file?: { sha256?: string }; document?: { files?: { sha256?: string }[] } }
    sha = parsed.file?.sha256 ?? parsed.document?.files?.[0]?.sha256
  } catch {
    // not JSON: reported through status/body
  }
  return { status, sha256: sha, body }
}

type Failures = { count: number; first: string | undefined }

function check(result: UploadResult, expected: string, failures: Failures): void {
  if (result.status === 201 && result.sha256 === expected) return
  failures.count++
  failures.first ??= `HTTP ${result.status}, sha256 ${result.sha256} (expected ${expected}): ${result.body.slice(0, 300)}`
}

/** `total` uploads spread over `concurrency` clients; every body is built (and hashed) before the clock starts. */
async function uploadMany(api: Api, firstIndex: number, total: number, failures: Failures) {
  const uploads = Array.from({ length: total }, (_, i) => prepareUpload(firstIndex + i))
  const latencies: number[] = []
  let bytes = 0
  let next = 0
  const client = async () => {
    while (next < total) {
      const upload = uploads[next++]!
      const started = performance.now()
      const result = await uploadSmall(api, upload)
      latencies.push(performance.now() - started)
      bytes += upload.size
      check(result, upload.expected, failures)
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, client))
  return { elapsedMs: performance.now() - started, latencies: latencies.sort((a, b) => a - b), bytes }
}

/**
 * Waits until the server has finished its start-up work (the route schemas it compiles once it listens,
 * the jobs the warm-up queued): under 5 % of a core over 500 ms, or 30 s at most. A steady state is what
 * the throughput figure describes.
 */
async function serverSettled(pid: number): Promise<void> {
  const deadline = performance.now() + 30_000
  let before = processCpuMs(pid)
  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500))
    const now = processCpuMs(pid)
    if (now - before < 25) return
    before = now
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0

/** A `%PDF-` header and `sizeMiB` of comment padding, written as a stream (one shared 1 MiB buffer). */
async function writeBigPdf(file: string, sizeMiB: number): Promise<{ size: number; sha256: string }> {
  const padding = PADDING.subarray(0, MIB)
  const chunks = [
    Buffer.from('%PDF-1.7\n% vanthu-bench big upload\n'),
    ...Array<Buffer>(sizeMiB).fill(padding),
  ]
  chunks.push(Buffer.from('%%EOF\n'))
  const hash = createHash('sha256')
  for (const chunk of chunks) hash.update(chunk) // hashed from the same chunks: no re-read of the file
  await pipeline(Readable.from(chunks), createWriteStream(file))
  return { size: chunks.reduce((total, chunk) => total + chunk.length, 0), sha256: hash.digest('hex') }
}

/**
 * Streams the multipart body straight from disk with a known Content-Length (fetch's FormData would
 * buffer the file in this process), so neither side needs the whole file in memory.
 */
async function uploadBig({ baseUrl, authorization }: Api, file: string, size: number): Promise<UploadResult> {
  const boundary = `vanthu-bench-${randomUUID()}`
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="direction"\r\n\r\nincoming\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n` +
      'Content-Type: application/pdf\r\n\r\n',
  )
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  const request = http.request(`${baseUrl}/api/documents`, {
    method: 'POST',
    agent: false, // a connection of its own, closed after the answer: nothing left to hold the server's exit
    headers: {
      authorization,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': head.length + size + tail.length,
    },
  })
  const answered = new Promise<UploadResult>((resolve, reject) => {
    request.once('error', reject)
    request.once('response', (response) => {
      text(response).then((body) => resolve(parseUpload(response.statusCode ?? 0, body)), reject)
    })
  })
  async function* body() {
    yield head
    yield* createReadStream(file)
    yield tail
  }
  // A server that answers early (413, 415) may close the socket mid-body: its answer is what counts.
  await pipeline(Readable.from(body()), request).catch(() => {})
  return answered
}

const mib = (value: number) => `${value.toFixed(0)} MiB`
type Row = [label: string, value: string]

/** The registration target of issue 13 (4 clients, 1 MiB PDFs, PostgreSQL). */
const TARGET = { docsPerSecond: 50, p95Ms: 200 }

/** CPU time spent by each side over a phase: the figure that load on a shared machine disturbs least. */
class CpuMeter {
  private readonly postgres: PostgresCpu | undefined
  private server = 0
  private client = 0
  private backends = new Map<number, number>()

  constructor(private readonly pid: number) {
    const url = process.env.DATABASE_URL
    this.postgres = url && postgresIsLocal(url) ? new PostgresCpu(url) : undefined
  }

  async start(): Promise<void> {
    this.backends = (await this.postgres?.read()) ?? new Map()
    this.server = processCpuMs(this.pid)
    this.client = process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000
  }

  /** ms of CPU per document since start: server process (all threads), PostgreSQL backends, this client. */
  async perDocument(documents: number) {
    const client = process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000 - this.client
    const server = processCpuMs(this.pid) - this.server
    const postgres = this.postgres ? PostgresCpu.used(this.backends, await this.postgres.read()) : Number.NaN
    return { server: server / documents, postgres: postgres / documents, client: client / documents }
  }

  close(): Promise<void> {
    return this.postgres?.close() ?? Promise.resolve()
  }
}

interface Throughput {
  rows: Row[]
  docsPerSecond: number
  p95: number
  failed: number
}

async function throughputPhase(server: BenchServer, failures: Failures): Promise<Throughput> {
  await uploadMany(server, 0, WARMUP, failures)
  await serverSettled(server.pid)
  const sampler = sampleRss(server.pid, SAMPLE_EVERY_MS)
  const cpu = new CpuMeter(server.pid)
  await cpu.start()
  const failedBefore = failures.count
  const run = await uploadMany(server, WARMUP, count, failures)
  const used = await cpu.perDocument(count)
  await cpu.close()
  const peak = sampler.stop()
  const failed = failures.count - failedBefore // figures of refused uploads mean nothing: say so beside them
  const [p50, p95] = [percentile(run.latencies, 50), percentile(run.latencies, 95)]
  const docsPerSecond = count / (run.elapsedMs / 1000)
  const ms = (value: number) => (Number.isNaN(value) ? 'n/a' : `${value.toFixed(1)} ms`)
  const rows: Row[] = [
    [`throughput (${count} x ${mib(run.bytes / count / MIB)}, ${concurrency} clients)`, `${failed} failed`],
    ['  MiB/s', mibPerSec(run.bytes, run.elapsedMs).toFixed(1)],
    ['  documents/s', docsPerSecond.toFixed(1)],
    ['  latency p50 / p95', `${p50.toFixed(0)} / ${p95.toFixed(0)} ms`],
    ['  server RSS peak', mib(peak)],
    ['  CPU per document: server (all threads)', ms(used.server)],
    ['  CPU per document: PostgreSQL backends', ms(used.postgres)],
    ['  CPU per document: this client', ms(used.client)],
    ['  load average (1 min) after the run', os.loadavg()[0]!.toFixed(2)],
  ]
  return { rows, docsPerSecond, p95, failed }
}

async function bigUploadPhase(server: BenchServer, workDir: string, failures: Failures): Promise<Row[]> {
  const bigFile = path.join(workDir, 'big.pdf')
  const big = await writeBigPdf(bigFile, bigMb)
  // A short pause so the tail of phase 1 (its inspect jobs run in the server) weighs less on this one.
  await new Promise((resolve) => setTimeout(resolve, 1000))
  const { pid } = server
  const hwmReset = resetPeakRss(pid)
  const baseline = readMemory(pid).rssMiB
  const sampler = sampleRss(pid, SAMPLE_EVERY_MS)
  const started = performance.now()
  const result = await uploadBig(server, bigFile, big.size)
  const elapsedMs = performance.now() - started
  const peak = sampler.stop()
  check(result, big.sha256, failures)
  return [
    [`big upload (${mib(big.size / MIB)}, streamed from disk)`, `HTTP ${result.status}`],
    ['  MiB/s', mibPerSec(big.size, elapsedMs).toFixed(1)],
    ['  server RSS baseline', mib(baseline)],
    [`  server RSS peak (${SAMPLE_EVERY_MS} ms samples)`, `${mib(peak)} (+${(peak - baseline).toFixed(0)})`],
    [`  server VmHWM${hwmReset ? ' (reset before upload)' : ' (since start)'}`, mib(readMemory(pid).hwmMiB)],
  ]
}

/** One line to compare runs by: the registration target is met only with every upload accepted. */
function summaryLine({ docsPerSecond, p95, failed }: Throughput): string {
  const meets = failed === 0 && docsPerSecond >= TARGET.docsPerSecond && p95 <= TARGET.p95Ms
  const what = flags.register ? 'register' : 'upload'
  return (
    `bench:upload ${what} ${concurrency} clients: ${docsPerSecond.toFixed(1)} docs/s, p95 ${p95.toFixed(0)} ms ` +
    `(target ≥ ${TARGET.docsPerSecond} docs/s, p95 ≤ ${TARGET.p95Ms} ms) ${meets ? 'MEETS' : 'MISSES'}`
  )
}

async function main(): Promise<number> {
  const runStarted = performance.now()
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-bench-data-'))
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-bench-files-'))
  const failures: Failures = { count: 0, first: undefined }
  const rows: Row[] = []
  let server: BenchServer | undefined
  let throughput: Throughput | undefined
  try {
    server = await startServer({
      repoRoot: REPO_ROOT,
      dataDir,
      uploadMaxMb: 300,
      env: { WORKERS_IN_PROCESS: String(flags.workers === 'in-process') },
      nodeArgs: flags['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(flags['cpu-prof'])}`] : [],
    })
    rows.push(['server RSS after start (fresh DATA_DIR)', mib(readMemory(server.pid).rssMiB)])
    throughput = await throughputPhase(server, failures)
    rows.push(...throughput.rows)
    if (!flags['skip-big']) rows.push(...(await bigUploadPhase(server, workDir, failures)))
    const cpus = os.cpus()
    rows.push(
      ['sha256/status mismatches', String(failures.count)],
      ['machine', `${cpus.length} CPUs (${cpus[0]?.model.trim()}), ${mib(os.totalmem() / MIB)} RAM`],
      ['node', process.version],
      ['jobs run', flags.workers === 'in-process' ? 'in the API process' : 'nowhere (left queued)'],
      ['database / storage', `${server.readiness.databaseDriver} / ${server.readiness.storageDriver}`],
    )
  } finally {
    await server?.stop()
    await rm(dataDir, { recursive: true, force: true })
    await rm(workDir, { recursive: true, force: true })
  }
  rows.push(['run time', `${((performance.now() - runStarted) / 1000).toFixed(1)} s`])
  const width = Math.max(...rows.map(([label]) => label.length))
  console.log(
    ['', 'vanthu upload benchmark', ...rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`)].join(
      '\n',
    ),
  )
  if (throughput) console.log(`\n${summaryLine(throughput)}`)
  if (failures.first) console.error(`\nfirst failure: ${failures.first}`)
  return failures.count > 0 ? 1 : 0
}

process.exitCode = await main().catch((error: unknown) => {
  console.error('bench-upload failed:', error)
  return 1
})
