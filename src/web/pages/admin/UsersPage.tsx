import { type FormEvent, useEffect, useState } from 'react'
import { adminApi, type User } from '../../api.ts'
import { ConfirmDialog, Dialog } from '../../components/Dialog.tsx'
import { ErrorState, LoadingState, ProblemAlert, SuccessMessage } from '../../components/feedback.tsx'
import { useAction, useLoad } from '../../components/hooks.ts'
import { PageHeader } from '../../components/PageHeader.tsx'
import { ResourceView } from '../../components/ResourceView.tsx'
import { useI18n } from '../../i18n/index.tsx'
import { UserForm } from './UserForm.tsx'
import { ResetPasswordDialog, type UserDialog, UsersTable } from './UsersTable.tsx'

const SEARCH_DELAY_MS = 300

/** Người dùng: search, add, edit, reset password, end sessions, lock and unlock. */
export function UsersPage() {
  const { t } = useI18n()
  const [search, setSearch] = useState('')
  const [query, setQuery] = useState('')
  const users = useLoad((signal) => adminApi.listUsers(query, signal), [query])
  const departments = useLoad(() => adminApi.listDepartments(), [])
  const positions = useLoad(() => adminApi.listPositions(), [])
  const [open, setOpen] = useState<UserDialog | null>(null)
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

  const start = (next: UserDialog) => {
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
        <ResourceView
          resource={users}
          isEmpty={(data) => data.items.length === 0}
          emptyTestId="users-empty"
          empty={query ? t('admin.users.noResults', { q: query }) : t('admin.users.empty')}
        >
          {() => (
            <UsersTable
              users={items}
              loading={users.loading}
              onOpen={start}
              onActivate={(u) => void activate(u)}
            />
          )}
        </ResourceView>
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
