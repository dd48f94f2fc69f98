import { useState } from 'react'
import { type AppNotification, notificationsApi } from '../../api.ts'
import {
  EmptyState,
  ErrorState,
  LoadingState,
  ProblemAlert,
  SuccessMessage,
} from '../../components/feedback.tsx'
import { useAction, useLoad } from '../../components/hooks.ts'
import { PageHeader } from '../../components/PageHeader.tsx'
import { type MessageKey, useI18n } from '../../i18n/index.tsx'
import { vi } from '../../i18n/vi.ts'
import { Link } from '../../router.tsx'
import { NOTIFICATIONS_CHANGED } from '../../shell/NotificationsButton.tsx'

const byNewest = (a: AppNotification, b: AppNotification) => b.createdAt.localeCompare(a.createdAt)

/** The catalogue key of a known kind; older or unknown kinds show the title stored with the row. */
function kindKey(kind: string): MessageKey | undefined {
  const key = `notifications.kind.${kind}`
  return key in vi ? (key as MessageKey) : undefined
}

/** Where a notification leads: its document, or else the hồ sơ a records notification is about. */
function linkOf(item: AppNotification): string | undefined {
  if (item.documentId) return `/documents/${encodeURIComponent(item.documentId)}`
  if (item.recordFileId) return `/records/files/${encodeURIComponent(item.recordFileId)}`
  return undefined
}

/** Thông báo: the user's notifications, newest first, each markable as read. */
export function NotificationsPage() {
  const { t, formatDateTime } = useI18n()
  const loaded = useLoad((signal) => notificationsApi.list(signal), [])
  const action = useAction()
  const [readIds, setReadIds] = useState<Record<string, string>>({})
  const [success, setSuccess] = useState<string | null>(null)

  const items = [...(loaded.data?.items ?? [])]
    .map((item) => (readIds[item.id] && !item.readAt ? { ...item, readAt: readIds[item.id] ?? null } : item))
    .sort(byNewest)
  const unread = items.filter((item) => !item.readAt).length

  const titleOf = (item: AppNotification) => {
    const key = kindKey(item.kind)
    return key ? t(key) : item.title
  }

  const changed = () => window.dispatchEvent(new Event(NOTIFICATIONS_CHANGED))

  const markRead = async (item: AppNotification) => {
    setSuccess(null)
    const result = await action.run(() => notificationsApi.markRead(item.id))
    if (result.ok) {
      setReadIds((previous) => ({ ...previous, [item.id]: result.value.readAt ?? new Date().toISOString() }))
      changed()
    }
  }

  const markAll = async () => {
    setSuccess(null)
    const result = await action.run(() => notificationsApi.markAllRead())
    if (result.ok) {
      const now = new Date().toISOString()
      setReadIds((previous) => {
        const next = { ...previous }
        for (const item of items) if (!item.readAt) next[item.id] = now
        return next
      })
      setSuccess(t('notifications.allMarked'))
      changed()
    }
  }

  return (
    <div className="page" data-testid="page-notifications">
      <PageHeader title={t('notifications.title')}>
        {unread > 0 && (
          <button
            type="button"
            className="btn"
            onClick={() => void markAll()}
            disabled={action.pending}
            data-testid="notifications-read-all"
          >
            {t('notifications.markAllRead')}
          </button>
        )}
      </PageHeader>
      <SuccessMessage message={success} testId="notifications-success" />
      <ProblemAlert error={action.error} testId="notifications-error" />
      {loaded.loading && !loaded.data && <LoadingState />}
      {loaded.error && <ErrorState error={loaded.error} onRetry={loaded.reload} />}
      {loaded.data && items.length === 0 && (
        <EmptyState testId="notifications-empty">
          <p>{t('notifications.empty')}</p>
        </EmptyState>
      )}
      {items.length > 0 && (
        <ul className="notif-list" data-testid="notifications-list">
          {items.map((item) => (
            <li
              key={item.id}
              className={item.readAt ? 'notif-item' : 'notif-item notif-item--unread'}
              data-testid="notification-item"
              data-id={item.id}
              data-read={item.readAt ? 'true' : 'false'}
            >
              <div className="notif-item__main">
                <h2 className="notif-item__title">
                  {!item.readAt && <span className="sr-only">{t('notifications.unread')}: </span>}
                  {linkOf(item) ? (
                    <Link to={linkOf(item) ?? ''} data-testid="notification-link">
                      {titleOf(item)}
                    </Link>
                  ) : (
                    titleOf(item)
                  )}
                </h2>
                {item.body && <p className="notif-item__body">{item.body}</p>}
                <p className="notif-item__meta">
                  <time dateTime={item.createdAt}>{formatDateTime(item.createdAt)}</time>
                  {item.readAt && <span> · {t('notifications.read')}</span>}
                </p>
              </div>
              {!item.readAt && (
                <button
                  type="button"
                  className="btn btn--small"
                  onClick={() => void markRead(item)}
                  disabled={action.pending}
                  aria-label={t('notifications.markReadOf', { title: titleOf(item) })}
                  data-testid="notification-mark-read"
                >
                  {t('notifications.markRead')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
