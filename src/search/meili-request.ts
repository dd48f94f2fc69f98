import type { MultiSearchQuery, SearchParams, SearchResponse } from 'meilisearch'
import type { Actor } from '../access/actor.ts'
import { documentVisibilityFilter } from '../access/policy.ts'
import { AppError, fieldError } from '../platform/errors.ts'
import { assertUuid, epochDay, UUID, MARK_CLOSE, MARK_OPEN, type MeiliPageRecord } from './meili-records.ts'
import { escapeHtml } from '../platform/html.ts'
import type { FacetName, SearchFilters, SearchHit, SearchQuery, SearchResult } from './search-engine.ts'

/** Hits Meilisearch counts and pages through at most (settings.json `pagination.maxTotalHits`). */
export const MEILI_MAX_TOTAL_HITS = 10_000
export const MAX_PAGE_SNIPPETS = 3

export const MEILI_FACETS = {
  direction: 'direction',
  kind: 'kind',
  issuer: 'issuerName',
  status: 'status',
  secrecy: 'secrecy',
  hasSignature: 'hasSignature',
  year: 'year',
} as const satisfies Record<FacetName, keyof MeiliPageRecord>

const METADATA_SNIPPET_ATTRIBUTES = ['numberNotation', 'subject', 'issuerName', 'signerName'] as const
const RETRIEVED = ['documentId', 'fileId', 'pageNumber'] as const

export type MeiliHit = Pick<MeiliPageRecord, (typeof RETRIEVED)[number]> & {
  _formatted?: Partial<Record<string, unknown>>
  _rankingScore?: number
}

export interface MeiliSearchRequest {
  body: SearchParams & { q: string; filter: string[] }
  offset: number
  /** Hits to drop from the front of the answer (an offset that is not a multiple of the limit). */
  skip: number
  limit: number
}

/** A Meilisearch string literal: `"` and `\` escaped (the filter grammar since Meilisearch 1.4). */
export function filterString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

const invalid = (field: string) =>
  new AppError('validation-failed', { errors: [fieldError(field, 'field-invalid-value')] })

function uuidLiteral(value: string, field: string): string {
  if (!UUID.test(value)) throw invalid(field)
  return `"${value.toLowerCase()}"`
}

function isoDay(value: string, field: string): number {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? epochDay(value) : null
  // Date.parse rolls 2026-02-31 over to March: only a date that reads back the same is one.
  if (day === null || new Date(day * 86_400_000).toISOString().slice(0, 10) !== value) throw invalid(field)
  return day
}

/** SearchFilters as Meilisearch filter expressions, each ANDed by the caller. */
export function searchFiltersToMeili(filters: SearchFilters): string[] {
  const parts: string[] = []
  if (filters.direction) parts.push(`direction = ${filterString(filters.direction)}`)
  if (filters.kind) parts.push(`kind = ${filterString(filters.kind)}`)
  if (filters.issuer) parts.push(`issuerName = ${filterString(filters.issuer)}`)
  if (filters.dateFrom) parts.push(`sortDay >= ${isoDay(filters.dateFrom, 'dateFrom')}`)
  if (filters.dateTo) parts.push(`sortDay <= ${isoDay(filters.dateTo, 'dateTo')}`)
  if (filters.registerId) parts.push(`registerId = ${uuidLiteral(filters.registerId, 'registerId')}`)
  if (filters.departmentId) parts.push(`departmentIds = ${uuidLiteral(filters.departmentId, 'departmentId')}`)
  if (filters.status) parts.push(`status = ${filterString(filters.status)}`)
  if (filters.secrecy !== undefined) {
    if (!Number.isInteger(filters.secrecy)) throw invalid('secrecy')
    parts.push(`secrecy = ${filters.secrecy}`)
  }
  if (filters.hasSignature !== undefined)
    parts.push(`hasSignature = ${filters.hasSignature ? 'true' : 'false'}`)
  return parts
}

/**
 * The words as Meilisearch should read them. A số/ký hiệu (`15/QĐ-UBND`, `45/KH-SGD&ĐT`) is split by
 * the tokenizer into `15 qd ubnd`; quoting it makes it a phrase, so the three words must be adjacent
 * and in order instead of anywhere in the document.
 */
export function toMeiliQuery(text: string): string {
  return text
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '')
    .map((word) => (word.includes('/') && !word.startsWith('"') ? `"${word.replace(/"/g, '')}"` : word))
    .join(' ')
}

export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url')
}

export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0
  try {
    const { o } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown }
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0 && o < MEILI_MAX_TOTAL_HITS) return o
  } catch {
    // reported below
  }
  throw invalid('cursor')
}

/**
 * Who may find what: documents the actor may open match on any record; documents whose metadata alone
 * the actor may see (admins, non-secret documents) only on their metadata record, so page text never
 * reaches them through matches or snippets.
 */
export function meiliVisibilityFilter(actor: Actor): string {
  const content = documentVisibilityFilter(actor, 'content')
  const metadata = documentVisibilityFilter(actor, 'metadata')
  return content === metadata ? content : `(${content}) OR ((${metadata}) AND pageNumber IS NULL)`
}

/**
 * SearchQuery → the body of one Meilisearch search. The visibility filter is always the first filter,
 * so hits, totals and facet counts only ever cover what the actor may see. Pagination is exhaustive
 * (page/hitsPerPage: exact totalHits and facet counts) rather than offset/limit (estimates); the
 * cursor still carries an offset, turned into a page when it is a multiple of the limit.
 */
export function toMeiliSearchRequest(actor: Actor, query: SearchQuery): MeiliSearchRequest {
  const offset = decodeCursor(query.cursor)
  const limit = Math.min(Math.max(Math.trunc(query.limit) || 1, 1), 1000)
  const aligned = offset % limit === 0
  const q = toMeiliQuery(query.text)
  const sort = query.sort === 'relevance' && q !== '' ? undefined : query.sort === 'date-asc' ? 'asc' : 'desc'
  return {
    offset,
    limit,
    skip: aligned ? 0 : offset,
    body: {
      q,
      filter: [meiliVisibilityFilter(actor), ...searchFiltersToMeili(query.filters)],
      distinct: 'documentId',
      matchingStrategy: 'all',
      page: aligned ? offset / limit + 1 : 1,
      // view 'facets': no hits, only the exhaustive total and facet counts.
      hitsPerPage: query.view === 'facets' ? 0 : aligned ? limit : offset + limit,
      ...(sort ? { sort: [`sortDay:${sort}`] } : {}),
      facets: query.view === 'hits' ? [] : Object.values(MEILI_FACETS),
      attributesToRetrieve: [...RETRIEVED],
      ...highlighting(q === '' ? [] : [...METADATA_SNIPPET_ATTRIBUTES, 'text']),
      showRankingScore: true,
    },
  }
}

type Highlighting = Pick<
  SearchParams,
  | 'attributesToHighlight'
  | 'attributesToCrop'
  | 'cropLength'
  | 'cropMarker'
  | 'highlightPreTag'
  | 'highlightPostTag'
>

function highlighting(attributes: string[]): Highlighting {
  if (attributes.length === 0) return {}
  return {
    attributesToHighlight: attributes.filter((a) => a !== 'text'),
    attributesToCrop: attributes.includes('text') ? ['text'] : [],
    cropLength: 24,
    cropMarker: '…',
    highlightPreTag: MARK_OPEN,
    highlightPostTag: MARK_CLOSE,
  }
}

/**
 * Further page snippets for the documents on this page of hits: one query per document (one HTTP
 * request), page text only, the same visibility filter.
 */
export function toMeiliSnippetQueries(
  indexUid: string,
  actor: Actor,
  request: MeiliSearchRequest,
  documentIds: string[],
): MultiSearchQuery[] {
  if (request.body.q === '') return []
  const visibility = documentVisibilityFilter(actor, 'content')
  return documentIds.map((id) => ({
    indexUid,
    q: request.body.q,
    filter: [visibility, `documentId = "${assertUuid(id, 'document id')}"`, 'pageNumber IS NOT NULL'],
    matchingStrategy: 'last',
    attributesToSearchOn: ['text'],
    attributesToRetrieve: [...RETRIEVED],
    limit: MAX_PAGE_SNIPPETS,
    ...highlighting(['text']),
  }))
}

/** Meilisearch does not escape: escape everything, then turn the private-use tags into `<mark>`. */
export function markedHtml(formatted: string): string {
  return escapeHtml(formatted).replaceAll(MARK_OPEN, '<mark>').replaceAll(MARK_CLOSE, '</mark>')
}

const formattedText = (hit: MeiliHit, attribute: string) => {
  const value = hit._formatted?.[attribute]
  return typeof value === 'string' && value.includes(MARK_OPEN) ? value : undefined
}

export function pageSnippet(hit: MeiliHit): SearchHit['snippets'][number] | undefined {
  const text = formattedText(hit, 'text')
  return text === undefined
    ? undefined
    : { fileId: hit.fileId, pageNumber: hit.pageNumber, html: markedHtml(text) }
}

/** Page snippets first (as the PostgreSQL engine gives them), then the metadata field that matched. */
function snippetsOf(hit: MeiliHit): SearchHit['snippets'] {
  const metadata = METADATA_SNIPPET_ATTRIBUTES.map((a) => formattedText(hit, a)).find((t) => t !== undefined)
  const page = pageSnippet(hit)
  return [
    ...(page ? [page] : []),
    ...(metadata ? [{ fileId: null, pageNumber: null, html: markedHtml(metadata) }] : []),
  ]
}

/** One Meilisearch answer → SearchResult (page snippets of further pages are merged by the engine). */
export function fromMeiliResponse(
  response: Pick<SearchResponse<MeiliHit>, 'hits' | 'facetDistribution' | 'totalHits'>,
  request: MeiliSearchRequest,
): SearchResult {
  const total = response.totalHits ?? 0
  const hits = response.hits.slice(request.skip, request.skip + request.limit)
  const facets: SearchResult['facets'] = {}
  for (const [name, attribute] of Object.entries(MEILI_FACETS) as [FacetName, string][]) {
    const distribution = response.facetDistribution?.[attribute] ?? {}
    facets[name] = Object.entries(distribution)
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
  }
  const next = request.offset + request.limit
  return {
    hits: hits.map((hit) => ({
      documentId: hit.documentId,
      score: hit._rankingScore ?? 0,
      snippets: snippetsOf(hit),
    })),
    facets,
    total,
    // Exhaustive pagination counts exactly up to maxTotalHits and stops there.
    totalExact: total < MEILI_MAX_TOTAL_HITS,
    nextCursor: next < Math.min(total, MEILI_MAX_TOTAL_HITS) ? encodeCursor(next) : null,
  }
}

/** Adds the page snippets found by the snippet queries, best first, without repeating a page. */
export function mergePageSnippets(
  result: SearchResult,
  pagesByDocument: Map<string, MeiliHit[]>,
): SearchResult {
  const hits = result.hits.map((hit) => {
    const pages = hit.snippets.filter((s) => s.pageNumber !== null)
    for (const page of pagesByDocument.get(hit.documentId) ?? []) {
      const snippet = pageSnippet(page)
      if (!snippet || pages.length >= MAX_PAGE_SNIPPETS) continue
      if (pages.some((s) => s.fileId === snippet.fileId && s.pageNumber === snippet.pageNumber)) continue
      pages.push(snippet)
    }
    return { ...hit, snippets: [...pages, ...hit.snippets.filter((s) => s.pageNumber === null)] }
  })
  return { ...result, hits }
}
