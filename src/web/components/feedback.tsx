import type { ReactNode } from 'react'
import type { ApiError } from '../api.ts'
import { type Translate, useI18n } from '../i18n/index.tsx'

type AlertKind = 'error' | 'success' | 'info' | 'warning'

/** Errors interrupt screen readers (role=alert); confirmations are announced politely (role=status). */
export function Alert({ kind, children, testId }: { kind: AlertKind; children: ReactNode; testId?: string }) {
  return (
    <div className={`alert alert--${kind}`} role={kind === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {children}
    </div>
  )
}

/** A live region that stays in the DOM so the confirmation text is announced when it appears. */
export function SuccessMessage({ message, testId = 'success' }: { message: string | null; testId?: string }) {
  return (
    <div role="status" aria-live="polite" className="live-region">
      {message && (
        <p className="alert alert--success" data-testid={testId}>
          {message}
        </p>
      )}
    </div>
  )
}

export function retryAfterText(seconds: number, t: Translate): string {
  const time =
    seconds < 90 ? t('time.seconds', { n: seconds }) : t('time.minutes', { n: Math.ceil(seconds / 60) })
  return t('error.retryAfter', { time })
}

/**
 * The problem title in the current language, then what else helps: the wait time of a 429 and any
 * field errors that belong to no field of the form (`shownFields` are rendered next to their inputs).
 */
export function ProblemAlert({
  error,
  shownFields = [],
  testId = 'form-error',
}: {
  error: ApiError | null
  shownFields?: readonly string[]
  testId?: string
}) {
  const { t, pick } = useI18n()
  if (!error) return null
  const { problem } = error
  const otherErrors = (problem.errors ?? []).filter((e) => !shownFields.includes(normaliseField(e.field)))
  const hasFieldErrors = (problem.errors ?? []).length > otherErrors.length
  // `detail` has no English twin and is often machine text for validation failures: show it only alone.
  const showDetail = problem.detail && !problem.errors?.length && problem.code !== 'validation-failed'
  return (
    <Alert kind="error" testId={testId}>
      <p className="alert__title">{pick(problem.title, problem.titleEn)}</p>
      {showDetail && <p>{problem.detail}</p>}
      {error.retryAfterSeconds !== undefined && <p>{retryAfterText(error.retryAfterSeconds, t)}</p>}
      {hasFieldErrors && <p>{t('validation.checkFields')}</p>}
      {otherErrors.length > 0 && (
        <ul>
          {otherErrors.map((e) => (
            <li key={`${e.field}:${e.message}`}>
              {e.field}: {pick(e.message, e.messageEn)}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  )
}

/** `body.newPassword`, `/newPassword` and `newPassword` all name the same input. */
export function normaliseField(field: string): string {
  return field
    .replace(/^\//, '')
    .replace(/^body\./, '')
    .replace(/\//g, '.')
}

export function LoadingState({ label }: { label?: string }) {
  const { t } = useI18n()
  return (
    <div className="state state--loading" role="status" data-testid="loading">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t('app.loading')}</span>
    </div>
  )
}

export function EmptyState({ children, testId = 'empty' }: { children: ReactNode; testId?: string }) {
  return (
    <div className="state state--empty" data-testid={testId}>
      {children}
    </div>
  )
}

export function ErrorState({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t, pick } = useI18n()
  return (
    <div className="state state--error" role="alert" data-testid="load-error">
      <p className="alert__title">{t('error.loadFailed')}</p>
      <p>{pick(error.problem.title, error.problem.titleEn)}</p>
      {onRetry && (
        <button type="button" className="btn" onClick={onRetry} data-testid="retry">
          {t('app.retry')}
        </button>
      )}
    </div>
  )
}
