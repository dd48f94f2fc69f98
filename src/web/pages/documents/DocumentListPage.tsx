import { useState } from 'react'
import { type ApiError, type DocumentRecord, documentsApi, toApiError } from '../../api.ts'
import { EmptyState, ErrorState, LoadingState, ProblemAlert } from '../../components/feedback.tsx'
import { useLoad } from '../../components/hooks.ts'
import { PageHeader } from '../../components/PageHeader.tsx'
import { type MessageKey, useI18n } from '../../i18n/index.tsx'
import { Link } from '../../router.tsx'
import { useAuthenticated } from '../../session.tsx'
import { IncomingRegisterExport } from './IncomingRegisterExport.tsx'
import { SentRequestsCard } from '../signing/SentRequestsCard.tsx'
import { OutgoingDraftForm } from './OutgoingDraftForm.tsx'
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
      {query.direction === 'outgoing' && user.roles.includes('clerk') && (
        <>
          <OutgoingDraftForm onCreated={reload} />
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
      {items.length > 0 && <DocumentTable items={items} />}
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

function DocumentTable({ items }: { items: DocumentRecord[] }) {
  const { t, formatDate } = useI18n()
  return (
    <div className="table-wrap">
      <table className="table doc-table" data-testid="documents-table">
        <thead>
          <tr>
            <th scope="col">{t('doc.arrivalNumber')}</th>
            <th scope="col">{t('doc.arrivalDate')}</th>
            <th scope="col">{t('doc.numberNotation')}</th>
            <th scope="col">{t('doc.issuer')}</th>
            <th scope="col">{t('doc.subject')}</th>
            <th scope="col">{t('doc.status')}</th>
            <th scope="col">{t('doc.dueDate')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((doc) => {
            const overdue = isOverdue(doc.dueDate, doc.status)
            return (
              <tr key={doc.id} data-testid="document-row" data-id={doc.id}>
                <td className="mono">{doc.arrivalNumber ?? '—'}</td>
                <td>{formatDate(doc.arrivalDate)}</td>
                <td>
                  <Link to={`/documents/${doc.id}`} data-testid="document-link">
                    {doc.numberNotation || t('doc.noNumber')}
                  </Link>
                </td>
                <td>{doc.issuerName ?? '—'}</td>
                <td className="doc-table__subject">{doc.subject ?? '—'}</td>
                <td>
                  <span className={`status status--${doc.status}`} data-testid="document-status">
                    {statusLabel(t, doc.status)}
                  </span>
                </td>
                <td className={overdue ? 'overdue' : undefined} data-testid={overdue ? 'overdue' : undefined}>
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
