import { inArray, type SQL, sql } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import { SECRECY_LEVELS, URGENCY_LEVELS } from '../documents/document-fields.ts'
import { type Database, type Executor, resultRows } from '../platform/db/database.ts'
import { searchEntries, searchPages } from '../platform/db/schema/index.ts'
import { AppError, fieldError } from '../platform/errors.ts'
import {
  type CompiledQuery,
  compileQuery,
  filterConditions,
  joinSql as join,
  TIER_BAND,
  type Tier,
  visibility,
  visibleMatch,
} from './postgres-query.ts'
import { decodeSearchCursor, encodeSearchCursor, type SearchCursor } from './search-cursor.ts'
import type { FacetName, SearchDocument, SearchEngine, SearchHit, SearchQuery, SearchResult } from './search-engine.ts'
import { highlight } from './snippets.ts'
import { compoundTokens, notationParts, parseQuery, type QueryTerm } from './search-text.ts'

/** Pages per hit that snippets are taken from. */
const SNIPPET_PAGES = 2
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
const SCORED_TIER_SIZE: Record<Tier, number> = { 'own-number': 1000, metadata: 1000, text: 300 }

/** The bounds above, smaller in tests that cross them with a few documents. */
export interface PostgresSearchOptions {
  countCap?: number
  scoredTierSize?: Partial<Record<Tier, number>>
}
/**
 * `body` holds a document's text up to this length: within tsvector's 16,383 positions and 1 MB. A longer
 * document is matched on its pages (search_pages.long_text, with their own index).
 */
const LONG_TEXT_CHARS = 60_000

interface PageRow {
  document_id: string
  score: string
  sort_date: string
  can_open: boolean
}

/**
 * The embedded search engine: PostgreSQL full-text search over search_entries (one row per document:
 * metadata vectors, the whole document's folded and exact vectors, filter fields and the visibility key)
 * and search_pages (page texts, read only for the hits returned).
 *
 * Every term must occur in the document (with or without diacritics). Relevance comes in tiers, each
 * ranked whole before the next: the document's own số/ký hiệu typed; every term in the metadata
 * (số/ký hiệu, trích yếu, issuer, kind, signer, stamps); every term somewhere in the text. Within a tier
 * the fine score (ts_rank_cd on folded and exact vectors, adjacency, own number) orders at most
 * SCORED_TIER_SIZE documents; a larger tier is listed newest first. So the ranking is computed on a
 * bounded set, and the hits of a page are exactly the best of that order. Total and facets count at
 * most COUNT_CAP matches.
 */
export class PostgresSearchEngine implements SearchEngine {
  readonly name = 'postgres' as const
  private readonly countCap: number
  private readonly scoredTierSize: Record<Tier, number>

  constructor(
    private readonly database: Database,
    options: PostgresSearchOptions = {},
  ) {
    this.countCap = options.countCap ?? COUNT_CAP
    this.scoredTierSize = { ...SCORED_TIER_SIZE, ...options.scoredTierSize }
  }

  async prepare(): Promise<void> {}

  async upsert(list: SearchDocument[]): Promise<void> {
    if (list.length === 0) return
    const ids = list.map((document) => document.id)
    await this.database.db.transaction(async (tx) => {
      // Documents first, in id order, as the visibility triggers lock them (migration 0015): no deadlock
      // with a writer changing their participants or grants.
      await tx.execute(sql`select id from documents where id in (${join(
        ids.map((id) => sql`${id}::uuid`),
        ', ',
      )}) order by id for share`)
      await tx.delete(searchPages).where(inArray(searchPages.documentId, ids))
      for (let i = 0; i < list.length; i += 50) await upsertEntries(tx, list.slice(i, i + 50))
      const pages = list.flatMap((document) =>
        document.pages.map((page) => ({ ...page, documentId: document.id, longText: isLongText(document) })),
      )
      for (let i = 0; i < pages.length; i += 200) {
        await tx.insert(searchPages).values(
          pages.slice(i, i + 200).map((page) => {
            const extra = `${notationParts(page.text)} ${compoundTokens(page.text)}`
            return {
              documentId: page.documentId,
              fileId: page.fileId,
              pageNumber: page.pageNumber,
              text: page.text,
              folded: sql`to_tsvector('simple', vanthu_fold(${page.text})) || to_tsvector('simple', vanthu_fold(${extra}))`,
              longText: page.longText,
            }
          }),
        )
      }
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
    const where = join([visibleMatch(actor, compiled), ...filterConditions(query.filters)], ' and ')
    return this.database.db.transaction(async (tx) => {
      // Short statements over indexes: JIT compilation would cost more than it saves (1.2 s was seen).
      await tx.execute(sql`set local jit = off`)
      const counted = await countAndFacets(tx, where, this.countCap)
      const after = cursor && cursor.sort === sort ? cursor : undefined
      const { rows, nextCursor } =
        sort === 'relevance' && compiled
          ? await rankedPage(tx, actor, compiled, where, query.limit, after, this.scoredTierSize)
          : await datedPage(tx, actor, where, sort === 'date-asc' ? 'asc' : 'desc', query.limit, after)
      const snippets = await snippetsOf(
        tx,
        terms,
        rows.map((row) => ({ id: row.document_id, canOpen: row.can_open })),
      )
      const hits: SearchHit[] = rows.map((row) => ({
        documentId: row.document_id,
        score: Number(row.score),
        snippets: snippets.get(row.document_id) ?? [],
      }))
      return { hits, facets: counted.facets, total: counted.total, totalExact: counted.exact, nextCursor }
    })
  }
}

const FACETS: [FacetName, string][] = [
  ['direction', 'direction'],
  ['kind', 'kind'],
  ['issuer', 'issuer_name'],
  ['status', 'status'],
  ['secrecy', 'secrecy'],
  ['hasSignature', 'has_signature'],
  ['year', "case when sort_date > '0001-01-01' then extract(year from sort_date)::int end"],
]

/** Total and facets over at most COUNT_CAP + 1 matches: exact below the cap, lower bounds above it. */
async function countAndFacets(tx: Executor, where: SQL, cap: number) {
  const facet = (name: FacetName, value: string) =>
    sql`select ${name}::text as facet, (${sql.raw(value)})::text as value, count(*)::int as count
      from m where (${sql.raw(value)}) is not null group by 2`
  const result = await tx.execute(sql`with m as materialized (
      select direction, kind, issuer_name, status, secrecy, has_signature, sort_date
      from search_entries e where ${where} limit ${cap + 1}
    )
    select 'total' as facet, null as value, count(*)::int as count from m
    union all ${join(
      FACETS.map(([name, value]) => facet(name, value)),
      ' union all ',
    )}`)
  const facets: SearchResult['facets'] = {}
  let matched = 0
  for (const row of resultRows<{ facet: FacetName | 'total'; value: string; count: number }>(result)) {
    if (row.facet === 'total') {
      matched = Number(row.count)
      continue
    }
    const values = facets[row.facet] ?? []
    values.push({ value: row.value, count: Number(row.count) })
    facets[row.facet] = values
  }
  for (const values of Object.values(facets)) values.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
  return { facets, total: Math.min(matched, cap), exact: matched <= cap }
}

function pageColumns(actor: Actor, score: SQL): SQL {
  return sql`e.document_id, (${score})::text as score, e.sort_date::text as sort_date, (${visibility(actor).content}) as can_open`
}

/** A date-sorted page: straight from the sort_date index (or the matches sorted, when they are few). */
async function datedPage(
  tx: Executor,
  actor: Actor,
  where: SQL,
  direction: 'asc' | 'desc',
  limit: number,
  after: SearchCursor | undefined,
) {
  const before = direction === 'desc' ? sql.raw('<') : sql.raw('>')
  const condition =
    after?.mode === 'date' ? sql`and (e.sort_date, e.document_id) ${before} (${after.key}::date, ${after.id}::uuid)` : sql``
  const result = await tx.execute(sql`select ${pageColumns(actor, sql`0`)}
    from search_entries e where ${where} ${condition}
    order by e.sort_date ${sql.raw(direction)}, e.document_id ${sql.raw(direction)} limit ${limit + 1}`)
  const rows = resultRows<PageRow>(result)
  const last = rows.length > limit ? rows[limit - 1] : undefined
  return {
    rows: rows.slice(0, limit),
    nextCursor: last
      ? encodeSearchCursor({ sort: `date-${direction}`, tier: 0, mode: 'date', key: last.sort_date, id: last.document_id })
      : null,
  }
}

/**
 * A relevance page, tier by tier from the cursor's: a tier small enough is ordered by its fine score,
 * a larger one newest first; pages continue into the next tier where one ends.
 */
async function rankedPage(
  tx: Executor,
  actor: Actor,
  query: CompiledQuery,
  where: SQL,
  limit: number,
  after: SearchCursor | undefined,
  scoredTierSize: Record<Tier, number>,
) {
  const own = query.ownNumber ? sql`coalesce(${query.ownNumber}, false)` : sql`false`
  const tiers: { tier: Tier; condition: SQL; score: SQL }[] = [
    ...(query.ownNumber ? [{ tier: 'own-number' as const, condition: own, score: query.metadataScore }] : []),
    { tier: 'metadata', condition: sql`${query.inMetadata} and not ${own}`, score: query.metadataScore },
    { tier: 'text', condition: sql`not (${query.inMetadata}) and not ${own}`, score: query.textScore },
  ]
  const rows: (PageRow & { tier: number; mode: 'score' | 'date' })[] = []
  for (let index = after?.tier ?? 0; index < tiers.length && rows.length <= limit; index++) {
    const { tier, condition, score } = tiers[index]!
    const inTier = sql`${where} and ${condition}`
    const size = scoredTierSize[tier]
    const [{ n } = { n: 0 }] = resultRows<{ n: number }>(
      await tx.execute(sql`select count(*)::int as n from (select 1 from search_entries e where ${inTier} limit ${size + 1}) t`),
    )
    const mode = Number(n) <= size ? 'score' : 'date'
    const from = after && after.tier === index && after.mode === mode ? after : undefined
    const wanted = limit + 1 - rows.length
    const band = TIER_BAND[tier]
    const result =
      mode === 'score'
        ? await tx.execute(sql`select * from (
              select ${pageColumns(actor, sql`round((${band} + ${score})::numeric, 6)`)}
              from search_entries e where ${inTier}
            ) s ${from ? sql`where (s.score::numeric, s.document_id) < (${from.key}::numeric, ${from.id}::uuid)` : sql``}
            order by s.score::numeric desc, s.document_id desc limit ${wanted}`)
        : await tx.execute(sql`select ${pageColumns(actor, sql`${band}`)}
            from search_entries e where ${inTier}
            ${from ? sql`and (e.sort_date, e.document_id) < (${from.key}::date, ${from.id}::uuid)` : sql``}
            order by e.sort_date desc, e.document_id desc limit ${wanted}`)
    for (const row of resultRows<PageRow>(result)) rows.push({ ...row, tier: index, mode })
  }
  const last = rows.length > limit ? rows[limit - 1] : undefined
  return {
    rows: rows.slice(0, limit),
    nextCursor: last
      ? encodeSearchCursor({
          sort: 'relevance',
          tier: last.tier,
          mode: last.mode,
          key: last.mode === 'score' ? last.score : last.sort_date,
          id: last.document_id,
        })
      : null,
  }
}

/**
 * The best matching pages of each hit, highlighted, for documents the actor may open; otherwise (or
 * when no page matched) the highlighted trích yếu. Reads only the hits' own pages.
 */
async function snippetsOf(tx: Executor, terms: QueryTerm[], hits: { id: string; canOpen: boolean }[]) {
  const snippets = new Map<string, SearchHit['snippets']>()
  if (terms.length === 0 || hits.length === 0) return snippets
  const any = sql`(${join(
    terms.map((term) =>
      term.kind === 'phrase'
        ? sql`phraseto_tsquery('simple', vanthu_fold(${term.exact}))`
        : compileQuery([term]).any,
    ),
    ' || ',
  )})`
  const openable = hits.filter((hit) => hit.canOpen).map((hit) => sql`${hit.id}::uuid`)
  if (openable.length > 0) {
    const result = await tx.execute(sql`
      select document_id, file_id, page_number, text from (
        select p.document_id, p.file_id, p.page_number, p.text,
          row_number() over (partition by p.document_id order by ts_rank_cd(p.folded, ${any}, 33) desc, p.page_number) as rank
        from search_pages p
        where p.document_id in (${join(openable, ', ')}) and p.folded @@ ${any}
      ) best where rank <= ${SNIPPET_PAGES} order by document_id, rank`)
    for (const row of resultRows<{ document_id: string; file_id: string; page_number: number; text: string }>(result)) {
      const html = highlight(row.text, terms)
      if (!html) continue
      const list = snippets.get(row.document_id) ?? []
      list.push({ fileId: row.file_id, pageNumber: Number(row.page_number), html })
      snippets.set(row.document_id, list)
    }
  }
  const rest = hits.filter((hit) => !snippets.has(hit.id)).map((hit) => sql`${hit.id}::uuid`)
  if (rest.length > 0) {
    const subjects = await tx.execute(sql`select id, subject from documents where id in (${join(rest, ', ')})`)
    for (const row of resultRows<{ id: string; subject: string | null }>(subjects)) {
      const html = row.subject ? highlight(row.subject, terms) : undefined
      if (html) snippets.set(row.id, [{ fileId: null, pageNumber: null, html }])
    }
  }
  return snippets
}

function pagesLength(document: SearchDocument): number {
  return document.pages.reduce((sum, page) => sum + page.text.length + 1, 0)
}

/** Longer than `body` holds: matched on its pages instead. */
function isLongText(document: SearchDocument): boolean {
  return pagesLength(document) > LONG_TEXT_CHARS
}

/** The metadata and as much of the pages' text as `body` holds. */
function documentText(document: SearchDocument, primary: string, secondary: string): string {
  const pages = document.pages.map((page) => page.text).join('\n')
  return `${primary} ;\n${secondary} ;\n${pages.slice(0, LONG_TEXT_CHARS)}`
}

async function upsertEntries(tx: Executor, list: SearchDocument[]): Promise<void> {
  const rows = list.map((document) => {
    const notation = document.numberNotation ?? ''
    const subject = document.subject ?? ''
    // Weight A: số/ký hiệu and trích yếu; B: issuer, kind, signer, urgency and secrecy.
    const primary = [notation, notationParts(notation), subject].join(' ; ')
    const primaryCompounds = compoundTokens(`${notation} ${subject}`)
    const primaryExactCompounds = compoundTokens(`${notation} ${subject}`, { exact: true })
    // The độ khẩn / độ mật stamps are words users search for ("hỏa tốc"), and OCR often misses stamps.
    const secondary = [
      document.issuerName,
      document.kind,
      document.kindCode,
      document.signerName,
      document.urgency > 0 ? URGENCY_LEVELS[document.urgency] : null,
      document.secrecy > 0 ? SECRECY_LEVELS[document.secrecy] : null,
    ]
      .filter((value) => value)
      .join(' ; ')
    const text = documentText(document, primary, secondary)
    const pagesText = text.slice(primary.length + secondary.length + 6)
    const extra = `${primaryCompounds} ${notationParts(pagesText)} ${compoundTokens(pagesText)}`
    const extraExact = `${primaryExactCompounds} ${compoundTokens(pagesText, { exact: true })}`
    return {
      documentId: document.id,
      agencyId: document.agencyId,
      direction: document.direction,
      status: document.status,
      kind: document.kind,
      issuerName: document.issuerName,
      issuedDate: document.issuedDate,
      arrivalDate: document.arrivalDate,
      registerId: document.registerId,
      departmentIds: document.departmentIds,
      secrecy: document.secrecy,
      hasSignature: document.hasSignature,
      numberNotation: document.numberNotation ? sql`vanthu_fold(${document.numberNotation})` : null,
      exact: sql`setweight(to_tsvector('simple', ${`${primary} ${primaryExactCompounds}`}), 'A') || setweight(to_tsvector('simple', ${secondary}), 'B')`,
      folded: sql`setweight(to_tsvector('simple', vanthu_fold(${primary})) || to_tsvector('simple', ${primaryCompounds}), 'A') || setweight(to_tsvector('simple', vanthu_fold(${secondary})), 'B')`,
      body: sql`to_tsvector('simple', vanthu_fold(${text})) || to_tsvector('simple', vanthu_fold(${extra}))`,
      bodyExact: sql`to_tsvector('simple', ${text}) || to_tsvector('simple', ${extraExact})`,
      longText: isLongText(document),
      sortDate: document.issuedDate ?? document.arrivalDate ?? '0001-01-01',
      indexedAt: new Date(),
    }
  })
  await tx
    .insert(searchEntries)
    .values(rows)
    .onConflictDoUpdate({
      target: searchEntries.documentId,
      set: Object.fromEntries(
        Object.keys(rows[0]!)
          .filter((key) => key !== 'documentId')
          .map((key) => {
            const column = searchEntries[key as keyof typeof searchEntries.$inferInsert]
            return [key, sql.raw(`excluded.${column.name}`)]
          }),
      ),
    })
}
