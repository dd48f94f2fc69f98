import '../../styles/search.css'
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react'
import { type ApiError, type SearchHit, type SearchSort, searchApi, toApiError } from '../../api.ts'
import { ProblemAlert } from '../../components/feedback.tsx'
import { useLoad } from '../../components/hooks.ts'
import { PageHeader } from '../../components/PageHeader.tsx'
import { ResourceView } from '../../components/ResourceView.tsx'
import { useI18n } from '../../i18n/index.tsx'
import { navigate, useLocation } from '../../router.tsx'
import { facetValueLabel, FILTER_TITLES } from './labels.ts'
import { SearchFacets } from './SearchFacets.tsx'
import { SearchResults } from './SearchResults.tsx'
import {
  type FilterKey,
  hasFilters,
  readSearch,
  type SearchState,
  searchHref,
  selectedYear,
  toApiQuery,
  withoutFilter,
} from './search-url.ts'

const PAGE_SIZE = 20
/** Typing pauses this long before the results follow the box (earlier requests are cancelled). */
const TYPING_PAUSE_MS = 350
/** Fewer characters than this are not searched as the user types (one letter matches everything). */
const TYPED_MIN_LENGTH = 2
/** The page's search box: the "/" shortcut and the header search look for it by this id. */
export const SEARCH_INPUT_ID = 'search-q'

/** Tra cứu văn bản: one search box, facets beside the results, the whole search kept in the URL. */
export function SearchPage() {
  const { t } = useI18n()
  const { query } = useLocation()
  const key = query.toString()
  // biome-ignore lint/correctness/useExhaustiveDependencies: the query string is the identity of the search.
  const state = useMemo(() => readSearch(query), [key])
  // The first page does not wait for the facets: two requests, the hits shown as soon as they come.
  const first = useLoad((signal) => searchApi.search(toApiQuery(state, PAGE_SIZE), signal), [key])
  const facets = useLoad((signal) => searchApi.search(toApiQuery(state, 1, undefined, 'facets'), signal), [key])
  const more = useMoreResults(key, state, first.data?.nextCursor ?? null)
  const go = (next: SearchState) => navigate(searchHref(next))

  return (
    <div className="page page--search" data-testid="page-search">
      <PageHeader title={t('search.title')} />
      <SearchForm state={state} onSearch={go} />
      <div className="search-layout">
        <SearchFacets state={state} facets={facets.data?.facets} onChange={go} />
        <section className="search-main" aria-label={t('search.results')}>
          <ActiveFilters state={state} onChange={go} />
          <ResourceView
            resource={{
              ...first,
              reload: () => {
                more.reset()
                first.reload()
              },
            }}
            isEmpty={(data) => data.total === 0 || data.hits.length === 0}
            emptyTestId="search-empty"
            empty={<NoResults filtered={hasFilters(state)} />}
          >
            {(data) => {
              // The facet request counts (up to the cap); the first page alone may only know a lower bound.
              const counted = facets.data && !facets.loading ? facets.data : data
              return (
                <>
                  <div className="search-summary">
                    <p className="search-summary__total" role="status" data-testid="search-total">
                      {first.loading
                        ? t('search.searching')
                        : t(counted.totalExact ? 'search.total' : 'search.totalAtLeast', {
                            n: counted.total,
                          })}
                    </p>
                    <SortSelect sort={state.sort} onChange={(sort) => go({ ...state, sort })} />
                  </div>
                  <div
                    className={first.loading ? 'search-busy' : undefined}
                    aria-busy={first.loading || undefined}
                  >
                    <SearchResults hits={[...data.hits, ...more.hits]} />
                  </div>
                  <ProblemAlert error={more.error} testId="search-more-error" />
                  {more.nextCursor && (
                    <div className="form-actions">
                      <button
                        type="button"
                        className="btn"
                        onClick={() => void more.load()}
                        aria-busy={more.loading || undefined}
                        data-testid="search-more"
                      >
                        {more.loading
                          ? t('app.loading')
                          : t(counted.totalExact ? 'search.more' : 'search.moreAtLeast', {
                              shown: data.hits.length + more.hits.length,
                              total: counted.total,
                            })}
                      </button>
                    </div>
                  )}
                </>
              )
            }}
          </ResourceView>
        </section>
      </div>
    </div>
  )
}

/** "Xem thêm": the pages after the first, forgotten as soon as the search (the URL) changes. */
function useMoreResults(key: string, state: SearchState, firstCursor: string | null) {
  type More = { key: string; hits: SearchHit[]; cursor: string | null; error: ApiError | null }
  const [pages, setPages] = useState<More>()
  const [loading, setLoading] = useState(false)
  const current = pages?.key === key ? pages : undefined
  const nextCursor = current ? current.cursor : firstCursor

  const load = async () => {
    if (!nextCursor || loading) return
    setLoading(true)
    const hits = current?.hits ?? []
    try {
      const page = await searchApi.search(toApiQuery(state, PAGE_SIZE, nextCursor))
      const seen = new Set(hits.map((hit) => hit.document.id))
      const fresh = page.hits.filter((hit) => !seen.has(hit.document.id))
      setPages({ key, hits: [...hits, ...fresh], cursor: page.nextCursor, error: null })
    } catch (reason) {
      setPages({ key, hits, cursor: nextCursor, error: toApiError(reason) })
    } finally {
      setLoading(false)
    }
  }
  return {
    hits: current?.hits ?? [],
    nextCursor,
    error: current?.error ?? null,
    loading,
    load,
    reset: () => setPages(undefined),
  }
}

function SearchForm({ state, onSearch }: { state: SearchState; onSearch: (next: SearchState) => void }) {
  const { t } = useI18n()
  const input = useRef<HTMLInputElement>(null)
  // The box follows the URL (back/forward, a header search) until the user types.
  const [draft, setDraft] = useState({ from: state.q, text: state.q })
  const text = draft.from === state.q ? draft.text : state.q

  // After PageHeader's focus on its heading: on this page the box is where work starts.
  useEffect(() => input.current?.focus(), [])

  // Results follow the box as the user types, after a pause; the URL is replaced, not pushed, so Back
  // leaves the search instead of replaying every keystroke. A newer search cancels the older request.
  const typed = text.trim()
  const stateRef = useRef(state)
  stateRef.current = state
  useEffect(() => {
    if (typed === stateRef.current.q.trim()) return
    if (typed.length > 0 && typed.length < TYPED_MIN_LENGTH) return
    const timer = setTimeout(() => {
      // The box keeps exactly what was typed (a trailing space included) while the URL takes it trimmed.
      setDraft((current) => ({ from: typed, text: current.text }))
      navigate(searchHref({ ...stateRef.current, q: typed }), { replace: true })
    }, TYPING_PAUSE_MS)
    return () => clearTimeout(timer)
  }, [typed])

  const submit = (event: FormEvent) => {
    event.preventDefault()
    onSearch({ ...state, q: text })
  }

  return (
    <search className="search-box">
      <form onSubmit={submit} noValidate data-testid="search-form">
        <label htmlFor={SEARCH_INPUT_ID} className="search-box__label">
          {t('search.label')}
        </label>
        <div className="search-box__row">
          <input
            ref={input}
            id={SEARCH_INPUT_ID}
            name="q"
            type="search"
            className="input search-box__input"
            value={text}
            maxLength={500}
            placeholder={t('search.placeholder')}
            aria-describedby="search-q-hint"
            autoComplete="off"
            spellCheck={false}
            enterKeyHint="search"
            onChange={(event) => setDraft({ from: state.q, text: event.target.value })}
            onKeyDown={(event) => {
              if (event.key !== 'ArrowDown') return
              const firstLink = document.querySelector<HTMLElement>('[data-result-link]')
              if (!firstLink) return
              event.preventDefault()
              firstLink.focus()
            }}
          />
          <button type="submit" className="btn btn--primary search-box__submit" data-testid="search-submit">
            {t('search.submit')}
          </button>
        </div>
        <p id="search-q-hint" className="field__hint">
          {t('search.hint')}
        </p>
      </form>
    </search>
  )
}

function SortSelect({ sort, onChange }: { sort: SearchSort; onChange: (sort: SearchSort) => void }) {
  const { t } = useI18n()
  return (
    <label className="search-sort">
      <span>{t('search.sort')}</span>
      <select
        className="input"
        id="search-sort"
        name="sort"
        value={sort}
        onChange={(event) => onChange(event.target.value as SearchSort)}
      >
        <option value="relevance">{t('search.sort.relevance')}</option>
        <option value="date-desc">{t('search.sort.date-desc')}</option>
        <option value="date-asc">{t('search.sort.date-asc')}</option>
      </select>
    </label>
  )
}

/** The filters in force as chips, each with its ✕; a year chosen from the facet is one chip. */
function ActiveFilters({ state, onChange }: { state: SearchState; onChange: (next: SearchState) => void }) {
  const { t, formatDate } = useI18n()
  const year = selectedYear(state.filters)
  const chips: { id: string; label: string; remove: SearchState }[] = []
  if (year) {
    const remove = withoutFilter(withoutFilter(state, 'dateFrom'), 'dateTo')
    chips.push({ id: 'year', label: `${t('search.facet.year')}: ${year}`, remove })
  }
  for (const [name, value] of Object.entries(state.filters) as [FilterKey, string | undefined][]) {
    if (!value || (year && (name === 'dateFrom' || name === 'dateTo'))) continue
    const shown =
      name === 'dateFrom' || name === 'dateTo' ? formatDate(value) : facetValueLabel(t, name, value)
    chips.push({ id: name, label: `${t(FILTER_TITLES[name])}: ${shown}`, remove: withoutFilter(state, name) })
  }
  if (chips.length === 0) return null
  return (
    <div className="search-chips" data-testid="search-chips">
      <span className="search-chips__title">{t('search.activeFilters')}</span>
      <ul className="search-chips__list">
        {chips.map((chip) => (
          <li key={chip.id}>
            <button
              type="button"
              className="chip"
              onClick={() => onChange(chip.remove)}
              aria-label={t('search.removeFilter', { filter: chip.label })}
              data-testid="search-chip"
              data-filter={chip.id}
            >
              <span>{chip.label}</span>
              <span className="chip__x" aria-hidden="true">
                ✕
              </span>
            </button>
          </li>
        ))}
      </ul>
      {chips.length > 1 && (
        <button
          type="button"
          className="btn btn--link"
          onClick={() => onChange({ ...state, filters: {} })}
          data-testid="search-clear-filters"
        >
          {t('search.clearFilters')}
        </button>
      )}
    </div>
  )
}

function NoResults({ filtered }: { filtered: boolean }) {
  const { t } = useI18n()
  return (
    <>
      <p className="state__title">{t('search.empty.title')}</p>
      <ul className="search-empty__hints">
        <li>{t('search.empty.noDiacritics')}</li>
        <li>{t('search.empty.fewerWords')}</li>
        <li>{t('search.empty.notation')}</li>
        {filtered && <li>{t('search.empty.filters')}</li>}
      </ul>
    </>
  )
}
