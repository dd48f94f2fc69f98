/**
 * The search lives in the URL (`/search?q=…&kind=…&sort=…`): back and forward step through searches,
 * and a copied address opens the same results. These helpers read and write that query string.
 */
import type { SearchFacetName, SearchFilters, SearchQuery, SearchSort } from '../../api.ts'

export const SEARCH_PATH = '/search'

const FILTER_KEYS = [
  'direction',
  'kind',
  'issuer',
  'dateFrom',
  'dateTo',
  'registerId',
  'departmentId',
  'status',
  'secrecy',
  'hasSignature',
] as const satisfies readonly (keyof SearchFilters)[]

export type FilterKey = (typeof FILTER_KEYS)[number]

const SORTS: readonly SearchSort[] = ['relevance', 'date-desc', 'date-asc']
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

export interface SearchState {
  q: string
  filters: SearchFilters
  sort: SearchSort
}

/** The search a query string describes; values the server would refuse are dropped, not sent. */
export function readSearch(query: URLSearchParams): SearchState {
  const filters: SearchFilters = {}
  for (const key of FILTER_KEYS) {
    const value = query.get(key)?.trim()
    if (value) filters[key] = value as never
  }
  if (filters.direction !== 'incoming' && filters.direction !== 'outgoing') delete filters.direction
  if (filters.dateFrom && !ISO_DATE.test(filters.dateFrom)) delete filters.dateFrom
  if (filters.dateTo && !ISO_DATE.test(filters.dateTo)) delete filters.dateTo
  if (filters.secrecy && !/^[0-3]$/.test(filters.secrecy)) delete filters.secrecy
  if (filters.hasSignature && filters.hasSignature !== 'true' && filters.hasSignature !== 'false') {
    delete filters.hasSignature
  }
  const sort = SORTS.find((s) => s === query.get('sort')) ?? 'relevance'
  return { q: query.get('q') ?? '', filters, sort }
}

/** `/search?…` for a search; empty values and the default sort are left out. */
export function searchHref(state: SearchState): string {
  const params = new URLSearchParams()
  if (state.q.trim()) params.set('q', state.q.trim())
  for (const key of FILTER_KEYS) {
    const value = state.filters[key]
    if (value) params.set(key, value)
  }
  if (state.sort !== 'relevance') params.set('sort', state.sort)
  const search = params.toString()
  return search ? `${SEARCH_PATH}?${search}` : SEARCH_PATH
}

export function toApiQuery(
  state: SearchState,
  limit: number,
  cursor?: string,
  view: SearchQuery['view'] = 'hits',
): SearchQuery {
  return { q: state.q.trim(), ...state.filters, sort: state.sort, limit, view, ...(cursor ? { cursor } : {}) }
}

export function hasFilters(state: SearchState): boolean {
  return Object.values(state.filters).some(Boolean)
}

/** The year facet filters on the whole calendar year of the document date. */
export function yearRange(year: string): { dateFrom: string; dateTo: string } {
  return { dateFrom: `${year}-01-01`, dateTo: `${year}-12-31` }
}

/** The year whose whole range is selected, if the date filters are exactly one year. */
export function selectedYear(filters: SearchFilters): string | undefined {
  const year = filters.dateFrom?.slice(0, 4)
  if (!year) return undefined
  const range = yearRange(year)
  return filters.dateFrom === range.dateFrom && filters.dateTo === range.dateTo ? year : undefined
}

/** Which URL filter a facet sets (the year facet sets the date range instead). */
export const FACET_FILTER: Record<Exclude<SearchFacetName, 'year'>, FilterKey> = {
  direction: 'direction',
  kind: 'kind',
  issuer: 'issuer',
  status: 'status',
  secrecy: 'secrecy',
  hasSignature: 'hasSignature',
}

/** Whether a facet value is the active filter. */
export function isFacetActive(state: SearchState, facet: SearchFacetName, value: string): boolean {
  if (facet === 'year') return selectedYear(state.filters) === value
  return state.filters[FACET_FILTER[facet]] === value
}

/** The search with a facet value added, or removed when it was already the active filter. */
export function toggleFacet(state: SearchState, facet: SearchFacetName, value: string): SearchState {
  const filters = { ...state.filters }
  if (facet === 'year') {
    if (selectedYear(filters) === value) {
      delete filters.dateFrom
      delete filters.dateTo
    } else Object.assign(filters, yearRange(value))
  } else {
    const key = FACET_FILTER[facet]
    if (filters[key] === value) delete filters[key]
    else filters[key] = value as never
  }
  return { ...state, filters }
}

export function withoutFilter(state: SearchState, key: FilterKey): SearchState {
  const filters = { ...state.filters }
  delete filters[key]
  return { ...state, filters }
}
