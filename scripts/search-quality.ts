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
 *   --engine postgres|meili  (in-process only) the search engine: the embedded PostgreSQL full-text search
 *                            (default) or Meilisearch at MEILI_URL (MEILI_API_KEY), in an index of its own
 *                            that is deleted afterwards
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { inArray } from 'drizzle-orm'
import { Meilisearch } from 'meilisearch'
import { buildApp } from '../src/app.ts'
import { defineJobs } from '../src/jobs.ts'
import { bootstrapAdmin } from '../src/organisation/bootstrap.ts'
import { loadConfig } from '../src/platform/config.ts'
import { documentPages, textExtractions } from '../src/platform/db/schema/index.ts'
import { openPlatform, type Platform } from '../src/platform/platform.ts'
import { syncSearchIndex } from '../src/search/search-sync.job.ts'
import {
  type Call,
  CORPUS,
  expectJson,
  json,
  judgedQueries,
  overall,
  registerCorpus,
  report,
  runQueries,
  tokenHeaders,
} from './lib/corpus-quality.ts'

const args = process.argv.slice(2)
const urlArg = args.includes('--url') ? args[args.indexOf('--url') + 1] : undefined
const pagesFromTxt = args.includes('--pages-from-txt')
const verbose = args.includes('--verbose')
const scans = args.includes('--scans')
const jsonFile = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined
const engine = args.includes('--engine') ? args[args.indexOf('--engine') + 1] : 'postgres'
if (engine !== 'postgres' && engine !== 'meili') {
  console.error(`search-quality: --engine expects postgres or meili, got ${engine}`)
  process.exit(2)
}
if (engine === 'meili' && (!process.env.MEILI_URL || urlArg)) {
  console.error('search-quality: --engine meili needs MEILI_URL (and runs in process, without --url)')
  process.exit(2)
}

const queries = await judgedQueries()

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
  const { documentOf, fileOf } = await registerCorpus(call, { scans })
  console.log(`registered ${documentOf.size} corpus ${scans ? 'scans' : 'PDFs'}${pagesFromTxt ? ' (page texts from NNN.txt)' : ''}`)
  if (pagesFromTxt && platform) {
    for (const [documentId, id] of documentOf) {
      const text = await readFile(path.join(CORPUS, 'docs', `${id}.txt`), 'utf8')
      await platform.database.db
        .insert(documentPages)
        .values({ fileId: fileOf.get(documentId)!, documentId, pageNumber: 1, text, engine: 'text-layer' })
    }
  }
  await waitUntilIndexed(call, [...documentOf.keys()])
  const scored = await runQueries(call, queries, documentOf, { verbose })
  console.log(`engine: ${platform?.search.name ?? 'the server\'s'}`)
  report(scored, { verbose })
  if (jsonFile) await writeFile(jsonFile, JSON.stringify({ ...overall(scored), engine: platform?.search.name }))
} finally {
  await cleanup()
}

async function startLocal() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-search-quality-'))
  const meiliIndex = `vanthu-quality-${randomBytes(4).toString('hex')}`
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ...(engine === 'meili'
      ? {
          MEILI_URL: process.env.MEILI_URL!,
          MEILI_INDEX: meiliIndex,
          ...(process.env.MEILI_API_KEY ? { MEILI_API_KEY: process.env.MEILI_API_KEY } : {}),
        }
      : {}),
  })
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
      if (config.meili) {
        const client = new Meilisearch({ host: config.meili.url, apiKey: config.meili.apiKey })
        await client.deleteIndex(meiliIndex).waitTask({ timeout: 60_000 })
      }
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

