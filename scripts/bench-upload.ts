/**
 * Upload benchmark: starts the real server (node src/server.ts) on a fresh temp DATA_DIR and measures
 *   1. throughput: N distinct ~1 MiB PDFs through POST /api/documents with C concurrent clients;
 *   2. memory: one big PDF-shaped upload streamed from disk, sampling the server's RSS meanwhile.
 * It prints figures and never asserts timing; it exits non-zero only when an upload fails or a returned
 * sha256 differs from the local one. Set DATABASE_URL (and S3_*) to measure PostgreSQL (and S3).
 *
 *   npm run bench:upload -- [--count 200] [--concurrency 4] [--big-mb 200] [--skip-big]
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
  },
})
const count = positiveInt('count', flags.count)
const concurrency = positiveInt('concurrency', flags.concurrency)
const bigMb = positiveInt('big-mb', flags['big-mb'])

function positiveInt(name: string, raw: string): number {
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} expects a positive integer, got ${raw}`)
  return value
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

interface UploadResult {
  status: number
  sha256: string | undefined
  body: string
}

async function uploadSmall(baseUrl: string, bytes: Buffer, name: string): Promise<UploadResult> {
  const form = new FormData()
  form.set('direction', 'incoming')
  form.set('file', new Blob([bytes], { type: 'application/pdf' }), name)
  const response = await fetch(`${baseUrl}/api/documents`, { method: 'POST', body: form })
  return parseUpload(response.status, await response.text())
}

function parseUpload(status: number, body: string): UploadResult {
  let sha: string | undefined
  try {
    sha = (JSON.parse(body) as { file?: { sha256?: string } }).file?.sha256
  } catch {
    // not JSON: reported through status/body
  }
  return { status, sha256: sha, body }
}

interface Failures {
  count: number
  first: string | undefined
}

function check(result: UploadResult, expected: string, failures: Failures): void {
  if (result.status === 201 && result.sha256 === expected) return
  failures.count++
  failures.first ??= `HTTP ${result.status}, sha256 ${result.sha256} (expected ${expected}): ${result.body.slice(0, 300)}`
}

/** `total` uploads spread over `concurrency` clients; each file is built (and hashed) outside its timing. */
async function uploadMany(baseUrl: string, firstIndex: number, total: number, failures: Failures) {
  const latencies: number[] = []
  let bytes = 0
  let next = 0
  const client = async () => {
    while (next < total) {
      const i = firstIndex + next++
      const doc = makeDocument(i)
      const expected = sha256(doc)
      const started = performance.now()
      const result = await uploadSmall(baseUrl, doc, `bench-${i}.pdf`)
      latencies.push(performance.now() - started)
      bytes += doc.length
      check(result, expected, failures)
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, client))
  return { elapsedMs: performance.now() - started, latencies: latencies.sort((a, b) => a - b), bytes }
}

const percentile = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0

/** A `%PDF-` header and `sizeMiB` of comment padding, written as a stream and hashed on the way. */
async function writeBigPdf(file: string, sizeMiB: number): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256')
  const header = Buffer.from('%PDF-1.7\n% vanthu-bench big upload\n')
  const trailer = Buffer.from('%%EOF\n')
  async function* chunks() {
    yield header
    for (let i = 0; i < sizeMiB; i++) yield PADDING.subarray(0, MIB)
    yield trailer
  }
  let size = 0
  async function* hashed(source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      hash.update(chunk)
      size += chunk.length
      yield chunk
    }
  }
  await pipeline(chunks, hashed, createWriteStream(file))
  return { size, sha256: hash.digest('hex') }
}

/**
 * Streams the multipart body straight from disk with a known Content-Length (fetch's FormData would
 * buffer the file in this process), so neither side needs the whole file in memory.
 */
async function uploadBig(baseUrl: string, file: string, size: number): Promise<UploadResult> {
  const boundary = `vanthu-bench-${randomUUID()}`
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="direction"\r\n\r\nincoming\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n` +
      'Content-Type: application/pdf\r\n\r\n',
  )
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  const request = http.request(`${baseUrl}/api/documents`, {
    method: 'POST',
    headers: {
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

async function main(): Promise<number> {
  const runStarted = performance.now()
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-bench-data-'))
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-bench-files-'))
  const failures: Failures = { count: 0, first: undefined }
  const rows: [string, string][] = []
  let server: BenchServer | undefined
  try {
    server = await startServer({ repoRoot: REPO_ROOT, dataDir, uploadMaxMb: 300 })
    const { pid, baseUrl, readiness } = server
    rows.push(['server RSS after start', `${readMemory(pid).rssMiB.toFixed(0)} MiB`])

    await uploadMany(baseUrl, 0, WARMUP, failures)
    const sampler = sampleRss(pid, SAMPLE_EVERY_MS)
    const run = await uploadMany(baseUrl, WARMUP, count, failures)
    const throughputPeak = sampler.stop()
    rows.push(
      [`throughput (${count} x ${(run.bytes / count / MIB).toFixed(2)} MiB, ${concurrency} clients)`, ''],
      ['  MiB/s', mibPerSec(run.bytes, run.elapsedMs).toFixed(1)],
      ['  documents/s', (count / (run.elapsedMs / 1000)).toFixed(1)],
      ['  latency p50 / p95', `${percentile(run.latencies, 50).toFixed(0)} / ${percentile(run.latencies, 95).toFixed(0)} ms`],
      ['  server peak RSS', `${throughputPeak.toFixed(0)} MiB`],
    )

    if (!flags['skip-big']) {
      const bigFile = path.join(workDir, 'big.pdf')
      const big = await writeBigPdf(bigFile, bigMb)
      await new Promise((resolve) => setTimeout(resolve, 1000)) // let the inspect jobs of phase 1 settle
      const hwmReset = resetPeakRss(pid)
      const baseline = readMemory(pid).rssMiB
      const bigSampler = sampleRss(pid, SAMPLE_EVERY_MS)
      const started = performance.now()
      const result = await uploadBig(baseUrl, bigFile, big.size)
      const elapsedMs = performance.now() - started
      const peak = bigSampler.stop()
      check(result, big.sha256, failures)
      rows.push(
        [`big upload (${(big.size / MIB).toFixed(0)} MiB, streamed from disk)`, `HTTP ${result.status}`],
        ['  MiB/s', mibPerSec(big.size, elapsedMs).toFixed(1)],
        ['  server RSS baseline', `${baseline.toFixed(0)} MiB`],
        [`  server RSS peak (${SAMPLE_EVERY_MS} ms samples)`, `${peak.toFixed(0)} MiB (+${(peak - baseline).toFixed(0)})`],
        [`  server VmHWM${hwmReset ? ' (reset before upload)' : ' (since start)'}`, `${readMemory(pid).hwmMiB.toFixed(0)} MiB`],
      )
    }
    rows.push(
      ['sha256/status mismatches', String(failures.count)],
      ['machine', `${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`],
      ['node', process.version],
      ['database / storage', `${readiness.databaseDriver} / ${readiness.storageDriver}`],
    )
  } finally {
    await server?.stop()
    await rm(dataDir, { recursive: true, force: true })
    await rm(workDir, { recursive: true, force: true })
  }
  rows.push(['run time', `${((performance.now() - runStarted) / 1000).toFixed(1)} s`])
  const width = Math.max(...rows.map(([label]) => label.length))
  console.log(`\nvanthu upload benchmark\n${rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n')}`)
  if (failures.first) console.error(`\nfirst failure: ${failures.first}`)
  return failures.count > 0 ? 1 : 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    console.error('bench-upload failed:', error)
    process.exitCode = 1
  },
)
