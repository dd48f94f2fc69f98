import { useState } from 'react'
import { mySigningApi, type SigningCredential } from '../../api.ts'
import { ConfirmDialog } from '../../components/Dialog.tsx'
import { SuccessMessage } from '../../components/feedback.tsx'
import { useLoad } from '../../components/hooks.ts'
import { ResourceView } from '../../components/ResourceView.tsx'
import { useI18n } from '../../i18n/index.tsx'
import { ChangePinDialog, CredentialImportForm, CredentialState, commonName } from './CredentialForms.tsx'
import { SignatureImageCard } from './SignatureImageCard.tsx'
import './signing.css'

/** Chữ ký số on the profile page (leaders): my certificates, their PINs, my signature image. */
export function SigningProfileSection() {
  const { t, formatDate, pick } = useI18n()
  /** Said after an import: done, and the name warning when the certificate names someone else. */
  const importedMessage = (credential: SigningCredential) =>
    credential.nameWarning
      ? `${t('signing.import.done')} ${pick(credential.nameWarning.message, credential.nameWarning.messageEn)}`
      : t('signing.import.done')
  const credentials = useLoad((signal) => mySigningApi.credentials(signal), [])
  const [message, setMessage] = useState<string | null>(null)
  const [changing, setChanging] = useState<SigningCredential | null>(null)
  const [retiring, setRetiring] = useState<SigningCredential | null>(null)

  return (
    <>
      <section className="card" aria-labelledby="signing-title" data-testid="signing-section">
        <h2 id="signing-title" className="card__title">
          {t('signing.profile.title')}
        </h2>
        <p className="muted">{t('signing.profile.intro')}</p>
        <SuccessMessage message={message} testId="signing-success" />
        <ResourceView
          resource={credentials}
          isEmpty={(data) => data.items.length === 0}
          emptyTestId="credentials-empty"
          empty={t('signing.profile.empty')}
        >
          {(data) => (
            <div className="table-wrap">
              <table className="table" data-testid="credentials-table">
                <thead>
                  <tr>
                    <th scope="col">{t('signing.cred.subject')}</th>
                    <th scope="col">{t('signing.cred.issuer')}</th>
                    <th scope="col">{t('signing.cred.validUntil')}</th>
                    <th scope="col">{t('signing.cred.state')}</th>
                    <th scope="col">
                      <span className="sr-only">{t('common.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((credential) => (
                    <tr key={credential.id} data-testid="credential-row" data-id={credential.id}>
                      <td title={credential.subject}>{commonName(credential.subject)}</td>
                      <td title={credential.issuer}>{commonName(credential.issuer)}</td>
                      <td>{formatDate(credential.notAfter)}</td>
                      <td>
                        <CredentialState credential={credential} />
                      </td>
                      <td className="table__actions">
                        <div className="row-actions">
                          <button
                            type="button"
                            className="btn btn--small"
                            onClick={() => {
                              setMessage(null)
                              setChanging(credential)
                            }}
                            data-testid="credential-change-pin"
                          >
                            {t('signing.cred.changePin')}
                          </button>
                          <button
                            type="button"
                            className="btn btn--small btn--danger-outline"
                            onClick={() => {
                              setMessage(null)
                              setRetiring(credential)
                            }}
                            data-testid="credential-retire"
                          >
                            {t('signing.cred.retire')}
                          </button>
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </ResourceView>
        <CredentialImportForm
          idPrefix="credential"
          onImport={mySigningApi.importCredential}
          onDone={(credential) => {
            setMessage(importedMessage(credential))
            credentials.reload()
          }}
        />
      </section>
      <SignatureImageCard
        idPrefix="signature-image"
        title={t('signing.image.title')}
        intro={t('signing.image.intro')}
        alt={t('signing.image.alt')}
        noneText={t('signing.image.none')}
        uploadedText={t('signing.image.uploaded')}
        removeConfirmText={t('signing.image.removeConfirm')}
        imageUrl={mySigningApi.imageUrl}
        exists={mySigningApi.hasImage}
        upload={mySigningApi.uploadImage}
        remove={mySigningApi.removeImage}
      />
      {changing && (
        <ChangePinDialog
          onChangePin={(oldPin, newPin) => mySigningApi.changePin(changing.id, oldPin, newPin)}
          onClose={() => setChanging(null)}
          onDone={() => {
            setChanging(null)
            setMessage(t('signing.pin.done'))
            credentials.reload()
          }}
        />
      )}
      {retiring && (
        <ConfirmDialog
          message={t('signing.cred.retireConfirm', { subject: commonName(retiring.subject) })}
          confirmLabel={t('signing.cred.retire')}
          danger
          onClose={() => setRetiring(null)}
          onConfirm={async () => {
            await mySigningApi.retireCredential(retiring.id)
            setRetiring(null)
            setMessage(t('signing.cred.retired'))
            credentials.reload()
          }}
        />
      )}
    </>
  )
}
