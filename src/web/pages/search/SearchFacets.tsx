import { type FormEvent, useState } from 'react'
import type { SearchFacetName, SearchResult } from '../../api.ts'
import { useI18n } from '../../i18n/index.tsx'
import { FACET_ORDER, FACET_TITLES, facetValueLabel } from './labels.ts'
import { isFacetActive, type SearchState, toggleFacet } from './search-url.ts'

const SHOWN_VALUES = 8

/** The side panel: each facet's values with their counts (click to filter, click again to remove). */
export function SearchFacets({
  state,
  facets,
  onChange,
}: {
  state: SearchState
  facets: SearchResult['facets'] | undefined
  onChange: (next: SearchState) => void
}) {
  const { t } = useI18n()
  // Narrow screens fold the panel behind a button so the results stay near the search box.
  const [open, setOpen] = useState(false)
  const shown = FACET_ORDER.filter((name) => (facets?.[name]?.length ?? 0) > 0)
  return (
    <aside
      className={open ? 'search-facets search-facets--open' : 'search-facets'}
      aria-label={t('search.filters')}
      data-testid="search-facets"
    >
      <h2 className="search-facets__title">{t('search.filters')}</h2>
      <button
        type="button"
        className="btn search-facets__toggle"
        aria-expanded={open}
        aria-controls="search-facets-body"
        onClick={() => setOpen(!open)}
        data-testid="search-facets-toggle"
      >
        {open ? t('search.hideFilters') : t('search.showFilters')}
      </button>
      <div className="search-facets__body" id="search-facets-body">
        <DateRange state={state} onChange={onChange} />
        {shown.map((name) => (
          <Facet
            key={name}
            name={name}
            values={facets?.[name] ?? []}
            state={state}
            onToggle={(value) => onChange(toggleFacet(state, name, value))}
          />
        ))}
      </div>
    </aside>
  )
}

function Facet({
  name,
  values,
  state,
  onToggle,
}: {
  name: SearchFacetName
  values: { value: string; count: number }[]
  state: SearchState
  onToggle: (value: string) => void
}) {
  const { t } = useI18n()
  const [all, setAll] = useState(false)
  const sorted = name === 'year' ? [...values].sort((a, b) => b.value.localeCompare(a.value)) : values
  const visible = all ? sorted : sorted.slice(0, SHOWN_VALUES)
  const titleId = `facet-${name}`
  return (
    <section className="facet" aria-labelledby={titleId} data-testid={`facet-${name}`}>
      <h3 className="facet__title" id={titleId}>
        {t(FACET_TITLES[name])}
      </h3>
      <ul className="facet__values">
        {visible.map(({ value, count }) => {
          const label = facetValueLabel(t, name, value)
          const active = isFacetActive(state, name, value)
          return (
            <li key={value}>
              <button
                type="button"
                className="facet__value"
                aria-pressed={active}
                aria-label={t('search.facetValue', { label, count })}
                title={label}
                onClick={() => onToggle(value)}
                data-testid="facet-value"
                data-value={value}
              >
                <span className="facet__label">{label}</span>
                <span className="facet__count" data-testid="facet-count">
                  {count}
                </span>
              </button>
            </li>
          )
        })}
      </ul>
      {sorted.length > SHOWN_VALUES && (
        <button type="button" className="btn btn--link facet__more" onClick={() => setAll(!all)}>
          {all ? t('search.facetFewer') : t('search.facetAll', { n: sorted.length })}
        </button>
      )}
    </section>
  )
}

/** Ngày văn bản from/to; applied with its button (or Enter), so half-typed dates never search. */
function DateRange({ state, onChange }: { state: SearchState; onChange: (next: SearchState) => void }) {
  const { t } = useI18n()
  const key = `${state.filters.dateFrom ?? ''}|${state.filters.dateTo ?? ''}`
  // Re-seeded when the URL's dates change (a year facet, a removed chip, back/forward).
  const [draft, setDraft] = useState({
    key,
    from: state.filters.dateFrom ?? '',
    to: state.filters.dateTo ?? '',
  })
  const current =
    draft.key === key ? draft : { key, from: state.filters.dateFrom ?? '', to: state.filters.dateTo ?? '' }
  const invalid = !!current.from && !!current.to && current.from > current.to

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (invalid) return
    const filters = { ...state.filters }
    if (current.from) filters.dateFrom = current.from
    else delete filters.dateFrom
    if (current.to) filters.dateTo = current.to
    else delete filters.dateTo
    onChange({ ...state, filters })
  }

  return (
    <form className="facet facet--dates" onSubmit={submit} noValidate data-testid="search-dates">
      <fieldset className="facet__fieldset">
        <legend className="facet__title">{t('search.dateRange')}</legend>
        <label className="facet__date">
          <span>{t('search.dateFrom')}</span>
          <input
            type="date"
            className="input"
            id="search-date-from"
            name="dateFrom"
            value={current.from}
            max={current.to || undefined}
            onChange={(event) => setDraft({ ...current, from: event.target.value })}
          />
        </label>
        <label className="facet__date">
          <span>{t('search.dateTo')}</span>
          <input
            type="date"
            className="input"
            id="search-date-to"
            name="dateTo"
            value={current.to}
            min={current.from || undefined}
            aria-invalid={invalid || undefined}
            aria-describedby={invalid ? 'error-search-date-to' : undefined}
            onChange={(event) => setDraft({ ...current, to: event.target.value })}
          />
        </label>
        {invalid && (
          <p className="field__error" id="error-search-date-to" data-testid="error-search-date-to">
            {t('search.dateRangeInvalid')}
          </p>
        )}
        <button type="submit" className="btn btn--small" disabled={invalid} data-testid="search-dates-apply">
          {t('search.applyDates')}
        </button>
      </fieldset>
    </form>
  )
}
