import { type FormEvent, useState } from 'react'
import { type DeliveryState, type OutgoingDocument, type OutgoingRecipient, outgoingApi } from '../../api.ts'
import { Dialog } from '../../components/Dialog.tsx'
import { ProblemAlert } from '../../components/feedback.tsx'
import { SelectField, SubmitButton, serverFieldErrors, TextField } from '../../components/forms.tsx'
import { useAction } from '../../components/hooks.ts'
import { useI18n } from '../../i18n/index.tsx'
import { channelLabel, deliveryLabel } from './labels.ts'

export function CancelButton({ onClose }: { onClose: () => void }) {
  const { t } = useI18n()
  return (
    <button type="button" className="btn" onClick={onClose} data-testid="outgoing-dialog-cancel">
      {t('common.cancel')}
    </button>
  )
}

/** A required multi-line reason; its error comes from the catalogue or from the server's field error. */
function ReasonField({
  id,
  label,
  value,
  error,
  onChange,
}: {
  id: string
  label: string
  value: string
  error: string | undefined
  onChange: (value: string) => void
}) {
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {error && (
        <p id={`${id}-error`} className="field__error" data-testid={`error-${id}`}>
          {error}
        </p>
      )}
      <textarea
        id={id}
        name="reason"
        className="input"
        rows={3}
        maxLength={2000}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        data-autofocus
      />
    </div>
  )
}

/** Quyết định thu hồi (leader): the reason is required; the clerks are told to execute it. */
export function DecideRevocationDialog({
  view,
  onClose,
  onDone,
}: {
  view: OutgoingDocument
  onClose: () => void
  onDone: () => void
}) {
  const { t, pick } = useI18n()
  const action = useAction()
  const [reason, setReason] = useState('')
  const [local, setLocal] = useState<string | null>(null)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!reason.trim()) return setLocal(t('outgoing.revocation.reasonRequired'))
    setLocal(null)
    const result = await action.run(() => outgoingApi.decideRevocation(view.document.id, reason.trim()))
    if (result.ok) onDone()
  }
  const error = local ?? serverFieldErrors(action.error, pick).reason
  return (
    <Dialog title={t('outgoing.revocation.title')} onClose={onClose} testId="revocation-dialog">
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <p className="dialog__message">
          {t('outgoing.revocation.intro', { notation: view.document.numberNotation ?? '' })}
        </p>
        <ReasonField
          id="revocation-reason"
          label={t('outgoing.revocation.reason')}
          value={reason}
          error={error}
          onChange={setReason}
        />
        <ProblemAlert error={action.error} shownFields={['reason']} />
        <div className="form-actions">
          <SubmitButton
            pending={action.pending}
            kind="danger"
            label={t('outgoing.action.decide-revocation')}
            testId="revocation-confirm"
          />
          <CancelButton onClose={onClose} />
        </div>
      </form>
    </Dialog>
  )
}

/** Thu hồi (clerk): executes the leader's decision, shown with its reason; the recipients are told. */
export function RevokeDialog({
  view,
  onClose,
  onDone,
}: {
  view: OutgoingDocument
  onClose: () => void
  onDone: () => void
}) {
  const { t, formatDateTime } = useI18n()
  const action = useAction()
  const decision = view.outgoing.revocation
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const result = await action.run(() => outgoingApi.revoke(view.document.id))
    if (result.ok) onDone()
  }
  return (
    <Dialog title={t('outgoing.revoke.title')} onClose={onClose} testId="revoke-dialog">
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <p className="dialog__message" data-testid="revoke-decision">
          {t('outgoing.revoke.intro', {
            notation: view.document.numberNotation ?? '',
            leader: decision?.decidedBy?.name ?? '—',
            date: formatDateTime(decision?.decidedAt),
          })}
        </p>
        <p className="timeline__comment">
          {t('outgoing.revocation.reason')}: {decision?.reason ?? '—'}
        </p>
        <p className="muted">{t('outgoing.revoke.effect')}</p>
        <ProblemAlert error={action.error} />
        <div className="form-actions">
          <SubmitButton
            pending={action.pending}
            kind="danger"
            label={t('outgoing.action.revoke')}
            testId="revoke-confirm"
          />
          <CancelButton onClose={onClose} />
        </div>
      </form>
    </Dialog>
  )
}

const DELIVERY_STATES: readonly DeliveryState[] = ['pending', 'sent', 'delivered', 'failed']

/** Theo dõi gửi (clerk): the progress of one external delivery, with a note (số vận đơn, người nhận). */
export function DeliveryDialog({
  documentId,
  recipient,
  onClose,
  onDone,
}: {
  documentId: string
  recipient: OutgoingRecipient
  onClose: () => void
  onDone: () => void
}) {
  const { t, pick } = useI18n()
  const action = useAction()
  const [state, setState] = useState<DeliveryState>(
    recipient.state === 'sent' ? 'delivered' : recipient.state === 'delivered' ? 'delivered' : 'sent',
  )
  const [note, setNote] = useState('')
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const body = { state, ...(note.trim() ? { note: note.trim() } : {}) }
    const result = await action.run(() => outgoingApi.updateDelivery(documentId, recipient.id, body))
    if (result.ok) onDone()
  }
  const fieldErrors = serverFieldErrors(action.error, pick)
  return (
    <Dialog title={t('outgoing.delivery.title')} onClose={onClose} testId="delivery-dialog">
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <p className="dialog__message">
          {t('outgoing.delivery.intro', {
            recipient: recipient.label,
            channel: channelLabel(t, recipient.channel),
            state: deliveryLabel(t, recipient.state),
          })}
        </p>
        <SelectField
          name="state"
          id="delivery-state"
          label={t('outgoing.delivery.newState')}
          value={state}
          onChange={(event) => setState(event.target.value as DeliveryState)}
          error={fieldErrors.state}
        >
          {DELIVERY_STATES.map((value) => (
            <option key={value} value={value}>
              {deliveryLabel(t, value)}
            </option>
          ))}
        </SelectField>
        <TextField
          name="note"
          id="delivery-note"
          label={t('outgoing.delivery.note')}
          hint={t('outgoing.delivery.noteHint')}
          optional
          maxLength={500}
          value={note}
          onChange={(event) => setNote(event.target.value)}
          error={fieldErrors.note}
        />
        <ProblemAlert error={action.error} shownFields={['state', 'note']} />
        <div className="form-actions">
          <SubmitButton
            pending={action.pending}
            label={t('outgoing.delivery.save')}
            testId="delivery-confirm"
          />
          <CancelButton onClose={onClose} />
        </div>
      </form>
    </Dialog>
  )
}
