import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import {
  type EnqueuedTaskPromise,
  type Index,
  Meilisearch,
  MeilisearchApiError,
  type Settings,
  type Task,
} from 'meilisearch'
import type { Actor } from '../access/actor.ts'
import type { Config } from '../platform/config.ts'
import { PROJECT_ROOT } from '../platform/paths.ts'
import { nearMissHits, nearMissPlan } from './meili-near-miss.ts'
import { assertUuid, type MeiliPageRecord, toMeiliRecords } from './meili-records.ts'
import {
  fromMeiliResponse,
  type MeiliHit,
  mergePageSnippets,
  toMeiliSearchRequest,
  toMeiliSnippetQueries,
} from './meili-request.ts'
import type { SearchDocument, SearchEngine, SearchQuery, SearchResult } from './search-engine.ts'

export const MEILI_SETTINGS_FILE = path.join(PROJECT_ROOT, 'storage-config', 'meilisearch', 'settings.json')

export interface MeiliEngineOptions {
  url: string
  apiKey: string | undefined
  indexUid: string
  /** Longest wait for one task; a settings change re-indexes everything, so prepare() waits longer. */
  taskTimeoutMs?: number
  settingsTimeoutMs?: number
}

/** A Meilisearch task that ended failed or canceled, with Meilisearch's own error. */
export class MeiliTaskError extends Error {
  constructor(
    readonly what: string,
    readonly task: Task,
  ) {
    const reason = task.error ? `${task.error.code}: ${task.error.message}` : task.status
    super(`Meilisearch ${what} (task ${task.uid}) ${task.status}: ${reason}`, {
      cause: task.error ?? undefined,
    })
    this.name = 'MeiliTaskError'
  }
}

/** Waits for an enqueued task and throws unless it succeeded. */
export async function settle(enqueued: EnqueuedTaskPromise, what: string, timeout: number): Promise<Task> {
  const task = await enqueued.waitTask({ timeout, interval: 100 })
  if (task.status !== 'succeeded') throw new MeiliTaskError(what, task)
  return task
}

export async function loadMeiliSettings(file = MEILI_SETTINGS_FILE): Promise<Settings> {
  return JSON.parse(await readFile(file, 'utf8')) as Settings
}

/** `wanted` holds (objects: at least its keys, with the same values) in `current`, which has server defaults too. */
function holds(current: unknown, wanted: unknown): boolean {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
  if (!isObject(wanted) || !isObject(current)) return isDeepStrictEqual(current, wanted)
  return Object.entries(wanted).every(([key, value]) => holds(current[key], value))
}

/** Settings keys whose current value differs from the wanted one (all of them on a fresh index). */
export function changedSettings(current: Settings, wanted: Settings): (keyof Settings)[] {
  return (Object.keys(wanted) as (keyof Settings)[]).filter((key) =>
    // A synonym dropped from the file must be dropped on the server too: compared whole.
    key === 'synonyms' ? !isDeepStrictEqual(current[key], wanted[key]) : !holds(current[key], wanted[key]),
  )
}

/** At most this many records and about this much text per request: far below Meilisearch's 100 MB payload limit. */
const BATCH_RECORDS = 1000
const BATCH_TEXT_CHARS = 10_000_000

export function batches(records: MeiliPageRecord[]): MeiliPageRecord[][] {
  const out: MeiliPageRecord[][] = []
  let current: MeiliPageRecord[] = []
  let chars = 0
  for (const record of records) {
    if (
      current.length > 0 &&
      (current.length >= BATCH_RECORDS || chars + record.text.length > BATCH_TEXT_CHARS)
    ) {
      out.push(current)
      current = []
      chars = 0
    }
    current.push(record)
    chars += record.text.length
  }
  if (current.length > 0) out.push(current)
  return out
}

/** Makes revisions strictly increase within a process even when two upserts share a millisecond. */
let lastRevision = 0
function nextRevision(): number {
  lastRevision = Math.max(lastRevision + 1, Date.now() * 1000)
  return lastRevision
}

/**
 * The production search engine: one Meilisearch index of page records (see meili-records.ts), searched
 * with `distinct: documentId` and the actor's visibility filter.
 */
export class MeiliEngine implements SearchEngine {
  readonly name = 'meilisearch'
  readonly client: Meilisearch
  readonly index: Index<MeiliPageRecord>
  private readonly taskTimeoutMs: number
  private readonly settingsTimeoutMs: number
  private prepared: Promise<void> | undefined

  constructor(private readonly options: MeiliEngineOptions) {
    this.client = new Meilisearch({ host: options.url, apiKey: options.apiKey })
    this.index = this.client.index<MeiliPageRecord>(options.indexUid)
    this.taskTimeoutMs = options.taskTimeoutMs ?? 120_000
    this.settingsTimeoutMs = options.settingsTimeoutMs ?? 30 * 60_000
  }

  /** Creates the index when missing and applies settings.json when it differs; idempotent. */
  async prepare(settings?: Settings): Promise<void> {
    const wanted = settings ?? (await loadMeiliSettings())
    let current: Settings
    try {
      current = await this.index.getSettings()
    } catch (error) {
      if (!(error instanceof MeilisearchApiError) || error.cause?.code !== 'index_not_found') throw error
      await settle(
        this.client.createIndex(this.options.indexUid, { primaryKey: 'id' }),
        `create index ${this.options.indexUid}`,
        this.taskTimeoutMs,
      )
      current = {}
    }
    if (changedSettings(current, wanted).length > 0) {
      await settle(this.index.updateSettings(wanted), 'settings update', this.settingsTimeoutMs)
    }
    this.prepared ??= Promise.resolve()
  }

  /**
   * prepare() once per process before the first read or write, so a fresh Meilisearch (or a changed
   * settings.json) needs no separate step; a failed attempt is retried by the next call.
   */
  private ready(): Promise<void> {
    this.prepared ??= this.prepare().catch((error: unknown) => {
      this.prepared = undefined
      throw error
    })
    return this.prepared
  }

  /**
   * Writes the new records, then deletes the document's records from older projections (pages that no
   * longer exist). In that order a document never disappears from search while it is re-indexed.
   */
  async upsert(documents: SearchDocument[]): Promise<void> {
    if (documents.length === 0) return
    await this.ready()
    const revision = nextRevision()
    const records = documents.flatMap((document) => toMeiliRecords(document, revision))
    const ids = documents.map((document) => `"${assertUuid(document.id, 'document id')}"`).join(', ')
    for (const batch of batches(records)) {
      await settle(
        this.index.addDocuments(batch, { primaryKey: 'id' }),
        'document upsert',
        this.taskTimeoutMs,
      )
    }
    const stale = `documentId IN [${ids}] AND revision < ${revision}`
    await settle(this.index.deleteDocuments({ filter: stale }), 'stale page removal', this.taskTimeoutMs)
  }

  async remove(documentIds: string[]): Promise<void> {
    if (documentIds.length === 0) return
    await this.ready()
    const ids = documentIds.map((id) => `"${assertUuid(id, 'document id')}"`).join(', ')
    await settle(
      this.index.deleteDocuments({ filter: `documentId IN [${ids}]` }),
      'document removal',
      this.taskTimeoutMs,
    )
  }

  async search(actor: Actor, query: SearchQuery): Promise<SearchResult> {
    const request = toMeiliSearchRequest(actor, query)
    await this.ready()
    const { q, ...params } = request.body
    const response = await this.index.search<MeiliHit>(q, params)
    if (query.view === 'facets') return { ...fromMeiliResponse(response, request), hits: [], nextCursor: null }
    const answer = fromMeiliResponse(response, request)
    const result = await this.withNearMisses(actor, query, request, query.view === 'hits' ? { ...answer, facets: {} } : answer)
    const queries = toMeiliSnippetQueries(
      this.options.indexUid,
      actor,
      request,
      result.hits.map((hit) => hit.documentId),
    )
    if (queries.length === 0) return result
    const { results } = await this.client.multiSearch<{ queries: typeof queries }, MeiliHit>({ queries })
    const pages = new Map(
      result.hits.map((hit, i) => [hit.documentId, (results[i]?.hits ?? []) as MeiliHit[]]),
    )
    return mergePageSnippets(result, pages)
  }

  /** Documents lacking one of the words, after the complete matches when those are fewer than a page. */
  private async withNearMisses(
    actor: Actor,
    query: SearchQuery,
    request: ReturnType<typeof toMeiliSearchRequest>,
    result: SearchResult,
  ): Promise<SearchResult> {
    const plan = nearMissPlan(this.options.indexUid, actor, query, request, result)
    if (!plan) return result
    const { results } = await this.client.multiSearch<{ queries: typeof plan.known }, MeiliHit>({
      queries: [...plan.known, ...plan.without],
    })
    const known = results.slice(0, plan.terms.length)
    const without = results.slice(plan.terms.length) as { hits: MeiliHit[] }[]
    const near = nearMissHits(plan, known, without, request, request.limit - result.hits.length)
    return { ...result, hits: [...result.hits, ...near] }
  }

  async clear(): Promise<void> {
    await this.ready()
    await settle(this.index.deleteAllDocuments(), 'clear', this.taskTimeoutMs)
  }
}

/** The engine for MEILI_URL; the caller picks it when config.meili is set (SEARCH_ENGINE=meilisearch). */
export function createMeiliEngine(config: Pick<Config, 'meili'>): MeiliEngine {
  if (!config.meili) throw new Error('createMeiliEngine: MEILI_URL is not set')
  return new MeiliEngine({ url: config.meili.url, apiKey: config.meili.apiKey, indexUid: config.meili.index })
}
