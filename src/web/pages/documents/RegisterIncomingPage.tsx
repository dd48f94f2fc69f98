import { type DragEvent, type FormEvent, useEffect, useRef, useState } from 'react'
import { type ApiError, type IncomingCreated, incomingApi } from '../../api.ts'
import { Alert, ProblemAlert } from '../../components/feedback.tsx'
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
import { useAction } from '../../components/hooks.ts'
import { PageHeader } from '../../components/PageHeader.tsx'
import { PdfViewer, useObjectUrl } from '../../components/PdfViewer.tsx'
import { useI18n } from '../../i18n/index.tsx'
import { Link } from '../../router.tsx'
import { DOCUMENT_KINDS, formatSize, SECRECY_KEYS, URGENCY_KEYS, vietnamToday } from './labels.ts'
import { SuggestionBadge, SuggestionProgress, suggestedInputClass, suggestionProps } from './Suggestions.tsx'
import { useSuggestions } from './useSuggestions.ts'

/** The form's field names are the API's multipart field names. */
const FIELDS = [
  'issuer',
  'numberNotation',
  'documentDate',
  'kind',
  'subject',
  'signer',
  'signerPosition',
  'urgency',
  'secrecy',
  'deadline',
  'receivedDate',
  'notes',
] as const
type FieldName = (typeof FIELDS)[number]
type Values = Record<FieldName, string>

const ACCEPT = '.pdf,.png,.jpg,.jpeg,.tif,.tiff,application/pdf,image/png,image/jpeg,image/tiff'
const ACCEPTED_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/tiff'])
const ACCEPTED_EXTENSIONS = /\.(pdf|png|jpe?g|tiff?)$/i

/** A chosen file and a key that survives removals above it. */
interface ChosenFile {
  key: number
  file: File
}
let nextFileKey = 1

function emptyValues(): Values {
  return {
    issuer: '',
    numberNotation: '',
    documentDate: '',
    kind: 'Công văn',
    subject: '',
    signer: '',
    signerPosition: '',
    urgency: '0',
    secrecy: '0',
    deadline: '',
    receivedDate: vietnamToday(),
    notes: '',
  }
}

/** "Đăng ký văn bản đến": files, then the register fields in the order of the paper register. */
export function RegisterIncomingPage() {
  const { t, pick, formatDate } = useI18n()
  const [values, setValues] = useState<Values>(emptyValues)
  const [files, setFiles] = useState<ChosenFile[]>([])
  const [errors, setErrors] = useState<FieldErrors>({})
  const [created, setCreated] = useState<IncomingCreated | null>(null)
  const [duplicateError, setDuplicateError] = useState<ApiError | null>(null)
  const [dragging, setDragging] = useState(false)
  const [rejected, setRejected] = useState<string[]>([])
  const [previewKey, setPreviewKey] = useState<number | null>(null)
  const previewed = files.find((item) => item.key === previewKey) ?? files[0]
  const previewUrl = useObjectUrl(previewed?.file)
  const action = useAction()
  // Gợi ý: the first file is read at once and the empty fields are pre-filled from it.
  const suggestions = useSuggestions(files[0], values, setValues)
  const formRef = useRef<HTMLFormElement>(null)
  const firstFieldRef = useRef<HTMLInputElement>(null)
  const fileInputRef = useRef<HTMLInputElement>(null)
  // Speed first: the cursor starts in "Cơ quan ban hành" on arrival and after each "Đăng ký văn bản tiếp".
  const [focusRequest, setFocusRequest] = useState(0)
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each focus request.
  useEffect(() => {
    firstFieldRef.current?.focus()
  }, [focusRequest])

  const set = (name: FieldName) => (event: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [name]: event.target.value }))
    suggestions.edited(name)
    // A fixed field loses its message at once; the others keep theirs until the next submit.
    if (errors[name]) setErrors(({ [name]: _fixed, ...rest }) => rest)
  }

  const addFiles = (list: FileList | null) => {
    if (!list) return
    const accepted: File[] = []
    const refused: string[] = []
    for (const file of Array.from(list)) {
      if (ACCEPTED_TYPES.has(file.type) || ACCEPTED_EXTENSIONS.test(file.name)) accepted.push(file)
      else refused.push(file.name)
    }
    setRejected(refused)
    if (accepted.length) {
      setFiles((previous) => [...previous, ...accepted.map((file) => ({ key: nextFileKey++, file }))])
      setErrors(({ file: _dropped, ...rest }) => rest)
    }
  }

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault()
    setDragging(false)
    addFiles(event.dataTransfer.files)
  }

  const send = async (confirmDuplicate: boolean) => {
    const form = new FormData()
    for (const name of FIELDS) if (values[name].trim()) form.append(name, values[name].trim())
    if (confirmDuplicate) form.append('confirmDuplicate', 'true')
    for (const { file } of files) form.append('file', file, file.name)
    const result = await action.run(() => incomingApi.register(form))
    if (result.ok) {
      setCreated(result.value)
      setDuplicateError(null)
      setErrors({})
      return
    }
    if (!result.error) return
    if (result.error.code === 'duplicate-suspected' || result.error.problem.duplicates?.length) {
      setDuplicateError(result.error)
      return
    }
    setDuplicateError(null)
    setErrors(serverFieldErrors(result.error, pick))
    focusFirstInvalid(formRef.current)
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    setCreated(null)
    const local = requireFields(
      values,
      { issuer: 'doc.issuer', subject: 'doc.subject', documentDate: 'doc.issuedDate' },
      t,
    )
    if (files.length === 0) local.file = t('register.fileRequired')
    setErrors(local)
    if (hasErrors(local)) {
      focusFirstInvalid(formRef.current)
      return
    }
    void send(false)
  }

  const next = () => {
    setValues(emptyValues())
    setFiles([])
    setErrors({})
    setCreated(null)
    setDuplicateError(null)
    setRejected([])
    action.reset()
    setFocusRequest((n) => n + 1)
  }

  const shown = [...FIELDS, 'file']

  return (
    <div className="page" data-testid="page-register">
      <PageHeader title={t('nav.register')} />
      {created && (
        <Alert kind="success" testId="register-success">
          <p className="alert__title">{t('register.created', { number: created.incomingNumber })}</p>
          <p className="row-actions">
            <Link to={`/documents/${created.id}`} data-testid="register-open">
              {t('register.openDocument')}
            </Link>
            <button type="button" className="btn btn--primary" onClick={next} data-testid="register-next">
              {t('register.next')}
            </button>
          </p>
        </Alert>
      )}
      {duplicateError && (
        <Alert kind="warning" testId="register-duplicates">
          <p className="alert__title">{pick(duplicateError.problem.title, duplicateError.problem.titleEn)}</p>
          <p>{t('register.duplicatesIntro')}</p>
          <ul>
            {(duplicateError.problem.duplicates ?? []).map((d) => (
              <li key={d.id} data-testid="duplicate-item">
                <Link to={`/documents/${d.id}`}>
                  {t('register.duplicateItem', {
                    number: d.incomingNumber ?? '—',
                    notation: d.numberNotation ?? '—',
                    date: d.issuedDate ? formatDate(d.issuedDate) : '—',
                  })}
                </Link>{' '}
                <span className="muted">
                  (
                  {d.reason === 'same-file'
                    ? t('register.reason.sameFile')
                    : d.reason === 'same-number'
                      ? t('register.reason.sameNumber')
                      : d.reason}
                  )
                </span>
              </li>
            ))}
          </ul>
          <div className="row-actions">
            <button
              type="button"
              className="btn btn--primary"
              onClick={() => void send(true)}
              aria-busy={action.pending || undefined}
              data-testid="register-confirm-duplicate"
            >
              {t('register.confirmDuplicate')}
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => setDuplicateError(null)}
              data-testid="register-cancel-duplicate"
            >
              {t('common.cancel')}
            </button>
          </div>
        </Alert>
      )}
      <form
        ref={formRef}
        className={files.length > 0 ? 'form register register--preview' : 'form register'}
        noValidate
        onSubmit={onSubmit}
        data-testid="register-form"
      >
        <div className="register__files">
          {/* biome-ignore lint/a11y/noStaticElementInteractions: drop target only; the file input inside is the keyboard path. */}
          <div
            className={
              dragging ? 'dropzone dropzone--active' : errors.file ? 'dropzone dropzone--invalid' : 'dropzone'
            }
            onDragOver={(event) => {
              event.preventDefault()
              setDragging(true)
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
            data-testid="dropzone"
          >
            <p>{t('register.dropHint')}</p>
            <label htmlFor="file" className="btn">
              {t('register.chooseFiles')}
            </label>
            <input
              ref={fileInputRef}
              id="file"
              name="file"
              type="file"
              multiple
              accept={ACCEPT}
              className="dropzone__input"
              aria-invalid={errors.file ? true : undefined}
              aria-describedby={errors.file ? 'file-error' : 'file-hint'}
              onChange={(event) => {
                addFiles(event.target.files)
                event.target.value = ''
              }}
            />
            <p id="file-hint" className="field__hint">
              {t('register.fileTypes')}
            </p>
            {errors.file && (
              <p id="file-error" className="field__error" data-testid="error-file">
                {errors.file}
              </p>
            )}
          </div>
          <SuggestionProgress
            status={suggestions.status}
            filled={suggestions.filledCount}
            onStop={suggestions.stop}
          />
          {rejected.length > 0 && (
            <Alert kind="warning" testId="register-rejected">
              {t('register.rejected', { names: rejected.join(', ') })}
            </Alert>
          )}
          {files.length === 0 ? (
            <p className="muted" data-testid="file-list-empty">
              {t('register.noFiles')}
            </p>
          ) : (
            <ol className="file-list" data-testid="file-list">
              {files.map(({ key, file }, index) => (
                <li key={key} className="file-list__item" data-testid="file-item">
                  <span className="file-list__name">{file.name}</span>
                  <span className="muted">{formatSize(file.size)}</span>
                  {index === 0 && <span className="badge badge--on">{t('register.mainFile')}</span>}
                  {files.length > 1 && (
                    <button
                      type="button"
                      className="btn btn--small btn--ghost"
                      onClick={() => setPreviewKey(key)}
                      aria-pressed={previewed?.key === key}
                      aria-label={t('register.previewFile', { name: file.name })}
                      data-testid="file-preview"
                    >
                      {t('register.preview')}
                    </button>
                  )}
                  <button
                    type="button"
                    className="btn btn--small btn--ghost"
                    onClick={() => setFiles((list) => list.filter((item) => item.key !== key))}
                    aria-label={t('register.removeFile', { name: file.name })}
                    data-testid="file-remove"
                  >
                    {t('register.remove')}
                  </button>
                </li>
              ))}
            </ol>
          )}
          <p className="field__hint">{t('register.previewNote')}</p>
          {previewed && previewUrl && (
            <PdfViewer
              src={previewUrl}
              fileName={previewed.file.name}
              mediaType={previewed.file.type}
              testId="register-preview"
            />
          )}
        </div>
        <div className="register__fields">
          <TextField
            ref={firstFieldRef}
            name="issuer"
            {...suggestionProps(suggestions.marks.issuer, t('doc.issuer'))}
            value={values.issuer}
            onChange={set('issuer')}
            error={errors.issuer}
            autoComplete="off"
          />
          <div className="form__grid">
            <TextField
              name="numberNotation"
              {...suggestionProps(suggestions.marks.numberNotation, t('doc.numberNotation'))}
              hint={t('register.numberNotationHint')}
              value={values.numberNotation}
              onChange={set('numberNotation')}
              error={errors.numberNotation}
              autoComplete="off"
              optional
            />
            <TextField
              name="documentDate"
              type="date"
              {...suggestionProps(suggestions.marks.documentDate, t('doc.issuedDate'))}
              value={values.documentDate}
              onChange={set('documentDate')}
              error={errors.documentDate}
              max={vietnamToday()}
            />
          </div>
          <SelectField
            name="kind"
            {...suggestionProps(suggestions.marks.kind, t('doc.kind'))}
            value={values.kind}
            onChange={set('kind')}
            error={errors.kind}
          >
            {DOCUMENT_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kind}
              </option>
            ))}
          </SelectField>
          <div className={errors.subject ? 'field field--invalid' : 'field'}>
            <label htmlFor="subject" className="field__label">
              {t('doc.subject')}
              <SuggestionBadge mark={suggestions.marks.subject} />
            </label>
            {errors.subject && (
              <p id="subject-error" className="field__error" data-testid="error-subject">
                {errors.subject}
              </p>
            )}
            <textarea
              id="subject"
              name="subject"
              className={suggestedInputClass(suggestions.marks.subject)}
              rows={3}
              value={values.subject}
              onChange={set('subject')}
              aria-invalid={errors.subject ? true : undefined}
              aria-describedby={errors.subject ? 'subject-error' : undefined}
            />
          </div>
          <div className="form__grid">
            <TextField
              name="signer"
              {...suggestionProps(suggestions.marks.signer, t('doc.signer'))}
              value={values.signer}
              onChange={set('signer')}
              error={errors.signer}
              optional
            />
            <TextField
              name="signerPosition"
              {...suggestionProps(suggestions.marks.signerPosition, t('doc.signerPosition'))}
              value={values.signerPosition}
              onChange={set('signerPosition')}
              error={errors.signerPosition}
              optional
            />
            <SelectField
              name="urgency"
              {...suggestionProps(suggestions.marks.urgency, t('doc.urgency'))}
              value={values.urgency}
              onChange={set('urgency')}
              error={errors.urgency}
            >
              {URGENCY_KEYS.map((key, level) => (
                <option key={key} value={String(level)}>
                  {t(key)}
                </option>
              ))}
            </SelectField>
            <SelectField
              name="secrecy"
              {...suggestionProps(suggestions.marks.secrecy, t('doc.secrecy'))}
              value={values.secrecy}
              onChange={set('secrecy')}
              error={errors.secrecy}
            >
              {SECRECY_KEYS.map((key, level) => (
                <option key={key} value={String(level)}>
                  {t(key)}
                </option>
              ))}
            </SelectField>
            <TextField
              name="deadline"
              type="date"
              label={t('doc.dueDate')}
              value={values.deadline}
              onChange={set('deadline')}
              error={errors.deadline}
              optional
            />
            <TextField
              name="receivedDate"
              type="date"
              label={t('doc.arrivalDate')}
              value={values.receivedDate}
              onChange={set('receivedDate')}
              error={errors.receivedDate}
              max={vietnamToday()}
            />
          </div>
          <div className={errors.notes ? 'field field--invalid' : 'field'}>
            <label htmlFor="notes" className="field__label">
              {t('doc.notes')}
              <span className="field__optional"> {t('common.optional')}</span>
            </label>
            {errors.notes && (
              <p id="notes-error" className="field__error" data-testid="error-notes">
                {errors.notes}
              </p>
            )}
            <textarea
              id="notes"
              name="notes"
              className="input"
              rows={2}
              value={values.notes}
              onChange={set('notes')}
              aria-invalid={errors.notes ? true : undefined}
            />
          </div>
          <ProblemAlert error={duplicateError ? null : action.error} shownFields={shown} />
          <div className="form-actions">
            <SubmitButton
              pending={action.pending}
              label={t('register.submit')}
              pendingLabel={t('register.submitting')}
              testId="register-submit"
            />
          </div>
        </div>
      </form>
    </div>
  )
}
