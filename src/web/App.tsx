import { Fragment, type ReactNode, useEffect } from 'react'
import { LoadingState } from './components/feedback.tsx'
import { useI18n } from './i18n/index.tsx'
import { ForbiddenPage, NotFoundPage } from './pages/ErrorPages.tsx'
import { LoginPage } from './pages/LoginPage.tsx'
import { UnreachablePage } from './pages/UnreachablePage.tsx'
import { navigate, safeNext, useLocation } from './router.tsx'
import { canOpen, findRoute, menuFor } from './routes.tsx'
import { useSession } from './session.tsx'
import { Shell } from './shell/Shell.tsx'

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to])
  return null
}

/** Decides between the sign-in page and the shell, and which page the shell shows. */
export function App() {
  const { t } = useI18n()
  const { state } = useSession()
  const { path, query } = useLocation()

  if (state.status === 'loading') {
    return (
      <div className="fullpage">
        <LoadingState label={t('app.loading')} />
      </div>
    )
  }
  if (state.status === 'unreachable') return <UnreachablePage error={state.error} />

  if (path === '/login') {
    if (state.status === 'authenticated') return <Redirect to={safeNext(query.get('next'))} />
    return <LoginPage reason={state.reason} />
  }
  if (state.status === 'anonymous') {
    const here = window.location.pathname + window.location.search
    return <Redirect to={here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`} />
  }

  const { user, mfaEnrollmentRequired } = state.session
  // Until the required second factor is set up, the personal page is the only place to go.
  if (mfaEnrollmentRequired && path !== '/profile') return <Redirect to="/profile" />

  const menu = menuFor(user.roles)
  const found = findRoute(path)
  let page: ReactNode = <NotFoundPage />
  if (found)
    page = canOpen(found.route, user.roles) ? (
      found.route.render({ menu, params: found.params })
    ) : (
      <ForbiddenPage />
    )
  // Keyed by path: two pages of the same component (the placeholders) still mount afresh.
  return (
    <Shell user={user} menu={menu} key={user.id}>
      <Fragment key={path}>{page}</Fragment>
    </Shell>
  )
}
