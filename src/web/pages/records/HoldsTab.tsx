import { useState } from 'react'
import { recordsApi } from '../../api.ts'
import { EmptyState, ErrorState, LoadingState, SuccessMessage } from '../../components/feedback.tsx'
import { useLoad } from '../../components/hooks.ts'
import { useI18n } from '../../i18n/index.tsx'
import { useAuthenticated } from '../../session.tsx'
import { RecordFormDialog } from './RecordFormDialog.tsx'
import { useRecordStatus } from './record-status.ts'

/** Phong tỏa: the holds, and lifting one with a reason (placing one starts from the hồ sơ's page). */
export function HoldsTab() {
  const { t, formatDate } = useI18n()
  const status = useRecordStatus()
  const { user } = useAuthenticated()
  const loaded = useLoad((signal) => recordsApi.holds(signal), [])
  const [lifting, setLifting] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const canManage = ['admin', 'archivist', 'leader'].some((role) => user.roles.includes(role as 'admin'))
  if (loaded.loading && !loaded.data) return <LoadingState />
  if (loaded.error) return <ErrorState error={loaded.error} onRetry={loaded.reload} />
  return (
    <>
      <p className="field__hint">{t('records.hold.howTo')}</p>
      <SuccessMessage message={done} testId="hold-done" />
      {!loaded.data?.length && <EmptyState>{t('records.noHolds')}</EmptyState>}
      {lifting && (
        <RecordFormDialog
          title={t('records.hold.lift')}
          testId="hold-lift-dialog"
          submitLabel={t('records.hold.lift')}
          onClose={() => setLifting(null)}
          fields={[{ name: 'reason', label: t('records.hold.liftReason'), type: 'textarea', required: true }]}
          onSubmit={async (values) => {
            await recordsApi.liftHold(lifting, values.reason ?? '')
            setLifting(null)
            setDone(t('records.hold.lifted'))
            loaded.reload()
          }}
        />
      )}
      {loaded.data && loaded.data.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="records-holds">
            <thead>
              <tr>
                <th>{t('records.col.title')}</th>
                <th>{t('records.col.basis')}</th>
                <th>{t('records.col.placed')}</th>
                <th>{t('records.col.scope')}</th>
                <th>{t('records.col.status')}</th>
                {canManage && <th>{t('records.col.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {loaded.data.map((hold) => (
                <tr key={hold.id} data-testid="hold-row">
                  <td>{hold.title}</td>
                  <td>{hold.legalBasis}</td>
                  <td>{formatDate(hold.placedAt)}</td>
                  <td>{t('records.scope', { files: hold.fileItems, documents: hold.documentItems })}</td>
                  <td>{status(hold.status)}</td>
                  {canManage && (
                    <td>
                      {hold.status === 'active' && (
                        <button type="button" className="btn btn--small" data-testid="hold-lift" onClick={() => setLifting(hold.id)}>
                          {t('records.hold.lift')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
