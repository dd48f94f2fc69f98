import { type FormEvent, useState } from 'react'
import { type OutgoingDocument, outgoingApi } from '../../api.ts'
import { Dialog } from '../../components/Dialog.tsx'
import { ProblemAlert } from '../../components/feedback.tsx'
import { SubmitButton, serverFieldErrors, TextField } from '../../components/forms.tsx'
import { useAction } from '../../components/hooks.ts'
import { useI18n } from '../../i18n/index.tsx'
import { Link } from '../../router.tsx'
import type { Directory } from '../documents/directory.ts'
import { reviewKindLabel } from './labels.ts'
import { type DraftLink, NewDraftForm } from './NewDraftForm.tsx'

/**
 * Tải lên phiên bản mới (the drafter, on a draft or a returned one): the reviewers' comments of the
 * last round are shown above the file; the earlier versions stay.
 */
export function NewVersionDialog({
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
  const [file, setFile] = useState<File | null>(null)
  const [note, setNote] = useState('')
  const [local, setLocal] = useState<string | null>(null)
  const lastRound = Math.max(0, ...view.reviews.map((r) => r.round))
  const comments = view.reviews.filter((r) => r.round === lastRound && r.comment)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!file) return setLocal(t('outgoing.drafts.fileRequired'))
    setLocal(null)
    const form = new FormData()
    if (note.trim()) form.set('note', note.trim())
    form.set('file', file, file.name)
    const result = await action.run(() => outgoingApi.addVersion(view.document.id, form))
    if (result.ok) onDone()
  }
  const fieldErrors = serverFieldErrors(action.error, pick)
  const fileError = local ?? fieldErrors.file
  return (
    <Dialog title={t('outgoing.version.title')} onClose={onClose} testId="version-dialog">
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <p className="dialog__message">
          {t('outgoing.version.intro', { version: view.outgoing.currentVersion + 1 })}
        </p>
        {comments.length > 0 && (
          <>
            <h3 className="subsection-title">{t('outgoing.version.comments')}</h3>
            <ul className="participants" data-testid="version-comments">
              {comments.map((r) => (
                <li key={r.id}>
                  <strong>{r.reviewer.name ?? '—'}</strong> ({reviewKindLabel(t, r.kind)}):{' '}
                  <span className="timeline__comment">{r.comment}</span>
                </li>
              ))}
            </ul>
          </>
        )}
        <div className={fileError ? 'field field--invalid' : 'field'}>
          <label htmlFor="version-file" className="field__label">
            {t('outgoing.drafts.file')}
          </label>
          {fileError && (
            <p id="version-file-error" className="field__error" data-testid="error-version-file">
              {fileError}
            </p>
          )}
          <input
            id="version-file"
            name="file"
            type="file"
            accept=".docx,.pdf,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            className="input"
            aria-invalid={fileError ? true : undefined}
            aria-describedby={fileError ? 'version-file-error' : undefined}
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            data-autofocus
          />
        </div>
        <TextField
          name="note"
          id="version-note"
          label={t('outgoing.version.note')}
          optional
          maxLength={500}
          value={note}
          onChange={(event) => setNote(event.target.value)}
          error={fieldErrors.note}
        />
        <ProblemAlert error={action.error} shownFields={['file', 'note']} />
        <div className="form-actions">
          <SubmitButton
            pending={action.pending}
            label={t('outgoing.version.upload')}
            pendingLabel={t('outgoing.drafts.creating')}
            testId="version-confirm"
          />
          <button type="button" className="btn" onClick={onClose} data-testid="outgoing-dialog-cancel">
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

/**
 * Thay thế / đính chính: the new draft that will replace or correct this issued document when it is
 * issued, in the one draft form. The dialog stays open on the new draft's link.
 */
export function LinkedDraftDialog({
  view,
  field,
  directory,
  onClose,
  onCreated,
}: {
  view: OutgoingDocument
  field: DraftLink['field']
  directory: Directory | null
  onClose: () => void
  onCreated: () => void
}) {
  const { t } = useI18n()
  const [created, setCreated] = useState<OutgoingDocument | null>(null)
  const link: DraftLink = {
    field,
    document: {
      id: view.document.id,
      numberNotation: view.document.numberNotation,
      subject: view.document.subject,
    },
  }
  return (
    <Dialog
      title={t(field === 'replacesDocumentId' ? 'outgoing.action.replace' : 'outgoing.action.correct')}
      onClose={onClose}
      testId="linked-draft-dialog"
      wide
    >
      {created ? (
        <>
          <p className="alert alert--success" role="status" data-testid="linked-draft-created">
            {t('outgoing.link.created', { subject: created.document.subject ?? '' })}{' '}
            <Link to={`/documents/${created.document.id}`} data-testid="linked-draft-open">
              {t('outgoing.drafts.open')}
            </Link>
          </p>
          <div className="form-actions">
            <button type="button" className="btn" onClick={onClose} data-autofocus>
              {t('outgoing.link.close')}
            </button>
          </div>
        </>
      ) : (
        <NewDraftForm
          directory={directory}
          link={link}
          onCreated={(draft) => {
            setCreated(draft)
            onCreated()
          }}
        />
      )}
    </Dialog>
  )
}
