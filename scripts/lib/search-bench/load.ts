/**
 * Fills a benchmark instance: the agency's departments and users through the admin API, the synthetic
 * documents through the bulk path, the search index through the sync's own projection, and the 24
 * corpus documents through the real write path (POST /api/incoming, text extraction, search sync) in a
 * department of their own, where a clerk measures relevance exactly as `npm run search:quality` does.
 */
import { inArray } from 'drizzle-orm'
import { buildApp } from '../../../src/app.ts'
import { defineJobs } from '../../../src/jobs.ts'
import { bootstrapAdmin } from '../../../src/organisation/bootstrap.ts'
import { loadConfig } from '../../../src/platform/config.ts'
import { departments, textExtractions, users } from '../../../src/platform/db/schema/index.ts'
import { openPlatform, type Platform } from '../../../src/platform/platform.ts'
import { syncSearchIndex } from '../../../src/search/search-sync.job.ts'
import { type Call, expectJson, json, registerCorpus, tokenHeaders } from '../corpus-quality.ts'
import { type BenchAgency, bulkLoader, indexDocuments, withoutSearchIndexes } from './bulk-load.ts'
import { BENCH_DEPARTMENTS, BENCH_USERS, type DepartmentKey, documentAt, GENERATOR_VERSION } from './generator.ts'
import type { BenchInstance, InstanceMarker } from './instance.ts'

export const BENCH_PASSWORD = 'Mật khẩu benchmark tìm kiếm 2026'
/** The relevance department and its clerk (clearance 1, as search:quality's clerk). */
export const CORPUS_DEPARTMENT = { name: 'Phòng Lưu trữ mẫu', abbreviation: 'LTM' }
export const CORPUS_CLERK = { username: 'vanthumau', fullName: 'Văn thư mẫu', roles: ['clerk'], clearance: 1 }

export async function openBenchPlatform(instance: BenchInstance, work = false): Promise<Platform> {
  const config = loadConfig({ ...instance.env, LOG_LEVEL: 'silent', NODE_ENV: 'production' })
  const platform = await openPlatform(config)
  defineJobs(platform)
  await platform.jobs.start({ work })
  return platform
}

async function inProcessCaller(platform: Platform) {
  const app = await buildApp({ platform, closePlatformWithApp: false, logger: false })
  await app.ready()
  let headers: Record<string, string> = {}
  const call: Call = async (method, url, body) => {
    const response = await app.inject({
      method,
      url,
      headers: { ...headers, ...(body ? { 'content-type': body.contentType } : {}) },
      ...(body ? { payload: body.payload } : {}),
    })
    return { status: response.statusCode, json: response.body ? JSON.parse(response.body) : null }
  }
  return {
    call,
    signIn: async (username: string, password: string) => {
      headers = await tokenHeaders(call, username, password)
    },
    close: () => app.close(),
  }
}

/** The agency, departments and users (by generator key) of a loaded instance. */
export async function benchAgency(platform: Platform): Promise<BenchAgency> {
  const { db } = platform.database
  const names = BENCH_DEPARTMENTS.map((d) => d.name)
  const rows = await db.select().from(departments).where(inArray(departments.name, names))
  const people = await db
    .select()
    .from(users)
    .where(
      inArray(
        users.username,
        BENCH_USERS.map((u) => u.username),
      ),
    )
  const agencyId = people[0]?.agencyId
  if (!agencyId) throw new Error('bench: the instance has no benchmark users')
  return {
    agencyId,
    departments: Object.fromEntries(
      BENCH_DEPARTMENTS.map((d) => [d.key, rows.find((row) => row.name === d.name)!.id]),
    ) as Record<DepartmentKey, string>,
    users: Object.fromEntries(
      BENCH_USERS.map((u) => {
        const row = people.find((p) => p.username === u.username)!
        return [u.key, { id: row.id, departmentId: row.departmentId }]
      }),
    ),
  }
}

async function createOrganisation(platform: Platform) {
  await bootstrapAdmin(platform.database, BENCH_PASSWORD)
  const api = await inProcessCaller(platform)
  try {
    await api.signIn('admin', BENCH_PASSWORD)
    const ids: Record<string, string> = {}
    for (const department of [...BENCH_DEPARTMENTS, { key: 'corpus', ...CORPUS_DEPARTMENT }]) {
      const body = (await expectJson(
        api.call('POST', '/api/admin/departments', json({ name: department.name, abbreviation: department.abbreviation })),
        201,
      )) as { id: string }
      ids[department.key] = body.id
    }
    for (const user of [...BENCH_USERS, { ...CORPUS_CLERK, department: 'corpus' }]) {
      await expectJson(
        api.call(
          'POST',
          '/api/admin/users',
          json({
            username: user.username,
            fullName: user.fullName,
            roles: user.roles,
            departmentId: ids[user.department],
            clearance: user.clearance,
            password: BENCH_PASSWORD,
          }),
        ),
        201,
      )
    }
  } finally {
    await api.close()
  }
}

const BATCH = 1000

export async function loadInstance(
  instance: BenchInstance,
  options: { docs: number; seed: number; log: (line: string) => void },
): Promise<InstanceMarker> {
  const { log } = options
  await instance.reset()
  // Workers run only while the corpus is extracted: during the bulk load the scheduled sync would find
  // the not-yet-indexed documents and index them a second time.
  let corpus: Record<string, string>
  const withWorkers = await openBenchPlatform(instance, true)
  try {
    await createOrganisation(withWorkers)
    corpus = await loadCorpus(withWorkers, log)
  } finally {
    await withWorkers.close()
  }
  const platform = await openBenchPlatform(instance)
  try {
    const agency = await benchAgency(platform)
    const loader = await bulkLoader(platform.database, agency, options.seed)
    const started = performance.now()
    const ids: string[] = []
    for (let from = 0; from < options.docs; from += BATCH) {
      const batch = []
      for (let n = from; n < Math.min(options.docs, from + BATCH); n++) batch.push(documentAt(n, options.seed))
      ids.push(...(await loader.load(batch)))
      progress(log, 'documents written', ids.length, options.docs, started)
    }
    const indexing = performance.now()
    await withoutSearchIndexes(platform.database, async () => {
      for (let from = 0; from < ids.length; from += BATCH) {
        await indexDocuments(platform.database, platform.search, ids.slice(from, from + BATCH))
        progress(log, 'documents indexed', Math.min(ids.length, from + BATCH), ids.length, indexing)
      }
      log('building the search indexes')
    })
    log('vacuum analyze')
    await platform.database.executeSql('vacuum analyze')
    const marker: InstanceMarker = {
      generator: GENERATOR_VERSION,
      seed: options.seed,
      docs: options.docs,
      loadedAt: new Date().toISOString(),
      corpus,
    }
    await instance.writeMarker(marker)
    return marker
  } finally {
    await platform.close()
  }
}

/** Rebuilds the search index of a kept instance from its documents (after a change of the index). */
export async function reindexInstance(instance: BenchInstance, log: (line: string) => void) {
  const platform = await openBenchPlatform(instance)
  try {
    const { rows } = await platform.database.executeSql('select id from documents order by created_at, id')
    const ids = rows.map((row) => String(row.id))
    await platform.search.clear()
    const started = performance.now()
    await withoutSearchIndexes(platform.database, async () => {
      for (let from = 0; from < ids.length; from += BATCH) {
        await indexDocuments(platform.database, platform.search, ids.slice(from, from + BATCH))
        progress(log, 'documents re-indexed', Math.min(ids.length, from + BATCH), ids.length, started)
      }
      log('building the search indexes')
    })
    await platform.database.executeSql('vacuum analyze')
  } finally {
    await platform.close()
  }
}

async function loadCorpus(platform: Platform, log: (line: string) => void): Promise<Record<string, string>> {
  const api = await inProcessCaller(platform)
  try {
    await api.signIn(CORPUS_CLERK.username, BENCH_PASSWORD)
    const { documentOf } = await registerCorpus(api.call)
    const ids = [...documentOf.keys()]
    const deadline = Date.now() + 15 * 60_000
    for (;;) {
      const states = await platform.database.db
        .select()
        .from(textExtractions)
        .where(inArray(textExtractions.documentId, ids))
      const finished = states.filter((s) => s.state === 'done' || s.state === 'failed').length
      if (states.length >= ids.length && finished === states.length) break
      if (Date.now() > deadline) throw new Error('bench: corpus text extraction did not finish in 15 minutes')
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
    await syncSearchIndex(platform)
    log(`corpus: ${ids.length} documents registered, extracted and indexed`)
    return Object.fromEntries(documentOf)
  } finally {
    await api.close()
  }
}

function progress(log: (line: string) => void, what: string, done: number, total: number, since: number) {
  const seconds = (performance.now() - since) / 1000
  if (done === total || done % 10_000 === 0)
    log(`${what}: ${done}/${total} (${(done / seconds).toFixed(0)}/s, ${seconds.toFixed(0)} s)`)
}
