import { type KeyboardEvent, useRef, useState } from 'react'
import { type DeadlineItem, type FollowUpScope, followupApi, type Role } from '../../api.ts'
import { EmptyState, ErrorState, LoadingState } from '../../components/feedback.tsx'
import { SelectField } from '../../components/forms.tsx'
import { useLoad } from '../../components/hooks.ts'
import { PageHeader } from '../../components/PageHeader.tsx'
import { type MessageKey, useI18n } from '../../i18n/index.tsx'
import { Link } from '../../router.tsx'
import { useAuthenticated } from '../../session.tsx'
import { statusLabel } from '../documents/labels.ts'

type Tab = 'overdue' | 'due-soon'
const TABS: { id: Tab; labelKey: MessageKey }[] = [
  { id: 'overdue', labelKey: 'followup.tab.overdue' },
  { id: 'due-soon', labelKey: 'followup.tab.dueSoon' },
]
const DUE_SOON_DAYS = 3

const SCOPE_LABELS: Record<FollowUpScope, MessageKey> = {
  me: 'followup.scope.me',
  department: 'followup.scope.department',
  agency: 'followup.scope.agency',
}

/** Scopes a user may pick: the whole agency for leaders, the department for leaders and clerks. */
export function scopesFor(roles: readonly Role[]): FollowUpScope[] {
  const scopes: FollowUpScope[] = ['me']
  if (roles.includes('leader') || roles.includes('clerk')) scopes.push('department')
  if (roles.includes('leader')) scopes.push('agency')
  return scopes
}

/** Theo dõi, đôn đốc: documents past their deadline and those due in the next days. */
export function FollowUpPage() {
  const { t } = useI18n()
  const { user } = useAuthenticated()
  const scopes = scopesFor(user.roles)
  const [tab, setTab] = useState<Tab>('overdue')
  const [scope, setScope] = useState<FollowUpScope>('me')
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ overdue: null, 'due-soon': null })

  const loaded = useLoad(
    (signal) =>
      tab === 'overdue'
        ? followupApi.overdue(scope, signal)
        : followupApi.dueSoon(scope, DUE_SOON_DAYS, signal),
    [tab, scope],
  )

  // Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation).
  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    const index = TABS.findIndex((item) => item.id === tab)
    let next: number | null = null
    if (event.key === 'ArrowRight') next = (index + 1) % TABS.length
    else if (event.key === 'ArrowLeft') next = (index - 1 + TABS.length) % TABS.length
    else if (event.key === 'Home') next = 0
    else if (event.key === 'End') next = TABS.length - 1
    if (next === null) return
    event.preventDefault()
    const target = TABS[next]
    if (!target) return
    setTab(target.id)
    tabRefs.current[target.id]?.focus()
  }

  return (
    <div className="page" data-testid="page-followup">
      <PageHeader title={t('nav.followup')} />
      <div className="followup-toolbar">
        <SelectField
          name="scope"
          id="followup-scope"
          label={t('followup.scope')}
          value={scope}
          onChange={(event) => setScope(event.target.value as FollowUpScope)}
          data-testid="followup-scope"
        >
          {scopes.map((value) => (
            <option key={value} value={value}>
              {t(SCOPE_LABELS[value])}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="tabs" role="tablist" aria-label={t('nav.followup')}>
        {TABS.map((item) => (
          <button
            key={item.id}
            ref={(element) => {
              tabRefs.current[item.id] = element
            }}
            type="button"
            role="tab"
            id={`followup-tab-${item.id}`}
            aria-selected={tab === item.id}
            aria-controls="followup-panel"
            tabIndex={tab === item.id ? 0 : -1}
            className={tab === item.id ? 'tabs__tab tabs__tab--active' : 'tabs__tab'}
            onClick={() => setTab(item.id)}
            onKeyDown={onTabKey}
            data-testid={`followup-tab-${item.id}`}
          >
            {t(item.labelKey)}
          </button>
        ))}
      </div>
      <div
        className="tabs__panel"
        role="tabpanel"
        id="followup-panel"
        aria-labelledby={`followup-tab-${tab}`}
        data-testid={`followup-panel-${tab}`}
      >
        {tab === 'due-soon' && (
          <p className="field__hint">{t('followup.dueSoonHint', { days: DUE_SOON_DAYS })}</p>
        )}
        {loaded.loading && <LoadingState />}
        {!loaded.loading && loaded.error && <ErrorState error={loaded.error} onRetry={loaded.reload} />}
        {!loaded.loading && loaded.data && loaded.data.items.length === 0 && (
          <EmptyState testId="followup-empty">
            <p>{t(tab === 'overdue' ? 'followup.emptyOverdue' : 'followup.emptyDueSoon')}</p>
          </EmptyState>
        )}
        {!loaded.loading && loaded.data && loaded.data.items.length > 0 && (
          <DeadlineTable items={loaded.data.items} tab={tab} />
        )}
      </div>
    </div>
  )
}

function DeadlineTable({ items, tab }: { items: DeadlineItem[]; tab: Tab }) {
  const { t, formatDate } = useI18n()
  return (
    <div className="table-wrap">
      <table className="table doc-table" data-testid="followup-table">
        <caption className="sr-only">
          {t(tab === 'overdue' ? 'followup.tab.overdue' : 'followup.tab.dueSoon')}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('doc.arrivalNumber')}</th>
            <th scope="col">{t('doc.numberNotation')}</th>
            <th scope="col">{t('doc.subject')}</th>
            <th scope="col">{t('followup.lead')}</th>
            <th scope="col">{t('doc.dueDate')}</th>
            <th scope="col">{t(tab === 'overdue' ? 'followup.daysOverdue' : 'followup.daysLeft')}</th>
            <th scope="col">{t('doc.status')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => {
            const lead = [item.leadDepartmentName, item.leadUserName].filter(Boolean).join(' / ')
            const late = item.daysOverdue > 0
            return (
              <tr key={item.documentId} data-testid="followup-row" data-id={item.documentId}>
                <td className="mono">{item.arrivalNumber ?? '—'}</td>
                <td>
                  <Link to={`/documents/${encodeURIComponent(item.documentId)}`} data-testid="followup-link">
                    {item.numberNotation || t('doc.noNumber')}
                  </Link>
                </td>
                <td className="doc-table__subject">{item.subject ?? '—'}</td>
                <td>{lead || '—'}</td>
                <td>{formatDate(item.deadline)}</td>
                <td className={late ? 'overdue' : undefined} data-testid="followup-days">
                  {late
                    ? t('followup.daysCount', { days: item.daysOverdue })
                    : item.daysOverdue === 0
                      ? t('followup.dueToday')
                      : t('followup.daysCount', { days: -item.daysOverdue })}
                </td>
                <td>
                  <span className={`status status--${item.status}`}>{statusLabel(t, item.status)}</span>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
