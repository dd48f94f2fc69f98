import { type FormEvent, type ReactNode, useState } from 'react'
import { meApi, type TotpSetup } from '../../api.ts'
import { CopyButton } from '../../components/CopyButton.tsx'
import { ProblemAlert, SuccessMessage } from '../../components/feedback.tsx'
import {
  Checkbox,
  type FieldErrors,
  focusFirstInvalid,
  hasErrors,
  requireFields,
  SubmitButton,
  serverFieldErrors,
  TextField,
} from '../../components/forms.tsx'
import { useAction } from '../../components/hooks.ts'
import { useI18n } from '../../i18n/index.tsx'
import { useAuthenticated, useSession } from '../../session.tsx'

type Phase = { kind: 'idle' } | { kind: 'setup'; setup: TotpSetup } | { kind: 'codes'; codes: string[] }

/**
 * Xác thực hai bước. Turning it on: get a secret (QR + text), prove the app works with one code, then
 * see the recovery codes once. The session is refreshed only after "Hoàn tất", so the codes stay on
 * screen until the user confirms having saved them.
 */
export function TwoFactorSection() {
  const { t } = useI18n()
  const { user } = useAuthenticated()
  const { refresh } = useSession()
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' })
  const [message, setMessage] = useState<string | null>(null)
  const start = useAction()

  const begin = async () => {
    setMessage(null)
    const result = await start.run(() => meApi.totpSetup())
    if (result.ok) setPhase({ kind: 'setup', setup: result.value })
  }

  // Once the codes are shown, the server has already turned it on, even before the session refresh.
  const enabled = user.totpEnabled || phase.kind === 'codes'
  let body: ReactNode
  if (phase.kind === 'codes') {
    body = (
      <RecoveryCodes
        codes={phase.codes}
        onDone={async () => {
          await refresh()
          setPhase({ kind: 'idle' })
          setMessage(t('totp.enabled'))
        }}
      />
    )
  } else if (user.totpEnabled) {
    body = (
      <DisableForm
        onDisabled={async () => {
          await refresh()
          setMessage(t('totp.disabled'))
        }}
      />
    )
  } else if (phase.kind === 'setup') {
    body = (
      <EnableForm
        setup={phase.setup}
        onEnabled={(codes) => setPhase({ kind: 'codes', codes })}
        onCancel={() => setPhase({ kind: 'idle' })}
      />
    )
  } else {
    body = (
      <>
        <ProblemAlert error={start.error} />
        <button
          type="button"
          className="btn btn--primary"
          aria-busy={start.pending || undefined}
          onClick={() => void begin()}
          data-testid="totp-setup"
        >
          {start.pending ? t('common.working') : t('totp.start')}
        </button>
      </>
    )
  }

  return (
    <section className="card" aria-labelledby="totp-title" id="two-factor" data-testid="totp-section">
      <h2 id="totp-title" className="card__title">
        {t('totp.title')}
      </h2>
      <p>{t('totp.intro')}</p>
      <p className={enabled ? 'badge badge--on' : 'badge badge--off'} data-testid="totp-status">
        {enabled ? t('totp.statusOn') : t('totp.statusOff')}
      </p>
      <SuccessMessage message={message} testId="totp-success" />
      {body}
    </section>
  )
}

function EnableForm({
  setup,
  onEnabled,
  onCancel,
}: {
  setup: TotpSetup
  onEnabled: (codes: string[]) => void
  onCancel: () => void
}) {
  const { t, pick } = useI18n()
  const action = useAction()
  const [code, setCode] = useState('')
  const [error, setError] = useState<string>()

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const value = code.replace(/\s/g, '')
    const invalid = /^\d{6}$/.test(value) ? undefined : t('login.totp.codeInvalid')
    setError(invalid)
    if (invalid) return focusFirstInvalid(form)
    const result = await action.run(() => meApi.totpEnable(value))
    if (result.ok) onEnabled(result.value.recoveryCodes)
    else focusFirstInvalid(form)
  }

  return (
    <form onSubmit={submit} noValidate className="form" data-testid="totp-enable-form">
      <ol className="steps">
        <li>{t('totp.step1')}</li>
        <li>
          {t('totp.step2')}
          <div className="totp-qr">
            <img src={setup.qrDataUrl} alt={t('totp.qrAlt')} width={200} height={200} data-testid="totp-qr" />
          </div>
          <p>{t('totp.step2manual')}</p>
          <p className="secret">
            <code data-testid="totp-secret">{setup.secret}</code>{' '}
            <CopyButton text={setup.secret} testId="totp-copy-secret" />
          </p>
        </li>
        <li>{t('totp.step3')}</li>
      </ol>
      <ProblemAlert error={action.error} shownFields={['code']} />
      <TextField
        name="code"
        id="totp-enable-code"
        label={t('totp.code')}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        error={error ?? serverFieldErrors(action.error, pick).code}
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]*"
        maxLength={7}
        className="input input--code"
        required
      />
      <div className="form-actions">
        <SubmitButton pending={action.pending} label={t('totp.confirm')} testId="totp-enable-submit" />
        <button type="button" className="btn" onClick={onCancel} data-testid="totp-cancel">
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => Promise<void> }) {
  const { t } = useI18n()
  const [saved, setSaved] = useState(false)
  const [pending, setPending] = useState(false)
  return (
    <div className="recovery" data-testid="totp-recovery">
      <h3 className="recovery__title">{t('totp.recovery.title')}</h3>
      <p>{t('totp.recovery.intro')}</p>
      <ul className="recovery__codes" aria-label={t('totp.recovery.list')} data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <p>
        <CopyButton text={codes.join('\n')} label={t('totp.recovery.copyAll')} testId="recovery-copy" />
      </p>
      <Checkbox
        id="recovery-saved"
        name="recoverySaved"
        label={t('totp.recovery.saved')}
        checked={saved}
        onChange={(e) => setSaved(e.target.checked)}
        data-testid="recovery-saved"
      />
      <div className="form-actions">
        <button
          type="button"
          className="btn btn--primary"
          disabled={!saved || pending}
          onClick={async () => {
            setPending(true)
            await onDone()
          }}
          data-testid="recovery-done"
        >
          {t('totp.recovery.done')}
        </button>
      </div>
    </div>
  )
}

function DisableForm({ onDisabled }: { onDisabled: () => Promise<void> }) {
  const { t, pick } = useI18n()
  const action = useAction()
  const [values, setValues] = useState({ password: '', code: '' })
  const [clientErrors, setClientErrors] = useState<FieldErrors>({})
  const errors = hasErrors(clientErrors) ? clientErrors : serverFieldErrors(action.error, pick)

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const missing = requireFields(values, { password: 'totp.disable.password', code: 'totp.code' }, t)
    setClientErrors(missing)
    if (hasErrors(missing)) return focusFirstInvalid(form)
    const code = values.code.replace(/\s/g, '')
    const result = await action.run(() => meApi.totpDisable(values.password, code))
    if (!result.ok) return focusFirstInvalid(form)
    setValues({ password: '', code: '' })
    await onDisabled()
  }

  return (
    <form onSubmit={submit} noValidate className="form form--narrow" data-testid="totp-disable-form">
      <p>{t('totp.disable.intro')}</p>
      <ProblemAlert error={action.error} shownFields={['password', 'code']} />
      <TextField
        name="password"
        id="totp-disable-password"
        type="password"
        label={t('totp.disable.password')}
        value={values.password}
        onChange={(e) => setValues((v) => ({ ...v, password: e.target.value }))}
        error={errors.password}
        autoComplete="current-password"
        required
      />
      <TextField
        name="code"
        id="totp-disable-code"
        label={t('totp.disable.code')}
        value={values.code}
        onChange={(e) => setValues((v) => ({ ...v, code: e.target.value }))}
        error={errors.code}
        autoComplete="one-time-code"
        autoCapitalize="none"
        spellCheck={false}
        maxLength={20}
        required
      />
      <div className="form-actions">
        <SubmitButton
          pending={action.pending}
          label={t('totp.disable.submit')}
          kind="danger"
          testId="totp-disable-submit"
        />
      </div>
    </form>
  )
}
