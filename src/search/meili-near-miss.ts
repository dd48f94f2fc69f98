import type { MultiSearchQuery } from 'meilisearch'
import type { Actor } from '../access/actor.ts'
import { documentVisibilityFilter } from '../access/policy.ts'
import { assertUuid } from './meili-records.ts'
import { fromMeiliResponse, type MeiliHit, type MeiliSearchRequest, searchFiltersToMeili } from './meili-request.ts'
import type { SearchHit, SearchQuery, SearchResult } from './search-engine.ts'
import { parseQuery, type QueryTerm } from './search-text.ts'

/**
 * Near misses on Meilisearch, as the PostgreSQL engine finds them (postgres-engine.ts nearMisses):
 * when fewer documents than the limit have every word, documents lacking exactly one of 3+ typed terms
 * follow, marked with the missing word and not counted — never missing a term that no visible
 * document has, never for quoted phrases, only documents the actor may open.
 */
const NEAR_MISS_FROM_TERMS = 3
const NEAR_MISS_BAND = -10

/** The terms of a query as Meilisearch reads them: compounds quoted (see toMeiliQuery). */
function termText(term: QueryTerm): string {
  return term.kind === 'compound' ? `"${term.exact.replace(/"/g, '')}"` : term.exact
}

export interface NearMissPlan {
  terms: QueryTerm[]
  /** One query per term: is the term anywhere the actor may look? */
  known: MultiSearchQuery[]
  /** One query per term: every other term, excluding the complete matches. */
  without: MultiSearchQuery[]
}

export function nearMissPlan(
  indexUid: string,
  actor: Actor,
  query: SearchQuery,
  request: MeiliSearchRequest,
  result: SearchResult,
): NearMissPlan | undefined {
  const terms = parseQuery(query.text)
  const strict = result.hits.map((hit) => `"${assertUuid(hit.documentId, 'document id')}"`)
  if (
    query.sort !== 'relevance' ||
    query.cursor ||
    !result.totalExact ||
    result.total >= request.limit ||
    terms.length < NEAR_MISS_FROM_TERMS ||
    terms.some((term) => term.kind === 'phrase')
  )
    return undefined
  const visibility = documentVisibilityFilter(actor, 'content')
  const base = { indexUid, distinct: 'documentId', matchingStrategy: 'all' as const }
  return {
    terms,
    known: terms.map((term) => ({ ...base, q: termText(term), filter: [visibility], limit: 1, attributesToRetrieve: ['documentId'] })),
    without: terms.map((_term, i) => ({
      ...base,
      q: terms
        .filter((_t, j) => j !== i)
        .map(termText)
        .join(' '),
      filter: [
        visibility,
        ...searchFiltersToMeili(query.filters),
        ...(strict.length > 0 ? [`documentId NOT IN [${strict.join(', ')}]`] : []),
      ],
      limit: request.limit - result.hits.length,
      attributesToRetrieve: request.body.attributesToRetrieve,
      attributesToHighlight: request.body.attributesToHighlight,
      attributesToCrop: request.body.attributesToCrop,
      cropLength: request.body.cropLength,
      cropMarker: request.body.cropMarker,
      highlightPreTag: request.body.highlightPreTag,
      highlightPostTag: request.body.highlightPostTag,
      showRankingScore: true,
    })),
  }
}

/** The near misses from the plan's answers: best first, each marked with its missing term. */
export function nearMissHits(
  plan: NearMissPlan,
  known: { hits: unknown[] }[],
  without: { hits: MeiliHit[] }[],
  request: MeiliSearchRequest,
  room: number,
): SearchHit[] {
  const best = new Map<string, SearchHit>()
  plan.terms.forEach((term, i) => {
    if ((known[i]?.hits.length ?? 0) === 0) return
    const page = fromMeiliResponse(
      { hits: without[i]?.hits ?? [], facetDistribution: {}, totalHits: 0 },
      { ...request, skip: 0 },
    )
    for (const hit of page.hits) {
      const score = NEAR_MISS_BAND + hit.score
      const current = best.get(hit.documentId)
      if (!current || current.score < score) best.set(hit.documentId, { ...hit, score, missing: [term.exact] })
    }
  })
  return [...best.values()].sort((a, b) => b.score - a.score).slice(0, room)
}
