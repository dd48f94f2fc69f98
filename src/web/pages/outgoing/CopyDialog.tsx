import { type FormEvent, useRef, useState } from 'react'
import { type CopyFormCode, type CopyResult, type OutgoingDocument, outgoingApi } from '../../api.ts'
import { Dialog } from '../../components/Dialog.tsx'
import { ProblemAlert } from '../../components/feedback.tsx'
import { SelectField, SubmitButton, serverFieldErrors, TextField } from '../../components/forms.tsx'
import { useAction } from '../../components/hooks.ts'
import { useI18n } from '../../i18n/index.tsx'
import { pinProblemText } from '../signing/labels.ts'
import { copyFormLabel } from './labels.ts'
import { parsePages } from './page-list.ts'
import { CancelButton } from './LifecycleDialogs.tsx'

const COPY_FORMS: readonly CopyFormCode[] = ['SY', 'SL', 'TrS']

/** Sao y, sao lục, trích sao (clerk): the copy form, the pages of an extract, the seal's PIN. */
export function CopyDialog({
  view,
  onClose,
  onDone,
}: {
  view: OutgoingDocument
  onClose: () => void
  onDone: (copy: CopyResult) => void
}) {
  const { t, pick, formatDateTime } = useI18n()
  const action = useAction()
  const pinRef = useRef<HTMLInputElement>(null)
  const [form, setForm] = useState<CopyFormCode>('SY')
  const [pages, setPages] = useState('')
  const [pin, setPin] = useState('')
  const [errors, setErrors] = useState<{ pages?: string; pin?: string }>({})
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const chosen = form === 'TrS' ? parsePages(pages) : null
    const found = {
      ...(form === 'TrS' && !chosen ? { pages: t('outgoing.copy.pagesInvalid') } : {}),
      ...(!pin ? { pin: t('signing.sign.pinRequired') } : {}),
    }
    setErrors(found)
    if (found.pages || found.pin) return
    const body = { form, pin, ...(chosen ? { pages: chosen } : {}) }
    const result = await action.run(() => outgoingApi.copy(view.document.id, body))
    if (result.ok) return onDone(result.value)
    const problem = pinProblemText(t, formatDateTime, result.error)
    if (problem) {
      setPin('')
      setErrors({ pin: problem })
      pinRef.current?.focus()
    }
  }
  const pinProblem = pinProblemText(t, formatDateTime, action.error)
  const server = serverFieldErrors(action.error, pick)
  return (
    <Dialog title={t('outgoing.copy.title')} onClose={onClose} testId="copy-dialog">
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <p className="dialog__message">
          {t('outgoing.copy.intro', { notation: view.document.numberNotation ?? '' })}
        </p>
        <SelectField
          name="form"
          id="copy-form"
          label={t('outgoing.copy.form')}
          value={form}
          onChange={(event) => setForm(event.target.value as CopyFormCode)}
        >
          {COPY_FORMS.map((value) => (
            <option key={value} value={value}>
              {copyFormLabel(t, value)}
            </option>
          ))}
        </SelectField>
        {form === 'TrS' && (
          <TextField
            name="pages"
            id="copy-pages"
            label={t('outgoing.copy.pages')}
            hint={t('outgoing.copy.pagesHint')}
            value={pages}
            onChange={(event) => setPages(event.target.value)}
            error={errors.pages ?? server.pages}
          />
        )}
        <TextField
          ref={pinRef}
          name="pin"
          id="copy-pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          label={t('signing.seal.pin')}
          value={pin}
          onChange={(event) => setPin(event.target.value)}
          error={errors.pin}
        />
        {!pinProblem && <ProblemAlert error={action.error} shownFields={['pin', 'pages']} />}
        <div className="form-actions">
          <SubmitButton
            pending={action.pending}
            label={t('outgoing.action.copy')}
            pendingLabel={t('outgoing.copy.working')}
            testId="copy-confirm"
          />
          <CancelButton onClose={onClose} />
        </div>
      </form>
    </Dialog>
  )
}
