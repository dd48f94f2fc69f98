import { type FormEvent, useRef, useState } from 'react'
import { type OutgoingDocument, outgoingApi } from '../../api.ts'
import { ProblemAlert } from '../../components/feedback.tsx'
import {
  Checkbox,
  CheckboxGroup,
  type FieldErrors,
  focusFirstInvalid,
  hasErrors,
  SelectField,
  SubmitButton,
  serverFieldErrors,
  TextField,
} from '../../components/forms.tsx'
import { useAction, useLoad } from '../../components/hooks.ts'
import { useI18n } from '../../i18n/index.tsx'
import { Link } from '../../router.tsx'
import type { Directory } from '../documents/directory.ts'
import { DOCUMENT_KINDS } from '../documents/labels.ts'

const AUTHORITIES = ['TM.', 'KT.', 'Q.', 'TL.', 'TUQ.'] as const
const EXTERNAL_CHANNELS = ['interchange', 'post', 'email', 'hand'] as const
/** A correction (đính chính) is a công văn: the API refuses any other kind. */
const CORRECTION_KIND = 'Công văn'

/** The issued document a new draft replaces (thay thế) or corrects (đính chính) once it is issued. */
export interface DraftLink {
  field: 'replacesDocumentId' | 'correctsDocumentId'
  document: { id: string; numberNotation: string | null; subject: string | null }
}

/**
 * The one form for a new văn bản đi (the officer's Dự thảo page, the clerk's outgoing list, and the
 * thay thế / đính chính dialog of an issued document): the file (DOCX converted to PDF on the server,
 * or PDF), kind, trích yếu, the leader who signs and with which authority, and the Nơi nhận — units of
 * the agency and an external agency from the directory with how it is sent. With `link`, the draft
 * names the document it replaces or corrects, and the reason is required.
 */
export function NewDraftForm({
  directory,
  onCreated,
  link,
}: {
  directory: Directory | null
  onCreated: (created: OutgoingDocument) => void
  link?: DraftLink
}) {
  const { t, pick } = useI18n()
  const action = useAction()
  const formRef = useRef<HTMLFormElement>(null)
  const agencies = useLoad((signal) => outgoingApi.agencies(signal), []).data?.items ?? []
  const correcting = link?.field === 'correctsDocumentId'
  const [file, setFile] = useState<File | null>(null)
  const [kind, setKind] = useState<string>(correcting ? CORRECTION_KIND : DOCUMENT_KINDS[0])
  const [subject, setSubject] = useState('')
  const [reason, setReason] = useState('')
  const [signerId, setSignerId] = useState('')
  const [authority, setAuthority] = useState<string>('TM.')
  const [departments, setDepartments] = useState<string[]>([])
  const [agency, setAgency] = useState('')
  const [channel, setChannel] = useState<string>('interchange')
  const [local, setLocal] = useState<FieldErrors>({})
  const [created, setCreated] = useState<OutgoingDocument | null>(null)
  const errors = hasErrors(local) ? local : serverFieldErrors(action.error, pick)
  const leaders = directory?.people.filter((p) => p.roles.includes('leader')) ?? []
  const signer = leaders.find((p) => p.id === signerId)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const found: FieldErrors = {}
    if (!file) found.file = t('outgoing.drafts.fileRequired')
    if (!subject.trim())
      found.subject = t('validation.required', { field: t('outgoing.drafts.subject').toLowerCase() })
    if (link && !reason.trim()) found.description = t('outgoing.link.reasonRequired')
    setLocal(found)
    if (hasErrors(found) || !file) return focusFirstInvalid(formRef.current)
    const form = new FormData()
    form.set('kind', kind)
    form.set('subject', subject.trim())
    if (link) {
      form.set(link.field, link.document.id)
      form.set('description', reason.trim())
    }
    if (signerId) {
      form.set('signerId', signerId)
      form.set('authorityPrefix', authority)
      if (signer?.positionName) form.set('signerPosition', signer.positionName)
    }
    const recipients = [
      ...(agency ? [{ organId: agency, channel }] : []),
      ...departments.map((departmentId) => ({ departmentId, purpose: 'handle' })),
    ]
    if (recipients.length > 0) form.set('recipients', JSON.stringify(recipients))
    form.set('file', file, file.name)
    setCreated(null)
    const result = await action.run(() => outgoingApi.create(form))
    if (!result.ok) return focusFirstInvalid(formRef.current)
    setCreated(result.value)
    setFile(null)
    setSubject('')
    setReason('')
    setDepartments([])
    setAgency('')
    formRef.current?.reset()
    onCreated(result.value)
  }
  const linkedNotation = link?.document.numberNotation ?? link?.document.subject ?? ''

  return (
    <section className="card" aria-labelledby="draft-new-title" data-testid="draft-new">
      <h2 id="draft-new-title" className="card__title">
        {link
          ? t(correcting ? 'outgoing.link.correctTitle' : 'outgoing.link.replaceTitle', {
              notation: linkedNotation,
            })
          : t('outgoing.drafts.new')}
      </h2>
      <p className="muted">{t('outgoing.drafts.intro')}</p>
      {link && (
        <p className="alert alert--info" data-testid="draft-link">
          {t(correcting ? 'outgoing.link.correctIntro' : 'outgoing.link.replaceIntro', {
            notation: linkedNotation,
          })}
          {errors[link.field] && (
            <span className="field__error" data-testid="error-draft-link">
              {' '}
              {errors[link.field]}
            </span>
          )}
        </p>
      )}
      {created && (
        <p className="alert alert--success" role="status" data-testid="draft-created">
          {t('outgoing.drafts.created', { subject: created.document.subject ?? '' })}{' '}
          <Link to={`/documents/${created.document.id}`} data-testid="draft-open">
            {t('outgoing.drafts.open')}
          </Link>
        </p>
      )}
      <form ref={formRef} className="form" noValidate onSubmit={(event) => void submit(event)}>
        <ProblemAlert
          error={action.error}
          shownFields={['file', 'subject', 'kind', 'description', ...(link ? [link.field] : [])]}
        />
        <div className="form__grid">
          <div className={errors.file ? 'field field--invalid' : 'field'}>
            <label htmlFor="draft-file" className="field__label">
              {t('outgoing.drafts.file')}
            </label>
            {errors.file && (
              <p id="draft-file-error" className="field__error" data-testid="error-draft-file">
                {errors.file}
              </p>
            )}
            <input
              id="draft-file"
              name="file"
              type="file"
              accept=".docx,.pdf,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
              className="input"
              aria-invalid={errors.file ? true : undefined}
              aria-describedby={errors.file ? 'draft-file-error' : undefined}
              onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            />
          </div>
          <SelectField
            name="kind"
            id="draft-kind"
            label={t('outgoing.drafts.kind')}
            value={kind}
            onChange={(event) => setKind(event.target.value)}
            error={errors.kind}
          >
            {(correcting ? [CORRECTION_KIND] : DOCUMENT_KINDS).map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </SelectField>
          <TextField
            name="subject"
            id="draft-subject"
            label={t('outgoing.drafts.subject')}
            value={subject}
            onChange={(event) => setSubject(event.target.value)}
            error={errors.subject}
          />
          {link && (
            <TextField
              name="description"
              id="draft-reason"
              label={t(correcting ? 'outgoing.link.correctReason' : 'outgoing.link.replaceReason')}
              value={reason}
              maxLength={2000}
              onChange={(event) => setReason(event.target.value)}
              error={errors.description}
            />
          )}
          <SelectField
            name="signerId"
            id="draft-signer"
            label={t('outgoing.drafts.signer')}
            value={signerId}
            onChange={(event) => setSignerId(event.target.value)}
            error={errors.signerId}
          >
            <option value="">{t('outgoing.choose')}</option>
            {leaders.map((p) => (
              <option key={p.id} value={p.id}>
                {[p.fullName, p.positionName].filter(Boolean).join(' — ')}
              </option>
            ))}
          </SelectField>
          <SelectField
            name="authorityPrefix"
            id="draft-authority"
            label={t('outgoing.drafts.authority')}
            value={authority}
            onChange={(event) => setAuthority(event.target.value)}
          >
            {AUTHORITIES.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </SelectField>
          <SelectField
            name="agency"
            id="draft-agency"
            label={t('outgoing.drafts.agency')}
            value={agency}
            onChange={(event) => setAgency(event.target.value)}
            error={errors.recipients}
          >
            <option value="">{t('outgoing.drafts.agencyNone')}</option>
            {agencies.map((a) => (
              <option key={a.id} value={a.organId}>
                {a.name} ({a.organId})
              </option>
            ))}
          </SelectField>
          <SelectField
            name="channel"
            id="draft-channel"
            label={t('outgoing.drafts.channel')}
            value={channel}
            onChange={(event) => setChannel(event.target.value)}
          >
            {EXTERNAL_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`outgoing.delivery.channel.${c}`)}
              </option>
            ))}
          </SelectField>
        </div>
        <CheckboxGroup id="draft-departments" legend={t('outgoing.drafts.departments')}>
          {(directory?.departments ?? []).map((d) => (
            <Checkbox
              key={d.id}
              id={`draft-department-${d.id}`}
              label={d.name}
              checked={departments.includes(d.id)}
              data-testid="draft-department"
              onChange={(event) =>
                setDepartments((list) =>
                  event.target.checked ? [...list, d.id] : list.filter((id) => id !== d.id),
                )
              }
            />
          ))}
        </CheckboxGroup>
        <div className="form-actions">
          <SubmitButton
            pending={action.pending}
            label={t('outgoing.drafts.create')}
            pendingLabel={t('outgoing.drafts.creating')}
            testId="draft-create"
          />
        </div>
      </form>
    </section>
  )
}
