import { type FormEvent, useState } from 'react'
import { type ApiToken, meApi, type TokenScope } from '../../api.ts'
import { CopyButton } from '../../components/CopyButton.tsx'
import { ConfirmDialog } from '../../components/Dialog.tsx'
import { ProblemAlert, SuccessMessage } from '../../components/feedback.tsx'
import {
  type FieldErrors,
  focusFirstInvalid,
  hasErrors,
  requireFields,
  SelectField,
  SubmitButton,
  serverFieldErrors,
  TextField,
} from '../../components/forms.tsx'
import { useAction, useLoad } from '../../components/hooks.ts'
import { ResourceView } from '../../components/ResourceView.tsx'
import { type Translate, useI18n } from '../../i18n/index.tsx'

const DURATIONS = [30, 90, 180, 365] as const
const SCOPE_CHOICES: Record<string, TokenScope[]> = { read: ['read'], readWrite: ['read', 'write'] }

/** Khóa truy cập API: list, create (the secret is shown once), revoke. */
export function TokensSection() {
  const { t, formatDate, formatDateTime } = useI18n()
  const tokens = useLoad(() => meApi.listTokens(), [])
  const [created, setCreated] = useState<string | null>(null)
  const [revoking, setRevoking] = useState<ApiToken | null>(null)
  const [message, setMessage] = useState<string | null>(null)

  const list = (
    <ResourceView
      resource={tokens}
      isEmpty={(data) => data.items.length === 0}
      emptyTestId="tokens-empty"
      empty={t('tokens.empty')}
    >
      {(data) => (
        <div className="table-wrap">
          <table className="table" data-testid="tokens-table">
            <thead>
              <tr>
                <th scope="col">{t('tokens.col.name')}</th>
                <th scope="col">{t('tokens.col.scopes')}</th>
                <th scope="col">{t('tokens.col.created')}</th>
                <th scope="col">{t('tokens.col.expires')}</th>
                <th scope="col">{t('tokens.col.lastUsed')}</th>
                <th scope="col">
                  <span className="sr-only">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((token) => (
                <tr key={token.id} data-testid="token-row" data-id={token.id}>
                  <td>{token.name}</td>
                  <td>
                    {token.scopes.length
                      ? token.scopes.map((s) => scopeName(s, t)).join(', ')
                      : t('common.none')}
                  </td>
                  <td>{formatDate(token.createdAt)}</td>
                  <td>{token.expiresAt ? formatDate(token.expiresAt) : t('tokens.noExpiry')}</td>
                  <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t('tokens.neverUsed')}</td>
                  <td className="table__actions">
                    <div className="row-actions">
                      <button
                        type="button"
                        className="btn btn--small btn--danger-outline"
                        onClick={() => setRevoking(token)}
                        aria-label={`${t('tokens.revoke')}: ${token.name}`}
                        data-testid="token-revoke"
                      >
                        {t('tokens.revoke')}
                      </button>{' '}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </ResourceView>
  )

  return (
    <section className="card" aria-labelledby="tokens-title" data-testid="tokens-section">
      <h2 id="tokens-title" className="card__title">
        {t('tokens.title')}
      </h2>
      <p>{t('tokens.intro')}</p>
      <SuccessMessage message={message} testId="tokens-success" />
      {created && (
        <div className="once-box" data-testid="token-created">
          <h3 className="once-box__title">{t('tokens.created.title')}</h3>
          <p>{t('tokens.created.intro')}</p>
          <div className="once-box__value">
            <label htmlFor="created-token" className="sr-only">
              {t('tokens.created.value')}
            </label>
            <input
              id="created-token"
              className="input input--mono"
              readOnly
              value={created}
              onFocus={(e) => e.target.select()}
              data-testid="token-value"
            />
            <CopyButton text={created} testId="token-copy" />
          </div>
          <button
            type="button"
            className="btn"
            onClick={() => setCreated(null)}
            data-testid="token-created-done"
          >
            {t('tokens.created.done')}
          </button>
        </div>
      )}
      <CreateTokenForm
        onCreated={(token) => {
          setMessage(null)
          setCreated(token)
          tokens.reload()
        }}
      />
      {list}
      {revoking && (
        <ConfirmDialog
          message={t('tokens.revokeConfirm', { name: revoking.name })}
          confirmLabel={t('tokens.revoke')}
          danger
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await meApi.revokeToken(revoking.id)
            setMessage(t('tokens.revoked', { name: revoking.name }))
            setRevoking(null)
            tokens.reload()
          }}
        />
      )}
    </section>
  )
}

function CreateTokenForm({ onCreated }: { onCreated: (token: string) => void }) {
  const { t, pick } = useI18n()
  const action = useAction()
  const [name, setName] = useState('')
  const [days, setDays] = useState('90')
  const [scope, setScope] = useState<'read' | 'readWrite'>('read')
  const [clientErrors, setClientErrors] = useState<FieldErrors>({})
  const errors = hasErrors(clientErrors) ? clientErrors : serverFieldErrors(action.error, pick)

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const missing = requireFields({ name }, { name: 'tokens.name' }, t)
    setClientErrors(missing)
    if (hasErrors(missing)) return focusFirstInvalid(form)
    const result = await action.run(() =>
      meApi.createToken({
        name: name.trim(),
        expiresInDays: Number(days),
        scopes: SCOPE_CHOICES[scope] ?? ['read'],
      }),
    )
    if (!result.ok) return focusFirstInvalid(form)
    setName('')
    onCreated(result.value.token)
  }

  return (
    <form onSubmit={submit} noValidate className="form form--inline" data-testid="token-create-form">
      <ProblemAlert error={action.error} shownFields={['name', 'expiresInDays', 'scopes']} />
      <div className="form__row">
        <TextField
          name="name"
          id="token-name"
          label={t('tokens.name')}
          hint={t('tokens.nameHint')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
          autoComplete="off"
          required
        />
        <SelectField
          name="expiresInDays"
          id="token-expires"
          label={t('tokens.expires')}
          value={days}
          onChange={(e) => setDays(e.target.value)}
          error={errors.expiresInDays}
        >
          {DURATIONS.map((n) => (
            <option key={n} value={n}>
              {t('tokens.days', { n })}
            </option>
          ))}
        </SelectField>
        <SelectField
          name="scopes"
          id="token-scopes"
          label={t('tokens.scope')}
          value={scope}
          onChange={(e) => setScope(e.target.value === 'readWrite' ? 'readWrite' : 'read')}
          error={errors.scopes}
        >
          <option value="read">{t('tokens.scope.read')}</option>
          <option value="readWrite">{t('tokens.scope.readWrite')}</option>
        </SelectField>
        <div className="form__row-action">
          <SubmitButton pending={action.pending} label={t('tokens.create')} testId="token-create-submit" />
        </div>
      </div>
    </form>
  )
}

function scopeName(scope: string, t: Translate): string {
  if (scope === 'read') return t('tokens.scopeName.read')
  if (scope === 'write') return t('tokens.scopeName.write')
  return scope
}
