/**
 * `npm run search:quality`: search quality on the shared corpus. Registers the 24 born-digital corpus
 * PDFs through POST /api/incoming with their NNN.meta.json fields, waits until their text is extracted
 * and indexed, runs the 30 queries of queries.json through GET /api/search as the registering clerk and
 * prints recall@10 and MRR (on `relevant`) and nDCG@10 (gains: relevant 2, partial 1), per query and
 * overall. The ranking knows nothing of these queries.
 *
 * Default: an in-process app on a fresh embedded database in a temporary directory (nothing else is
 * touched). Options:
 *   --url http://host:port   use a running server instead (env VANTHU_QUALITY_USER / VANTHU_QUALITY_PASSWORD:
 *                            a clerk with clearance ≥ 1; the documents are registered there for real, and
 *                            any other document the clerk sees counts as not relevant: use an empty server)
 *   --pages-from-txt         (in-process only) skip text extraction and store each NNN.txt as page 1:
 *                            the fallback for when extraction is not available
 *   --scans                  register the simulated paper scans (NNN.scan.pdf: OCR) instead
 *   --verbose                the top 10 of every query, with scores
 *   --json FILE              also write the overall figures to FILE (test/e2e/search-quality.test.ts pins them)
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { inArray } from 'drizzle-orm'
import { buildApp } from '../src/app.ts'
import { defineJobs } from '../src/jobs.ts'
import { bootstrapAdmin } from '../src/organisation/bootstrap.ts'
import { loadConfig } from '../src/platform/config.ts'
import { documentPages, textExtractions } from '../src/platform/db/schema/index.ts'
import { openPlatform, type Platform } from '../src/platform/platform.ts'
import { syncSearchIndex } from '../src/search/search-sync.job.ts'

const CORPUS = path.resolve(import.meta.dirname, '../../shared/corpus')
const args = process.argv.slice(2)
const urlArg = args.includes('--url') ? args[args.indexOf('--url') + 1] : undefined
const pagesFromTxt = args.includes('--pages-from-txt')
const verbose = args.includes('--verbose')
const scans = args.includes('--scans')
const jsonFile = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined
const TOP = 10

interface CorpusMeta {
  id: string
  kind: string
  number_notation: string
  issued_date: string
  issuer: string
  subject: string
  signer_name: string
  signer_title: string
  urgency: string | null
  secrecy: string | null
}
interface Judged {
  id: string
  query: string
  types: string[]
  relevant: string[]
  partial: string[]
}
type Call = (
  method: 'GET' | 'POST',
  url: string,
  body?: { payload: Buffer; contentType: string },
) => Promise<{ status: number; json: unknown }>

const ids = Array.from({ length: 24 }, (_, i) => String(i + 1).padStart(3, '0'))
const queries = (
  JSON.parse(await readFile(path.join(CORPUS, 'queries.json'), 'utf8')) as { queries: Judged[] }
).queries

let platform: Platform | undefined
let cleanup = async () => {}
let call: Call
try {
  if (urlArg) {
    call = await remoteCaller(urlArg)
  } else {
    const local = await startLocal()
    call = local.call
    platform = local.platform
    cleanup = local.close
  }
  const documentOf = await registerCorpus(call)
  await waitUntilIndexed(call, [...documentOf.keys()])
  const scored = await runQueries(call, documentOf)
  report(scored)
  if (jsonFile) await writeFile(jsonFile, JSON.stringify(overall(scored)))
} finally {
  await cleanup()
}

async function startLocal() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-search-quality-'))
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test' })
  const localPlatform = await openPlatform(config)
  defineJobs(localPlatform)
  await localPlatform.jobs.start({ work: !pagesFromTxt })
  const app = await buildApp({ platform: localPlatform, logger: false })
  await app.ready()
  const password = `Kiểm thử chất lượng ${randomBytes(6).toString('hex')}`
  await bootstrapAdmin(localPlatform.database, password)
  let headers: Record<string, string> = {}
  const inject: Call = async (method, url, body) => {
    const response = await app.inject({
      method,
      url,
      headers: { ...headers, ...(body ? { 'content-type': body.contentType } : {}) },
      ...(body ? { payload: body.payload } : {}),
    })
    return { status: response.statusCode, json: response.body ? JSON.parse(response.body) : null }
  }
  headers = await tokenHeaders(inject, 'admin', password)
  const department = await expectJson(
    inject('POST', '/api/admin/departments', json({ name: 'Văn phòng', abbreviation: 'VP' })),
    201,
  )
  await expectJson(
    inject(
      'POST',
      '/api/admin/users',
      json({
        username: 'vanthu',
        fullName: 'Văn thư',
        roles: ['clerk'],
        departmentId: (department as { id: string }).id,
        clearance: 1,
        password,
      }),
    ),
    201,
  )
  headers = await tokenHeaders(inject, 'vanthu', password)
  return {
    call: inject,
    platform: localPlatform,
    async close() {
      await app.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

async function remoteCaller(base: string): Promise<Call> {
  const username = process.env.VANTHU_QUALITY_USER
  const password = process.env.VANTHU_QUALITY_PASSWORD
  if (!username || !password)
    throw new Error('--url needs VANTHU_QUALITY_USER and VANTHU_QUALITY_PASSWORD (a clerk)')
  let headers: Record<string, string> = {}
  const fetchCall: Call = async (method, url, body) => {
    const response = await fetch(new URL(url, base), {
      method,
      headers: { ...headers, ...(body ? { 'content-type': body.contentType } : {}) },
      ...(body ? { body: body.payload } : {}),
    })
    const text = await response.text()
    return { status: response.status, json: text ? JSON.parse(text) : null }
  }
  headers = await tokenHeaders(fetchCall, username, password)
  return fetchCall
}

async function tokenHeaders(send: Call, username: string, password: string) {
  const body = (await expectJson(send('POST', '/api/auth/token', json({ username, password })), 200)) as {
    token: string
  }
  return { authorization: `Bearer ${body.token}` }
}

function json(value: object) {
  return { payload: Buffer.from(JSON.stringify(value)), contentType: 'application/json' }
}

async function expectJson(pending: Promise<{ status: number; json: unknown }>, status: number) {
  const response = await pending
  if (response.status !== status) throw new Error(`HTTP ${response.status}: ${JSON.stringify(response.json)}`)
  return response.json
}

/** Registers every corpus PDF with its metadata; answers document id → corpus id. */
async function registerCorpus(send: Call): Promise<Map<string, string>> {
  const documentOf = new Map<string, string>()
  for (const id of ids) {
    const meta = JSON.parse(
      await readFile(path.join(CORPUS, 'docs', `${id}.meta.json`), 'utf8'),
    ) as CorpusMeta
    const fields: Record<string, string | null> = {
      issuer: meta.issuer,
      numberNotation: meta.number_notation,
      documentDate: meta.issued_date,
      kind: meta.kind,
      subject: meta.subject,
      signer: meta.signer_name,
      urgency: meta.urgency,
      secrecy: meta.secrecy,
      confirmDuplicate: 'true',
    }
    const pdf = await readFile(path.join(CORPUS, 'docs', scans ? `${id}.scan.pdf` : `${id}.pdf`))
    const body = (await expectJson(
      send('POST', '/api/incoming', multipart(fields, `${id}.pdf`, pdf)),
      201,
    )) as {
      id: string
      document: { files: { id: string }[] }
    }
    documentOf.set(body.id, id)
    if (pagesFromTxt && platform) {
      const text = await readFile(path.join(CORPUS, 'docs', `${id}.txt`), 'utf8')
      const fileId = body.document.files[0]!.id
      await platform.database.db
        .insert(documentPages)
        .values({ fileId, documentId: body.id, pageNumber: 1, text, engine: 'text-layer' })
    }
  }
  console.log(
    `registered ${documentOf.size} corpus ${scans ? 'scans' : 'PDFs'}${pagesFromTxt ? ' (page texts from NNN.txt)' : ''}`,
  )
  return documentOf
}

function multipart(fields: Record<string, string | null>, fileName: string, data: Buffer) {
  const boundary = `----vanthu${randomBytes(8).toString('hex')}`
  const parts: Buffer[] = []
  for (const [name, value] of Object.entries(fields)) {
    if (value === null) continue
    parts.push(
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    )
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${fileName}"\r\ncontent-type: application/pdf\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  )
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` }
}

/** Text extraction done for every file, then the search outbox drained. */
async function waitUntilIndexed(send: Call, documentIds: string[]) {
  const started = Date.now()
  const deadline = started + 15 * 60_000
  if (platform) {
    const { db } = platform.database
    while (!pagesFromTxt) {
      const states = await db
        .select()
        .from(textExtractions)
        .where(inArray(textExtractions.documentId, documentIds))
      const finished = states.filter((s) => s.state === 'done' || s.state === 'failed')
      process.stdout.write(`\rtext extracted for ${finished.length}/${states.length} files`)
      if (states.length >= documentIds.length && finished.length === states.length) break
      if (Date.now() > deadline) throw new Error('text extraction did not finish in 15 minutes')
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
    const failed = (
      await db.select().from(textExtractions).where(inArray(textExtractions.documentId, documentIds))
    ).filter((s) => s.state === 'failed')
    if (failed.length > 0)
      console.log(
        `\n${failed.length} file(s) failed extraction: ${failed.map((f) => f.errorCode).join(', ')}`,
      )
    const synced = await syncSearchIndex(platform)
    console.log(`\nindexed ${synced.indexed} documents (${((Date.now() - started) / 1000).toFixed(0)} s)`)
    return
  }
  for (const id of documentIds) {
    for (;;) {
      const document = (await expectJson(send('GET', `/api/documents/${id}`), 200)) as {
        files: { text?: { state: string } | null }[]
      }
      if (
        document.files.every(
          (file) => !file.text || file.text.state === 'done' || file.text.state === 'failed',
        )
      )
        break
      if (Date.now() > deadline) throw new Error('text extraction did not finish in 15 minutes')
      await new Promise((resolve) => setTimeout(resolve, 2000))
    }
  }
  // The server's sync job runs with each change and at least once a minute.
  console.log('text extracted; waiting 65 s for the search sync')
  await new Promise((resolve) => setTimeout(resolve, 65_000))
}

interface Scored {
  query: Judged
  top: string[]
  recall: number
  reciprocalRank: number
  ndcg: number
}

async function runQueries(send: Call, documentOf: Map<string, string>): Promise<Scored[]> {
  const scored: Scored[] = []
  for (const query of queries) {
    const result = (await expectJson(
      send('GET', `/api/search?${new URLSearchParams({ q: query.query, limit: String(TOP) })}`),
      200,
    )) as {
      hits: { document: { id: string }; score: number }[]
    }
    const top = result.hits.map((hit) => documentOf.get(hit.document.id) ?? '?')
    if (verbose)
      console.log(query.id, result.hits.map((hit, i) => `${top[i]}:${hit.score.toFixed(3)}`).join(' '))
    const found = query.relevant.filter((id) => top.includes(id)).length
    const firstRelevant = top.findIndex((id) => query.relevant.includes(id))
    const gain = (id: string) => (query.relevant.includes(id) ? 2 : query.partial.includes(id) ? 1 : 0)
    const dcg = top.reduce((sum, id, rank) => sum + gain(id) / Math.log2(rank + 2), 0)
    const ideal = [...query.relevant.map(() => 2), ...query.partial.map(() => 1)]
      .slice(0, TOP)
      .reduce((sum, g, rank) => sum + g / Math.log2(rank + 2), 0)
    scored.push({
      query,
      top,
      recall: query.relevant.length > 0 ? found / query.relevant.length : 1,
      reciprocalRank: firstRelevant >= 0 ? 1 / (firstRelevant + 1) : 0,
      ndcg: ideal > 0 ? dcg / ideal : 1,
    })
  }
  return scored
}

function overall(scored: Scored[]) {
  const mean = (pick: (s: Scored) => number) => scored.reduce((sum, s) => sum + pick(s), 0) / scored.length
  return {
    queries: scored.length,
    recallAt10: mean((s) => s.recall),
    mrr: mean((s) => s.reciprocalRank),
    ndcgAt10: mean((s) => s.ndcg),
  }
}

function report(scored: Scored[]) {
  const f = (n: number) => n.toFixed(3)
  console.log(`\n${'query'.padEnd(42)} recall@10   RR  nDCG@10  top ${verbose ? TOP : 5}`)
  for (const s of scored) {
    const label = `${s.query.id} ${s.query.query}`.slice(0, 41).padEnd(42)
    const top = s.top
      .slice(0, verbose ? TOP : 5)
      .map((id) => (s.query.relevant.includes(id) ? `${id}*` : s.query.partial.includes(id) ? `${id}~` : id))
    console.log(
      `${label} ${f(s.recall).padStart(9)} ${f(s.reciprocalRank)} ${f(s.ndcg).padStart(8)}  ${top.join(' ')}`,
    )
  }
  const figures = overall(scored)
  console.log(`\n(* relevant, ~ partial)`)
  console.log(
    `overall on ${figures.queries} queries: recall@10 ${f(figures.recallAt10)}, MRR ${f(figures.mrr)}, nDCG@10 ${f(figures.ndcgAt10)}`,
  )
  const types = [...new Set(scored.flatMap((s) => s.query.types))].sort()
  for (const type of types) {
    const subset = scored.filter((s) => s.query.types.includes(type))
    const m = (pick: (s: Scored) => number) => subset.reduce((sum, s) => sum + pick(s), 0) / subset.length
    console.log(
      `  ${type.padEnd(22)} n=${String(subset.length).padStart(2)}  recall@10 ${f(m((s) => s.recall))}  MRR ${f(m((s) => s.reciprocalRank))}`,
    )
  }
}
