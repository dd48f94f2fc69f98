import { type FormEvent, useEffect, useRef, useState } from 'react'
import { adminApi, type Position } from '../../api.ts'
import { ProblemAlert, SuccessMessage } from '../../components/feedback.tsx'
import { focusFirstInvalid, SubmitButton, serverFieldErrors, TextField } from '../../components/forms.tsx'
import { useAction, useLoad } from '../../components/hooks.ts'
import { PageHeader } from '../../components/PageHeader.tsx'
import { ResourceView } from '../../components/ResourceView.tsx'
import { useI18n } from '../../i18n/index.tsx'

/** Chức vụ: a flat list with add, rename in place and retire/reuse. */
export function PositionsPage() {
  const { t } = useI18n()
  const positions = useLoad(() => adminApi.listPositions(), [])
  const [renaming, setRenaming] = useState<string | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const toggle = useAction()
  const items = [...(positions.data?.items ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'vi'))

  const setActive = async (position: Position, active: boolean) => {
    setMessage(null)
    const result = await toggle.run(() => adminApi.updatePosition(position.id, { active }))
    if (!result.ok) return
    setMessage(
      t(active ? 'admin.positions.activated' : 'admin.positions.deactivated', { name: position.name }),
    )
    positions.reload()
  }

  return (
    <div className="page" data-testid="page-admin-positions">
      <PageHeader title={t('admin.positions.title')} />
      <SuccessMessage message={message} testId="positions-success" />
      <ProblemAlert error={toggle.error} testId="action-error" />
      <section className="card" aria-labelledby="position-create-title">
        <h2 id="position-create-title" className="card__title">
          {t('admin.positions.create.title')}
        </h2>
        <CreatePositionForm
          onCreated={(position) => {
            setMessage(t('admin.positions.created', { name: position.name }))
            positions.reload()
          }}
        />
      </section>
      <section className="card" aria-labelledby="position-list-title">
        <h2 id="position-list-title" className="card__title">
          {t('admin.positions.list')}
        </h2>
        <ResourceView
          resource={positions}
          isEmpty={(data) => data.items.length === 0}
          emptyTestId="positions-empty"
          empty={t('admin.positions.empty')}
        >
          {() => (
            <div className="table-wrap">
              <table className="table" data-testid="positions-table">
                <thead>
                  <tr>
                    <th scope="col">{t('admin.positions.name')}</th>
                    <th scope="col">{t('common.status')}</th>
                    <th scope="col">{t('common.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((position) =>
                    renaming === position.id ? (
                      <RenameRow
                        key={position.id}
                        position={position}
                        onDone={(renamed) => {
                          setRenaming(null)
                          if (!renamed) return
                          setMessage(t('admin.positions.renamed', { name: renamed.name }))
                          positions.reload()
                        }}
                      />
                    ) : (
                      <tr
                        key={position.id}
                        data-testid="position-row"
                        data-id={position.id}
                        className={position.active ? undefined : 'table__row--inactive'}
                      >
                        <td>{position.name}</td>
                        <td>
                          <span className={position.active ? 'badge badge--on' : 'badge badge--off'}>
                            {position.active
                              ? t('admin.positions.statusActive')
                              : t('admin.positions.statusInactive')}
                          </span>
                        </td>
                        <td className="table__actions">
                          <div className="row-actions">
                            <button
                              type="button"
                              className="btn btn--small"
                              onClick={() => {
                                setMessage(null)
                                setRenaming(position.id)
                              }}
                              aria-label={`${t('admin.positions.rename')}: ${position.name}`}
                              data-testid="position-rename"
                            >
                              {t('admin.positions.rename')}
                            </button>
                            <button
                              type="button"
                              className="btn btn--small"
                              onClick={() => void setActive(position, !position.active)}
                              aria-label={`${position.active ? t('admin.positions.deactivate') : t('admin.positions.activate')}: ${position.name}`}
                              data-testid="position-toggle-active"
                            >
                              {position.active
                                ? t('admin.positions.deactivate')
                                : t('admin.positions.activate')}
                            </button>{' '}
                          </div>
                        </td>
                      </tr>
                    ),
                  )}
                </tbody>
              </table>
            </div>
          )}
        </ResourceView>
      </section>
    </div>
  )
}

function CreatePositionForm({ onCreated }: { onCreated: (position: Position) => void }) {
  const { t, pick } = useI18n()
  const action = useAction()
  const [name, setName] = useState('')
  const [error, setError] = useState<string>()

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const invalid = name.trim()
      ? undefined
      : t('validation.required', { field: t('admin.positions.name').toLocaleLowerCase() })
    setError(invalid)
    if (invalid) return focusFirstInvalid(form)
    const result = await action.run(() => adminApi.createPosition(name.trim()))
    if (!result.ok) return focusFirstInvalid(form)
    setName('')
    onCreated(result.value)
  }

  return (
    <form onSubmit={submit} noValidate className="form form--inline" data-testid="position-form">
      <ProblemAlert error={action.error} shownFields={['name']} />
      <div className="form__row">
        <TextField
          name="name"
          id="position-name"
          label={t('admin.positions.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={error ?? serverFieldErrors(action.error, pick).name}
          required
        />
        <div className="form__row-action">
          <SubmitButton
            pending={action.pending}
            label={t('admin.positions.create.submit')}
            testId="position-submit"
          />
        </div>
      </div>
    </form>
  )
}

/** The row turned into a one-field form: Enter saves, Escape or "Hủy" puts the row back. */
function RenameRow({ position, onDone }: { position: Position; onDone: (renamed: Position | null) => void }) {
  const { t, pick } = useI18n()
  const action = useAction()
  const [name, setName] = useState(position.name)
  const inputRef = useRef<HTMLInputElement>(null)

  useEffect(() => {
    inputRef.current?.focus()
  }, [])

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const trimmed = name.trim()
    if (!trimmed || trimmed === position.name) return onDone(null)
    const result = await action.run(() => adminApi.updatePosition(position.id, { name: trimmed }))
    if (result.ok) onDone(result.value)
  }

  return (
    <tr data-testid="position-row" data-id={position.id} className="table__row--editing">
      <td colSpan={3}>
        <form onSubmit={submit} noValidate className="form form--inline" data-testid="position-rename-form">
          <ProblemAlert error={action.error} shownFields={['name']} />
          <div className="form__row">
            <TextField
              name="name"
              id="position-rename-name"
              label={t('admin.positions.newName', { name: position.name })}
              value={name}
              onChange={(e) => setName(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') onDone(null)
              }}
              onFocus={(e) => e.target.select()}
              error={serverFieldErrors(action.error, pick).name}
              ref={inputRef}
              required
            />
            <div className="form__row-action">
              <SubmitButton
                pending={action.pending}
                label={t('common.save')}
                testId="position-rename-submit"
              />
              <button
                type="button"
                className="btn"
                onClick={() => onDone(null)}
                data-testid="position-rename-cancel"
              >
                {t('common.cancel')}
              </button>
            </div>
          </div>
        </form>
      </td>
    </tr>
  )
}
