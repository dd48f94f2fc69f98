import { type FormEvent, useEffect, useRef, useState } from 'react'
import { type ApiError, authApi } from '../api.ts'
import { Alert, ProblemAlert } from '../components/feedback.tsx'
import {
  type FieldErrors,
  focusFirstInvalid,
  hasErrors,
  requireFields,
  SubmitButton,
  TextField,
} from '../components/forms.tsx'
import { useAction } from '../components/hooks.ts'
import { LanguageSwitch } from '../components/LanguageSwitch.tsx'
import { useI18n } from '../i18n/index.tsx'
import { useSession } from '../session.tsx'

type Step = { kind: 'password' } | { kind: 'second-factor'; challengeId: string }

/**
 * Đăng nhập: username and password, then — when the account has two-step verification — the
 * 6-digit code (or a recovery code). Once signed in, the app leaves /login for `?next=` by itself.
 */
export function LoginPage({ reason }: { reason?: 'expired' | 'logged-out' }) {
  const { t } = useI18n()
  const [step, setStep] = useState<Step>({ kind: 'password' })
  const [username, setUsername] = useState('')
  // An error that sends the user back a step (an expired challenge) is shown on the step it lands on.
  const [carriedError, setCarriedError] = useState<ApiError | null>(null)
  const title = step.kind === 'password' ? t('login.title') : t('login.totp.title')

  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`
  }, [title, t])

  return (
    <div className="login">
      <div className="login__lang">
        <LanguageSwitch />
      </div>
      <main id="main" className="login__card" data-testid="page-login">
        <p className="login__brand">
          <span className="login__app-name">{t('app.name')}</span>
          <span className="login__tagline">{t('app.tagline')}</span>
        </p>
        <h1 className="login__title">{title}</h1>
        {step.kind === 'password' && !carriedError && reason === 'expired' && (
          <Alert kind="info" testId="session-expired">
            {t('app.sessionExpired')}
          </Alert>
        )}
        {step.kind === 'password' && !carriedError && reason === 'logged-out' && (
          <Alert kind="info" testId="logged-out">
            {t('app.loggedOut')}
          </Alert>
        )}
        {step.kind === 'password' ? (
          <PasswordStep
            username={username}
            onUsernameChange={setUsername}
            carriedError={carriedError}
            onChallenge={(challengeId) => {
              setCarriedError(null)
              setStep({ kind: 'second-factor', challengeId })
            }}
          />
        ) : (
          <SecondFactorStep
            challengeId={step.challengeId}
            onRestart={(error) => {
              setCarriedError(error)
              setStep({ kind: 'password' })
            }}
          />
        )}
      </main>
    </div>
  )
}

function PasswordStep({
  username,
  onUsernameChange,
  carriedError,
  onChallenge,
}: {
  username: string
  onUsernameChange: (value: string) => void
  carriedError: ApiError | null
  onChallenge: (challengeId: string) => void
}) {
  const { t } = useI18n()
  const { signedIn } = useSession()
  const action = useAction()
  const [password, setPassword] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const usernameRef = useRef<HTMLInputElement>(null)
  const passwordRef = useRef<HTMLInputElement>(null)

  // biome-ignore lint/correctness/useExhaustiveDependencies: focus once, when the step appears.
  useEffect(() => {
    ;(username ? passwordRef : usernameRef).current?.focus()
  }, [])

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const missing = requireFields(
      { username, password },
      { username: 'login.username', password: 'login.password' },
      t,
    )
    setErrors(missing)
    if (hasErrors(missing)) return focusFirstInvalid(form)
    const result = await action.run(() => authApi.login(username.trim(), password))
    if (!result.ok) {
      if (!result.error) return
      setPassword('')
      passwordRef.current?.focus()
      return
    }
    if (result.value.status === 'mfa-required') onChallenge(result.value.challengeId)
    else await signedIn(result.value)
  }

  return (
    <form onSubmit={submit} noValidate className="form" data-testid="login-form">
      <ProblemAlert error={action.error ?? carriedError} testId="login-error" />
      <TextField
        ref={usernameRef}
        name="username"
        label={t('login.username')}
        value={username}
        onChange={(e) => onUsernameChange(e.target.value)}
        error={errors.username}
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
      />
      <TextField
        ref={passwordRef}
        name="password"
        type="password"
        label={t('login.password')}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.password}
        autoComplete="current-password"
        required
      />
      <div className="form-actions">
        <SubmitButton
          pending={action.pending}
          label={t('login.submit')}
          pendingLabel={t('login.submitting')}
          testId="login-submit"
        />
      </div>
      <p className="login__help">{t('login.forgot')}</p>
    </form>
  )
}

function SecondFactorStep({
  challengeId,
  onRestart,
}: {
  challengeId: string
  onRestart: (error: ApiError | null) => void
}) {
  const { t } = useI18n()
  const { signedIn } = useSession()
  const action = useAction()
  const [useRecovery, setUseRecovery] = useState(false)
  const [code, setCode] = useState('')
  const [error, setError] = useState<string>()
  const codeRef = useRef<HTMLInputElement>(null)

  // biome-ignore lint/correctness/useExhaustiveDependencies: refocus the code box when its kind changes.
  useEffect(() => {
    codeRef.current?.focus()
  }, [useRecovery])

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    // Authenticator apps show "123 456"; people paste codes with spaces.
    const value = useRecovery ? code.trim() : code.replace(/\s/g, '')
    const invalid = useRecovery
      ? !value && t('validation.required', { field: t('login.recovery.code').toLocaleLowerCase() })
      : !/^\d{6}$/.test(value) && t('login.totp.codeInvalid')
    setError(invalid || undefined)
    if (invalid) return focusFirstInvalid(form)
    const result = await action.run(() => authApi.loginTotp(challengeId, value))
    if (result.ok) return signedIn(result.value)
    if (result.error?.code === 'login-challenge-expired') return onRestart(result.error)
    setCode('')
    codeRef.current?.focus()
  }

  const switchKind = () => {
    setUseRecovery((v) => !v)
    setCode('')
    setError(undefined)
    action.reset()
  }

  return (
    <form onSubmit={submit} noValidate className="form" data-testid="totp-form">
      <p>{useRecovery ? t('login.recovery.intro') : t('login.totp.intro')}</p>
      <ProblemAlert error={action.error} testId="login-error" />
      {useRecovery ? (
        <TextField
          ref={codeRef}
          key="recovery"
          name="recoveryCode"
          id="recovery-code"
          label={t('login.recovery.code')}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={error}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          required
        />
      ) : (
        <TextField
          ref={codeRef}
          key="totp"
          name="code"
          id="totp-code"
          label={t('login.totp.code')}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={error}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]*"
          maxLength={7}
          className="input input--code"
          required
        />
      )}
      <div className="form-actions">
        <SubmitButton pending={action.pending} label={t('login.totp.submit')} testId="totp-submit" />
      </div>
      <p className="login__links">
        <button
          type="button"
          className="btn btn--link"
          onClick={switchKind}
          data-testid="toggle-recovery-code"
        >
          {useRecovery ? t('login.totp.useApp') : t('login.totp.useRecovery')}
        </button>
        <button
          type="button"
          className="btn btn--link"
          onClick={() => onRestart(null)}
          data-testid="login-back"
        >
          {t('login.totp.back')}
        </button>
      </p>
    </form>
  )
}
