import { type FormEvent, useRef, useState } from 'react'
import { type DocumentRecord, documentsApi } from '../../api.ts'
import { ProblemAlert } from '../../components/feedback.tsx'
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
import { useI18n } from '../../i18n/index.tsx'
import { Link } from '../../router.tsx'
import { DOCUMENT_KINDS } from './labels.ts'

/** Văn thư uploads a finished outgoing draft (PDF) so it can be put before a leader for signature. */
export function OutgoingDraftForm({ onCreated }: { onCreated: () => void }) {
  const { t, pick } = useI18n()
  const action = useAction()
  const formRef = useRef<HTMLFormElement>(null)
  const [file, setFile] = useState<File | null>(null)
  const [kind, setKind] = useState<string>(DOCUMENT_KINDS[0])
  const [subject, setSubject] = useState('')
  const [numberNotation, setNumberNotation] = useState('')
  const [local, setLocal] = useState<FieldErrors>({})
  const [created, setCreated] = useState<DocumentRecord | null>(null)
  const errors = hasErrors(local) ? local : serverFieldErrors(action.error, pick)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const found: FieldErrors = {}
    if (!file) found.file = t('outgoing.new.fileRequired')
    else if (file.type !== 'application/pdf' && !/\.pdf$/i.test(file.name))
      found.file = t('outgoing.new.notPdf')
    if (!subject.trim())
      found.subject = t('validation.required', { field: t('outgoing.new.subject').toLowerCase() })
    setLocal(found)
    if (hasErrors(found) || !file) return focusFirstInvalid(formRef.current)
    const form = new FormData()
    form.set('direction', 'outgoing')
    form.set('kind', kind)
    form.set('subject', subject.trim())
    if (numberNotation.trim()) form.set('numberNotation', numberNotation.trim())
    form.set('file', file, file.name)
    setCreated(null)
    const result = await action.run(() => documentsApi.create(form))
    if (!result.ok) return focusFirstInvalid(formRef.current)
    setCreated(result.value.document)
    setFile(null)
    setSubject('')
    setNumberNotation('')
    formRef.current?.reset()
    onCreated()
  }

  return (
    <section className="card" aria-labelledby="outgoing-new-title" data-testid="outgoing-new">
      <h2 id="outgoing-new-title" className="card__title">
        {t('outgoing.new.title')}
      </h2>
      <p className="muted">{t('outgoing.new.intro')}</p>
      {created && (
        <p className="alert alert--success" role="status" data-testid="outgoing-created">
          {t('outgoing.new.created', { subject: created.subject ?? '' })}{' '}
          <Link to={`/documents/${created.id}`} data-testid="outgoing-open">
            {t('outgoing.new.open')}
          </Link>
        </p>
      )}
      <form ref={formRef} className="form" noValidate onSubmit={(event) => void submit(event)}>
        <ProblemAlert error={action.error} shownFields={['file', 'kind', 'subject', 'numberNotation']} />
        <div className="form__grid">
          <div className={errors.file ? 'field field--invalid' : 'field'}>
            <label htmlFor="outgoing-file" className="field__label">
              {t('outgoing.new.file')}
            </label>
            {errors.file && (
              <p id="outgoing-file-error" className="field__error" data-testid="error-outgoing-file">
                {errors.file}
              </p>
            )}
            <input
              id="outgoing-file"
              name="file"
              type="file"
              accept="application/pdf,.pdf"
              className="input"
              aria-invalid={errors.file ? true : undefined}
              aria-describedby={errors.file ? 'outgoing-file-error' : undefined}
              onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            />
          </div>
          <SelectField
            name="kind"
            id="outgoing-kind"
            label={t('outgoing.new.kind')}
            value={kind}
            onChange={(event) => setKind(event.target.value)}
            error={errors.kind}
          >
            {DOCUMENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </SelectField>
          <TextField
            name="subject"
            id="outgoing-subject"
            label={t('outgoing.new.subject')}
            value={subject}
            onChange={(event) => setSubject(event.target.value)}
            error={errors.subject}
          />
          <TextField
            name="numberNotation"
            id="outgoing-number"
            label={t('outgoing.new.numberNotation')}
            hint={t('register.numberNotationHint')}
            value={numberNotation}
            onChange={(event) => setNumberNotation(event.target.value)}
            error={errors.numberNotation}
            optional
          />
        </div>
        <div className="form-actions">
          <SubmitButton pending={action.pending} label={t('outgoing.new.submit')} testId="outgoing-submit" />
        </div>
      </form>
    </section>
  )
}
