import { useState } from 'react'
import { type DisposalView, recordsApi } from '../../api.ts'
import { ConfirmDialog } from '../../components/Dialog.tsx'
import { EmptyState, ErrorState, LoadingState, SuccessMessage } from '../../components/feedback.tsx'
import { useLoad } from '../../components/hooks.ts'
import { useI18n } from '../../i18n/index.tsx'
import { useAuthenticated } from '../../session.tsx'
import { RecordFormDialog } from './RecordFormDialog.tsx'
import { useRecordStatus } from './record-status.ts'

/**
 * Xem xét hủy: the archivist proposes hồ sơ past their retention, the head of the agency records the
 * appraisal council's decision, then the archivist destroys them (biên bản hủy as PDF).
 */
export function DispositionTab() {
  const { user } = useAuthenticated()
  const isArchivist = user.roles.includes('archivist')
  const [version, setVersion] = useState(0)
  return (
    <>
      {isArchivist && <DueList onProposed={() => setVersion((v) => v + 1)} />}
      <Disposals version={version} canApprove={user.roles.includes('leader')} canExecute={isArchivist} />
    </>
  )
}

function DueList({ onProposed }: { onProposed: () => void }) {
  const { t, formatDate } = useI18n()
  const loaded = useLoad((signal) => recordsApi.disposalDue(signal), [])
  const [chosen, setChosen] = useState<Set<string>>(new Set())
  const [proposing, setProposing] = useState(false)
  if (loaded.loading) return <LoadingState />
  if (loaded.error) return <ErrorState error={loaded.error} onRetry={loaded.reload} />
  if (!loaded.data?.length) return <EmptyState>{t('records.noDisposal')}</EmptyState>
  const toggle = (id: string) =>
    setChosen((previous) => {
      const next = new Set(previous)
      if (!next.delete(id)) next.add(id)
      return next
    })
  return (
    <>
      <div className="table-wrap">
        <table className="table" data-testid="records-disposition">
          <thead>
            <tr>
              <th>{t('records.disposal.choose')}</th>
              <th>{t('records.col.code')}</th>
              <th>{t('records.col.title')}</th>
              <th>{t('records.col.retention')}</th>
              <th>{t('records.col.eligible')}</th>
              <th>{t('records.hold')}</th>
            </tr>
          </thead>
          <tbody>
            {loaded.data.map(({ file, eligibleFrom, hold }) => (
              <tr key={file.id} data-testid="disposal-due-row">
                <td>
                  <input type="checkbox" aria-label={file.fileCode} data-testid="disposal-choose" disabled={hold !== null} checked={chosen.has(file.id)} onChange={() => toggle(file.id)} />
                </td>
                <td>{file.fileCode}</td>
                <td>{file.title}</td>
                <td>{file.retentionLabel}</td>
                <td>{formatDate(eligibleFrom)}</td>
                <td>{hold?.title ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="toolbar">
        <button type="button" className="btn btn--primary" data-testid="disposal-propose" disabled={chosen.size === 0} onClick={() => setProposing(true)}>
          {t('records.disposal.propose', { count: chosen.size })}
        </button>
      </div>
      {proposing && (
        <RecordFormDialog
          title={t('records.disposal.proposeTitle')}
          testId="disposal-propose-dialog"
          submitLabel={t('records.disposal.proposeTitle')}
          onClose={() => setProposing(false)}
          fields={[{ name: 'reason', label: t('records.hold.reason'), type: 'textarea', required: true, initial: t('records.disposal.defaultReason') }]}
          onSubmit={async (values) => {
            await recordsApi.proposeDisposal({ recordFileIds: [...chosen], reason: values.reason ?? '' })
            setProposing(false)
            setChosen(new Set())
            loaded.reload()
            onProposed()
          }}
        />
      )}
    </>
  )
}

function Disposals({ version, canApprove, canExecute }: { version: number; canApprove: boolean; canExecute: boolean }) {
  const { t, formatDate } = useI18n()
  const status = useRecordStatus()
  const loaded = useLoad((signal) => recordsApi.disposals(signal), [version])
  const [approving, setApproving] = useState<DisposalView | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const [executing, setExecuting] = useState<DisposalView | null>(null)
  if (loaded.loading && !loaded.data) return <LoadingState />
  if (loaded.error) return <ErrorState error={loaded.error} onRetry={loaded.reload} />
  if (!loaded.data?.length) return null
  return (
    <>
      <h2 className="section-title">{t('records.disposal.list')}</h2>
      <SuccessMessage message={done} testId="disposal-done" />
      <div className="table-wrap">
        <table className="table" data-testid="records-disposals">
          <thead>
            <tr>
              <th>{t('records.disposal.proposed')}</th>
              <th>{t('records.col.files')}</th>
              <th>{t('records.disposal.decision')}</th>
              <th>{t('records.col.status')}</th>
              <th>{t('records.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {loaded.data.map((disposal) => (
              <tr key={disposal.id} data-testid="disposal-row">
                <td>{formatDate(disposal.proposedAt)}</td>
                <td>{(disposal.files ?? []).join(', ')}</td>
                <td>{disposal.decisionNumber ? `${disposal.decisionNumber} (${formatDate(disposal.decisionDate)})` : ''}</td>
                <td>{status(disposal.status)}</td>
                <td>
                  {canApprove && disposal.status === 'proposed' && (
                    <button type="button" className="btn btn--small" data-testid="disposal-approve" onClick={() => setApproving(disposal)}>
                      {t('records.disposal.approve')}
                    </button>
                  )}
                  {canExecute && disposal.status === 'approved' && (
                    <button type="button" className="btn btn--small btn--danger" data-testid="disposal-execute" onClick={() => setExecuting(disposal)}>
                      {t('records.disposal.execute')}
                    </button>
                  )}
                  {disposal.destroyedAt && (
                    <a className="btn btn--small" href={`/api/records/disposals/${encodeURIComponent(disposal.id)}/certificate.pdf`}>
                      {t('records.disposal.certificate')}
                    </a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {executing && (
        <ConfirmDialog
          message={t('records.disposal.executeConfirm')}
          confirmLabel={t('records.disposal.execute')}
          danger
          onClose={() => setExecuting(null)}
          onConfirm={async () => {
            await recordsApi.executeDisposal(executing.id)
            setExecuting(null)
            setDone(t('records.disposal.executed'))
            loaded.reload()
          }}
        />
      )}
      {approving && (
        <RecordFormDialog
          title={t('records.disposal.approve')}
          intro={t('records.disposal.approveIntro')}
          testId="disposal-approve-dialog"
          submitLabel={t('records.disposal.approve')}
          onClose={() => setApproving(null)}
          fields={[
            { name: 'decisionNumber', label: t('records.disposal.decisionNumber'), required: true },
            { name: 'decisionDate', label: t('records.disposal.decisionDate'), type: 'date', required: true },
            { name: 'councilMembers', label: t('records.disposal.council'), type: 'textarea' },
          ]}
          onSubmit={async (v) => {
            await recordsApi.approveDisposal(approving.id, { decisionNumber: v.decisionNumber ?? '', decisionDate: v.decisionDate ?? '', ...(v.councilMembers ? { councilMembers: v.councilMembers } : {}) })
            setApproving(null)
            setDone(t('records.disposal.approved'))
            loaded.reload()
          }}
        />
      )}
    </>
  )
}
