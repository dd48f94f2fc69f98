import type { ReactNode } from 'react'
import type { DirectoryPerson } from '../../api.ts'
import { Checkbox, SelectField } from '../../components/forms.tsx'
import { useI18n } from '../../i18n/index.tsx'
import type { Directory } from './directory.ts'

/** The direction's recipients as the dialog keeps them: ids, several joined by commas. */
export interface DirectionValues {
  leadDepartmentId: string
  leadUserId: string
  cooperatingDepartments: string
  cooperatingUsers: string
  informedDepartments: string
  informedUsers: string
}

export const splitIds = (text: string): string[] =>
  text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean)

/** Whom a leader can give a document to: officers and leaders, never the one directing it. */
const handlers = (directory: Directory, selfId: string) =>
  directory.people.filter(
    (p) => p.id !== selfId && (p.roles.includes('officer') || p.roles.includes('leader')),
  )

/**
 * "Ý kiến chỉ đạo": the lead unit, its people only as lead person, a sentence saying who leads, and
 * checkable lists (names wrap, nothing to Ctrl-click) for co-operating and informed units and people.
 */
export function DirectionFields({
  directory,
  selfId,
  values,
  onChange,
  leadError,
  deadlineField,
}: {
  directory: Directory
  selfId: string
  values: DirectionValues
  onChange: (changes: Partial<DirectionValues>) => void
  leadError?: string | undefined
  deadlineField: ReactNode
}) {
  const { t } = useI18n()
  const unitName = (id: string | null) => directory.departmentName(id) ?? ''
  const people = handlers(directory, selfId)
  const leadCandidates = values.leadDepartmentId
    ? people.filter((p) => p.departmentId === values.leadDepartmentId)
    : people
  const personLabel = (p: DirectoryPerson, withUnit: boolean) =>
    [p.fullName, p.positionName, withUnit ? unitName(p.departmentId) : null].filter(Boolean).join(' — ')

  const chooseLeadUnit = (leadDepartmentId: string) => {
    const person = people.find((p) => p.id === values.leadUserId)
    const keepPerson = !leadDepartmentId || person?.departmentId === leadDepartmentId
    onChange({ leadDepartmentId, ...(keepPerson ? {} : { leadUserId: '' }) })
  }

  const others = (kind: 'cooperating' | 'informed') => {
    const unitsKey = kind === 'cooperating' ? 'cooperatingDepartments' : 'informedDepartments'
    const usersKey = kind === 'cooperating' ? 'cooperatingUsers' : 'informedUsers'
    const toggle = (key: typeof unitsKey | typeof usersKey, id: string, on: boolean) => {
      const rest = splitIds(values[key]).filter((x) => x !== id)
      onChange({ [key]: (on ? [...rest, id] : rest).join(',') })
    }
    const units = directory.departments.filter((d) => d.id !== values.leadDepartmentId)
    const persons = people.filter((p) => p.id !== values.leadUserId)
    return (
      <CheckList
        id={`routing-${kind}`}
        legend={kind === 'cooperating' ? t('routing.cooperating') : t('routing.informed')}
        groups={[
          {
            label: t('routing.units'),
            items: units.map((d) => ({ id: d.id, label: d.name })),
            checked: splitIds(values[unitsKey]),
            toggle: (id, on) => toggle(unitsKey, id, on),
          },
          {
            label: t('routing.people'),
            items: persons.map((p) => ({ id: p.id, label: personLabel(p, true) })),
            checked: splitIds(values[usersKey]),
            toggle: (id, on) => toggle(usersKey, id, on),
          },
        ]}
      />
    )
  }

  return (
    <>
      <div className="direction__lead">
        <SelectField
          name="leadDepartmentId"
          id="routing-lead-department"
          label={t('routing.leadDepartment')}
          value={values.leadDepartmentId}
          onChange={(event) => chooseLeadUnit(event.target.value)}
          error={leadError}
        >
          <option value="">{t('routing.choose')}</option>
          {directory.departments.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          name="leadUserId"
          id="routing-lead-user"
          label={t('routing.leadUser')}
          value={values.leadUserId}
          onChange={(event) => onChange({ leadUserId: event.target.value })}
          optional
        >
          <option value="">{values.leadDepartmentId ? t('routing.leadUnitDecides') : t('routing.choose')}</option>
          {leadCandidates.map((p) => (
            <option key={p.id} value={p.id}>
              {personLabel(p, !values.leadDepartmentId)}
            </option>
          ))}
        </SelectField>
        {deadlineField}
      </div>
      <LeadSummary directory={directory} values={values} />
      <div className="direction__others">
        {others('cooperating')}
        {others('informed')}
      </div>
    </>
  )
}

/** One sentence saying who will lead, so a unit and a person chosen together is no surprise. */
function LeadSummary({ directory, values }: { directory: Directory; values: DirectionValues }) {
  const { t } = useI18n()
  const person = directory.people.find((p) => p.id === values.leadUserId)
  const unit = directory.departmentName(values.leadDepartmentId)
  const personUnit = directory.departmentName(person?.departmentId)
  const text = person
    ? t(personUnit ? 'routing.leadSummary.person' : 'routing.leadSummary.personNoUnit', {
        person: person.fullName,
        unit: personUnit ?? '',
      })
    : unit
      ? t('routing.leadSummary.unit', { unit })
      : t('routing.leadSummary.none')
  return (
    <p className="direction__summary" role="status" data-testid="routing-lead-summary">
      {text}
    </p>
  )
}

interface CheckGroup {
  label: string
  items: { id: string; label: string }[]
  checked: string[]
  toggle: (id: string, on: boolean) => void
}

/** A bordered list of checkboxes in groups; long names wrap instead of being cut. */
function CheckList({ id, legend, groups }: { id: string; legend: string; groups: CheckGroup[] }) {
  const { t } = useI18n()
  const count = groups.reduce((sum, g) => sum + g.checked.length, 0)
  return (
    <fieldset className="checklist" data-testid={id}>
      <legend className="field__label">
        {legend}
        <span className="field__optional">
          {' '}
          {count > 0 ? t('routing.checkedCount', { count }) : t('common.optional')}
        </span>
      </legend>
      <div className="checklist__box">
        {groups.map((group) => (
          <div key={group.label} className="checklist__group">
            <p className="checklist__group-title">{group.label}</p>
            {group.items.map((item) => (
              <Checkbox
                key={item.id}
                id={`${id}-${item.id}`}
                value={item.id}
                label={item.label}
                checked={group.checked.includes(item.id)}
                onChange={(event) => group.toggle(item.id, event.target.checked)}
              />
            ))}
          </div>
        ))}
      </div>
    </fieldset>
  )
}
