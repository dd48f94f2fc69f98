import { type SQL, sql } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import { type Executor, resultRows } from '../platform/db/database.ts'
import { visibilityKeyCondition } from '../access/policy.ts'
import type { SearchFilters } from './search-engine.ts'
import { fold, type QueryTerm, squashCompound } from './search-text.ts'

/**
 * The embedded engine's SQL pieces over search_entries (`e`): what matches (every term, in the whole
 * document or — for what an admin may only see — in its metadata), the relevance tiers, the fine score
 * computed on a bounded set, filters and visibility. Everything selective is a condition an index
 * serves: GIN on `body`, `folded` and `visibility_keys`, b-tree on `number_notation` and `sort_date`.
 */

const join = (parts: SQL[], separator: string) => sql.join(parts, sql.raw(separator))

/** Ranking weights: an exact-diacritic match counts as much again as its folded match. */
const EXACT_WEIGHT = 1
/** Share of the query's terms found in the metadata (số/ký hiệu, trích yếu, issuer…), over page-only hits. */
const METADATA_WEIGHT = 0.5
/** The typed số/ký hiệu is the document's own (not one it cites), or the bare number is its số. */
const OWN_NUMBER_WEIGHT = 2
/** The typed words occur side by side, in the typed order. */
const ADJACENT_WEIGHT = 0.5

/**
 * Relevance tiers, best first: each is ranked as a whole before the next (see PostgresSearchEngine):
 * the document's own số/ký hiệu; every term in the metadata with the diacritics typed; every term in
 * the metadata; every term in the text.
 */
export type Tier = 'own-number' | 'metadata-exact' | 'metadata' | 'text'
export const TIERS: readonly Tier[] = ['own-number', 'metadata-exact', 'metadata', 'text']
/** Score bands: a tier's fine score stays below the band width, so scores never rise down the list. */
export const TIER_BAND: Record<Tier, number> = { 'own-number': 30, 'metadata-exact': 20, metadata: 10, text: 0 }

function tsquery(text: string, prefix: boolean): SQL {
  return sql`to_tsquery('simple', ${prefix ? `${text}:*` : text})`
}

/** The term as a tsquery on folded text. */
function foldedQuery(term: QueryTerm): SQL {
  if (term.kind === 'word') return sql`to_tsquery('simple', vanthu_fold(${term.prefix ? `${term.exact}:*` : term.exact}))`
  if (term.kind === 'compound') return tsquery(squashCompound(term), term.prefix)
  return sql`phraseto_tsquery('simple', vanthu_fold(${term.exact}))`
}

/** The term as a tsquery on the exact (lower-cased, diacritics kept) text. */
function exactQuery(term: QueryTerm): SQL {
  if (term.kind === 'word') return tsquery(term.exact, term.prefix)
  if (term.kind === 'compound') return tsquery(squashCompound(term, { exact: true }), term.prefix)
  return sql`phraseto_tsquery('simple', ${term.exact})`
}

/** The document's own số/ký hiệu (folded in search_entries.number_notation) is what was typed. */
function ownNumber(term: QueryTerm): SQL | undefined {
  if (term.kind === 'compound' && term.folded.includes('/')) return sql`e.number_notation = vanthu_fold(${term.exact})`
  // number_notation is always `số/ký hiệu` (with its '/'): its part before the first '/' is the số, which
  // an expression index answers (migration 0017; `like '15/%'` could not use the b-tree under a non-C collation).
  if (term.kind === 'word' && /^\d+$/.test(term.exact)) return sql`split_part(e.number_notation, '/', 1) = ${term.exact}`
  return undefined
}

/** A query's terms compiled once: the pieces every statement of one search shares. */
export interface CompiledQuery {
  terms: QueryTerm[]
  /** Every term in a document `body` holds whole (words: one GIN lookup, no row is read to check it). */
  inShortText: SQL
  /** Every term in the metadata or on a page of a document longer than `body` holds. */
  inLongText: SQL
  /** Every term in the metadata. */
  inMetadata: SQL
  /** Every term in the metadata with the diacritics typed (undefined: none were typed). */
  inMetadataExact: SQL | undefined
  /** The document's own number is one typed (undefined: no number was typed). */
  ownNumber: SQL | undefined
  /** The fine score of a document whose metadata holds every term (cheap: small vectors). */
  metadataScore: SQL
  /** The fine score of a document matching only with its text (reads its body vectors). */
  textScore: SQL
  /** Any term, for choosing snippet pages. */
  any: SQL
  /** Each term's folded tsquery, in order. */
  folded: SQL[]
}

export function compileQuery(terms: QueryTerm[]): CompiledQuery {
  const folded = terms.map(foldedQuery)
  const exact = terms.map(exactQuery)
  const any = sql`(${join(folded, ' || ')})`
  const anyExact = sql`(${join(exact, ' || ')})`
  // Words and compounds are single lexemes: one tsquery that the GIN index answers exactly; phrases are
  // checked on positions. A document longer than `body` holds is matched term by term on its metadata and
  // its pages instead (each found somewhere; a phrase within one page), through the pages' own index.
  const lexemes = terms.map((term, i) => (term.kind === 'phrase' ? undefined : folded[i]!)).filter((q) => q !== undefined)
  const phrases = terms.map((term, i) => (term.kind === 'phrase' ? folded[i]! : undefined)).filter((q) => q !== undefined)
  const all = lexemes.length > 0 ? sql`(${join(lexemes, ' && ')})` : undefined
  const inShortBody = join([...(all ? [sql`e.body @@ ${all}`] : []), ...phrases.map((q) => sql`e.body @@ ${q}`)], ' and ')
  const inLongText = join(
    folded.map(
      (q) =>
        sql`(e.folded @@ ${q} or exists (select 1 from search_pages p where p.long_text and p.document_id = e.document_id and p.folded @@ ${q}))`,
    ),
    ' and ',
  )
  // In the metadata vectors (small, stored inline), a word typed last (matched as a prefix) is tested on
  // each row the other words' index scan yields: a prefix is looked up by reading every indexed word that
  // starts with it and building the bitmap of all their documents before anything is intersected (25 ms
  // for `dân:*` at 100,000 documents), where whole words are intersected by skipping through their lists.
  const prefixed = (term: QueryTerm) => term.kind !== 'phrase' && term.prefix
  const wholeLexemes = terms.flatMap((term, i) => (term.kind !== 'phrase' && !prefixed(term) ? [folded[i]!] : []))
  const tested = (condition: SQL, i: number) => (prefixed(terms[i]!) && wholeLexemes.length > 0 ? sql`(${condition}) is true` : condition)
  const inMetadata = join(
    [
      ...(wholeLexemes.length > 0 ? [sql`e.folded @@ (${join(wholeLexemes, ' && ')})`] : []),
      ...terms.flatMap((term, i) =>
        term.kind === 'phrase' ? [sql`e.folded @@ ${folded[i]!}`] : prefixed(term) ? [tested(sql`e.folded @@ ${folded[i]!}`, i)] : [],
      ),
    ],
    ' and ',
  )
  const owned = terms.map(ownNumber).filter((own) => own !== undefined)
  const ownNumberCondition = owned.length > 0 ? sql`(${join(owned, ' or ')})` : undefined
  const numberBonus = ownNumberCondition ? sql`case when ${ownNumberCondition} then ${OWN_NUMBER_WEIGHT}::float8 else 0 end` : sql`0`
  const words = terms.filter((term) => term.kind === 'word').map((term) => term.exact)
  const adjacent = words.length >= 2 ? sql`phraseto_tsquery('simple', vanthu_fold(${words.join(' ')}))` : undefined
  const adjacentIn = (vector: SQL) =>
    adjacent ? sql`case when ${vector} @@ ${adjacent} then ${ADJACENT_WEIGHT}::float8 else 0 end` : sql`0`
  // ts_rank (frequency, divided by the log of the length) rather than cover density: 1 µs a document
  // against 11 for nine words; the adjacency bonus rewards words side by side.
  const metadataRank = sql`ts_rank(e.folded, ${any}, 33) + ${EXACT_WEIGHT}::float8 * ts_rank(e.exact, ${anyExact}, 33)`
  // A term typed with diacritics must have them; one typed without matches either way.
  const typedWithDiacritics = terms.map((term) => fold(term.exact) !== term.exact.toLowerCase())
  const inMetadataExact = typedWithDiacritics.some(Boolean)
    ? join(
        terms.map((_term, i) => tested(typedWithDiacritics[i] ? sql`e.exact @@ ${exact[i]!}` : sql`e.folded @@ ${folded[i]!}`, i)),
        ' and ',
      )
    : undefined
  const termsInMetadata = join(
    folded.map((q) => sql`(e.folded @@ ${q})::int`),
    ' + ',
  )
  return {
    terms,
    folded,
    inShortText: inShortBody,
    inLongText,
    inMetadata,
    inMetadataExact,
    ownNumber: ownNumberCondition,
    any,
    metadataScore: sql`(${metadataRank} + ${numberBonus} + ${adjacentIn(sql`e.folded`)})`,
    // One read of the document's vector: its folded half answers `any`, its exact half `anyExact`, so
    // words found with the diacritics typed count twice. ts_rank, not ts_rank_cd: a word's later
    // occurrences add less and less (1/n²), so repetition saturates without dividing by the length, and
    // it costs a tenth of cover density with many words (9 words: 45 → 9 µs a document); adjacency
    // has its own bonus.
    textScore: sql`(${METADATA_WEIGHT}::float8 * (${termsInMetadata})::float8 / ${terms.length}
      + ts_rank(e.body, ${any} || ${anyExact}, 32) + ${adjacentIn(sql`e.body`)} + ${numberBonus})`,
  }
}

/**
 * Who may see what, from the document's visibility key: `content` = may open it (its text may match
 * and show), `metadata` = may know it (an admin: metadata of every non-secret document).
 */
export function visibility(actor: Actor) {
  const content = visibilityKeyCondition(sql`e.visibility_keys`, actor, 'content', { openTestedPerRow: true })
  const metadata = visibilityKeyCondition(sql`e.visibility_keys`, actor, 'metadata', { openTestedPerRow: true })
  // A leader's key (l:) is in every document of the agency: as a condition of the multicolumn GIN index
  // it adds the agency's whole posting list to every word's (twice the time to find the matches of two
  // common words at 100,000 documents), to keep the few secret documents out. Tested on each matching
  // row instead (`is true`: the same value, but no index condition).
  const broad = actor.roles.has('leader')
  return {
    content: broad ? sql`(${content}) is true` : content,
    metadata: broad ? sql`(${metadata}) is true` : metadata,
    metadataOnly: actor.roles.has('admin'),
  }
}

/**
 * The visible documents matching the query and filters, as a FROM item `e` with search_entries' columns:
 * one branch per way a document can match, each a plain condition its index answers (so that counting
 * a thousand matches never reads a document vector): documents `body` holds whole; longer ones, term by
 * term on their pages; and for an admin, the metadata of documents they may know but not open.
 * `among`: the entries to look in (default all of search_entries); `longTexts`: whether any entry is
 * a long text (see beginSearch).
 */
export function matchingDocuments(
  actor: Actor,
  query: CompiledQuery | undefined,
  filters: SearchFilters,
  { among = sql`search_entries`, longTexts = true }: { among?: SQL; longTexts?: boolean } = {},
): SQL {
  const seen = visibility(actor)
  const filtered = (conditions: SQL[]) =>
    sql`select e.* from ${among} e where ${join([...conditions, ...filterConditions(filters)], ' and ')}`
  if (!query) return sql`(${filtered([seen.metadataOnly ? seen.metadata : seen.content])}) e`
  const branches = [
    filtered([sql`not e.long_text`, query.inShortText, seen.content]),
    // Planned only when the index holds such documents (its term-by-term subplans cost planning time).
    ...(longTexts ? [filtered([sql`e.long_text`, query.inLongText, seen.content])] : []),
    ...(seen.metadataOnly ? [filtered([query.inMetadata, seen.metadata, sql`not ${seen.content}`])] : []),
  ]
  return sql`(${join(branches, ' union all ')}) e`
}

/**
 * The visible documents with every term in their metadata, as a FROM item `e`: the same documents as
 * matchingDocuments' whose metadata matches (metadata is part of every document's text), found through
 * the small metadata vector alone, so that a large set of them can be walked newest first. `among`: as
 * for matchingDocuments.
 */
export function metadataMatches(actor: Actor, condition: SQL, filters: SearchFilters, among: SQL = sql`search_entries`): SQL {
  const seen = visibility(actor)
  return sql`(select e.* from ${among} e where ${join(
    [condition, seen.metadataOnly ? seen.metadata : seen.content, ...filterConditions(filters)],
    ' and ',
  )}) e`
}

/**
 * The `limit` newest documents of search_entries (after `after`, a date cursor), as a FROM item for
 * `among`: a tier known to hold more than its scoring bound is walked through the sort_date index, its
 * conditions tested row by row until a page is full. The LIMIT keeps the planner from answering the
 * conditions with the GIN indexes
 * instead — a bitmap of every match, then sorted — which it prefers whenever it underestimates how many
 * documents match (common words together: 585 expected, 5,870 found).
 */
export function newestFirst(after: { key: string; id: string } | undefined, limit: number): SQL {
  const beyond = after ? sql`where (e.sort_date, e.document_id) < (${after.key}::date, ${after.id}::uuid)` : sql``
  return sql`(select * from search_entries e ${beyond} order by e.sort_date desc, e.document_id desc limit ${limit})`
}

/**
 * Starts a search transaction, in one round trip: statement settings for this transaction only (short
 * statements over indexes: JIT compilation would cost more than it saves — 1.2 s was seen — and a
 * sequential scan reads and unpacks every document's vector to test a common word, where the GIN index
 * answers without reading one), whether the index holds a document too long for `body` (a partial
 * index answers at once), and about how many documents it holds (the statistics' count).
 */
export async function beginSearch(tx: Executor): Promise<{ longTexts: boolean; documents: number }> {
  const [row] = resultRows<{ found: boolean; documents: number | string | null }>(
    await tx.execute(sql`select set_config('jit', 'off', true), set_config('enable_seqscan', 'off', true),
      exists (select 1 from search_entries where long_text) as found,
      (select reltuples from pg_class where oid = 'search_entries'::regclass) as documents`),
  )
  // reltuples: the documents indexed at the last ANALYZE (autovacuum keeps it close); -1 before any.
  return { longTexts: Boolean(row?.found), documents: Math.max(0, Number(row?.documents ?? 0)) }
}

export function filterConditions(filters: SearchFilters): SQL[] {
  const conditions: SQL[] = []
  if (filters.direction) conditions.push(sql`e.direction = ${filters.direction}`)
  if (filters.kind) conditions.push(sql`vanthu_fold(e.kind) = vanthu_fold(${filters.kind})`)
  if (filters.issuer) conditions.push(sql`vanthu_fold(e.issuer_name) = vanthu_fold(${filters.issuer})`)
  if (filters.status) conditions.push(sql`e.status = ${filters.status}`)
  if (filters.registerId) conditions.push(sql`e.register_id = ${filters.registerId}::uuid`)
  if (filters.departmentId) conditions.push(sql`e.department_ids @> array[${filters.departmentId}::uuid]`)
  if (filters.secrecy !== undefined) conditions.push(sql`e.secrecy = ${filters.secrecy}`)
  if (filters.hasSignature !== undefined) conditions.push(sql`e.has_signature = ${filters.hasSignature}`)
  // Documents with no date (sort_date 0001-01-01) are outside every date range.
  if (filters.dateFrom) conditions.push(sql`e.sort_date >= ${filters.dateFrom}::date`)
  if (filters.dateTo) conditions.push(sql`e.sort_date <= ${filters.dateTo}::date and e.sort_date > '0001-01-01'`)
  return conditions
}

export { join as joinSql }
