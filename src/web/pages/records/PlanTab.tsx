import { useState } from 'react'
import { recordsApi } from '../../api.ts'
import { EmptyState, ErrorState, LoadingState, ProblemAlert, SuccessMessage } from '../../components/feedback.tsx'
import { useAction, useLoad } from '../../components/hooks.ts'
import { agencyYear } from '../../i18n/dates.ts'
import { useI18n } from '../../i18n/index.tsx'
import { useAuthenticated } from '../../session.tsx'
import { RecordFormDialog } from './RecordFormDialog.tsx'

/**
 * Danh mục hồ sơ: one plan per year, made by copying last year's (then adjusted hồ sơ by hồ sơ),
 * approved by the head of the agency, printed as XLSX or PDF.
 */
export function PlanTab() {
  const { t, formatDate } = useI18n()
  const { user } = useAuthenticated()
  const loaded = useLoad((signal) => recordsApi.plans(signal), [])
  const action = useAction()
  const [creating, setCreating] = useState(false)
  const [done, setDone] = useState<string | null>(null)
  const canCreate = user.roles.includes('archivist') || user.roles.includes('clerk')
  const canApprove = user.roles.includes('leader')
  const plans = loaded.data ?? []
  const nextYear = plans.length ? Math.max(...plans.map((p) => p.year)) + 1 : agencyYear()
  const approve = async (year: number) => {
    setDone(null)
    if ((await action.run(() => recordsApi.approvePlan(year))).ok) {
      setDone(t('records.plan.approved', { year }))
      loaded.reload()
    }
  }
  return (
    <>
      {/* The year and the plan to copy are proposed from the loaded plans: wait for them. */}
      {canCreate && loaded.data && (
        <div className="toolbar">
          <button type="button" className="btn btn--primary" data-testid="plan-create" onClick={() => setCreating(true)}>
            {t('records.plan.create')}
          </button>
        </div>
      )}
      {creating && (
        <RecordFormDialog
          title={t('records.plan.create')}
          intro={t('records.plan.createIntro')}
          testId="plan-dialog"
          submitLabel={t('records.plan.create')}
          onClose={() => setCreating(false)}
          fields={[
            { name: 'year', label: t('records.year'), type: 'number', required: true, initial: String(nextYear) },
            {
              name: 'copyFromYear',
              label: t('records.plan.copyFrom'),
              type: 'select',
              initial: plans[0] ? String(plans[0].year) : '',
              options: [{ value: '', label: t('records.plan.noCopy') }, ...plans.map((p) => ({ value: String(p.year), label: t('records.plan.ofYear', { year: p.year, count: p.fileCount }) }))],
            },
          ]}
          onSubmit={async (values) => {
            const created = await recordsApi.createPlan({ year: Number(values.year), ...(values.copyFromYear ? { copyFromYear: Number(values.copyFromYear) } : {}) })
            setCreating(false)
            setDone(t('records.plan.created', { year: created.year, copied: created.copied }))
            loaded.reload()
          }}
        />
      )}
      <ProblemAlert error={action.error} />
      <SuccessMessage message={done} testId="plan-done" />
      {loaded.loading && <LoadingState />}
      {loaded.error && <ErrorState error={loaded.error} onRetry={loaded.reload} />}
      {!loaded.loading && plans.length === 0 && <EmptyState>{t('records.plan.none')}</EmptyState>}
      {plans.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="records-plans">
            <thead>
              <tr>
                <th>{t('records.year')}</th>
                <th>{t('records.col.title')}</th>
                <th>{t('records.col.files')}</th>
                <th>{t('records.col.status')}</th>
                <th>{t('records.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {plans.map((plan) => (
                <tr key={plan.id} data-testid="plan-row" data-year={plan.year}>
                  <td>{plan.year}</td>
                  <td>{plan.title}</td>
                  <td>{plan.fileCount}</td>
                  <td>{plan.approvedAt ? t('records.plan.approvedOn', { date: formatDate(plan.approvedAt) }) : t('records.plan.draft')}</td>
                  <td>
                    <a className="btn btn--small" href={recordsApi.planReportUrl(plan.year, 'xlsx')}>
                      XLSX
                    </a>
                    <a className="btn btn--small" href={recordsApi.planReportUrl(plan.year, 'pdf')}>
                      PDF
                    </a>
                    {canApprove && !plan.approvedAt && (
                      <button type="button" className="btn btn--small" data-testid="plan-approve" disabled={action.pending} onClick={() => approve(plan.year)}>
                        {t('records.approve')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
