import type { ApiError } from '../api.ts'
import { LanguageSwitch } from '../components/LanguageSwitch.tsx'
import { useI18n } from '../i18n/index.tsx'

/** Shown when the very first session check cannot reach the server: retrying reloads the page. */
export function UnreachablePage({ error }: { error: ApiError }) {
  const { t, pick } = useI18n()
  return (
    <div className="fullpage">
      <main className="fullpage__card" data-testid="page-unreachable">
        <div className="fullpage__lang">
          <LanguageSwitch />
        </div>
        <h1>{t('app.startupError')}</h1>
        <p role="alert">{pick(error.problem.title, error.problem.titleEn)}</p>
        <button type="button" className="btn btn--primary" onClick={() => window.location.reload()}>
          {t('app.retry')}
        </button>
      </main>
    </div>
  )
}
