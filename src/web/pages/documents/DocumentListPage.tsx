import { type ReactNode, useState } from 'react'
import { type ApiError, type DocumentRecord, documentsApi, toApiError } from '../../api.ts'
import { EmptyState, ErrorState, LoadingState, ProblemAlert } from '../../components/feedback.tsx'
import { useLoad } from '../../components/hooks.ts'
import { PageHeader } from '../../components/PageHeader.tsx'
import { type MessageKey, useI18n } from '../../i18n/index.tsx'
import { Link } from '../../router.tsx'
import { useAuthenticated } from '../../session.tsx'
import { IncomingRegisterExport } from './IncomingRegisterExport.tsx'
import { SentRequestsCard } from '../signing/SentRequestsCard.tsx'
import { NewDraftForm } from '../outgoing/NewDraftForm.tsx'
import { loadDirectory } from './directory.ts'
import { isOverdue, statusLabel } from './labels.ts'

type ListQuery = { direction?: 'incoming' | 'outgoing'; awaiting?: 'me' }

const PAGE_SIZE = '25'

/** A register-style table of documents with "Xem thêm" cursor paging. */
export function DocumentListPage({
  titleKey,
  query,
  testId,
}: {
  titleKey: MessageKey
  query: ListQuery
  testId: string
}) {
  const { t } = useI18n()
  const { user } = useAuthenticated()
  const clerkOfOutgoing = query.direction === 'outgoing' && user.roles.includes('clerk')
  const directory = useLoad((signal) => (clerkOfOutgoing ? loadDirectory(signal) : Promise.resolve(null)), [
    clerkOfOutgoing,
  ]).data
  const first = useLoad(
    (signal) => documentsApi.list({ ...query, limit: PAGE_SIZE }, signal),
    [query.direction, query.awaiting],
  )
  const [more, setMore] = useState<DocumentRecord[]>([])
  const [cursor, setCursor] = useState<string | null | undefined>(undefined)
  const [moreError, setMoreError] = useState<ApiError | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)

  const nextCursor = cursor === undefined ? first.data?.nextCursor : cursor
  const items = [...(first.data?.items ?? []), ...more]

  const loadMore = async () => {
    if (!nextCursor || loadingMore) return
    setLoadingMore(true)
    setMoreError(null)
    try {
      const page = await documentsApi.list({ ...query, limit: PAGE_SIZE, cursor: nextCursor })
      setMore((previous) => [...previous, ...page.items])
      setCursor(page.nextCursor)
    } catch (error) {
      setMoreError(toApiError(error))
    } finally {
      setLoadingMore(false)
    }
  }

  const reload = () => {
    setMore([])
    setCursor(undefined)
    first.reload()
  }

  return (
    <div className="page" data-testid={testId}>
      <PageHeader title={t(titleKey)} />
      {query.direction === 'incoming' && !query.awaiting && <IncomingRegisterExport />}
      {clerkOfOutgoing && (
        <>
          <NewDraftForm directory={directory ?? null} onCreated={reload} />
          <SentRequestsCard />
        </>
      )}
      {first.loading && !first.data && <LoadingState />}
      {first.error && <ErrorState error={first.error} onRetry={reload} />}
      {first.data && items.length === 0 && (
        <EmptyState testId="documents-empty">
          <p>{t('documents.empty')}</p>
        </EmptyState>
      )}
      {items.length > 0 && <DocumentTable items={items} direction={query.direction} />}
      <ProblemAlert error={moreError} testId="documents-more-error" />
      {nextCursor && (
        <div className="form-actions">
          <button
            type="button"
            className="btn"
            onClick={() => void loadMore()}
            aria-busy={loadingMore || undefined}
            data-testid="documents-more"
          >
            {loadingMore ? t('app.loading') : t('documents.more')}
          </button>
        </div>
      )}
    </div>
  )
}

interface Column {
  key: string
  label: string
  cell: (doc: DocumentRecord) => ReactNode
  className?: string
}

/**
 * A register-style table; below 900 px (a tablet held upright) each row becomes a card whose cells carry
 * their column names (data-label), so no column is cut off at the right.
 */
function DocumentTable({ items, direction }: { items: DocumentRecord[]; direction?: ListQuery['direction'] }) {
  const { t, formatDate } = useI18n()
  const outgoing = direction === 'outgoing'
  const numberLink = (doc: DocumentRecord) => (
    <Link to={`/documents/${doc.id}`} data-testid="document-link">
      {doc.numberNotation || (outgoing ? t('doc.outgoing.notNumbered') : t('doc.noNumber'))}
    </Link>
  )
  const status = (doc: DocumentRecord) => (
    <span className={`status status--${doc.status}`} data-testid="document-status">
      {statusLabel(t, doc.status)}
    </span>
  )
  const columns: Column[] = outgoing
    ? [
        { key: 'numberNotation', label: t('doc.numberNotation'), cell: numberLink },
        { key: 'issuedDate', label: t('doc.outgoing.issuedDate'), cell: (d) => formatDate(d.issuedDate) },
        { key: 'kind', label: t('doc.kind'), cell: (d) => d.kind ?? '—' },
        { key: 'subject', label: t('doc.subject'), cell: (d) => d.subject ?? '—', className: 'doc-table__subject' },
        { key: 'toPlaces', label: t('doc.outgoing.toPlaces'), cell: (d) => d.toPlaces ?? '—' },
        { key: 'status', label: t('doc.status'), cell: status },
      ]
    : [
        { key: 'arrivalNumber', label: t('doc.arrivalNumber'), cell: (d) => d.arrivalNumber ?? '—', className: 'mono' },
        { key: 'arrivalDate', label: t('doc.arrivalDate'), cell: (d) => formatDate(d.arrivalDate) },
        { key: 'numberNotation', label: t('doc.numberNotation'), cell: numberLink },
        { key: 'issuer', label: t('doc.issuer'), cell: (d) => d.issuerName ?? '—' },
        { key: 'subject', label: t('doc.subject'), cell: (d) => d.subject ?? '—', className: 'doc-table__subject' },
        { key: 'status', label: t('doc.status'), cell: status },
      ]
  return (
    <div className="table-wrap">
      <table className="table doc-table" data-testid="documents-table">
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" key={column.key}>
                {column.label}
              </th>
            ))}
            <th scope="col">{t('doc.dueDate')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((doc) => {
            const overdue = isOverdue(doc.dueDate, doc.status)
            return (
              <tr key={doc.id} data-testid="document-row" data-id={doc.id}>
                {columns.map((column) => (
                  <td key={column.key} className={column.className} data-label={column.label}>
                    {column.cell(doc)}
                  </td>
                ))}
                <td
                  className={overdue ? 'overdue' : undefined}
                  data-testid={overdue ? 'overdue' : undefined}
                  data-label={t('doc.dueDate')}
                >
                  {doc.dueDate ? formatDate(doc.dueDate) : '—'}
                  {overdue && <span className="sr-only"> ({t('doc.overdue')})</span>}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
