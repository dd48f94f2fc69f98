import { type FormEvent, useState } from 'react'
import { adminApi, type User } from '../../api.ts'
import { Dialog } from '../../components/Dialog.tsx'
import { ProblemAlert } from '../../components/feedback.tsx'
import { focusFirstInvalid, PasswordField, SubmitButton, serverFieldErrors } from '../../components/forms.tsx'
import { useAction } from '../../components/hooks.ts'
import { useI18n } from '../../i18n/index.tsx'
import { rolesText } from '../../shell/Shell.tsx'

/** What a row button opens on the users page. */
export type UserDialog =
  | { kind: 'create' }
  | { kind: 'edit'; user: User }
  | { kind: 'password'; user: User }
  | { kind: 'sessions'; user: User }
  | { kind: 'deactivate'; user: User }

export function UsersTable({
  users,
  loading,
  onOpen,
  onActivate,
}: {
  users: User[]
  loading: boolean
  onOpen: (open: UserDialog) => void
  onActivate: (user: User) => void
}) {
  const { t } = useI18n()
  const none = t('common.none')
  return (
    <div className="table-wrap" aria-busy={loading || undefined}>
      <table className="table table--sticky-actions" data-testid="users-table">
        <thead>
          <tr>
            <th scope="col">
              {t('admin.users.col.fullName')}, {t('admin.users.col.username').toLocaleLowerCase()}
            </th>
            <th scope="col">
              {t('admin.users.col.department')}, {t('admin.users.col.position').toLocaleLowerCase()}
            </th>
            <th scope="col">{t('admin.users.col.roles')}</th>
            <th scope="col">{t('admin.users.col.clearance')}</th>
            <th scope="col">{t('admin.users.col.status')}</th>
            <th scope="col">{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr
              key={user.id}
              data-testid="user-row"
              data-username={user.username}
              className={user.active ? undefined : 'table__row--inactive'}
            >
              <th scope="row" className="table__name">
                <span className="table__primary">{user.fullName}</span>
                <span className="table__secondary mono">{user.username}</span>
              </th>
              <td className="table__org">
                <span className="table__primary">{user.departmentName ?? none}</span>
                {user.positionName && <span className="table__secondary">{user.positionName}</span>}
              </td>
              <td>{rolesText(user, t) || none}</td>
              <td>{t(`clearance.${user.clearance}`)}</td>
              <td>
                <span className={user.active ? 'badge badge--on' : 'badge badge--off'}>
                  {user.active ? t('admin.users.statusActive') : t('admin.users.statusInactive')}
                </span>
              </td>
              <td className="table__actions">
                <div className="row-actions row-actions--wrap">
                  <RowButton
                    label={t('common.edit')}
                    user={user}
                    testId="user-edit"
                    onClick={() => onOpen({ kind: 'edit', user })}
                  />
                  <RowButton
                    label={t('admin.users.resetPassword')}
                    user={user}
                    testId="user-reset-password"
                    onClick={() => onOpen({ kind: 'password', user })}
                  />
                  <RowButton
                    label={t('admin.users.endSessions')}
                    user={user}
                    testId="user-end-sessions"
                    onClick={() => onOpen({ kind: 'sessions', user })}
                  />
                  <RowButton
                    label={user.active ? t('admin.users.deactivate') : t('admin.users.activate')}
                    user={user}
                    testId="user-toggle-active"
                    danger={user.active}
                    onClick={() => (user.active ? onOpen({ kind: 'deactivate', user }) : onActivate(user))}
                  />{' '}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function RowButton({
  label,
  user,
  testId,
  danger = false,
  onClick,
}: {
  label: string
  user: User
  testId: string
  danger?: boolean
  onClick: () => void
}) {
  return (
    <button
      type="button"
      className={danger ? 'btn btn--small btn--danger-outline' : 'btn btn--small'}
      onClick={onClick}
      aria-label={`${label}: ${user.fullName}`}
      data-testid={testId}
    >
      {label}
    </button>
  )
}

export function ResetPasswordDialog({
  user,
  onClose,
  onDone,
}: {
  user: User
  onClose: () => void
  onDone: () => void
}) {
  const { t, pick } = useI18n()
  const action = useAction()
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string>()

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const invalid = password
      ? undefined
      : t('validation.required', { field: t('admin.users.resetPassword.new').toLocaleLowerCase() })
    setError(invalid)
    if (invalid) return focusFirstInvalid(form)
    const result = await action.run(() => adminApi.setUserPassword(user.id, password))
    if (result.ok) onDone()
    else focusFirstInvalid(form)
  }

  return (
    <Dialog
      title={t('admin.users.resetPassword.title', { name: user.fullName })}
      onClose={onClose}
      testId="password-dialog"
    >
      <form onSubmit={submit} noValidate className="form" data-testid="reset-password-form">
        <ProblemAlert error={action.error} shownFields={['password']} />
        <PasswordField
          name="password"
          id="reset-password"
          label={t('admin.users.resetPassword.new')}
          hint={t('admin.users.field.passwordHint')}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={error ?? serverFieldErrors(action.error, pick).password}
          required
        />
        <div className="form-actions">
          <SubmitButton
            pending={action.pending}
            label={t('admin.users.resetPassword.submit')}
            testId="reset-password-submit"
          />
          <button type="button" className="btn" onClick={onClose} data-testid="reset-password-cancel">
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
