import { useState } from 'react'
import { type NumberResult, type OutgoingDocument, outgoingApi } from '../../api.ts'
import { Dialog } from '../../components/Dialog.tsx'
import { ErrorState, LoadingState, ProblemAlert } from '../../components/feedback.tsx'
import { SelectField, TextField } from '../../components/forms.tsx'
import { useAction, useLoad } from '../../components/hooks.ts'
import { useI18n } from '../../i18n/index.tsx'
import type { Directory } from '../documents/directory.ts'
import { channelLabel } from './labels.ts'

export function Actions({
  pending,
  label,
  testId,
  onConfirm,
  onClose,
}: {
  pending: boolean
  label: string
  testId: string
  onConfirm: () => void
  onClose: () => void
}) {
  const { t } = useI18n()
  return (
    <div className="form-actions">
      <button
        type="button"
        className="btn btn--primary"
        aria-busy={pending || undefined}
        onClick={onConfirm}
        data-testid={testId}
      >
        {pending ? t('common.working') : label}
      </button>
      <button type="button" className="btn" onClick={onClose} data-testid="outgoing-dialog-cancel">
        {t('common.cancel')}
      </button>
    </div>
  )
}

/** Cấp số: the number the document would get now is shown first; the clerk confirms it. */
export function NumberDialog({
  documentId,
  onClose,
  onDone,
}: {
  documentId: string
  onClose: () => void
  onDone: (result: NumberResult) => void
}) {
  const { t, formatDate } = useI18n()
  const preview = useLoad((signal) => outgoingApi.previewNumber(documentId, signal), [documentId])
  const action = useAction()
  const confirm = async () => {
    const result = await action.run(() => outgoingApi.number(documentId))
    if (result.ok) onDone(result.value)
  }
  return (
    <Dialog title={t('outgoing.number.title')} onClose={onClose} testId="number-dialog">
      {preview.loading && !preview.data && <LoadingState />}
      {preview.error && <ErrorState error={preview.error} onRetry={preview.reload} />}
      {preview.data && (
        <p className="dialog__message" data-testid="number-preview">
          {t('outgoing.number.preview', {
            notation: preview.data.numberNotation,
            date: formatDate(preview.data.issuedDate),
            book: preview.data.registerName,
          })}
        </p>
      )}
      <ProblemAlert error={action.error} />
      <Actions
        pending={action.pending}
        label={t('outgoing.number.confirm')}
        testId="number-confirm"
        onConfirm={() => void confirm()}
        onClose={onClose}
      />
    </Dialog>
  )
}

/** Phát hành: the recipients and how each gets it, then the clerk confirms. */
export function IssueDialog({
  documentId,
  onClose,
  onDone,
}: {
  documentId: string
  onClose: () => void
  onDone: (view: OutgoingDocument) => void
}) {
  const { t } = useI18n()
  const view = useLoad((signal) => outgoingApi.get(documentId, signal), [documentId])
  const action = useAction()
  const confirm = async () => {
    const result = await action.run(() => outgoingApi.issue(documentId))
    if (result.ok) onDone(result.value)
  }
  return (
    <Dialog title={t('outgoing.issue.title')} onClose={onClose} testId="issue-dialog">
      {view.loading && !view.data && <LoadingState />}
      {view.error && <ErrorState error={view.error} onRetry={view.reload} />}
      {view.data && (
        <>
          <p className="dialog__message">
            {t('outgoing.issue.intro', { notation: view.data.document.numberNotation ?? '' })}
          </p>
          <ul data-testid="issue-recipients">
            {view.data.recipients.map((r) => (
              <li key={r.id}>
                {r.label}
                {r.kind !== 'text' && ` — ${channelLabel(t, r.channel)}`}
              </li>
            ))}
          </ul>
        </>
      )}
      <ProblemAlert error={action.error} />
      <Actions
        pending={action.pending}
        label={t('outgoing.issue.confirm')}
        testId="issue-confirm"
        onConfirm={() => void confirm()}
        onClose={onClose}
      />
    </Dialog>
  )
}

/** Trình: to a reviewer (head of unit, office) with a note, or straight to the signer. */
export function SubmitDialog({
  documentId,
  directory,
  onClose,
  onDone,
}: {
  documentId: string
  directory: Directory | null
  onClose: () => void
  onDone: () => void
}) {
  const { t } = useI18n()
  const action = useAction()
  const [reviewer, setReviewer] = useState('')
  const [comment, setComment] = useState('')
  const leaders = directory?.people.filter((p) => p.roles.includes('leader')) ?? []
  const confirm = async () => {
    const body = {
      ...(reviewer ? { reviewers: [{ userId: reviewer, kind: 'content' as const }] } : {}),
      ...(comment.trim() ? { comment: comment.trim() } : {}),
    }
    const result = await action.run(() => outgoingApi.submit(documentId, body))
    if (result.ok) onDone()
  }
  return (
    <Dialog title={t('outgoing.submit.title')} onClose={onClose} testId="outgoing-submit-dialog">
      <SelectField
        name="reviewer"
        id="outgoing-reviewer"
        label={t('outgoing.submit.reviewer')}
        value={reviewer}
        onChange={(event) => setReviewer(event.target.value)}
      >
        <option value="">{t('outgoing.submit.noReviewer')}</option>
        {leaders.map((p) => (
          <option key={p.id} value={p.id}>
            {[p.fullName, p.positionName, directory?.departmentName(p.departmentId)]
              .filter(Boolean)
              .join(' — ')}
          </option>
        ))}
      </SelectField>
      <TextField
        name="comment"
        id="outgoing-submit-comment"
        label={t('outgoing.comment')}
        optional
        value={comment}
        onChange={(event) => setComment(event.target.value)}
      />
      <ProblemAlert error={action.error} />
      <Actions
        pending={action.pending}
        label={t('outgoing.action.submit')}
        testId="outgoing-submit-confirm"
        onConfirm={() => void confirm()}
        onClose={onClose}
      />
    </Dialog>
  )
}

/** Cho ý kiến: approve (to the next reviewer or the signer) or return to the drafter with the comment. */
export function ReviewDialog({
  documentId,
  decision,
  onClose,
  onDone,
}: {
  documentId: string
  decision: 'approve' | 'return'
  onClose: () => void
  onDone: () => void
}) {
  const { t } = useI18n()
  const action = useAction()
  const [comment, setComment] = useState('')
  const confirm = async () => {
    const body = { decision, ...(comment.trim() ? { comment: comment.trim() } : {}) }
    const result = await action.run(() => outgoingApi.review(documentId, body))
    if (result.ok) onDone()
  }
  return (
    <Dialog title={t('outgoing.review.title')} onClose={onClose} testId="outgoing-review-dialog">
      <TextField
        name="comment"
        id="outgoing-review-comment"
        label={t('outgoing.comment')}
        optional={decision === 'approve'}
        value={comment}
        onChange={(event) => setComment(event.target.value)}
      />
      <ProblemAlert error={action.error} />
      <Actions
        pending={action.pending}
        label={t(decision === 'approve' ? 'outgoing.action.approve' : 'outgoing.action.return')}
        testId="outgoing-review-confirm"
        onConfirm={() => void confirm()}
        onClose={onClose}
      />
    </Dialog>
  )
}
