import { type FormEvent, useRef, useState } from 'react'
import {
  type CopyForm,
  type SealAppearance,
  type SignatureRequest,
  signatureRequestsApi,
  signingApi,
} from '../../api.ts'
import { Dialog } from '../../components/Dialog.tsx'
import { Alert, ProblemAlert } from '../../components/feedback.tsx'
import {
  type FieldErrors,
  focusFirstInvalid,
  hasErrors,
  SelectField,
  SubmitButton,
  serverFieldErrors,
  TextField,
} from '../../components/forms.tsx'
import { useAction } from '../../components/hooks.ts'
import { type MessageKey, useI18n } from '../../i18n/index.tsx'
import type { Directory } from '../documents/directory.ts'
import { pinProblemText } from './labels.ts'

/** Trình ký: pick the leader who signs (from the agency directory) and add a note. */
export function RequestSignatureDialog({
  documentId,
  directory,
  onClose,
  onDone,
}: {
  documentId: string
  directory: Directory | null
  onClose: () => void
  onDone: (request: SignatureRequest) => void
}) {
  const { t, pick } = useI18n()
  const action = useAction()
  const formRef = useRef<HTMLFormElement>(null)
  const [signerId, setSignerId] = useState('')
  const [comment, setComment] = useState('')
  const [local, setLocal] = useState<FieldErrors>({})
  const errors = hasErrors(local) ? local : serverFieldErrors(action.error, pick)
  const leaders = directory?.people.filter((p) => p.roles.includes('leader')) ?? []

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const found: FieldErrors = signerId.trim() ? {} : { signerId: t('signing.request.signerRequired') }
    setLocal(found)
    if (hasErrors(found)) return focusFirstInvalid(formRef.current)
    const body = { signerId: signerId.trim(), ...(comment.trim() ? { comment: comment.trim() } : {}) }
    const result = await action.run(() => signatureRequestsApi.create(documentId, body))
    if (result.ok) onDone(result.value)
    else focusFirstInvalid(formRef.current)
  }

  return (
    <Dialog title={t('signing.request.title')} onClose={onClose} testId="signature-request-dialog">
      <form ref={formRef} className="form" noValidate onSubmit={(event) => void submit(event)}>
        {directory ? (
          <SelectField
            name="signerId"
            id="signature-signer"
            label={t('signing.request.signer')}
            value={signerId}
            onChange={(event) => setSignerId(event.target.value)}
            error={errors.signerId}
          >
            <option value="">{t('signing.request.choose')}</option>
            {leaders.map((p) => (
              <option key={p.id} value={p.id}>
                {[p.fullName, p.positionName, directory.departmentName(p.departmentId)]
                  .filter(Boolean)
                  .join(' — ')}
              </option>
            ))}
          </SelectField>
        ) : (
          <TextField
            name="signerId"
            id="signature-signer"
            label={t('signing.request.signer')}
            hint={t('routing.idHint')}
            value={signerId}
            onChange={(event) => setSignerId(event.target.value)}
            error={errors.signerId}
            autoComplete="off"
          />
        )}
        {directory && leaders.length === 0 && <Alert kind="warning">{t('signing.request.noLeaders')}</Alert>}
        <div className="field">
          <label htmlFor="signature-comment" className="field__label">
            {t('signing.request.comment')}
            <span className="field__optional"> {t('common.optional')}</span>
          </label>
          <textarea
            id="signature-comment"
            name="comment"
            className="input"
            rows={3}
            maxLength={2000}
            value={comment}
            onChange={(event) => setComment(event.target.value)}
          />
        </div>
        <ProblemAlert
          error={action.error}
          shownFields={['signerId', 'comment']}
          testId="signature-request-error"
        />
        <div className="form-actions">
          <SubmitButton
            pending={action.pending}
            label={t('signing.request.submit')}
            testId="signature-request-submit"
          />
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

const COPY_FORMS: { value: CopyForm | ''; key: MessageKey }[] = [
  { value: '', key: 'signing.seal.copyForm.none' },
  { value: 'SAO Y', key: 'signing.seal.copyForm.sy' },
  { value: 'SAO LỤC', key: 'signing.seal.copyForm.sl' },
  { value: 'TRÍCH SAO', key: 'signing.seal.copyForm.ts' },
]

/**
 * Đóng dấu số (clerks): the agency seal over the leader's signature (the seal image overlapping it),
 * or a text stamp without image for copies and attachments, with the agency credential's PIN.
 */
export function SealDialog({
  documentId,
  onClose,
  onDone,
}: {
  documentId: string
  onClose: () => void
  onDone: () => void
}) {
  const { t, formatDateTime } = useI18n()
  const action = useAction()
  const pinRef = useRef<HTMLInputElement>(null)
  const [appearance, setAppearance] = useState<SealAppearance>('auto')
  const [copyForm, setCopyForm] = useState<CopyForm | ''>('')
  const [pin, setPin] = useState('')
  const [pinError, setPinError] = useState<string | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!pin) {
      setPinError(t('signing.sign.pinRequired'))
      pinRef.current?.focus()
      return
    }
    setPinError(null)
    const body = appearance === 'stamp' ? { pin, appearance, ...(copyForm ? { copyForm } : {}) } : { pin }
    const result = await action.run(() => signingApi.seal(documentId, body))
    if (result.ok) return onDone()
    const problem = pinProblemText(t, formatDateTime, result.error)
    if (problem) {
      setPin('')
      setPinError(problem)
      pinRef.current?.focus()
    }
  }

  const pinProblem = pinProblemText(t, formatDateTime, action.error)
  return (
    <Dialog title={t('signing.seal.title')} onClose={onClose} testId="seal-dialog">
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <fieldset className="fieldset">
          <legend className="field__label">{t('signing.seal.appearance')}</legend>
          {(['auto', 'stamp'] as const).map((value) => (
            <div key={value} className="checkbox">
              <input
                id={`seal-appearance-${value}`}
                type="radio"
                name="appearance"
                value={value}
                checked={appearance === value}
                onChange={() => setAppearance(value)}
                aria-describedby={`seal-appearance-${value}-hint`}
              />
              <label htmlFor={`seal-appearance-${value}`}>
                {value === 'auto' ? t('signing.seal.image') : t('signing.seal.stamp')}
              </label>
              <p id={`seal-appearance-${value}-hint`} className="field__hint checkbox__hint">
                {value === 'auto' ? t('signing.seal.imageHint') : t('signing.seal.stampHint')}
              </p>
            </div>
          ))}
        </fieldset>
        {appearance === 'stamp' && (
          <SelectField
            name="copyForm"
            id="seal-copy-form"
            label={t('signing.seal.copyForm')}
            value={copyForm}
            onChange={(event) => setCopyForm(event.target.value as CopyForm | '')}
          >
            {COPY_FORMS.map((form) => (
              <option key={form.key} value={form.value}>
                {t(form.key)}
              </option>
            ))}
          </SelectField>
        )}
        <TextField
          ref={pinRef}
          name="pin"
          id="seal-pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          label={t('signing.seal.pin')}
          value={pin}
          onChange={(event) => setPin(event.target.value)}
          error={pinError ?? undefined}
        />
        {!pinProblem && <ProblemAlert error={action.error} shownFields={['pin']} testId="seal-error" />}
        <div className="form-actions">
          <SubmitButton pending={action.pending} label={t('signing.seal.submit')} testId="seal-submit" />
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
