import { useState } from 'react'
import { recordsApi, type Role } from '../../api.ts'
import { EmptyState, ErrorState, LoadingState, ProblemAlert, SuccessMessage } from '../../components/feedback.tsx'
import { useAction, useLoad } from '../../components/hooks.ts'
import { PageHeader } from '../../components/PageHeader.tsx'
import { type MessageKey, useI18n } from '../../i18n/index.tsx'
import { Link } from '../../router.tsx'
import { useAuthenticated } from '../../session.tsx'
import { DispositionTab } from './DispositionTab.tsx'
import { HoldsTab } from './HoldsTab.tsx'
import { FilesTab } from './FilesTab.tsx'
import { PlanTab } from './PlanTab.tsx'
import { RetentionTab } from './RetentionTab.tsx'
import { RecordFormDialog } from './RecordFormDialog.tsx'
import { useRecordStatus } from './record-status.ts'

type Tab = 'files' | 'plans' | 'retention' | 'transfers' | 'access' | 'disposition' | 'holds' | 'fixity'
const TABS: { id: Tab; labelKey: MessageKey; roles: readonly Role[] | 'everyone' }[] = [
  { id: 'files', labelKey: 'records.tab.files', roles: 'everyone' },
  { id: 'plans', labelKey: 'records.tab.plans', roles: 'everyone' },
  { id: 'retention', labelKey: 'records.tab.retention', roles: 'everyone' },
  { id: 'transfers', labelKey: 'records.tab.transfers', roles: 'everyone' },
  { id: 'access', labelKey: 'records.tab.access', roles: 'everyone' },
  { id: 'disposition', labelKey: 'records.tab.disposition', roles: ['archivist', 'leader'] },
  { id: 'holds', labelKey: 'records.tab.holds', roles: ['archivist', 'admin', 'leader'] },
  { id: 'fixity', labelKey: 'records.tab.fixity', roles: ['archivist', 'admin'] },
]

/** Hồ sơ, lưu trữ: file plan and hồ sơ, nộp lưu, khai thác, xem xét hủy, phong tỏa, kiểm tra toàn vẹn — tabs by role. */
export function RecordsPage() {
  const { t } = useI18n()
  const { user } = useAuthenticated()
  const tabs = TABS.filter((tab) => tab.roles === 'everyone' || tab.roles.some((role) => user.roles.includes(role)))
  const [tab, setTab] = useState<Tab>('files')
  return (
    <div className="page" data-testid="page-records">
      <PageHeader title={t('nav.records')} />
      <div className="tabs" role="tablist" aria-label={t('nav.records')}>
        {tabs.map((item) => (
          <button
            key={item.id}
            type="button"
            role="tab"
            id={`records-tab-${item.id}`}
            aria-selected={tab === item.id}
            aria-controls="records-panel"
            className={tab === item.id ? 'tabs__tab tabs__tab--active' : 'tabs__tab'}
            onClick={() => setTab(item.id)}
            data-testid={`records-tab-${item.id}`}
          >
            {t(item.labelKey)}
          </button>
        ))}
      </div>
      <div className="tabs__panel" role="tabpanel" id="records-panel" aria-labelledby={`records-tab-${tab}`} data-testid={`records-panel-${tab}`}>
        {tab === 'files' && <FilesTab />}
        {tab === 'plans' && <PlanTab />}
        {tab === 'retention' && <RetentionTab />}
        {tab === 'transfers' && <TransfersTab canReceive={user.roles.includes('archivist')} />}
        {tab === 'access' && <AccessTab />}
        {tab === 'disposition' && <DispositionTab />}
        {tab === 'holds' && <HoldsTab />}
        {tab === 'fixity' && <FixityTab />}
      </div>
    </div>
  )
}

function TransfersTab({ canReceive }: { canReceive: boolean }) {
  const { t, formatDateTime } = useI18n()
  const status = useRecordStatus()
  const loaded = useLoad((signal) => recordsApi.transfers(signal), [])
  const action = useAction()
  const [received, setReceived] = useState(false)
  return (
    <>
      <ProblemAlert error={action.error} />
      <SuccessMessage message={received ? t('records.received') : null} testId="transfer-received" />
      {loaded.loading && <LoadingState />}
      {!loaded.loading && loaded.error && <ErrorState error={loaded.error} onRetry={loaded.reload} />}
      {!loaded.loading && loaded.data?.length === 0 && (
        <EmptyState>
          <p>{t('records.noTransfers')}</p>
        </EmptyState>
      )}
      {!loaded.loading && loaded.data && loaded.data.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="records-transfers">
            <thead>
              <tr>
                <th>{t('records.col.department')}</th>
                <th>{t('records.col.submitted')}</th>
                <th>{t('records.col.files')}</th>
                <th>{t('records.col.documents')}</th>
                <th>{t('records.col.status')}</th>
                <th>{t('records.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {loaded.data.map((transfer) => (
                <tr key={transfer.id} data-testid="transfer-row">
                  <td>{transfer.departmentName ?? ''}</td>
                  <td>{formatDateTime(transfer.submittedAt)}</td>
                  <td>{transfer.fileCount}</td>
                  <td>{transfer.documentCount}</td>
                  <td>{status(transfer.status)}</td>
                  <td>
                    <a className="btn btn--small" href={`/api/records/transfers/${encodeURIComponent(transfer.id)}/inventory.pdf`}>
                      {t('records.inventoryPdf')}
                    </a>
                    {transfer.status === 'received' && (
                      <a className="btn btn--small" href={`/api/records/transfers/${encodeURIComponent(transfer.id)}/receipt.pdf`}>
                        {t('records.receiptPdf')}
                      </a>
                    )}
                    {canReceive && transfer.status === 'submitted' && (
                      <button type="button" className="btn btn--small" data-testid="transfer-receive" disabled={action.pending} onClick={async () => {
                          if (!(await action.run(() => recordsApi.receive(transfer.id))).ok) return
                          setReceived(true)
                          loaded.reload()
                        }}>
                        {t('records.receive')}
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

function AccessTab() {
  const { t, formatDate } = useI18n()
  const status = useRecordStatus()
  const loaded = useLoad((signal) => recordsApi.accessRequests(signal), [])
  const action = useAction()
  const { user } = useAuthenticated()
  const mayDecide = user.roles.includes('archivist') || user.roles.includes('leader')
  const [refusing, setRefusing] = useState<string | null>(null)
  const approve = async (requestId: string) => {
    if ((await action.run(() => recordsApi.decideAccess(requestId, { approve: true }))).ok) loaded.reload()
  }
  return (
    <>
      <ProblemAlert error={action.error} />
      {refusing && (
        <RecordFormDialog
          title={t('records.refuse')}
          fields={[{ name: 'note', label: t('records.refuseReason'), type: 'textarea', required: true }]}
          submitLabel={t('records.refuse')}
          testId="access-refuse-dialog"
          onClose={() => setRefusing(null)}
          onSubmit={async (values) => {
            await recordsApi.decideAccess(refusing, { approve: false, note: values.note ?? '' })
            setRefusing(null)
            loaded.reload()
          }}
        />
      )}
      {loaded.loading && <LoadingState />}
      {!loaded.loading && loaded.error && <ErrorState error={loaded.error} onRetry={loaded.reload} />}
      {!loaded.loading && loaded.data?.length === 0 && (
        <EmptyState>
          <p>{t('records.noRequests')}</p>
        </EmptyState>
      )}
      {!loaded.loading && loaded.data && loaded.data.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="records-access">
            <thead>
              <tr>
                <th>{t('records.col.requester')}</th>
                <th>{t('records.col.target')}</th>
                <th>{t('records.col.purpose')}</th>
                <th>{t('records.col.until')}</th>
                <th>{t('records.col.status')}</th>
                <th>{t('records.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {loaded.data.map((request) => (
                <tr key={request.id} data-testid="access-row">
                  <td>{request.requesterName ?? ''}</td>
                  <td>
                    {request.recordFileId ? (
                      <Link to={`/records/files/${request.recordFileId}`} data-testid="access-target">
                        {request.target ?? ''}
                      </Link>
                    ) : request.documentId ? (
                      <Link to={`/documents/${request.documentId}`} data-testid="access-target">
                        {request.target ?? ''}
                      </Link>
                    ) : (
                      (request.target ?? '')
                    )}
                  </td>
                  <td>{request.purpose}</td>
                  <td>{formatDate(request.requestedUntil)}</td>
                  <td data-testid="access-status">
                    {status(request.status)}
                    {request.decisionNote ? ` — ${request.decisionNote}` : ''}
                  </td>
                  <td>
                    {request.status === 'pending' && mayDecide && request.requesterId !== user.id && (
                      <>
                        <button type="button" className="btn btn--small" data-testid="access-approve" disabled={action.pending} onClick={() => approve(request.id)}>
                          {t('records.approve')}
                        </button>
                        <button type="button" className="btn btn--small" data-testid="access-refuse" onClick={() => setRefusing(request.id)}>
                          {t('records.refuse')}
                        </button>
                      </>
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

function FixityTab() {
  const { t, formatDateTime } = useI18n()
  const loaded = useLoad((signal) => recordsApi.fixity(signal), [])
  if (loaded.loading) return <LoadingState />
  if (loaded.error) return <ErrorState error={loaded.error} onRetry={loaded.reload} />
  const report = loaded.data!
  return (
    <div data-testid="records-fixity">
      <p>{t('records.fixity.coverage', { checked: report.coverage.checkedInCycle, total: report.coverage.total, days: report.cycleDays, rate: report.maxMbPerSecond })}</p>
      {report.lastRun && <p>{t('records.fixity.lastRun', { at: formatDateTime(report.lastRun.startedAt), blobs: report.lastRun.blobsChecked, failures: report.lastRun.failures })}</p>}
      {report.failing.length === 0 ? (
        <p data-testid="fixity-ok">{t('records.fixity.ok')}</p>
      ) : (
        <ul data-testid="fixity-failing">
          {report.failing.map((failure) => (
            <li key={failure.blobKey}>
              {failure.blobKey}: {failure.problem}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
