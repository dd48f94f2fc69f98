import type { KeyboardEvent } from 'react'
import type { SearchHit, SearchSnippet } from '../../api.ts'
import { useI18n } from '../../i18n/index.tsx'
import { Link } from '../../router.tsx'
import { SECRECY_KEYS, statusLabel, URGENCY_KEYS } from '../documents/labels.ts'
import { HighlightedText } from './HighlightedText.tsx'

/** Where a snippet opens: the document, at the snippet's page of its file when it has one. */
export function snippetHref(documentId: string, snippet: SearchSnippet): string {
  const base = `/documents/${encodeURIComponent(documentId)}`
  if (snippet.pageNumber === null) return base
  const params = new URLSearchParams()
  if (snippet.fileId) params.set('file', snippet.fileId)
  params.set('page', String(snippet.pageNumber))
  return `${base}?${params}`
}

/** The focusable links of the list, in order: each result's title, then its snippets. */
const LINK_SELECTOR = '[data-result-link]'

/** ↑/↓ move between the results' links (Enter opens, as on any link); Home/End jump to the ends. */
export function moveFocus(event: KeyboardEvent<HTMLElement>): void {
  if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(event.key)) return
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return
  const links = [...event.currentTarget.querySelectorAll<HTMLElement>(LINK_SELECTOR)]
  if (links.length === 0) return
  const at = links.indexOf(document.activeElement as HTMLElement)
  let next: number
  if (event.key === 'Home') next = 0
  else if (event.key === 'End') next = links.length - 1
  else if (event.key === 'ArrowDown') next = Math.min(links.length - 1, at + 1)
  else next = Math.max(0, at - 1)
  event.preventDefault()
  links[next]!.focus()
}

export function SearchResults({ hits }: { hits: SearchHit[] }) {
  const { t } = useI18n()
  return (
    <ol
      className="search-results"
      aria-label={t('search.results')}
      onKeyDown={moveFocus}
      data-testid="search-results"
    >
      {hits.map((hit) => (
        <ResultItem key={hit.document.id} hit={hit} />
      ))}
    </ol>
  )
}

function ResultItem({ hit }: { hit: SearchHit }) {
  const { t, formatDate } = useI18n()
  const doc = hit.document
  const date = doc.issuedDate ?? doc.arrivalDate
  const href = `/documents/${encodeURIComponent(doc.id)}`
  return (
    <li className="search-hit" data-testid="search-hit" data-id={doc.id}>
      <div className="search-hit__head">
        <Link to={href} className="search-hit__title" data-result-link="" data-testid="search-hit-link">
          {doc.numberNotation || t('doc.noNumber')}
        </Link>
        {doc.kind && <span className="search-hit__kind">{doc.kind}</span>}
        <span className="search-hit__badges">
          <span className={`status status--${doc.status}`} data-testid="search-hit-status">
            {statusLabel(t, doc.status)}
          </span>
          {doc.urgency > 0 && (
            <span className="badge badge--urgent" data-testid="search-hit-urgency">
              {t(URGENCY_KEYS[doc.urgency] ?? 'doc.urgency.1')}
            </span>
          )}
          {doc.secrecy > 0 && (
            <span className="badge badge--secret" data-testid="search-hit-secrecy">
              {t(SECRECY_KEYS[doc.secrecy] ?? 'doc.secrecy.1')}
            </span>
          )}
        </span>
      </div>
      <p className="search-hit__subject" data-testid="search-hit-subject">
        {doc.subject || t('search.noSubject')}
      </p>
      <p className="search-hit__meta muted">
        {[
          doc.issuerName,
          date ? formatDate(date) : null,
          doc.direction === 'incoming' ? t('nav.incoming') : t('nav.outgoing'),
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      {hit.snippets.length > 0 && (
        <ul className="search-hit__snippets">
          {hit.snippets.map((snippet, i) => (
            <li key={`${snippet.fileId ?? ''}:${snippet.pageNumber ?? i}`}>
              <Link
                to={snippetHref(doc.id, snippet)}
                className="search-snippet"
                data-result-link=""
                data-testid="search-snippet"
                data-page={snippet.pageNumber ?? undefined}
              >
                <span className="search-snippet__page">
                  {snippet.pageNumber === null
                    ? t('search.inRegister')
                    : t('search.page', { n: snippet.pageNumber })}
                  :
                </span>{' '}
                <HighlightedText html={snippet.html} />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </li>
  )
}
