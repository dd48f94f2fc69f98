import { type FormEvent, useEffect, useState } from 'react'
import { adminApi, type User } from '../../api.ts'
import { ConfirmDialog, Dialog } from '../../components/Dialog.tsx'
import {
  EmptyState,
  ErrorState,
  LoadingState,
  ProblemAlert,
  SuccessMessage,
} from '../../components/feedback.tsx'
import { focusFirstInvalid, PasswordField, SubmitButton, serverFieldErrors } from '../../components/forms.tsx'
import { useAction, useLoad } from '../../components/hooks.ts'
import { PageHeader } from '../../components/PageHeader.tsx'
import { useI18n } from '../../i18n/index.tsx'
import { rolesText } from '../../shell/Shell.tsx'
import { UserForm } from './UserForm.tsx'

type Open =
  | { kind: 'create' }
  | { kind: 'edit'; user: User }
  | { kind: 'password'; user: User }
  | { kind: 'sessions'; user: User }
  | { kind: 'deactivate'; user: User }

const SEARCH_DELAY_MS = 300

/** Người dùng: search, add, edit, reset password, end sessions, lock and unlock. */
export function UsersPage() {
  const { t } = useI18n()
  const [search, setSearch] = useState('')
  const [query, setQuery] = useState('')
  const users = useLoad((signal) => adminApi.listUsers(query, signal), [query])
  const departments = useLoad(() => adminApi.listDepartments(), [])
  const positions = useLoad(() => adminApi.listPositions(), [])
  const [open, setOpen] = useState<Open | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const unlock = useAction()

  // Results follow typing after a short pause; Enter searches at once.
  useEffect(() => {
    const timer = setTimeout(() => setQuery(search.trim()), SEARCH_DELAY_MS)
    return () => clearTimeout(timer)
  }, [search])

  const done = (text: string) => {
    setOpen(null)
    setMessage(text)
    users.reload()
  }

  const start = (next: Open) => {
    setMessage(null)
    unlock.reset()
    setOpen(next)
  }

  const activate = async (user: User) => {
    setMessage(null)
    const result = await unlock.run(() => adminApi.updateUser(user.id, { active: true }))
    if (result.ok) done(t('admin.users.activated', { name: user.fullName }))
  }

  const items = users.data?.items ?? []
  return (
    <div className="page" data-testid="page-admin-users">
      <PageHeader title={t('admin.users.title')}>
        <button
          type="button"
          className="btn btn--primary"
          onClick={() => start({ kind: 'create' })}
          data-testid="user-create-open"
        >
          {t('admin.users.create.open')}
        </button>
      </PageHeader>
      <SuccessMessage message={message} testId="users-success" />
      <ProblemAlert error={unlock.error} testId="action-error" />
      <search>
        <form
          className="search"
          onSubmit={(event: FormEvent) => {
            event.preventDefault()
            setQuery(search.trim())
          }}
        >
          <label htmlFor="user-search" className="field__label">
            {t('admin.users.search')}
          </label>
          <div className="search__row">
            <input
              id="user-search"
              name="q"
              type="search"
              className="input"
              placeholder={t('admin.users.searchHint')}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              autoComplete="off"
              data-testid="user-search"
            />
            <button type="submit" className="btn" data-testid="user-search-submit">
              {t('admin.users.searchSubmit')}
            </button>
          </div>
        </form>
      </search>
      <section className="card" aria-labelledby="user-list-title">
        <h2 id="user-list-title" className="card__title">
          {t('admin.users.list')}
          {users.data && (
            <span className="card__count"> · {t('admin.users.count', { n: items.length })}</span>
          )}
        </h2>
        {users.error ? (
          <ErrorState error={users.error} onRetry={users.reload} />
        ) : !users.data ? (
          <LoadingState />
        ) : items.length === 0 ? (
          <EmptyState testId="users-empty">
            {query ? t('admin.users.noResults', { q: query }) : t('admin.users.empty')}
          </EmptyState>
        ) : (
          <UsersTable
            users={items}
            loading={users.loading}
            onOpen={start}
            onActivate={(u) => void activate(u)}
          />
        )}
      </section>
      {(open?.kind === 'create' || open?.kind === 'edit') && (
        <Dialog
          title={
            open.kind === 'edit'
              ? t('admin.users.edit.title', { name: open.user.fullName })
              : t('admin.users.create.title')
          }
          onClose={() => setOpen(null)}
          testId="user-dialog"
          wide
        >
          {departments.error || positions.error ? (
            <ErrorState
              error={(departments.error ?? positions.error)!}
              onRetry={() => {
                departments.reload()
                positions.reload()
              }}
            />
          ) : !departments.data || !positions.data ? (
            <LoadingState />
          ) : (
            <UserForm
              user={open.kind === 'edit' ? open.user : undefined}
              departments={departments.data.items}
              positions={positions.data.items}
              onCancel={() => setOpen(null)}
              onSaved={(saved) =>
                done(
                  open.kind === 'edit'
                    ? t('admin.users.updated', { name: saved.fullName })
                    : t('admin.users.created', { username: saved.username }),
                )
              }
            />
          )}
        </Dialog>
      )}
      {open?.kind === 'password' && (
        <ResetPasswordDialog
          user={open.user}
          onClose={() => setOpen(null)}
          onDone={() => done(t('admin.users.resetPassword.done', { name: open.user.fullName }))}
        />
      )}
      {open?.kind === 'sessions' && (
        <ConfirmDialog
          message={t('admin.users.endSessions.confirm', { name: open.user.fullName })}
          confirmLabel={t('admin.users.endSessions')}
          danger
          onClose={() => setOpen(null)}
          onConfirm={async () => {
            await adminApi.revokeUserSessions(open.user.id)
            done(t('admin.users.endSessions.done', { name: open.user.fullName }))
          }}
        />
      )}
      {open?.kind === 'deactivate' && (
        <ConfirmDialog
          message={t('admin.users.deactivate.confirm', { name: open.user.fullName })}
          confirmLabel={t('admin.users.deactivate')}
          danger
          onClose={() => setOpen(null)}
          onConfirm={async () => {
            await adminApi.updateUser(open.user.id, { active: false })
            done(t('admin.users.deactivated', { name: open.user.fullName }))
          }}
        />
      )}
    </div>
  )
}

function UsersTable({
  users,
  loading,
  onOpen,
  onActivate,
}: {
  users: User[]
  loading: boolean
  onOpen: (open: Open) => void
  onActivate: (user: User) => void
}) {
  const { t } = useI18n()
  const none = t('common.none')
  return (
    <div className="table-wrap" aria-busy={loading || undefined}>
      <table className="table" data-testid="users-table">
        <thead>
          <tr>
            <th scope="col">{t('admin.users.col.fullName')}</th>
            <th scope="col">{t('admin.users.col.username')}</th>
            <th scope="col">{t('admin.users.col.department')}</th>
            <th scope="col">{t('admin.users.col.position')}</th>
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
                {user.fullName}
              </th>
              <td className="mono">{user.username}</td>
              <td>{user.departmentName ?? none}</td>
              <td>{user.positionName ?? none}</td>
              <td>{rolesText(user, t) || none}</td>
              <td>{t(`clearance.${user.clearance}`)}</td>
              <td>
                <span className={user.active ? 'badge badge--on' : 'badge badge--off'}>
                  {user.active ? t('admin.users.statusActive') : t('admin.users.statusInactive')}
                </span>
              </td>
              <td className="table__actions">
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
                />
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

function ResetPasswordDialog({
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
