import { type SQL, sql } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import { type Executor, resultRows } from '../platform/db/database.ts'
import {
  type CompiledQuery,
  filterConditions,
  joinSql as join,
  matchingDocuments,
  metadataMatches,
  newestFirst,
  TIER_BAND,
  TIERS,
  type Tier,
  visibility,
} from './postgres-query.ts'
import { encodeSearchCursor, type SearchCursor } from './search-cursor.ts'
import type { FacetName, SearchHit, SearchQuery, SearchResult } from './search-engine.ts'
import { highlight } from './snippets.ts'
import type { QueryTerm } from './search-text.ts'

/**
 * The statements of one search on the embedded engine, over `source` (matchingDocuments: the visible
 * matching documents as `e`). Each reads a bounded number of rows: COUNT_CAP matches to count, a tier's
 * scoring bound to rank, one page of hits for snippets.
 */

export interface PageRow {
  document_id: string
  score: string
  sort_date: string
  can_open: boolean
  missing?: string[]
}

const FACET_COLUMNS: [FacetName, string][] = [
  ['direction', 'direction'],
  ['kind', 'kind'],
  ['issuer', 'issuer_name'],
  ['status', 'status'],
  ['secrecy', 'secrecy'],
  ['hasSignature', 'has_signature'],
  ['year', 'year'],
]

/** The tier of each matching document, as a SQL expression over `e` (TIERS order). */
export function tierOf(query: CompiledQuery): SQL {
  const own = query.ownNumber ? sql`when coalesce(${query.ownNumber}, false) then 0` : sql``
  const exact = query.inMetadataExact ? sql`when ${query.inMetadataExact} then 1` : sql``
  return sql`case ${own} ${exact} when ${query.inMetadata} then 2 else 3 end`
}

export interface Counted {
  facets: SearchResult['facets']
  total: number
  exact: boolean
  /** Matches per tier among those counted (all of them when `exact`; none when not counted at all). */
  tiers: number[]
}

/**
 * The planner's estimate of the rows of `select … from <from> where <where>`, from the statistics
 * (EXPLAIN, nothing executed: a fraction of a millisecond). A GIN index answers a condition by building
 * the bitmap of every match before the first row is read, so counting even "up to a thousand" matches of
 * a word found in most documents costs as much as counting all of them; the estimate tells beforehand
 * whether a count is worth doing.
 */
export async function estimatedRows(tx: Executor, from: SQL, where?: SQL): Promise<number> {
  const result = await tx.execute(sql`explain (format json) select 1 from ${from} ${where ? sql`where ${where}` : sql``}`)
  const [row] = resultRows<Record<string, unknown>>(result)
  const value = row ? Object.values(row)[0] : undefined
  const plan = (typeof value === 'string' ? JSON.parse(value) : value) as [{ Plan: { 'Plan Rows': number } }] | undefined
  return Number(plan?.[0]?.Plan['Plan Rows'] ?? Number.POSITIVE_INFINITY)
}

/** Nothing counted: the planner expects far more than `cap` matches (PostgresSearchEngine ESTIMATE_FACTOR). */
export function uncounted(cap: number): Counted {
  return { facets: {}, total: cap, exact: false, tiers: TIERS.map(() => 0) }
}

/**
 * Total, facets and per-tier counts over at most `cap` + 1 matches, in one statement: exact below the
 * cap; above it, lower bounds (the UI says "more than").
 */
export async function countAndFacets(
  tx: Executor,
  source: SQL,
  query: CompiledQuery | undefined,
  cap: number,
  withFacets = true,
): Promise<Counted> {
  // Without facets only the tiers are grouped (grouping() takes grouped columns only).
  const columns = withFacets ? FACET_COLUMNS : []
  const sets = [...columns.map(([, column]) => sql.raw(column)), sql.raw('tier')]
  const result = await tx.execute(sql`with m as materialized (
      select e.direction, e.kind, e.issuer_name, e.status, e.secrecy::text as secrecy,
        e.has_signature::text as has_signature,
        (case when e.sort_date > '0001-01-01' then extract(year from e.sort_date)::int end)::text as year,
        ${query ? tierOf(query) : sql`1`} as tier
      from ${source} limit ${cap + 1}
    )
    select ${join(sets, ', ')}, count(*)::int as count, grouping(${join(sets, ', ')})::int as g
    from m group by grouping sets (${join(
      sets.map((name) => sql`(${name})`),
      ', ',
    )}, ())`)
  const facets: SearchResult['facets'] = {}
  const tiers = TIERS.map(() => 0)
  let matched = 0
  const all = 2 ** (columns.length + 1) - 1
  for (const row of resultRows<Record<string, string | number | null>>(result)) {
    const g = Number(row.g)
    const count = Number(row.count)
    if (g === all) {
      matched = count
      continue
    }
    // grouping(): the bit of the column grouped by in this row is 0 (the first column is the highest bit).
    const index = [...columns.keys(), columns.length].find((i) => ((g >> (columns.length - i)) & 1) === 0)!
    if (index === columns.length) {
      tiers[Number(row.tier)] = count
      continue
    }
    const [name, column] = columns[index]!
    const value = row[column]
    if (value === null || value === undefined) continue
    const values = facets[name] ?? []
    values.push({ value: String(value), count })
    facets[name] = values
  }
  for (const values of Object.values(facets)) values.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
  return { facets, total: Math.min(matched, cap), exact: matched <= cap, tiers }
}

function pageColumns(actor: Actor, score: SQL): SQL {
  return sql`e.document_id, (${score})::text as score, e.sort_date::text as sort_date, (${visibility(actor).content}) as can_open`
}

/** A date-sorted page: straight from the sort_date index (or the matches sorted, when they are few). */
export async function datedPage(
  tx: Executor,
  actor: Actor,
  source: SQL,
  direction: 'asc' | 'desc',
  limit: number,
  after: SearchCursor | undefined,
) {
  const beyond = direction === 'desc' ? sql.raw('<') : sql.raw('>')
  const condition = after?.mode === 'date' ? sql`where (e.sort_date, e.document_id) ${beyond} (${after.key}::date, ${after.id}::uuid)` : sql``
  const result = await tx.execute(sql`select ${pageColumns(actor, sql`0`)} from ${source} ${condition}
    order by e.sort_date ${sql.raw(direction)}, e.document_id ${sql.raw(direction)} limit ${limit + 1}`)
  const rows = resultRows<PageRow>(result)
  const last = rows.length > limit ? rows[limit - 1] : undefined
  return {
    rows: rows.slice(0, limit),
    /** Matches known to exist (the rows read). */
    seen: rows.length,
    nextCursor: last
      ? encodeSearchCursor({ sort: `date-${direction}`, tier: 0, mode: 'date', key: last.sort_date, id: last.document_id })
      : null,
  }
}

/**
 * A relevance page, tier by tier from the cursor's: a tier holding at most its scoring bound is ordered
 * by its fine score, a larger one newest first; a page continues into the next tier where one ends.
 * `counted` tells the tiers' sizes when all matches were counted; otherwise a tier whose counted share
 * is within its bound is counted on its own (up to the bound).
 */
export async function rankedPage(
  tx: Executor,
  actor: Actor,
  query: CompiledQuery,
  source: SQL,
  counted: Counted,
  limit: number,
  after: SearchCursor | undefined,
  bounds: {
    scoredTierSize: Record<Tier, number>
    estimateFactor: number
    sampleFactor: number
    /** Documents in the index (statistics): what a sampled walk's share of matches is scaled to. */
    documents: number
    longTexts: boolean
    walkedDocuments?: number
  },
  filters: SearchQuery['filters'],
) {
  const { scoredTierSize } = bounds
  const own = query.ownNumber ? sql`coalesce(${query.ownNumber}, false)` : sql`false`
  const estimateFactor = bounds.estimateFactor
  // Where each tier's documents are found: the metadata tier through the metadata vector alone.
  const exact = query.inMetadataExact ?? sql`false`
  const tierSource: Record<Tier, { from: SQL; where: SQL }> = {
    // The few documents whose own number was typed, from the number's index, and only then the words
    // (OFFSET 0 keeps the planner from intersecting with the words' index: a bitmap of every match).
    'own-number': {
      from: matchingDocuments(actor, query, filters, {
        among: sql`(select * from search_entries e where ${query.ownNumber ?? sql`false`} offset 0)`,
        longTexts: bounds.longTexts,
      }),
      where: sql`true`,
    },
    'metadata-exact': { from: metadataMatches(actor, exact, filters), where: sql`not ${own}` },
    metadata: { from: metadataMatches(actor, query.inMetadata, filters), where: sql`not ${own} and not (${exact})` },
    text: { from: source, where: sql`not (${query.inMetadata}) and not ${own}` },
  }
  const rows: (PageRow & { tier: number; mode: 'score' | 'date' })[] = []
  // Matches known to exist in the tiers read (disjoint): a lower bound of the total when not counted.
  let seen = 0
  for (let index = after?.tier ?? 0; index < TIERS.length && rows.length <= limit; index++) {
    const tier = TIERS[index]!
    if ((tier === 'own-number' && !query.ownNumber) || (tier === 'metadata-exact' && !query.inMetadataExact)) continue
    const bound = scoredTierSize[tier]
    const size = counted.tiers[index] ?? 0
    if (size === 0 && counted.exact) continue
    const { from: tierFrom, where: inTier } = tierSource[tier]
    const wanted = limit + 1 - rows.length
    const score = tier === 'text' ? query.textScore : query.metadataScore
    const scoreAfter = after && after.tier === index && after.mode === 'score' ? after : undefined
    const dateAfter = after && after.tier === index && after.mode === 'date' ? after : undefined
    const scored = (source: SQL, condition: SQL) => sql`select * from (
        select ${pageColumns(actor, sql`round((${TIER_BAND[tier]} + ${score})::numeric, 6)`)} from ${source} where ${condition}
      ) s ${scoreAfter ? sql`where (s.score::numeric, s.document_id) < (${scoreAfter.key}::numeric, ${scoreAfter.id}::uuid)` : sql``}
      order by s.score::numeric desc, s.document_id desc limit ${wanted}`
    // Newest first: the metadata tiers walked through the sort_date index (each row tested on its small
    // metadata vector). Not the text tier: testing a row there unpacks the document's whole vector, which
    // its GIN index answers without reading; nor the own number's few documents, found by their index.
    const walkOf = (walked: SQL): Record<Tier, SQL> => ({
      'own-number': tierFrom,
      'metadata-exact': metadataMatches(actor, exact, filters, walked),
      metadata: metadataMatches(actor, query.inMetadata, filters, walked),
      text: tierFrom,
    })
    const walkFrom = walkOf(newestFirst(dateAfter, bounds.walkedDocuments ?? WALKED_DOCUMENTS))
    const dated = (condition: SQL, from = walkFrom[tier]) => sql`select ${pageColumns(actor, sql`${TIER_BAND[tier]}`)}
      from ${from} where ${inTier} and ${condition}
      ${dateAfter ? sql`and (e.sort_date, e.document_id) < (${dateAfter.key}::date, ${dateAfter.id}::uuid)` : sql``}
      order by e.sort_date desc, e.document_id desc limit ${wanted}`
    let mode: 'score' | 'date'
    let result: unknown
    let uncountedTier = false
    // Metadata tiers only: a text row is tested by unpacking its whole vector (50–130 µs, against 2 µs).
    // Not the metadata tier after an exact one: it holds only the other spellings of what was typed
    // with diacritics, which a sample of the newest documents would hardly ever fill a page with.
    const sampled =
      walkFrom[tier] !== tierFrom && !(tier === 'metadata' && query.inMetadataExact) ? sampledWalk(wanted, bound, bounds) : 0
    const known = counted.exact || size > bound
    const probe =
      !known && !dateAfter && sampled > 0
        ? await tx.execute(dated(sql`true`, walkOf(newestFirst(undefined, sampled))[tier]))
        : undefined
    const sampledMatches = probe ? resultRows(probe).length : 0
    if (known) {
      // Its size is known (or known to exceed the bound).
      mode = size <= bound ? 'score' : 'date'
      result = await tx.execute(mode === 'score' ? scored(tierFrom, inTier) : dated(sql`true`))
      seen += size
    } else if (dateAfter) {
      // A later page of a tier listed newest first stays so, whatever its size now.
      mode = 'date'
      uncountedTier = true
      result = await tx.execute(dated(sql`true`))
    } else if (probe && sampledMatches >= wanted) {
      // The page was found among the `sampled` newest documents: at that share, the tier holds several
      // times its bound — an estimate from the newest documents (a topic of recent months may be
      // overestimated, and is then listed newest first). Newest first, not counted.
      mode = 'date'
      uncountedTier = true
      result = probe
    } else if (tier !== 'own-number' && (await estimatedRows(tx, tierFrom, inTier)) >= estimateFactor * bound) {
      // The planner expects it several times larger than the bound: newest first without a count (see
      // estimatedRows). The own number's tier is found through the number's index: never that large.
      mode = 'date'
      uncountedTier = true
      result = await tx.execute(dated(sql`true`))
    } else {
      // Counted up to its bound and ranked in one statement: the candidates are read once, then scored
      // when they are all the tier holds, otherwise the tier is listed newest first.
      // Only the columns the score reads (a text's whole vector only for the text tier). When the sample
      // above, scaled to the index, puts the tier beyond its bound, only the ids: copying a thousand rows'
      // vectors into the CTE costs ~6 ms, wasted if the tier is then listed newest first; scored after
      // all, the candidates are read again through the primary key (~3 µs each).
      const narrow = sampled > 0 && (sampledMatches * bounds.documents) / sampled > bound
      const columns = sql.raw(
        narrow
          ? 'e.document_id'
          : `e.document_id, e.sort_date, e.visibility_keys, e.folded, e.exact, e.number_notation${tier === 'text' ? ', e.body' : ''}`,
      )
      const candidates = narrow ? sql`(select e.* from search_entries e where e.document_id in (select document_id from c)) e` : sql`c e`
      result = await tx.execute(sql`with c as materialized (select ${columns} from ${tierFrom} where ${inTier} limit ${bound + 1}),
          n as materialized (select count(*)::int as n from c)
        select null::uuid as document_id, null::text as score, null::text as sort_date, null::boolean as can_open, n.n from n
        union all select *, null from (${scored(candidates, sql`(select n from n) <= ${bound}`)}) scored
        union all select *, null from (${dated(sql`(select n from n) > ${bound}`)}) dated`)
      const n = Number(resultRows<{ n: number | null }>(result).find((row) => row.n !== null)?.n ?? 0)
      mode = n <= bound ? 'score' : 'date'
      seen += n
    }
    const found = () => resultRows<{ document_id: string | null }>(result).filter((row) => row.document_id !== null).length
    if (mode === 'date' && walkFrom[tier] !== tierFrom && found() < wanted) {
      // The walk stops after WALKED_DOCUMENTS documents: when the tier's next matches are older than that
      // (a topic of past years), its GIN index finds them, sorted.
      result = await tx.execute(dated(sql`true`, tierFrom))
    }
    // Not counted (the planner's estimate decided): what the page found.
    if (uncountedTier) seen += found()
    for (const row of resultRows<PageRow & { n?: number | null }>(result)) {
      if (row.document_id === null) continue
      const { n: _n, ...pageRow } = row
      rows.push({ ...pageRow, tier: index, mode })
    }
  }
  const last = rows.length > limit ? rows[limit - 1] : undefined
  return {
    rows: rows.slice(0, limit),
    seen,
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
 * How many of the newest documents a metadata tier's first page is looked for in before it is counted
 * (0: not sampled): finding `wanted` matches among them means, scaled to the index, at least
 * sampleFactor × bound matches (1,050 of 100,000 documents for a page of 21, a bound of 1,000 and the
 * factor 2: 21 matches put the estimate within about ±22%, so the factor leaves a margin of four standard
 * deviations). Reading 1,050 small metadata vectors costs ~2 ms; counting a thousand matches of common
 * words 12–22 ms.
 */
function sampledWalk(
  wanted: number,
  bound: number,
  { documents, sampleFactor, walkedDocuments }: { documents: number; sampleFactor: number; walkedDocuments?: number },
): number {
  return Math.min(Math.floor((wanted * documents) / (sampleFactor * bound)), walkedDocuments ?? WALKED_DOCUMENTS)
}

/**
 * Documents a metadata tier's newest-first walk reads at most (each tested on its small metadata vector,
 * a few microseconds): beyond them the tier's next matches are found through its GIN index instead.
 */
export const WALKED_DOCUMENTS = 5000

/** Near misses need this many typed terms (with fewer, dropping one changes what is asked). */
const NEAR_MISS_FROM_TERMS = 3
/** Near-miss candidates scored at most (they are looked for only when few documents match in full). */
const NEAR_MISS_CANDIDATES = 300
/** Score band of near misses: below every complete match. */
const NEAR_MISS_BAND = -10

/**
 * Documents that have every typed term but one, best first, after the complete matches (`exclude`):
 * a long query often describes a topic in words one relevant document lacks. Only a term that some
 * visible document has may be the one missing — a word found nowhere ("xyzzy không có") is a typo or
 * a word the user insists on, and dropping it would answer another question. Not for quoted phrases,
 * and only in documents whose whole text `body` holds.
 */
export async function nearMisses(tx: Executor, actor: Actor, query: CompiledQuery, search: SearchQuery, exclude: string[]): Promise<PageRow[]> {
  const { terms } = query
  if (terms.length < NEAR_MISS_FROM_TERMS || terms.some((term) => term.kind === 'phrase')) return []
  const seen = visibility(actor).content
  const [{ known } = { known: [] as boolean[] }] = resultRows<{ known: boolean[] }>(
    await tx.execute(sql`select array[${join(
      query.folded.map((q) => sql`exists (select 1 from search_entries e where ${seen} and e.body @@ ${q})`),
      ', ',
    )}] as known`),
  )
  const dropped = query.folded.flatMap((_q, i) => (known[i] ? [i] : []))
  if (dropped.length === 0) return []
  const allBut = (i: number) => sql`(${join(
    query.folded.filter((_q, j) => j !== i),
    ' && ',
  )})`
  const candidates = join(
    dropped.map((i) => allBut(i)),
    ' || ',
  )
  const excluded = exclude.length > 0 ? sql`and e.document_id not in (${join(exclude.map((id) => sql`${id}::uuid`), ', ')})` : sql``
  // Which terms each returned near miss has: computed on the page only (the outer query).
  const result = await tx.execute(sql`select b.document_id, b.can_open, b.sort_date, b.score, array[${join(
    query.folded.map((q) => sql`b.body @@ ${q}`),
    ', ',
  )}] as has from (
      select * from (
        select e.document_id, e.body, (${seen}) as can_open, e.sort_date::text as sort_date,
          round((${NEAR_MISS_BAND} + ${query.textScore})::numeric, 6)::text as score
        from search_entries e
        where ${join([seen, ...filterConditions(search.filters)], ' and ')} and not e.long_text
          and e.body @@ (${candidates}) ${excluded}
        limit ${NEAR_MISS_CANDIDATES}
      ) c order by c.score::numeric desc, c.document_id desc limit ${search.limit - exclude.length}
    ) b order by b.score::numeric desc, b.document_id desc`)
  return resultRows<PageRow & { has: boolean[] }>(result).map(({ has, ...row }) => ({
    ...row,
    missing: terms.filter((_term, i) => !has[i]).map((term) => term.exact),
  }))
}

/** Pages per hit that snippets are taken from. */
const SNIPPET_PAGES = 2

/**
 * The best matching pages of each hit, highlighted, for documents the actor may open; otherwise (or
 * when no page matched) the highlighted trích yếu. Reads only the hits' own pages, in one statement.
 */
export async function snippetsOf(tx: Executor, terms: QueryTerm[], query: CompiledQuery | undefined, hits: PageRow[]) {
  const snippets = new Map<string, SearchHit['snippets']>()
  if (!query || hits.length === 0) return snippets
  const ids = (list: PageRow[]) => join(list.map((hit) => sql`${hit.document_id}::uuid`), ', ')
  const openable = hits.filter((hit) => hit.can_open)
  const result = await tx.execute(sql`
    select document_id::text, file_id::text, page_number, text, rank from (
      select p.document_id, p.file_id, p.page_number, p.text,
        row_number() over (partition by p.document_id order by ts_rank(p.folded, ${query.any}, 33) desc, p.page_number) as rank
      from search_pages p
      where ${openable.length > 0 ? sql`p.document_id in (${ids(openable)})` : sql`false`} and p.folded @@ ${query.any}
    ) best where rank <= ${SNIPPET_PAGES}
    union all
    select d.id::text, null, null, d.subject, 0 from documents d where d.id in (${ids(hits)}) and d.subject is not null
    order by 1, 5`)
  const subjects = new Map<string, string>()
  for (const row of resultRows<{ document_id: string; file_id: string | null; page_number: number | null; text: string }>(result)) {
    if (row.file_id === null) {
      subjects.set(row.document_id, row.text)
      continue
    }
    const html = highlight(row.text, terms)
    if (!html) continue
    const list = snippets.get(row.document_id) ?? []
    list.push({ fileId: row.file_id, pageNumber: Number(row.page_number), html })
    snippets.set(row.document_id, list)
  }
  for (const hit of hits) {
    const subject = subjects.get(hit.document_id)
    const html = !snippets.has(hit.document_id) && subject ? highlight(subject, terms) : undefined
    if (html) snippets.set(hit.document_id, [{ fileId: null, pageNumber: null, html }])
  }
  return snippets
}
