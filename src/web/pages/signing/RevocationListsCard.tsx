import { type FormEvent, useRef, useState } from 'react'
import { type RevocationList, revocationListsApi } from '../../api.ts'
import { ConfirmDialog } from '../../components/Dialog.tsx'
import { ProblemAlert, SuccessMessage } from '../../components/feedback.tsx'
import { SubmitButton } from '../../components/forms.tsx'
import { useAction, useLoad } from '../../components/hooks.ts'
import { ResourceView } from '../../components/ResourceView.tsx'
import { useI18n } from '../../i18n/index.tsx'
import { commonName } from './CredentialForms.tsx'

const STATE_CLASS: Record<RevocationList['state'], string> = {
  current: 'verdict verdict--valid',
  'refresh-due': 'verdict verdict--indeterminate',
  expired: 'verdict verdict--invalid',
}

/**
 * Danh sách chứng thư bị thu hồi (CRL) of the trusted CAs: what an offline server checks signatures
 * against. The admin loads each CA's list and, before its next update, the newer one.
 */
export function RevocationListsCard() {
  const { t, formatDateTime } = useI18n()
  const lists = useLoad((signal) => revocationListsApi.list(signal), [])
  const [message, setMessage] = useState<string | null>(null)
  const [removing, setRemoving] = useState<RevocationList | null>(null)
  const [file, setFile] = useState<File | null>(null)
  const action = useAction()
  const formRef = useRef<HTMLFormElement>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!file) return
    const form = new FormData()
    form.set('file', file, file.name)
    const result = await action.run(() => revocationListsApi.add(form))
    if (!result.ok) return
    setFile(null)
    formRef.current?.reset()
    setMessage(t('crl.added', { issuer: commonName(result.value.issuer) }))
    lists.reload()
  }

  return (
    <section className="card" aria-labelledby="crl-title" data-testid="revocation-lists-card">
      <h2 id="crl-title" className="card__title">
        {t('crl.title')}
      </h2>
      <p className="muted">{t('crl.intro')}</p>
      <SuccessMessage message={message} testId="crl-success" />
      <ResourceView
        resource={lists}
        isEmpty={(data) => data.items.length === 0}
        emptyTestId="revocation-lists-empty"
        empty={t('crl.empty')}
      >
        {(data) => (
          <div className="table-wrap">
            <table className="table" data-testid="revocation-lists-table">
              <thead>
                <tr>
                  <th scope="col">{t('crl.issuer')}</th>
                  <th scope="col">{t('crl.thisUpdate')}</th>
                  <th scope="col">{t('crl.nextUpdate')}</th>
                  <th scope="col">{t('crl.revoked')}</th>
                  <th scope="col">{t('crl.state')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((list) => (
                  <tr key={list.id} data-testid="revocation-list-row" data-state={list.state}>
                    <td title={list.issuer}>{commonName(list.issuer)}</td>
                    <td>{formatDateTime(list.thisUpdate)}</td>
                    <td>{list.nextUpdate ? formatDateTime(list.nextUpdate) : '—'}</td>
                    <td>{list.revokedCount}</td>
                    <td>
                      <span className={STATE_CLASS[list.state]}>{t(`crl.state.${list.state}`)}</span>
                    </td>
                    <td className="table__actions">
                      <button
                        type="button"
                        className="btn btn--small btn--danger-outline"
                        onClick={() => {
                          setMessage(null)
                          setRemoving(list)
                        }}
                        data-testid="revocation-list-remove"
                      >
                        {t('crl.remove')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </ResourceView>
      <form ref={formRef} className="form form--inline" noValidate onSubmit={(event) => void submit(event)}>
        <ProblemAlert error={action.error} testId="crl-error" />
        <div className="form__row">
          <div className="field">
            <label htmlFor="crl-file" className="field__label">
              {t('crl.file')}
            </label>
            <input
              id="crl-file"
              name="file"
              type="file"
              accept=".crl,.pem,.der"
              className="input"
              onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            />
          </div>
          <div className="form__row-action">
            <SubmitButton pending={action.pending} disabled={!file} label={t('crl.add')} testId="crl-add" />
          </div>
        </div>
      </form>
      {removing && (
        <ConfirmDialog
          message={t('crl.removeConfirm', { issuer: commonName(removing.issuer) })}
          confirmLabel={t('crl.remove')}
          danger
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            await revocationListsApi.remove(removing.id)
            setRemoving(null)
            setMessage(t('crl.removed'))
            lists.reload()
          }}
        />
      )}
    </section>
  )
}
