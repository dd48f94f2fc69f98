import { inArray, sql } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import type { Database } from '../platform/db/database.ts'
import { searchEntries, searchPages } from '../platform/db/schema/index.ts'
import { AppError, fieldError } from '../platform/errors.ts'
import { insertPages, upsertEntries } from './postgres-indexing.ts'
import { beginSearch, compileQuery, joinSql as join, matchingDocuments, type Tier } from './postgres-query.ts'
import {
  countAndFacets,
  datedPage,
  estimatedRows,
  nearMisses,
  type PageRow,
  rankedPage,
  snippetsOf,
  uncounted,
} from './postgres-results.ts'
import { decodeSearchCursor } from './search-cursor.ts'
import type { SearchDocument, SearchEngine, SearchHit, SearchQuery, SearchResult } from './search-engine.ts'
import { parseQuery } from './search-text.ts'

/**
 * Matching documents counted (total, facets) at most: beyond it the total says "more than" and facet
 * counts are lower bounds. Counting reads one small row per match, so this bounds the cost of the
 * commonest words whatever the archive's size.
 */
const COUNT_CAP = 1000
/**
 * A tier holding at most this many documents is ordered by its fine score; a larger one newest first,
 * straight from the sort_date index. Metadata scores read small inline vectors; text scores read each
 * document's whole vector, hence the smaller bound.
 */
const SCORED_TIER_SIZE: Record<Tier, number> = { 'own-number': 1000, 'metadata-exact': 1000, metadata: 1000, text: 300 }
/**
 * Counting (up to a bound) is skipped when the planner expects this many times the bound: the total then
 * says "more than COUNT_CAP", and the tier is listed newest first. A GIN index yields every match before
 * the first one can be counted, so a word in most documents would otherwise cost the same as counting
 * them all; a factor of ten keeps the claim "more than" true even for an estimate ten times too high.
 */
const ESTIMATE_FACTOR = 10
/**
 * A metadata tier is listed newest first without counting when its matches among the newest documents,
 * extrapolated to the whole index, exceed this many times its scoring bound (postgres-results.ts
 * sampledWalk): the walk that finds the page is then the estimate, and a count would cost more.
 */
const SAMPLE_FACTOR = 2

/** The bounds above, smaller in tests that cross them with a few documents. */
export interface PostgresSearchOptions {
  countCap?: number
  scoredTierSize?: Partial<Record<Tier, number>>
  estimateFactor?: number
  sampleFactor?: number
  /** Documents a metadata tier's newest-first walk reads before its index takes over (postgres-results.ts). */
  walkedDocuments?: number
}

/**
 * The embedded search engine: PostgreSQL full-text search over search_entries (one row per document:
 * metadata vectors, the whole document's folded and exact vectors, filter fields and the visibility key)
 * and search_pages (page texts, read only for the hits returned).
 *
 * Every term must occur in the document (with or without diacritics). Relevance comes in tiers, each
 * ranked whole before the next: the document's own số/ký hiệu typed; every term in the metadata
 * (số/ký hiệu, trích yếu, issuer, kind, signer, stamps); every term somewhere in the text. Within a tier
 * the fine score (ts_rank on folded and exact vectors, adjacency, own number) orders at most
 * SCORED_TIER_SIZE documents; a larger tier is listed newest first. So the ranking is computed on a
 * bounded set, and the hits of a page are exactly the best of that order. Total and facets count at
 * most COUNT_CAP matches. When fewer documents than a page have every word, near misses follow
 * (postgres-results.ts nearMisses).
 */
export class PostgresSearchEngine implements SearchEngine {
  readonly name = 'postgres' as const
  private readonly countCap: number
  private readonly scoredTierSize: Record<Tier, number>
  private readonly estimateFactor: number
  private readonly sampleFactor: number
  private readonly walkedDocuments: number | undefined

  constructor(
    private readonly database: Database,
    options: PostgresSearchOptions = {},
  ) {
    this.countCap = options.countCap ?? COUNT_CAP
    this.scoredTierSize = { ...SCORED_TIER_SIZE, ...options.scoredTierSize }
    this.estimateFactor = options.estimateFactor ?? ESTIMATE_FACTOR
    this.sampleFactor = options.sampleFactor ?? SAMPLE_FACTOR
    this.walkedDocuments = options.walkedDocuments
  }

  async prepare(): Promise<void> {}

  async upsert(list: SearchDocument[]): Promise<void> {
    if (list.length === 0) return
    const ids = list.map((document) => document.id)
    await this.database.db.transaction(async (tx) => {
      // Documents first, in id order, as the visibility triggers lock them (migration 0015): no deadlock
      // with a writer changing their participants or grants. Exclusively: two syncs of one document (two
      // workers, or a scheduled sync and an explicit one) take turns instead of both inserting its pages.
      await tx.execute(sql`select id from documents where id in (${join(
        ids.map((id) => sql`${id}::uuid`),
        ', ',
      )}) order by id for no key update`)
      await tx.delete(searchPages).where(inArray(searchPages.documentId, ids))
      for (let i = 0; i < list.length; i += 50) await upsertEntries(tx, list.slice(i, i + 50))
      await insertPages(tx, list)
    })
  }

  async remove(documentIds: string[]): Promise<void> {
    if (documentIds.length === 0) return
    await this.database.db.transaction(async (tx) => {
      await tx.delete(searchPages).where(inArray(searchPages.documentId, documentIds))
      await tx.delete(searchEntries).where(inArray(searchEntries.documentId, documentIds))
    })
  }

  async clear(): Promise<void> {
    await this.database.db.transaction(async (tx) => {
      await tx.delete(searchPages)
      await tx.delete(searchEntries)
    })
  }

  async search(actor: Actor, query: SearchQuery): Promise<SearchResult> {
    const terms = parseQuery(query.text)
    const cursor = query.cursor ? decodeSearchCursor(query.cursor) : undefined
    if (query.cursor && !cursor) {
      throw new AppError('validation-failed', { errors: [fieldError('cursor', 'field-invalid-value')] })
    }
    const sort = terms.length === 0 && query.sort === 'relevance' ? 'date-desc' : query.sort
    const compiled = terms.length > 0 ? compileQuery(terms) : undefined
    // One transaction: the count, the page and the snippets see the same snapshot.
    return this.database.db.transaction(async (tx) => {
      const view = query.view ?? 'all'
      // The estimate (view=hits) is sent with the settings, in one round trip: it plans the documents
      // `body` holds whole (and an admin's metadata), the long ones being the rare exception.
      const [{ longTexts, documents }, estimate] = await Promise.all([
        beginSearch(tx),
        view === 'hits' ? estimatedRows(tx, matchingDocuments(actor, compiled, query.filters, { longTexts: false })) : 0,
      ])
      const source = matchingDocuments(actor, compiled, query.filters, { longTexts })
      // The first page alone (view=hits) is not counted when the planner expects more than the cap: finding
      // a thousand matches of common words costs more than the page itself (the facet view, asked beside
      // it, counts). Its total is then what is known: "more than the cap" when the planner expects far
      // more (see ESTIMATE_FACTOR), otherwise the matches the page found.
      const notCounted = view === 'hits' && estimate >= this.countCap
      const counted = notCounted
        ? uncounted(this.countCap)
        : await countAndFacets(tx, source, compiled, this.countCap, view !== 'hits')
      const summary = { facets: view === 'hits' ? {} : counted.facets, total: counted.total, totalExact: counted.exact }
      if (view === 'facets') return { hits: [], nextCursor: null, ...summary }
      const after = cursor && cursor.sort === sort ? cursor : undefined
      const bounds = {
        scoredTierSize: this.scoredTierSize,
        estimateFactor: this.estimateFactor,
        sampleFactor: this.sampleFactor,
        documents,
        longTexts,
        walkedDocuments: this.walkedDocuments,
      }
      const page =
        sort === 'relevance' && compiled
          ? await rankedPage(tx, actor, compiled, source, counted, query.limit, after, bounds, query.filters)
          : await datedPage(tx, actor, source, sort === 'date-asc' ? 'asc' : 'desc', query.limit, after)
      const { rows, nextCursor } = page
      if (notCounted) {
        // At least `known` matches exist, so "more than known - 1" is true.
        const known =
          estimate >= this.estimateFactor * this.countCap
            ? this.countCap + 1
            : Math.max(page.seen, rows.length + (nextCursor ? 1 : 0))
        summary.total = Math.min(this.countCap, known - 1)
      }
      // Not counted, yet a first page that is not full holds every match: that many, exactly.
      if (!counted.exact && !query.cursor && rows.length < query.limit && !nextCursor) {
        Object.assign(summary, { total: rows.length, totalExact: true })
      }
      // Fewer complete matches than a page: documents lacking one of the words follow, marked.
      const near =
        sort === 'relevance' && compiled && !query.cursor && summary.totalExact && summary.total < query.limit
          ? await nearMisses(
              tx,
              actor,
              compiled,
              query,
              rows.map((row) => row.document_id),
            )
          : []
      const all: PageRow[] = [...rows, ...near]
      const snippets = await snippetsOf(tx, terms, compiled, all)
      const hits: SearchHit[] = all.map((row) => ({
        documentId: row.document_id,
        score: Number(row.score),
        snippets: snippets.get(row.document_id) ?? [],
        ...(row.missing ? { missing: row.missing } : {}),
      }))
      return { hits, nextCursor, ...summary }
    })
  }
}
