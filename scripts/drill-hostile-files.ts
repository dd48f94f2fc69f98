/**
 * Hostile-files drill (issue 13, item 5): starts the real compiled server on a fresh temp DATA_DIR
 * (bench-server.ts), uploads each file of the hostile corpus (scripts/lib/hostile-files.ts) plus two real
 * documents, waits for its jobs, and samples the server's RSS meanwhile. Prints, per file, how its upload
 * and jobs ended and the server's peak RSS, then one summary line against the 1 GiB target. Exits
 * non-zero when the server died, a job did not end, a file ended otherwise than expected, or the peak
 * passed the target. Set DATABASE_URL to run it on PostgreSQL (an empty database).
 *
 *   npm run drill:hostile-files -- [--only flate-bomb,deep-nesting] [--corpus-dir /tmp/x] [--target-mb 1024]
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { type BenchServer, readMemory, resetPeakRss, sampleRss, startServer } from './lib/bench-server.ts'
import { assemblePdf, HOSTILE_FILES, type HostileFile, writeHostileFiles } from './lib/hostile-files.ts'

const REPO_ROOT = path.resolve(import.meta.dirname, '..')
const CORPUS = path.resolve(import.meta.dirname, '../../shared/corpus/docs')
const SAMPLE_EVERY_MS = 25
const JOB_TIMEOUT_MS = 300_000

const { values: flags } = parseArgs({
  options: {
    only: { type: 'string' },
    'corpus-dir': { type: 'string', default: path.join(os.tmpdir(), 'vanthu-hostile-files') },
    'target-mb': { type: 'string', default: '1024' },
    // A real-shaped big upload: one text page plus an attachment of this many MiB (0: none).
    'big-mb': { type: 'string', default: '200' },
  },
})
const targetMiB = Number(flags['target-mb'])

/** Real documents go through the same server, so the drill also shows the budgets let them pass. */
const CONTROLS: (HostileFile & { path: string })[] = [
  {
    name: 'control-born-digital',
    fileName: '001.pdf',
    mediaType: 'application/pdf',
    attack: 'none: a real born-digital PDF',
    path: path.join(CORPUS, '001.pdf'),
    build: async () => readFileSync(path.join(CORPUS, '001.pdf')),
  },
  {
    name: 'control-scan-png',
    fileName: '002.scan.png',
    mediaType: 'image/png',
    attack: 'none: a real scanned page (joined into a PDF, then OCR)',
    path: path.join(CORPUS, '002.scan.png'),
    build: async () => readFileSync(path.join(CORPUS, '002.scan.png')),
  },
]

interface Outcome {
  name: string
  upload: number
  text: string
  inspect: string
  peakMiB: number
  /** RSS when the upload started: the peak minus this is what the file cost. */
  beforeMiB: number
  ok: boolean
  seconds: number
}

/**
 * A text PDF carrying a big embedded file (uncompressed random bytes) before its page: the text is read
 * by ranges, so the server should not need the whole file in memory.
 */
async function bigTextPdf(dir: string, mib: number): Promise<string> {
  const target = path.join(dir, `big-text-${mib}mb.pdf`)
  if (existsSync(target)) return target
  const attachment = randomBytes(mib * 1024 * 1024)
  const content = Buffer.from(
    `BT /F1 14 Tf 72 720 Td (${'Bao cao tong hop ket qua cong tac nam 2026 '.repeat(2)}) Tj ET`,
  )
  const pdf = assemblePdf([
    '<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(du-lieu.bin) << /Type /Filespec /F (du-lieu.bin) /EF << /F 6 0 R >> >>] >> >> >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    Buffer.concat([
      Buffer.from(`<< /Length ${content.length} >>\nstream\n`),
      content,
      Buffer.from('\nendstream'),
    ]),
    Buffer.concat([
      Buffer.from(`<< /Type /EmbeddedFile /Length ${attachment.length} >>\nstream\n`),
      attachment,
      Buffer.from('\nendstream'),
    ]),
  ])
  await writeFile(target, pdf)
  return target
}

async function main() {
  const only = flags.only?.split(',')
  const started = Date.now()
  const paths = await writeHostileFiles(flags['corpus-dir']!, only)
  const bigMb = Number(flags['big-mb'])
  if (bigMb > 0 && (!only || only.includes('control-big-pdf'))) {
    const big = await bigTextPdf(flags['corpus-dir']!, bigMb)
    CONTROLS.push({
      name: 'control-big-pdf',
      fileName: path.basename(big),
      mediaType: 'application/pdf',
      attack: `none: a ${bigMb} MiB PDF (one text page and an attachment)`,
      path: big,
      build: async () => readFileSync(big),
    })
  }
  console.log(`corpus ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${flags['corpus-dir']})`)
  const files = [
    ...CONTROLS.filter((c) => !only || only.includes(c.name)),
    ...HOSTILE_FILES.filter((f) => paths.has(f.name)).map((f) => ({ ...f, path: paths.get(f.name)! })),
  ]
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-drill-hostile-'))
  const server = await startServer({ repoRoot: REPO_ROOT, dataDir, uploadMaxMb: 512 })
  const idleMiB = readMemory(server.pid).rssMiB
  console.log(
    `server pid ${server.pid} (${server.readiness.databaseDriver}, ${server.readiness.storageDriver}), idle RSS ${idleMiB.toFixed(0)} MiB`,
  )
  console.log(
    `\n${'file'.padEnd(22)} ${'upload'.padStart(6)}  ${'text job'.padEnd(26)} ${'inspect'.padEnd(28)} peak RSS (file's own)   time`,
  )
  const outcomes: Outcome[] = []
  try {
    for (const file of files) {
      const outcome = await drill(server, file)
      outcomes.push(outcome)
      console.log(
        `${outcome.name.padEnd(22)} ${String(outcome.upload).padStart(6)}  ${outcome.text.padEnd(26)} ${outcome.inspect.padEnd(28)} ${outcome.peakMiB.toFixed(0).padStart(5)} MiB (+${Math.max(
          0,
          outcome.peakMiB - outcome.beforeMiB,
        )
          .toFixed(0)
          .padStart(4)} MiB) ${outcome.seconds.toFixed(1).padStart(5)} s${outcome.ok ? '' : '  UNEXPECTED'}`,
      )
    }
  } finally {
    await server.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
  const peak = Math.max(...outcomes.map((o) => o.peakMiB))
  const worst = outcomes.find((o) => o.peakMiB === peak)
  const hostile = outcomes.filter((o) => !o.name.startsWith('control-'))
  const worstRise = Math.max(0, ...hostile.map((o) => o.peakMiB - o.beforeMiB))
  const unexpected = outcomes.filter((o) => !o.ok).map((o) => o.name)
  const pass = peak <= targetMiB && unexpected.length === 0
  console.log(
    `\nhostile-files: ${outcomes.length} files, peak server RSS ${peak.toFixed(0)} MiB (${worst?.name}), idle ${idleMiB.toFixed(0)} MiB, largest rise for a hostile file +${worstRise.toFixed(0)} MiB, target ≤ ${targetMiB} MiB, unexpected endings: ${unexpected.length ? unexpected.join(', ') : 'none'} → ${pass ? 'PASS' : 'FAIL'}`,
  )
  if (!pass) process.exitCode = 1
}

async function drill(server: BenchServer, file: HostileFile & { path: string }): Promise<Outcome> {
  const data = await readFile(file.path)
  resetPeakRss(server.pid)
  const beforeMiB = readMemory(server.pid).rssMiB
  const sampler = sampleRss(server.pid, SAMPLE_EVERY_MS)
  const started = Date.now()
  const isImage = file.mediaType !== 'application/pdf'
  const form = new FormData()
  if (isImage) form.append('kind', 'Công văn')
  else form.append('direction', 'incoming')
  form.append('file', new Blob([data], { type: file.mediaType }), file.fileName)
  const response = await fetch(`${server.baseUrl}${isImage ? '/api/incoming' : '/api/documents'}`, {
    method: 'POST',
    headers: { authorization: server.authorization },
    body: form,
  })
  const body = (await response.json()) as {
    document?: { id: string }
    inspectJobId?: string
    code?: string
  }
  let text = response.ok ? '' : `(${body.code})`
  let inspect = ''
  if (response.ok && body.document) {
    text = await textOutcome(server, body.document.id)
    inspect = body.inspectJobId ? await jobOutcome(server, body.inspectJobId) : 'none'
  }
  // The server must still answer: a blown-up process would not.
  const alive = (await fetch(`${server.baseUrl}/readyz`).catch(() => undefined))?.status === 200
  const sampled = sampler.stop()
  let hwm = 0
  try {
    hwm = readMemory(server.pid).hwmMiB
  } catch {
    // the server is gone: `alive` says so
  }
  const expectedStatus = file.uploadStatus ?? 201
  const ok =
    alive &&
    response.status === expectedStatus &&
    (file.expectedError === undefined || text === `failed: ${file.expectedError}`) &&
    !text.startsWith('timeout')
  return {
    name: file.name,
    upload: response.status,
    text,
    inspect,
    peakMiB: Math.max(sampled, hwm),
    beforeMiB,
    ok,
    seconds: (Date.now() - started) / 1000,
  }
}

async function textOutcome(server: BenchServer, documentId: string): Promise<string> {
  const deadline = Date.now() + JOB_TIMEOUT_MS
  while (Date.now() < deadline) {
    const response = await fetch(`${server.baseUrl}/api/documents/${documentId}/text`, {
      headers: { authorization: server.authorization },
    })
    const { files } = (await response.json()) as { files: { state: string; errorCode: string | null }[] }
    const file = files[0]
    if (file?.state === 'done') return 'done'
    if (file?.state === 'failed') return `failed: ${file.errorCode}`
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return 'timeout'
}

async function jobOutcome(server: BenchServer, jobId: string): Promise<string> {
  const deadline = Date.now() + JOB_TIMEOUT_MS
  while (Date.now() < deadline) {
    const response = await fetch(`${server.baseUrl}/api/jobs/${jobId}`, {
      headers: { authorization: server.authorization },
    })
    if (response.ok) {
      const job = (await response.json()) as {
        state: string
        output?: { refused?: string; pageCount?: number }
      }
      if (job.state === 'completed')
        return job.output?.refused
          ? `refused: ${job.output.refused}`
          : `pages: ${job.output?.pageCount ?? '?'}`
      if (job.state === 'failed') return 'failed'
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return 'timeout'
}

await main()
