import { type FormEvent, useState } from 'react'
import { type Agency, adminApi } from '../../api.ts'
import { ErrorState, LoadingState, ProblemAlert, SuccessMessage } from '../../components/feedback.tsx'
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
import { useAction, useLoad } from '../../components/hooks.ts'
import { PageHeader } from '../../components/PageHeader.tsx'
import { useI18n } from '../../i18n/index.tsx'
import { useSession } from '../../session.tsx'

type AgencyValues = Omit<Agency, 'id'>
const FIELDS = ['name', 'abbreviation', 'organId', 'requireMfaForPrivileged'] as const

/** Cơ quan: name, abbreviation, identifier and the two-step rule for leaders and administrators. */
export function AgencyPage() {
  const { t } = useI18n()
  const agency = useLoad(() => adminApi.getAgency(), [])
  return (
    <div className="page" data-testid="page-admin-agency">
      <PageHeader title={t('admin.agency.title')} />
      {agency.error ? (
        <ErrorState error={agency.error} onRetry={agency.reload} />
      ) : agency.data ? (
        <AgencyForm agency={agency.data} />
      ) : (
        <LoadingState />
      )}
    </div>
  )
}

function AgencyForm({ agency }: { agency: Agency }) {
  const { t, pick } = useI18n()
  const { setAgencyName } = useSession()
  const action = useAction()
  const [saved, setSaved] = useState<AgencyValues>(agency)
  const [values, setValues] = useState<AgencyValues>(agency)
  const [clientErrors, setClientErrors] = useState<FieldErrors>({})
  const [message, setMessage] = useState<string | null>(null)
  const errors = hasErrors(clientErrors) ? clientErrors : serverFieldErrors(action.error, pick)

  const setText = (name: 'name' | 'abbreviation' | 'organId') => (event: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [name]: event.target.value }))

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    setMessage(null)
    const missing = requireFields(
      { name: values.name, abbreviation: values.abbreviation },
      { name: 'admin.agency.name', abbreviation: 'admin.agency.abbreviation' },
      t,
    )
    setClientErrors(missing)
    if (hasErrors(missing)) return focusFirstInvalid(form)
    const next: AgencyValues = {
      name: values.name.trim(),
      abbreviation: values.abbreviation.trim(),
      // The identifier is written in capitals; blank means "not assigned".
      organId: values.organId?.trim().toUpperCase() || null,
      requireMfaForPrivileged: values.requireMfaForPrivileged,
    }
    const changes: Partial<AgencyValues> = {}
    for (const field of FIELDS)
      if (next[field] !== saved[field]) Object.assign(changes, { [field]: next[field] })
    if (Object.keys(changes).length === 0) return setMessage(t('common.noChanges'))
    const result = await action.run(() => adminApi.updateAgency(changes))
    if (!result.ok) return focusFirstInvalid(form)
    setSaved(result.value)
    setValues(result.value)
    setAgencyName(result.value.name)
    setMessage(t('common.saved'))
  }

  return (
    <form onSubmit={submit} noValidate className="form card form--narrow" data-testid="agency-form">
      <ProblemAlert error={action.error} shownFields={FIELDS} />
      <TextField
        name="name"
        id="agency-name"
        label={t('admin.agency.name')}
        value={values.name}
        onChange={setText('name')}
        error={errors.name}
        required
      />
      <TextField
        name="abbreviation"
        id="agency-abbreviation"
        label={t('admin.agency.abbreviation')}
        hint={t('admin.agency.abbreviationHint')}
        value={values.abbreviation}
        onChange={setText('abbreviation')}
        error={errors.abbreviation}
        required
      />
      <TextField
        name="organId"
        id="agency-organ-id"
        label={t('admin.agency.organId')}
        hint={t('admin.agency.organIdHint')}
        value={values.organId ?? ''}
        onChange={setText('organId')}
        error={errors.organId}
        spellCheck={false}
        autoCapitalize="characters"
        optional
      />
      <fieldset className="fieldset">
        <legend className="field__label">{t('admin.agency.security')}</legend>
        <Checkbox
          id="agency-require-mfa"
          name="requireMfaForPrivileged"
          label={t('admin.agency.requireMfa')}
          hint={t('admin.agency.requireMfaHint')}
          checked={values.requireMfaForPrivileged}
          onChange={(e) => setValues((v) => ({ ...v, requireMfaForPrivileged: e.target.checked }))}
        />
        {errors.requireMfaForPrivileged && <p className="field__error">{errors.requireMfaForPrivileged}</p>}
      </fieldset>
      <SuccessMessage message={message} testId="agency-success" />
      <div className="form-actions">
        <SubmitButton
          pending={action.pending}
          label={t('common.save')}
          pendingLabel={t('common.saving')}
          testId="agency-submit"
        />
      </div>
    </form>
  )
}
