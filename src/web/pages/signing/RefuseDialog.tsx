import { type FormEvent, useRef, useState } from 'react'
import { signatureRequestsApi } from '../../api.ts'
import { Dialog } from '../../components/Dialog.tsx'
import { ProblemAlert } from '../../components/feedback.tsx'
import { SubmitButton } from '../../components/forms.tsx'
import { useAction } from '../../components/hooks.ts'
import { useI18n } from '../../i18n/index.tsx'

/** Từ chối ký: the reason is required; it goes back to whoever put the document forward. */
export function RefuseDialog({
  requests,
  onClose,
  onDone,
}: {
  requests: readonly { id: string; label: string }[]
  onClose: () => void
  onDone: () => void
}) {
  const { t } = useI18n()
  const action = useAction()
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)
  const ref = useRef<HTMLTextAreaElement>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!reason.trim()) {
      setError(t('signing.refuse.reasonRequired'))
      ref.current?.focus()
      return
    }
    setError(null)
    const result = await action.run(async () => {
      for (const request of requests) await signatureRequestsApi.refuse(request.id, reason.trim())
    })
    if (result.ok) onDone()
  }

  const title =
    requests.length > 1 ? t('signing.refuse.many', { n: requests.length }) : t('signing.refuse.title')
  return (
    <Dialog title={title} onClose={onClose} testId="refuse-dialog">
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <p className="dialog__message">{t('signing.refuse.intro')}</p>
        <ul className="sign-docs">
          {requests.map((request) => (
            <li key={request.id}>{request.label}</li>
          ))}
        </ul>
        <div className={error ? 'field field--invalid' : 'field'}>
          <label htmlFor="refuse-reason" className="field__label">
            {t('signing.refuse.reason')}
          </label>
          {error && (
            <p id="refuse-reason-error" className="field__error" data-testid="error-refuse-reason">
              {error}
            </p>
          )}
          <textarea
            ref={ref}
            id="refuse-reason"
            name="reason"
            className="input"
            rows={3}
            maxLength={2000}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'refuse-reason-error' : undefined}
            data-autofocus
          />
        </div>
        <ProblemAlert error={action.error} shownFields={['reason']} testId="refuse-error" />
        <div className="form-actions">
          <SubmitButton
            pending={action.pending}
            kind="danger"
            label={t('signing.refuse.submit')}
            testId="refuse-submit"
          />
          <button type="button" className="btn" onClick={onClose} data-testid="refuse-cancel">
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
