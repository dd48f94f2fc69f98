import { type ReactNode, useState } from 'react'
import { type OutgoingListItem, type OutgoingView, outgoingApi } from '../../api.ts'
import { EmptyState, ErrorState, LoadingState, SuccessMessage } from '../../components/feedback.tsx'
import { useLoad } from '../../components/hooks.ts'
import { PageHeader } from '../../components/PageHeader.tsx'
import { type MessageKey, useI18n } from '../../i18n/index.tsx'
import { Link } from '../../router.tsx'
import { loadDirectory } from '../documents/directory.ts'
import { statusLabel, URGENCY_KEYS } from '../documents/labels.ts'
import { NewDraftForm } from './NewDraftForm.tsx'
import { IssueDialog, NumberDialog } from './OutgoingDialogs.tsx'

/**
 * A list of văn bản đi for one role's view: my drafts (with the new-draft form), drafts to review, the
 * clerk's "Chờ cấp số" (the number shown before it is confirmed) and "Chờ phát hành" queues, the
 * documents my unit received.
 */
export function OutgoingQueuePage({
  view,
  titleKey,
  testId,
}: {
  view: OutgoingView
  titleKey: MessageKey
  testId: string
}) {
  const { t } = useI18n()
  const list = useLoad((signal) => outgoingApi.list(view, signal), [view])
  const directory = useLoad(loadDirectory, []).data ?? null
  const [open, setOpen] = useState<{ id: string; action: 'number' | 'issue' } | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const items = list.data?.items ?? []
  const done = (text: string) => {
    setOpen(null)
    setMessage(text)
    list.reload()
  }
  const action = view === 'awaiting-number' ? 'number' : view === 'awaiting-issue' ? 'issue' : null

  return (
    <div className="page" data-testid={testId}>
      <PageHeader title={t(titleKey)} />
      {view === 'mine' && <NewDraftForm directory={directory} onCreated={list.reload} />}
      <SuccessMessage message={message} testId="queue-success" />
      {view === 'mine' && <h2 className="section-title">{t('outgoing.drafts.mine')}</h2>}
      {list.loading && !list.data && <LoadingState />}
      {list.error && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.data && items.length === 0 && (
        <EmptyState testId="outgoing-empty">
          <p>{t('outgoing.queue.empty')}</p>
        </EmptyState>
      )}
      {items.length > 0 && (
        <OutgoingTable
          items={items}
          action={(item) =>
            action && (
              <button
                type="button"
                className="btn btn--small btn--primary"
                onClick={() => {
                  setMessage(null)
                  setOpen({ id: item.id, action })
                }}
                data-testid={`queue-${action}`}
              >
                {t(`outgoing.action.${action}`)}
              </button>
            )
          }
        />
      )}
      {open?.action === 'number' && (
        <NumberDialog
          documentId={open.id}
          onClose={() => setOpen(null)}
          onDone={(result) => done(t('outgoing.number.done', { notation: result.numberNotation }))}
        />
      )}
      {open?.action === 'issue' && (
        <IssueDialog
          documentId={open.id}
          onClose={() => setOpen(null)}
          onDone={(issued) =>
            done(t('outgoing.issue.done', { notation: issued.document.numberNotation ?? '' }))
          }
        />
      )}
    </div>
  )
}

function OutgoingTable({
  items,
  action,
}: {
  items: OutgoingListItem[]
  action: (item: OutgoingListItem) => ReactNode
}) {
  const { t, formatDate } = useI18n()
  return (
    <div className="table-wrap">
      <table className="table doc-table" data-testid="outgoing-table">
        <thead>
          <tr>
            <th scope="col">{t('doc.numberNotation')}</th>
            <th scope="col">{t('outgoing.issuedDate')}</th>
            <th scope="col">{t('doc.subject')}</th>
            <th scope="col">{t('outgoing.drafter')}</th>
            <th scope="col">{t('outgoing.signer')}</th>
            <th scope="col">{t('doc.status')}</th>
            <th scope="col">
              <span className="sr-only">{t('doc.status')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id} data-testid="outgoing-row" data-id={item.id}>
              <td>
                <Link to={`/documents/${item.id}`} data-testid="outgoing-link">
                  {item.numberNotation || t('doc.noNumber')}
                </Link>
              </td>
              <td>{formatDate(item.issuedDate)}</td>
              <td className="doc-table__subject">
                {[item.kind, item.subject].filter(Boolean).join(': ')}
                {item.urgency > 0 && <strong> ({t(URGENCY_KEYS[item.urgency] ?? 'doc.urgency.0')})</strong>}
              </td>
              <td>{item.drafterName ?? '—'}</td>
              <td>{item.signerName ?? '—'}</td>
              <td>
                <span className={`status status--${item.status}`} data-testid="outgoing-status">
                  {statusLabel(t, item.status)}
                </span>
                {item.overdue && (
                  <span className="overdue" data-testid="outgoing-overdue">
                    {' '}
                    ({t('outgoing.queue.overdue')})
                  </span>
                )}
              </td>
              <td>{action(item)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
