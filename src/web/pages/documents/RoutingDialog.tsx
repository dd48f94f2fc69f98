import { type FormEvent, type ReactNode, useRef, useState } from 'react'
import { documentsApi, type Recipient, type RoutingInput } from '../../api.ts'
import { RecordFileChoice } from '../records/RecordFileChoice.tsx'
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
import { useI18n } from '../../i18n/index.tsx'
import { useAuthenticated } from '../../session.tsx'
import { DirectionFields, type DirectionValues, splitIds } from './DirectionFields.tsx'
import type { Directory } from './directory.ts'
import { actionLabel } from './labels.ts'

/** What each action asks for. Ids are typed by hand: there is no user/department list for non-admins yet. */
const NEEDS = {
  leader: ['submit', 'forward'],
  user: ['reassign'],
  direct: ['direct'],
  deadline: ['direct', 'request-extension', 'grant-extension', 'reassign'],
  commentRequired: ['return', 'note', 'complete', 'request-extension'],
  progress: ['note'],
} as const

const has = (list: readonly string[], action: string) => list.includes(action)

const ids = splitIds

export function RoutingDialog({
  documentId,
  action,
  onClose,
  onDone,
  onStale,
  directory,
}: {
  directory: Directory | null
  documentId: string
  action: string
  onClose: () => void
  onDone: () => void
  /** The document moved on (409): the panel re-reads the state behind the dialog. */
  onStale: () => void
}) {
  const { t, pick } = useI18n()
  const { user } = useAuthenticated()
  const run = useAction()
  const formRef = useRef<HTMLFormElement>(null)
  const [values, setValues] = useState({
    comment: '',
    leaderId: '',
    userId: '',
    leadDepartmentId: '',
    leadUserId: '',
    cooperatingDepartments: '',
    cooperatingUsers: '',
    informedDepartments: '',
    informedUsers: '',
    deadline: '',
    progress: '',
    recordFileId: '',
  })
  const [errors, setErrors] = useState<FieldErrors>({})
  const set = (name: keyof typeof values) => (event: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [name]: event.target.value }))

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault()
    const local: FieldErrors = {}
    if (has(NEEDS.commentRequired, action) && !values.comment.trim())
      local.comment = t('routing.commentRequired')
    if (has(NEEDS.leader, action) && !values.leaderId.trim()) local.leaderId = t('routing.leaderRequired')
    if (has(NEEDS.user, action) && !values.userId.trim()) local.userId = t('routing.userRequired')
    if (has(NEEDS.direct, action) && !values.leadDepartmentId.trim() && !values.leadUserId.trim())
      local.lead = t('routing.leadRequired')
    if (values.progress && !/^(100|\d{1,2})$/.test(values.progress))
      local.progress = t('routing.progressInvalid')
    setErrors(local)
    if (hasErrors(local)) {
      focusFirstInvalid(formRef.current)
      return
    }
    const body: RoutingInput = {}
    if (values.comment.trim()) body.comment = values.comment.trim()
    if (has(NEEDS.leader, action)) body.leaderId = values.leaderId.trim()
    if (has(NEEDS.user, action)) body.userId = values.userId.trim()
    if (has(NEEDS.deadline, action) && values.deadline) body.deadline = values.deadline
    if (has(NEEDS.progress, action) && values.progress) body.progress = Number(values.progress)
    if (action === 'complete' && values.recordFileId) body.recordFileIds = [values.recordFileId]
    if (has(NEEDS.direct, action)) {
      const lead: Recipient = {}
      if (values.leadDepartmentId.trim()) lead.departmentId = values.leadDepartmentId.trim()
      if (values.leadUserId.trim()) lead.userId = values.leadUserId.trim()
      body.lead = lead
      const recipients = (departments: string, users: string): Recipient[] => [
        ...ids(departments).map((departmentId) => ({ departmentId })),
        ...ids(users).map((userId) => ({ userId })),
      ]
      const cooperating = recipients(values.cooperatingDepartments, values.cooperatingUsers)
      const informed = recipients(values.informedDepartments, values.informedUsers)
      if (cooperating.length) body.cooperating = cooperating
      if (informed.length) body.informed = informed
    }
    const result = await run.run(() => documentsApi.act(documentId, action, body))
    if (result.ok) {
      onDone()
      return
    }
    if (result.error?.status === 409) onStale()
    if (result.error) {
      setErrors(serverFieldErrors(result.error, pick))
      focusFirstInvalid(formRef.current)
    }
  }

  const allowed = run.error?.problem.allowedActions
  const shown = ['comment', 'leaderId', 'userId', 'lead', 'cooperating', 'informed', 'deadline', 'progress', 'recordFileIds']
  const idHint = directory ? undefined : t('routing.idHint')
  const leaders = directory?.people.filter((p) => p.roles.includes('leader')) ?? []
  const deptName = (id: string | null) => directory?.departmentName(id) ?? ''
  const personOption = (p: {
    id: string
    fullName: string
    positionName: string | null
    departmentId: string | null
  }) => (
    <option key={p.id} value={p.id}>
      {[p.fullName, p.positionName, deptName(p.departmentId)].filter(Boolean).join(' — ')}
    </option>
  )
  const pick1 = (
    name: keyof typeof values,
    id: string,
    label: string,
    options: ReactNode,
    error?: string,
    optional?: boolean,
  ) =>
    directory ? (
      <SelectField
        name={name}
        id={id}
        label={label}
        value={values[name]}
        onChange={set(name)}
        error={error}
        optional={optional}
      >
        <option value="">{t('routing.choose')}</option>
        {options}
      </SelectField>
    ) : (
      <TextField
        name={name}
        id={id}
        label={label}
        hint={idHint}
        value={values[name]}
        onChange={set(name)}
        error={error}
        optional={optional}
        autoComplete="off"
        spellCheck={false}
      />
    )
  const idField = (name: keyof typeof values, id: string, label: string, error?: string) => (
    <TextField
      name={name}
      id={id}
      label={label}
      value={values[name]}
      onChange={set(name)}
      error={error}
      optional
      autoComplete="off"
      spellCheck={false}
    />
  )
  const deadlineField = has(NEEDS.deadline, action) && (
    <TextField
      name="deadline"
      id="routing-deadline"
      type="date"
      label={action === 'request-extension' ? t('routing.requestedDeadline') : t('doc.dueDate')}
      value={values.deadline}
      onChange={set('deadline')}
      error={errors.deadline}
      optional={action === 'direct'}
    />
  )

  return (
    <Dialog
      title={actionLabel(t, action)}
      onClose={onClose}
      testId="routing-dialog"
      wide={action === 'direct'}
    >
      <form ref={formRef} className="form" noValidate onSubmit={(event) => void onSubmit(event)}>
        {action === 'start' && <p className="dialog__message">{t('routing.startConfirm')}</p>}
        {has(NEEDS.leader, action) &&
          pick1(
            'leaderId',
            'routing-leader-id',
            t('routing.leaderId'),
            leaders.map(personOption),
            errors.leaderId,
          )}
        {has(NEEDS.user, action) &&
          pick1(
            'userId',
            'routing-user-id',
            t('routing.userId'),
            directory?.people.map(personOption),
            errors.userId,
          )}
        {has(NEEDS.direct, action) && directory && (
          <DirectionFields
            directory={directory}
            selfId={user.id}
            values={values}
            onChange={(changes: Partial<DirectionValues>) => setValues((v) => ({ ...v, ...changes }))}
            leadError={errors.lead}
            deadlineField={deadlineField}
          />
        )}
        {has(NEEDS.direct, action) && !directory && (
          <>
            <p className="field__hint">{idHint}</p>
            <div className="form__grid">
              {pick1('leadDepartmentId', 'routing-lead-department', t('routing.leadDepartment'), null, errors.lead)}
              {pick1('leadUserId', 'routing-lead-user', t('routing.leadUser'), null)}
              {idField('cooperatingDepartments', 'routing-cooperating-departments', t('routing.cooperatingDepartments'), errors.cooperating)}
              {idField('cooperatingUsers', 'routing-cooperating-users', t('routing.cooperatingUsers'))}
              {idField('informedDepartments', 'routing-informed-departments', t('routing.informedDepartments'), errors.informed)}
              {idField('informedUsers', 'routing-informed-users', t('routing.informedUsers'))}
            </div>
            {deadlineField}
          </>
        )}
        {has(NEEDS.deadline, action) && action !== 'direct' && deadlineField}
        {has(NEEDS.progress, action) && (
          <TextField
            name="progress"
            id="routing-progress"
            type="number"
            min={0}
            max={100}
            inputMode="numeric"
            label={t('routing.progress')}
            value={values.progress}
            onChange={set('progress')}
            error={errors.progress}
            optional
          />
        )}
        <div className={errors.comment ? 'field field--invalid' : 'field'}>
          <label htmlFor="routing-comment" className="field__label">
            {action === 'direct' ? t('routing.directComment') : t('routing.comment')}
            {!has(NEEDS.commentRequired, action) && (
              <span className="field__optional"> {t('common.optional')}</span>
            )}
          </label>
          {errors.comment && (
            <p id="routing-comment-error" className="field__error" data-testid="error-routing-comment">
              {errors.comment}
            </p>
          )}
          <textarea
            id="routing-comment"
            name="comment"
            className="input"
            rows={3}
            maxLength={2000}
            value={values.comment}
            onChange={set('comment')}
            aria-invalid={errors.comment ? true : undefined}
            aria-describedby={errors.comment ? 'routing-comment-error' : undefined}
          />
        </div>
        {action === 'complete' && (
          <RecordFileChoice value={values.recordFileId} onChange={set('recordFileId')} error={errors.recordFileIds} />
        )}
        <ProblemAlert error={run.error} shownFields={shown} testId="routing-error" />
        {allowed && (
          <Alert kind="info" testId="routing-allowed">
            {allowed.length
              ? t('routing.allowedNow', { actions: allowed.map((a) => actionLabel(t, a)).join(', ') })
              : t('routing.noActions')}
          </Alert>
        )}
        <div className="form-actions">
          <SubmitButton pending={run.pending} label={actionLabel(t, action)} testId="routing-confirm" />
          <button type="button" className="btn" onClick={onClose} data-testid="routing-cancel">
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
