import { type FormEvent, useState } from 'react'
import { adminApi, type Department } from '../../api.ts'
import { Dialog } from '../../components/Dialog.tsx'
import { ProblemAlert, SuccessMessage } from '../../components/feedback.tsx'
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
import { useAction, useLoad } from '../../components/hooks.ts'
import { PageHeader } from '../../components/PageHeader.tsx'
import { ResourceView } from '../../components/ResourceView.tsx'
import { useI18n } from '../../i18n/index.tsx'
import {
  type DepartmentNode,
  departmentTree,
  depthClass,
  indentedName,
  subtreeIds,
} from './department-tree.ts'

const FIELDS = ['name', 'abbreviation', 'parentId'] as const

/** Phòng ban: the tree of departments, with add, edit (dialog) and deactivate/reactivate. */
export function DepartmentsPage() {
  const { t } = useI18n()
  const departments = useLoad(() => adminApi.listDepartments(), [])
  const [editing, setEditing] = useState<Department | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const toggle = useAction()
  const items = departments.data?.items ?? []
  const tree = departmentTree(items)

  const setActive = async (department: Department, active: boolean) => {
    setMessage(null)
    const result = await toggle.run(() => adminApi.updateDepartment(department.id, { active }))
    if (!result.ok) return
    const key = active ? 'admin.departments.activated' : 'admin.departments.deactivated'
    setMessage(t(key, { name: department.name }))
    departments.reload()
  }

  return (
    <div className="page" data-testid="page-admin-departments">
      <PageHeader title={t('admin.departments.title')} />
      <SuccessMessage message={message} testId="departments-success" />
      <ProblemAlert error={toggle.error} testId="action-error" />
      <section className="card" aria-labelledby="department-create-title">
        <h2 id="department-create-title" className="card__title">
          {t('admin.departments.create.title')}
        </h2>
        <DepartmentForm
          tree={tree}
          onSaved={(saved) => {
            setMessage(t('admin.departments.created', { name: saved.name }))
            departments.reload()
          }}
        />
      </section>
      <section className="card" aria-labelledby="department-list-title">
        <h2 id="department-list-title" className="card__title">
          {t('admin.departments.list')}
        </h2>
        <ResourceView
          resource={departments}
          isEmpty={() => tree.length === 0}
          emptyTestId="departments-empty"
          empty={t('admin.departments.empty')}
        >
          {() => (
            <div className="table-wrap">
              <table className="table" data-testid="departments-table">
                <thead>
                  <tr>
                    <th scope="col">{t('admin.departments.name')}</th>
                    <th scope="col">{t('admin.departments.abbreviation')}</th>
                    <th scope="col">{t('common.status')}</th>
                    <th scope="col">{t('common.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {tree.map((node) => (
                    <DepartmentRow
                      key={node.department.id}
                      node={node}
                      onEdit={() => {
                        setMessage(null)
                        setEditing(node.department)
                      }}
                      onToggle={() => void setActive(node.department, !node.department.active)}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </ResourceView>
      </section>
      {editing && (
        <Dialog
          title={t('admin.departments.edit.title')}
          onClose={() => setEditing(null)}
          testId="department-dialog"
        >
          <DepartmentForm
            tree={tree}
            department={editing}
            onCancel={() => setEditing(null)}
            onSaved={(saved) => {
              setEditing(null)
              setMessage(t('admin.departments.updated', { name: saved.name }))
              departments.reload()
            }}
          />
        </Dialog>
      )}
    </div>
  )
}

function DepartmentRow({
  node,
  onEdit,
  onToggle,
}: {
  node: DepartmentNode
  onEdit: () => void
  onToggle: () => void
}) {
  const { t } = useI18n()
  const { department } = node
  return (
    <tr
      data-testid="department-row"
      data-id={department.id}
      className={department.active ? undefined : 'table__row--inactive'}
    >
      <td className={`tree-cell ${depthClass(node.depth)}`}>
        {node.depth > 0 && (
          <span className="tree-cell__marker" aria-hidden="true">
            └
          </span>
        )}
        {department.name}
        {node.parentName && (
          <span className="sr-only"> ({t('admin.departments.childOf', { name: node.parentName })})</span>
        )}
      </td>
      <td>{department.abbreviation}</td>
      <td>
        <span className={department.active ? 'badge badge--on' : 'badge badge--off'}>
          {department.active ? t('common.active') : t('common.inactive')}
        </span>
      </td>
      <td className="table__actions">
        <div className="row-actions">
          <button
            type="button"
            className="btn btn--small"
            onClick={onEdit}
            aria-label={`${t('common.edit')}: ${department.name}`}
            data-testid="department-edit"
          >
            {t('common.edit')}
          </button>
          <button
            type="button"
            className="btn btn--small"
            onClick={onToggle}
            aria-label={`${department.active ? t('common.deactivate') : t('common.activate')}: ${department.name}`}
            data-testid="department-toggle-active"
          >
            {department.active ? t('common.deactivate') : t('common.activate')}
          </button>{' '}
        </div>
      </td>
    </tr>
  )
}

/** Adds a department, or edits one when `department` is given (then it cannot move under itself). */
function DepartmentForm({
  tree,
  department,
  onSaved,
  onCancel,
}: {
  tree: DepartmentNode[]
  department?: Department
  onSaved: (department: Department) => void
  onCancel?: () => void
}) {
  const { t, pick } = useI18n()
  const action = useAction()
  const initial = {
    name: department?.name ?? '',
    abbreviation: department?.abbreviation ?? '',
    parentId: department?.parentId ?? '',
  }
  const [values, setValues] = useState(initial)
  const [clientErrors, setClientErrors] = useState<FieldErrors>({})
  const errors = hasErrors(clientErrors) ? clientErrors : serverFieldErrors(action.error, pick)
  const prefix = department ? 'department-edit' : 'department'
  const excluded = department
    ? subtreeIds(
        tree.map((n) => n.department),
        department.id,
      )
    : new Set<string>()
  const parents = tree.filter(
    (n) => !excluded.has(n.department.id) && (n.department.active || n.department.id === values.parentId),
  )

  const set = (name: keyof typeof initial) => (event: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [name]: event.target.value }))

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const missing = requireFields(
      values,
      { name: 'admin.departments.name', abbreviation: 'admin.departments.abbreviation' },
      t,
    )
    setClientErrors(missing)
    if (hasErrors(missing)) return focusFirstInvalid(form)
    const name = values.name.trim()
    const abbreviation = values.abbreviation.trim()
    const result = await action.run(() => {
      if (!department) {
        return adminApi.createDepartment({ name, abbreviation, parentId: values.parentId || undefined })
      }
      const changes: Parameters<typeof adminApi.updateDepartment>[1] = {}
      if (name !== department.name) changes.name = name
      if (abbreviation !== department.abbreviation) changes.abbreviation = abbreviation
      if ((values.parentId || null) !== department.parentId) changes.parentId = values.parentId || null
      return Object.keys(changes).length
        ? adminApi.updateDepartment(department.id, changes)
        : Promise.resolve(department)
    })
    if (!result.ok) return focusFirstInvalid(form)
    if (!department) setValues(initial)
    onSaved(result.value)
  }

  return (
    <form onSubmit={submit} noValidate className="form" data-testid={`${prefix}-form`}>
      <ProblemAlert error={action.error} shownFields={FIELDS} />
      <div className="form__grid">
        <TextField
          name="name"
          id={`${prefix}-name`}
          label={t('admin.departments.name')}
          value={values.name}
          onChange={set('name')}
          error={errors.name}
          required
        />
        <TextField
          name="abbreviation"
          id={`${prefix}-abbreviation`}
          label={t('admin.departments.abbreviation')}
          hint={t('admin.departments.abbreviationHint')}
          value={values.abbreviation}
          onChange={set('abbreviation')}
          error={errors.abbreviation}
          spellCheck={false}
          required
        />
        <SelectField
          name="parentId"
          id={`${prefix}-parent`}
          label={t('admin.departments.parent')}
          value={values.parentId}
          onChange={set('parentId')}
          error={errors.parentId}
        >
          <option value="">{t('admin.departments.noParent')}</option>
          {parents.map((node) => (
            <option key={node.department.id} value={node.department.id}>
              {indentedName(node)}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="form-actions">
        <SubmitButton
          pending={action.pending}
          label={department ? t('common.save') : t('admin.departments.create.submit')}
          testId={`${prefix}-submit`}
        />
        {onCancel && (
          <button type="button" className="btn" onClick={onCancel} data-testid={`${prefix}-cancel`}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  )
}
