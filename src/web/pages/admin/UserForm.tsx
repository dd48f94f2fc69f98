import { type FormEvent, useState } from 'react'
import {
  adminApi,
  CLEARANCES,
  type Clearance,
  type Department,
  type Position,
  ROLES,
  type Role,
  type User,
  type UserChanges,
} from '../../api.ts'
import { ProblemAlert } from '../../components/feedback.tsx'
import {
  Checkbox,
  CheckboxGroup,
  type FieldErrors,
  focusFirstInvalid,
  hasErrors,
  PasswordField,
  requireFields,
  SelectField,
  SubmitButton,
  serverFieldErrors,
  TextField,
} from '../../components/forms.tsx'
import { useAction } from '../../components/hooks.ts'
import { type MessageKey, useI18n } from '../../i18n/index.tsx'
import { departmentTree, indentedName } from './department-tree.ts'

const FIELDS = [
  'username',
  'fullName',
  'email',
  'departmentId',
  'positionId',
  'roles',
  'clearance',
  'password',
] as const

interface Values {
  username: string
  fullName: string
  email: string
  departmentId: string
  positionId: string
  roles: Role[]
  clearance: string
  password: string
}

/**
 * Creates a user (no `user`) or edits one. Edits send only what changed; blank optional fields are
 * sent as null so an email or a department can be removed.
 */
export function UserForm({
  user,
  departments,
  positions,
  onSaved,
  onCancel,
}: {
  user?: User
  departments: Department[]
  positions: Position[]
  onSaved: (user: User) => void
  onCancel: () => void
}) {
  const { t, pick } = useI18n()
  const action = useAction()
  const [values, setValues] = useState<Values>({
    username: user?.username ?? '',
    fullName: user?.fullName ?? '',
    email: user?.email ?? '',
    departmentId: user?.departmentId ?? '',
    positionId: user?.positionId ?? '',
    roles: inRoleOrder(user?.roles ?? []),
    clearance: String(user?.clearance ?? 0),
    password: '',
  })
  const [clientErrors, setClientErrors] = useState<FieldErrors>({})
  const errors = hasErrors(clientErrors) ? clientErrors : serverFieldErrors(action.error, pick)
  // Inactive departments and positions are offered only when the user already has them.
  const departmentOptions = departmentTree(departments).filter(
    (n) => n.department.active || n.department.id === user?.departmentId,
  )
  const positionOptions = positions
    .filter((p) => p.active || p.id === user?.positionId)
    .sort((a, b) => a.name.localeCompare(b.name, 'vi'))

  const set = (name: Exclude<keyof Values, 'roles'>) => (event: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [name]: event.target.value }))
  const toggleRole = (role: Role, on: boolean) =>
    setValues((v) => ({
      ...v,
      roles: on ? inRoleOrder([...v.roles, role]) : v.roles.filter((r) => r !== role),
    }))

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const required: Record<string, MessageKey> = user
      ? { fullName: 'admin.users.field.fullName' }
      : {
          username: 'admin.users.field.username',
          fullName: 'admin.users.field.fullName',
          password: 'admin.users.field.password',
        }
    const { roles: _roles, ...texts } = values
    const missing = requireFields(texts, required, t)
    setClientErrors(missing)
    if (hasErrors(missing)) return focusFirstInvalid(form)
    const result = await action.run(() => (user ? update(user, values) : create(values)))
    if (result.ok) onSaved(result.value)
    else focusFirstInvalid(form)
  }

  const prefix = user ? 'user-edit' : 'user'
  return (
    <form onSubmit={submit} noValidate className="form" data-testid={`${prefix}-form`}>
      <ProblemAlert error={action.error} shownFields={FIELDS} />
      <div className="form__grid">
        {!user && (
          <TextField
            name="username"
            id={`${prefix}-username`}
            label={t('admin.users.field.username')}
            hint={t('admin.users.field.usernameHint')}
            value={values.username}
            onChange={set('username')}
            error={errors.username}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            required
          />
        )}
        <TextField
          name="fullName"
          id={`${prefix}-full-name`}
          label={t('admin.users.field.fullName')}
          value={values.fullName}
          onChange={set('fullName')}
          error={errors.fullName}
          autoComplete="off"
          required
        />
        <TextField
          name="email"
          id={`${prefix}-email`}
          type="email"
          label={t('admin.users.field.email')}
          value={values.email}
          onChange={set('email')}
          error={errors.email}
          autoComplete="off"
          spellCheck={false}
          optional
        />
        <SelectField
          name="departmentId"
          id={`${prefix}-department`}
          label={t('admin.users.field.department')}
          value={values.departmentId}
          onChange={set('departmentId')}
          error={errors.departmentId}
          optional
        >
          <option value="">{t('admin.users.field.notChosen')}</option>
          {departmentOptions.map((node) => (
            <option key={node.department.id} value={node.department.id}>
              {indentedName(node)}
            </option>
          ))}
        </SelectField>
        <SelectField
          name="positionId"
          id={`${prefix}-position`}
          label={t('admin.users.field.position')}
          value={values.positionId}
          onChange={set('positionId')}
          error={errors.positionId}
          optional
        >
          <option value="">{t('admin.users.field.notChosen')}</option>
          {positionOptions.map((position) => (
            <option key={position.id} value={position.id}>
              {position.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          name="clearance"
          id={`${prefix}-clearance`}
          label={t('admin.users.field.clearance')}
          hint={t('admin.users.field.clearanceHint')}
          value={values.clearance}
          onChange={set('clearance')}
          error={errors.clearance}
        >
          {CLEARANCES.map((level) => (
            <option key={level} value={level}>
              {t(`clearance.${level}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <CheckboxGroup
        id={`${prefix}-roles`}
        legend={t('admin.users.field.roles')}
        hint={t('admin.users.field.rolesHint')}
        error={errors.roles}
      >
        {ROLES.map((role) => (
          <Checkbox
            key={role}
            id={`${prefix}-role-${role}`}
            name="roles"
            value={role}
            label={t(`role.${role}`)}
            checked={values.roles.includes(role)}
            onChange={(e) => toggleRole(role, e.target.checked)}
          />
        ))}
      </CheckboxGroup>
      {!user && (
        <PasswordField
          name="password"
          id={`${prefix}-password`}
          label={t('admin.users.field.password')}
          hint={t('admin.users.field.passwordHint')}
          value={values.password}
          onChange={set('password')}
          error={errors.password}
          required
        />
      )}
      <div className="form-actions">
        <SubmitButton
          pending={action.pending}
          label={user ? t('common.save') : t('admin.users.create.submit')}
          testId={`${prefix}-submit`}
        />
        <button type="button" className="btn" onClick={onCancel} data-testid={`${prefix}-cancel`}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}

function create(values: Values): Promise<User> {
  return adminApi.createUser({
    username: values.username.trim(),
    fullName: values.fullName.trim(),
    email: values.email.trim() || undefined,
    departmentId: values.departmentId || undefined,
    positionId: values.positionId || undefined,
    roles: values.roles,
    clearance: Number(values.clearance) as Clearance,
    password: values.password,
  })
}

function update(user: User, values: Values): Promise<User> {
  const changes: UserChanges = {}
  const fullName = values.fullName.trim()
  const email = values.email.trim() || null
  const clearance = Number(values.clearance) as Clearance
  if (fullName !== user.fullName) changes.fullName = fullName
  if (email !== user.email) changes.email = email
  if ((values.departmentId || null) !== user.departmentId) changes.departmentId = values.departmentId || null
  if ((values.positionId || null) !== user.positionId) changes.positionId = values.positionId || null
  if (values.roles.join() !== inRoleOrder(user.roles).join()) changes.roles = values.roles
  if (clearance !== user.clearance) changes.clearance = clearance
  return Object.keys(changes).length ? adminApi.updateUser(user.id, changes) : Promise.resolve(user)
}

/** Roles in the order of the checkboxes, so "unchanged" compares equal whatever order the server used. */
function inRoleOrder(roles: readonly Role[]): Role[] {
  return ROLES.filter((role) => roles.includes(role))
}
