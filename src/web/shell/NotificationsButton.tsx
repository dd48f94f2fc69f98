import { useEffect, useState } from 'react'
import { notificationsApi } from '../api.ts'
import { useI18n } from '../i18n/index.tsx'
import { Link, useLocation } from '../router.tsx'

const REFRESH_MS = 60_000
/** Dispatched on window after the user marks notifications read, so the badge updates at once. */
export const NOTIFICATIONS_CHANGED = 'vanthu:notifications-changed'

/** Header link to /notifications with the unread count; refreshed every minute and on navigation. */
export function NotificationsButton() {
  const { t } = useI18n()
  const { path } = useLocation()
  const [count, setCount] = useState<number | null>(null)
  const [version, setVersion] = useState(0)

  useEffect(() => {
    const bump = () => setVersion((v) => v + 1)
    window.addEventListener(NOTIFICATIONS_CHANGED, bump)
    const timer = window.setInterval(bump, REFRESH_MS)
    return () => {
      window.removeEventListener(NOTIFICATIONS_CHANGED, bump)
      window.clearInterval(timer)
    }
  }, [])

  // biome-ignore lint/correctness/useExhaustiveDependencies: path and version are the refresh triggers.
  useEffect(() => {
    const controller = new AbortController()
    notificationsApi.unreadCount(controller.signal).then(
      (answer) => setCount(answer.count),
      // A failed refresh keeps the last count: the badge is a hint, the page is the source of truth.
      () => undefined,
    )
    return () => controller.abort()
  }, [path, version])

  const unread = count ?? 0
  const label = unread > 0 ? t('notifications.buttonUnread', { count: unread }) : t('notifications.button')
  return (
    <Link
      to="/notifications"
      className="btn btn--on-dark notif-button"
      aria-label={label}
      aria-current={path === '/notifications' ? 'page' : undefined}
      data-testid="notifications-button"
    >
      <span aria-hidden="true">{t('notifications.button')}</span>
      <span
        className={unread > 0 ? 'notif-badge notif-badge--unread' : 'notif-badge'}
        aria-hidden="true"
        data-testid="notifications-count"
      >
        {unread > 99 ? '99+' : unread}
      </span>
    </Link>
  )
}
