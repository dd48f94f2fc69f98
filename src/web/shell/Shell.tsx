import { type ReactNode, useEffect, useRef, useState } from 'react'
import type { User } from '../api.ts'
import { LanguageSwitch } from '../components/LanguageSwitch.tsx'
import { type Translate, useI18n } from '../i18n/index.tsx'
import { Link, useLocation } from '../router.tsx'
import type { Menu, NavGroup } from '../routes.tsx'
import { usePendingSignatureCount } from '../pages/signing/pending-count.ts'
import { useSession } from '../session.tsx'
import { HeaderSearch } from './HeaderSearch.tsx'
import { NotificationsButton } from './NotificationsButton.tsx'

const GROUP_LABELS = {
  work: 'nav.group.work',
  personal: 'nav.group.personal',
  admin: 'nav.group.admin',
} as const
const GROUP_ORDER: NavGroup[] = ['work', 'personal', 'admin']

export function rolesText(user: User, t: Translate): string {
  return user.roles.map((role) => t(`role.${role}`)).join(', ')
}

/** Header, role-dependent menu and the main region every signed-in page renders into. */
export function Shell({ user, menu, children }: { user: User; menu: Menu; children: ReactNode }) {
  const { t } = useI18n()
  const { agencyName, logout } = useSession()
  const { path } = useLocation()
  const navRef = useRef<HTMLElement>(null)
  // On a tablet the menu is one scrolling row: the current page's link is brought into view.
  useEffect(() => {
    const current = navRef.current?.querySelector<HTMLElement>(`a[href="${CSS.escape(path)}"]`)
    const nav = navRef.current
    if (!current || !nav || nav.scrollWidth <= nav.clientWidth) return
    current.scrollIntoView({ block: 'nearest', inline: 'nearest' })
  }, [path])
  const [loggingOut, setLoggingOut] = useState(false)
  const pendingSignatures = usePendingSignatureCount(
    menu.work.some((route) => route.badge === 'awaiting-signature'),
  )

  return (
    <div className="app">
      {/* A plain fragment link: the browser moves focus to <main tabIndex=-1>. */}
      <a href="#main" className="skip-link">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <Link to="/" className="app-header__brand" data-testid="brand">
          <span className="app-header__name">{t('app.name')}</span>
          {agencyName && (
            <span className="app-header__agency" data-testid="agency-name">
              {agencyName}
            </span>
          )}
        </Link>
        <div className="app-header__tools">
          <HeaderSearch />
          <section
            className="app-header__user"
            aria-label={t('app.currentUser')}
            title={rolesText(user, t)}
            data-testid="current-user"
          >
            <span className="app-header__user-name">{user.fullName}</span>
            <span className="app-header__user-roles">{rolesText(user, t)}</span>
          </section>
          <NotificationsButton />
          <LanguageSwitch />
          <button
            type="button"
            className="btn btn--on-dark"
            aria-busy={loggingOut || undefined}
            onClick={() => {
              setLoggingOut(true)
              void logout()
            }}
            data-testid="logout"
          >
            {loggingOut ? t('app.loggingOut') : t('app.logout')}
          </button>
        </div>
      </header>
      <div className="app-body">
        {/* biome-ignore lint/a11y/noRedundantRoles: the brief asks for an explicit role on the menu. */}
        <nav role="navigation" aria-label={t('app.mainNav')} className="app-nav" data-testid="main-nav" ref={navRef}>
          {GROUP_ORDER.filter((group) => menu[group].length > 0).map((group) => (
            <div key={group} className="app-nav__group">
              <h2 className="app-nav__heading" id={`nav-group-${group}`}>
                {t(GROUP_LABELS[group])}
              </h2>
              <ul className="app-nav__list" aria-labelledby={`nav-group-${group}`}>
                {menu[group].map((route) => (
                  <li key={route.path}>
                    <Link
                      to={route.path}
                      className="app-nav__link"
                      aria-current={path === route.path ? 'page' : undefined}
                      data-testid={route.testId}
                    >
                      {t(route.labelKey)}
                      {route.badge === 'awaiting-signature' && !!pendingSignatures && (
                        <>
                          <span
                            className="notif-badge notif-badge--unread nav-badge"
                            aria-hidden="true"
                            data-testid="nav-badge"
                          >
                            {pendingSignatures > 99 ? '99+' : pendingSignatures}
                          </span>
                          <span className="sr-only">
                            {t('nav.awaitingSignatureCount', { count: pendingSignatures })}
                          </span>
                        </>
                      )}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <main id="main" className="app-main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  )
}
