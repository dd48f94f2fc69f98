import { type FormEvent, useState } from 'react'
import { meApi } from '../../api.ts'
import { ProblemAlert, SuccessMessage } from '../../components/feedback.tsx'
import {
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
import { useSession } from '../../session.tsx'

const EMPTY = { currentPassword: '', newPassword: '', confirmPassword: '' }
const SERVER_FIELDS = ['currentPassword', 'newPassword'] as const

export function PasswordSection() {
  const { t, pick } = useI18n()
  const { refresh } = useSession()
  const action = useAction()
  const [values, setValues] = useState(EMPTY)
  const [clientErrors, setClientErrors] = useState<FieldErrors>({})
  const [done, setDone] = useState(false)
  const errors = hasErrors(clientErrors) ? clientErrors : serverFieldErrors(action.error, pick)

  const set = (name: keyof typeof EMPTY) => (event: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [name]: event.target.value }))

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    setDone(false)
    const missing = requireFields(
      values,
      {
        currentPassword: 'password.current',
        newPassword: 'password.new',
        confirmPassword: 'password.confirm',
      },
      t,
    )
    if (!missing.confirmPassword && values.confirmPassword !== values.newPassword) {
      missing.confirmPassword = t('password.mismatch')
    }
    setClientErrors(missing)
    if (hasErrors(missing)) return focusFirstInvalid(form)
    const result = await action.run(() => meApi.changePassword(values.currentPassword, values.newPassword))
    if (!result.ok) return focusFirstInvalid(form)
    setValues(EMPTY)
    setDone(true)
    // The server may rotate the session (and its CSRF token) on a password change.
    await refresh()
  }

  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title" className="card__title">
        {t('password.title')}
      </h2>
      <form onSubmit={submit} noValidate className="form form--narrow" data-testid="password-form">
        <ProblemAlert error={action.error} shownFields={SERVER_FIELDS} />
        <TextField
          name="currentPassword"
          type="password"
          label={t('password.current')}
          value={values.currentPassword}
          onChange={set('currentPassword')}
          error={errors.currentPassword}
          autoComplete="current-password"
          required
        />
        <TextField
          name="newPassword"
          type="password"
          label={t('password.new')}
          hint={t('password.policy')}
          value={values.newPassword}
          onChange={set('newPassword')}
          error={errors.newPassword}
          autoComplete="new-password"
          required
        />
        <TextField
          name="confirmPassword"
          type="password"
          label={t('password.confirm')}
          value={values.confirmPassword}
          onChange={set('confirmPassword')}
          error={errors.confirmPassword}
          autoComplete="new-password"
          required
        />
        <SuccessMessage message={done ? t('password.done') : null} testId="password-success" />
        <div className="form-actions">
          <SubmitButton pending={action.pending} label={t('password.submit')} testId="password-submit" />
        </div>
      </form>
    </section>
  )
}
