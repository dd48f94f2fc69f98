import { type FormEvent, useRef, useState } from 'react'
import { type SigningCredential, signingAdminApi, type TrustAnchor } from '../../api.ts'
import { ConfirmDialog } from '../../components/Dialog.tsx'
import { ErrorState, LoadingState, ProblemAlert, SuccessMessage } from '../../components/feedback.tsx'
import { SubmitButton } from '../../components/forms.tsx'
import { useAction, useLoad } from '../../components/hooks.ts'
import { PageHeader } from '../../components/PageHeader.tsx'
import { ResourceView } from '../../components/ResourceView.tsx'
import { useI18n } from '../../i18n/index.tsx'
import { CredentialImportForm, CredentialState, commonName } from './CredentialForms.tsx'
import { RevocationListsCard } from './RevocationListsCard.tsx'
import { SignatureImageCard } from './SignatureImageCard.tsx'
import './signing.css'

/** Ký số của cơ quan (admins): the agency seal credential and image, PIN locks, trusted CAs. */
export function SigningAdminPage() {
  const { t } = useI18n()
  return (
    <div className="page" data-testid="page-admin-signing">
      <PageHeader title={t('signing.admin.title')} />
      <AgencySealCard />
      <SignatureImageCard
        idPrefix="seal-image"
        title={t('signing.admin.sealImage.title')}
        intro={t('signing.admin.sealImage.intro')}
        alt={t('signing.admin.sealImage.alt')}
        noneText={t('signing.admin.sealImage.none')}
        uploadedText={t('signing.admin.sealImage.uploaded')}
        removeConfirmText={t('signing.admin.sealImage.removeConfirm')}
        imageUrl={signingAdminApi.sealImageUrl}
        exists={signingAdminApi.hasSealImage}
        upload={signingAdminApi.uploadSealImage}
        remove={signingAdminApi.removeSealImage}
      />
      <CredentialsCard />
      <TrustAnchorsCard />
      <RevocationListsCard />
    </div>
  )
}

function AgencySealCard() {
  const { t, formatDate, pick } = useI18n()
  /** Said after an import: done, and the name warning when the certificate names someone else. */
  const importedMessage = (credential: SigningCredential) =>
    credential.nameWarning
      ? `${t('signing.import.done')} ${pick(credential.nameWarning.message, credential.nameWarning.messageEn)}`
      : t('signing.import.done')
  // From the list (not GET …/agency-seal): "none yet" is then an empty answer, not a 404.
  const seal = useLoad(
    async (signal) =>
      (await signingAdminApi.credentials(signal)).items.find(
        (c) => c.kind === 'agency-seal' && !c.retiredAt,
      ) ?? null,
    [],
  )
  const [message, setMessage] = useState<string | null>(null)
  return (
    <section className="card" aria-labelledby="agency-seal-title" data-testid="agency-seal-card">
      <h2 id="agency-seal-title" className="card__title">
        {t('signing.admin.seal.title')}
      </h2>
      <SuccessMessage message={message} testId="agency-seal-success" />
      {seal.error && <ErrorState error={seal.error} onRetry={seal.reload} />}
      {seal.data === undefined && !seal.error && <LoadingState />}
      {seal.data === null && <p data-testid="agency-seal-none">{t('signing.admin.seal.none')}</p>}
      {seal.data && (
        <dl className="summary" data-testid="agency-seal">
          <div className="summary__row">
            <dt>{t('signing.cred.subject')}</dt>
            <dd>{seal.data.subject}</dd>
          </div>
          <div className="summary__row">
            <dt>{t('signing.cred.issuer')}</dt>
            <dd>{seal.data.issuer}</dd>
          </div>
          <div className="summary__row">
            <dt>{t('signing.cred.validUntil')}</dt>
            <dd>{formatDate(seal.data.notAfter)}</dd>
          </div>
          <div className="summary__row">
            <dt>{t('signing.cred.state')}</dt>
            <dd>
              <CredentialState credential={seal.data} />
            </dd>
          </div>
        </dl>
      )}
      <CredentialImportForm
        idPrefix="agency-seal"
        pinHint={t('signing.admin.seal.pinHint')}
        onImport={signingAdminApi.importAgencySeal}
        onDone={(credential) => {
          setMessage(importedMessage(credential))
          seal.reload()
        }}
      />
    </section>
  )
}

function CredentialsCard() {
  const { t, formatDate } = useI18n()
  const credentials = useLoad((signal) => signingAdminApi.credentials(signal), [])
  const [message, setMessage] = useState<string | null>(null)
  const [unlocking, setUnlocking] = useState<SigningCredential | null>(null)
  return (
    <section
      className="card"
      aria-labelledby="signing-credentials-title"
      data-testid="signing-credentials-card"
    >
      <h2 id="signing-credentials-title" className="card__title">
        {t('signing.admin.creds.title')}
      </h2>
      <SuccessMessage message={message} testId="unlock-success" />
      <ResourceView
        resource={credentials}
        isEmpty={(data) => data.items.length === 0}
        emptyTestId="signing-credentials-empty"
        empty={t('signing.admin.creds.empty')}
      >
        {(data) => (
          <div className="table-wrap">
            <table className="table" data-testid="signing-credentials-table">
              <thead>
                <tr>
                  <th scope="col">{t('signing.cred.owner')}</th>
                  <th scope="col">{t('signing.cred.subject')}</th>
                  <th scope="col">{t('signing.cred.validUntil')}</th>
                  <th scope="col">{t('signing.cred.failed')}</th>
                  <th scope="col">{t('signing.cred.state')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((credential) => (
                  <tr key={credential.id} data-testid="signing-credential-row" data-id={credential.id}>
                    <td>
                      {credential.kind === 'agency-seal'
                        ? t('signing.admin.creds.agency')
                        : (credential.holder?.fullName ?? '—')}
                    </td>
                    <td title={credential.subject}>{commonName(credential.subject)}</td>
                    <td>{formatDate(credential.notAfter)}</td>
                    <td>{credential.failedAttempts}</td>
                    <td>
                      <CredentialState credential={credential} />
                    </td>
                    <td className="table__actions">
                      {credential.locked && !credential.retiredAt && (
                        <button
                          type="button"
                          className="btn btn--small"
                          onClick={() => {
                            setMessage(null)
                            setUnlocking(credential)
                          }}
                          data-testid="credential-unlock"
                        >
                          {t('signing.admin.creds.unlock')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </ResourceView>
      {unlocking && (
        <ConfirmDialog
          message={`${t('signing.admin.creds.unlock')}: ${commonName(unlocking.subject)}?`}
          confirmLabel={t('signing.admin.creds.unlock')}
          onClose={() => setUnlocking(null)}
          onConfirm={async () => {
            await signingAdminApi.unlock(unlocking.id)
            setUnlocking(null)
            setMessage(t('signing.admin.creds.unlocked'))
            credentials.reload()
          }}
        />
      )}
    </section>
  )
}

function TrustAnchorsCard() {
  const { t, formatDate } = useI18n()
  const anchors = useLoad((signal) => signingAdminApi.trustAnchors(signal), [])
  const [message, setMessage] = useState<string | null>(null)
  const [removing, setRemoving] = useState<TrustAnchor | null>(null)
  const [file, setFile] = useState<File | null>(null)
  const action = useAction()
  const formRef = useRef<HTMLFormElement>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!file) return
    const form = new FormData()
    form.set('file', file, file.name)
    const result = await action.run(() => signingAdminApi.addTrustAnchor(form))
    if (!result.ok) return
    setFile(null)
    formRef.current?.reset()
    setMessage(t('signing.admin.trust.added'))
    anchors.reload()
  }

  return (
    <section className="card" aria-labelledby="trust-anchors-title" data-testid="trust-anchors-card">
      <h2 id="trust-anchors-title" className="card__title">
        {t('signing.admin.trust.title')}
      </h2>
      <p className="muted">{t('signing.admin.trust.intro')}</p>
      <SuccessMessage message={message} testId="trust-success" />
      <ResourceView
        resource={anchors}
        isEmpty={(data) => data.items.length === 0}
        emptyTestId="trust-anchors-empty"
        empty={t('signing.admin.trust.empty')}
      >
        {(data) => (
          <div className="table-wrap">
            <table className="table" data-testid="trust-anchors-table">
              <thead>
                <tr>
                  <th scope="col">{t('signing.cred.subject')}</th>
                  <th scope="col">{t('signing.admin.trust.kind')}</th>
                  <th scope="col">{t('signing.cred.validUntil')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((anchor) => (
                  <tr key={anchor.id} data-testid="trust-anchor-row">
                    <td title={anchor.subject}>{commonName(anchor.subject)}</td>
                    <td>
                      {anchor.kind === 'root'
                        ? t('signing.admin.trust.kind.root')
                        : t('signing.admin.trust.kind.intermediate')}
                    </td>
                    <td>{formatDate(anchor.notAfter)}</td>
                    <td className="table__actions">
                      <button
                        type="button"
                        className="btn btn--small btn--danger-outline"
                        onClick={() => {
                          setMessage(null)
                          setRemoving(anchor)
                        }}
                        data-testid="trust-anchor-remove"
                      >
                        {t('signing.admin.trust.remove')}
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
        <ProblemAlert error={action.error} testId="trust-error" />
        <div className="form__row">
          <div className="field">
            <label htmlFor="trust-file" className="field__label">
              {t('signing.admin.trust.file')}
            </label>
            <input
              id="trust-file"
              name="file"
              type="file"
              accept=".pem,.crt,.cer,.der"
              className="input"
              onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            />
          </div>
          <div className="form__row-action">
            <SubmitButton
              pending={action.pending}
              disabled={!file}
              label={t('signing.admin.trust.add')}
              testId="trust-add"
            />
          </div>
        </div>
      </form>
      {removing && (
        <ConfirmDialog
          message={t('signing.admin.trust.removeConfirm', { subject: commonName(removing.subject) })}
          confirmLabel={t('signing.admin.trust.remove')}
          danger
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            await signingAdminApi.removeTrustAnchor(removing.id)
            setRemoving(null)
            setMessage(t('signing.admin.trust.removed'))
            anchors.reload()
          }}
        />
      )}
    </section>
  )
}
