import { type SQL, sql } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import { documentVisibility } from '../access/policy.ts'
import { documents } from '../platform/db/schema/index.ts'
import type { SearchFilters } from './search-engine.ts'
import type { QueryTerm } from './search-text.ts'

/**
 * The embedded engine's query, as SQL common table expressions ending in `scored` (one row per visible
 * matching document with its score and sort date). Visibility is part of the query itself: hidden
 * documents are neither returned nor counted, and page texts only count where the actor may open the
 * document's content.
 */

const join = (parts: SQL[], separator: string) => sql.join(parts, sql.raw(separator))

/** Ranking weights: an exact-diacritic match counts as much again as its folded match. */
const EXACT_WEIGHT = 1
/** Share of the query's terms found in the metadata (số/ký hiệu, trích yếu, issuer…), over page-only hits. */
const METADATA_WEIGHT = 0.5
/** The typed số/ký hiệu is the document's own (not one it cites). */
const OWN_NUMBER_WEIGHT = 2
const NUMBER_PART_WEIGHT = 0.3
/** Every term matched (when a long query lets one miss). */
const COMPLETE_WEIGHT = 1
/** The typed words occur side by side, in the typed order (in the metadata or on one page). */
const ADJACENT_WEIGHT = 0.5

function foldedQuery(term: QueryTerm): SQL {
  if (term.kind === 'word') {
    return term.prefix
      ? sql`to_tsquery('simple', vanthu_fold(${term.exact}) || ':*')`
      : sql`to_tsquery('simple', vanthu_fold(${term.exact}))`
  }
  return sql`phraseto_tsquery('simple', vanthu_fold(${term.exact}))`
}

function exactQuery(term: QueryTerm): SQL {
  if (term.kind === 'word') return sql`to_tsquery('simple', ${term.prefix ? `${term.exact}:*` : term.exact})`
  return sql`phraseto_tsquery('simple', ${term.exact})`
}

/** The document's own số/ký hiệu (folded in search_entries) is, or contains, what was typed. */
function ownNumber(term: QueryTerm): { equals: SQL; contains: SQL } | undefined {
  if (term.kind === 'compound') {
    return {
      equals: sql`b.number_notation = vanthu_fold(${term.exact})`,
      contains: sql`b.number_notation like '%' || vanthu_fold(${term.exact}) || '%'`,
    }
  }
  if (term.kind === 'word' && /^\d+$/.test(term.exact)) {
    return { equals: sql`b.number_notation like ${`${term.exact}/%`}`, contains: sql`false` }
  }
  return undefined
}

export interface ScoredQuery {
  terms: QueryTerm[]
  filters: SearchFilters
  /** How many of the terms must match (all, unless relaxed). */
  required: number
  /** Compute the relevance score (not needed for counts and facets). */
  withScore: boolean
}

function filterConditions(filters: SearchFilters): SQL[] {
  const conditions: SQL[] = []
  if (filters.direction) conditions.push(sql`e.direction = ${filters.direction}`)
  if (filters.kind) conditions.push(sql`vanthu_fold(e.kind) = vanthu_fold(${filters.kind})`)
  if (filters.issuer) conditions.push(sql`vanthu_fold(e.issuer_name) = vanthu_fold(${filters.issuer})`)
  if (filters.status) conditions.push(sql`e.status = ${filters.status}`)
  if (filters.registerId) conditions.push(sql`e.register_id = ${filters.registerId}::uuid`)
  if (filters.departmentId) conditions.push(sql`${filters.departmentId}::uuid = any(e.department_ids)`)
  if (filters.secrecy !== undefined) conditions.push(sql`e.secrecy = ${filters.secrecy}`)
  if (filters.hasSignature !== undefined) conditions.push(sql`e.has_signature = ${filters.hasSignature}`)
  if (filters.dateFrom)
    conditions.push(sql`coalesce(e.issued_date, e.arrival_date) >= ${filters.dateFrom}::date`)
  if (filters.dateTo) conditions.push(sql`coalesce(e.issued_date, e.arrival_date) <= ${filters.dateTo}::date`)
  return conditions
}

/** `with … scored as (…)`: the visible documents matching the query, with score and sort date. */
export function scoredCte(actor: Actor, query: ScoredQuery): SQL {
  const { terms } = query
  const base = sql`base as (
    select e.document_id, e.direction, e.kind, e.issuer_name, e.status, e.secrecy, e.has_signature,
      e.number_notation, e.folded, e.exact, ${documents.subject} as subject,
      coalesce(e.issued_date, e.arrival_date, '0001-01-01'::date) as sort_date,
      (${documentVisibility(actor, 'content')}) as can_open
    from search_entries e
    join ${documents} on ${documents.id} = e.document_id
    ${terms.length > 0 ? sql`join candidates c on c.document_id = e.document_id` : sql``}
    where ${join([documentVisibility(actor, 'metadata'), ...filterConditions(query.filters)], ' and ')}
  )`
  if (terms.length === 0) {
    return sql`with ${base}, scored as (select b.*, 0::numeric as score from base b)`
  }
  const folded = terms.map(foldedQuery)
  const exact = terms.map(exactQuery)
  const anyFolded = sql`(${join(folded, ' || ')})`
  const anyExact = sql`(${join(exact, ' || ')})`
  const numbers = terms.map(ownNumber)
  const notationCandidates = numbers
    .filter((own) => own !== undefined)
    .map((own) => sql`(${own.equals} or ${own.contains})`)
  const candidates = sql`candidates as (
    select document_id from search_entries b where b.folded @@ ${anyFolded}
      ${notationCandidates.length > 0 ? sql`or ${join(notationCandidates, ' or ')}` : sql``}
    union
    select document_id from search_pages where folded @@ ${anyFolded}
  )`
  const words = terms.filter((term) => term.kind === 'word').map((term) => term.exact)
  const adjacent =
    words.length >= 2 ? sql`phraseto_tsquery('simple', vanthu_fold(${words.join(' ')}))` : undefined
  // One pass over the matching pages of the candidates the actor may open: which terms each document
  // has on some page, its best page's rank, and whether the words stand side by side on a page.
  const pageColumns = [
    ...folded.map((q, i) => sql`bool_or(p.folded @@ ${q}) as p${sql.raw(String(i))}`),
    ...(query.withScore
      ? [
          sql`max(ts_rank_cd(p.folded, ${anyFolded}, 33) + ${EXACT_WEIGHT}::float8 * ts_rank_cd(p.exact, ${anyExact}, 33)) as page_rank`,
          adjacent ? sql`bool_or(p.folded @@ ${adjacent}) as page_adjacent` : sql`false as page_adjacent`,
        ]
      : []),
  ]
  const pageHits = sql`page_hits as (
    select p.document_id, ${join(pageColumns, ', ')}
    from search_pages p join base b on b.document_id = p.document_id and b.can_open
    where p.folded @@ ${anyFolded}
    group by p.document_id
  )`
  const columns = terms.map((_term, i) => {
    const own = numbers[i]
    const inMetadata = own
      ? sql`(b.folded @@ ${folded[i]!} or ${own.equals} or ${own.contains})`
      : sql`(b.folded @@ ${folded[i]!})`
    const k = sql.raw(String(i))
    return sql`${inMetadata} as m${k}, (${inMetadata} or coalesce(ph.p${k}, false)) as t${k}`
  })
  const count = (prefix: string) =>
    join(
      terms.map((_t, i) => sql.raw(`${prefix}${i}::int`)),
      ' + ',
    )
  const matched = sql`matched as (
    select b.*, ${join(columns, ', ')}
      ${query.withScore ? sql`, coalesce(ph.page_rank, 0) as page_rank, coalesce(ph.page_adjacent, false) as page_adjacent` : sql``}
    from base b left join page_hits ph on ph.document_id = b.document_id
  )`
  if (!query.withScore) {
    return sql`with ${candidates}, ${base}, ${pageHits}, ${matched},
      scored as (select b.*, 0::numeric as score from matched b where ${count('t')} >= ${query.required})`
  }
  const numberBonus = numbers.flatMap((own) =>
    own
      ? [
          sql`case when ${own.equals} then ${OWN_NUMBER_WEIGHT}::float8 when ${own.contains} then ${NUMBER_PART_WEIGHT}::float8 else 0 end`,
        ]
      : [],
  )
  const n = terms.length
  const adjacentBonus = adjacent
    ? [sql`case when b.folded @@ ${adjacent} or b.page_adjacent then ${ADJACENT_WEIGHT}::float8 else 0 end`]
    : []
  const score = join(
    [
      sql`ts_rank_cd(b.folded, ${anyFolded}, 33)`,
      sql`${EXACT_WEIGHT}::float8 * ts_rank_cd(b.exact, ${anyExact}, 33)`,
      sql`b.page_rank`,
      sql`${METADATA_WEIGHT}::float8 * (${count('m')})::float8 / ${n}`,
      sql`(${count('t')})::float8 / ${n}`,
      sql`case when ${count('t')} = ${n} then ${COMPLETE_WEIGHT}::float8 else 0 end`,
      ...numberBonus,
      ...adjacentBonus,
    ],
    ' + ',
  )
  return sql`with ${candidates}, ${base}, ${pageHits}, ${matched},
    scored as (
      select b.*, round((${score})::numeric, 6) as score
      from matched b where ${count('t')} >= ${query.required}
    )`
}

/** The `or` of every term's folded query: which pages to take snippets from. */
export function anyTermQuery(terms: QueryTerm[]): SQL {
  return sql`(${join(terms.map(foldedQuery), ' || ')})`
}
