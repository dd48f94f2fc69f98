import { useState } from 'react'
import { type RecordFileView, recordsApi, type Role } from '../../api.ts'
import { EmptyState, ErrorState, LoadingState, ProblemAlert } from '../../components/feedback.tsx'
import { useAction, useLoad } from '../../components/hooks.ts'
import { agencyYear } from '../../i18n/dates.ts'
import { useI18n } from '../../i18n/index.tsx'
import { Link, navigate } from '../../router.tsx'
import { useAuthenticated } from '../../session.tsx'
import { OpenRecordFileDialog } from './OpenRecordFileDialog.tsx'
import { useRecordStatus } from './record-status.ts'

/** Hồ sơ: the year's hồ sơ the caller may see, with record filters, quick actions and "Mở hồ sơ". */
export function FilesTab() {
  const { t, formatDate } = useI18n()
  const status = useRecordStatus()
  const [year, setYear] = useState(String(agencyYear()))
  const [q, setQ] = useState('')
  const [held, setHeld] = useState('')
  const loaded = useLoad((signal) => recordsApi.files({ year, q, held }, signal), [year, q, held])
  const action = useAction()
  const { user } = useAuthenticated()
  const [opening, setOpening] = useState(false)
  const canOpenFile = ['clerk', 'officer', 'leader', 'archivist'].some((role) => user.roles.includes(role as Role))
  const act = async (run: () => Promise<unknown>) => {
    if ((await action.run(run)).ok) loaded.reload()
  }
  return (
    <>
      {opening && (
        <OpenRecordFileDialog
          year={Number(year) || agencyYear()}
          canPlan={user.roles.includes('archivist') || user.roles.includes('clerk')}
          onClose={() => setOpening(false)}
          onDone={(fileId) => navigate(`/records/files/${fileId}`)}
        />
      )}
      <div className="toolbar">
        <label className="field">
          <span className="field__label">{t('records.year')}</span>
          <input id="records-year" name="year" inputMode="numeric" value={year} onChange={(e) => setYear(e.target.value.replace(/\D/g, '').slice(0, 4))} />
        </label>
        <label className="field">
          <span className="field__label">{t('records.search')}</span>
          <input id="records-q" name="q" value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
        <label className="field">
          <span className="field__label">{t('records.hold')}</span>
          <select id="records-held" value={held} onChange={(e) => setHeld(e.target.value)}>
            <option value="">{t('records.any')}</option>
            <option value="true">{t('records.held')}</option>
            <option value="false">{t('records.notHeld')}</option>
          </select>
        </label>
        {canOpenFile && (
          <button type="button" className="btn btn--primary" data-testid="record-open" onClick={() => setOpening(true)}>
            {t('records.open.title')}
          </button>
        )}
      </div>
      <ProblemAlert error={action.error} />
      {loaded.loading && <LoadingState />}
      {!loaded.loading && loaded.error && <ErrorState error={loaded.error} onRetry={loaded.reload} />}
      {!loaded.loading && loaded.data?.length === 0 && (
        <EmptyState testId="records-empty">
          <p>{t('records.noFiles')}</p>
        </EmptyState>
      )}
      {!loaded.loading && loaded.data && loaded.data.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="records-files">
            <thead>
              <tr>
                <th>{t('records.col.code')}</th>
                <th>{t('records.col.title')}</th>
                <th>{t('records.col.retention')}</th>
                <th>{t('records.col.period')}</th>
                <th>{t('records.col.documents')}</th>
                <th>{t('records.col.status')}</th>
                <th>{t('records.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {loaded.data.map((file: RecordFileView) => (
                <tr key={file.id} data-testid="record-file-row" data-code={file.fileCode}>
                  <td>{file.fileCode}</td>
                  <td>
                    <Link to={`/records/files/${file.id}`} data-testid="record-file-link">
                      {file.title}
                    </Link>
                    {file.held && <span className="badge" data-testid="record-held"> {t('records.held')}</span>}
                  </td>
                  <td>{file.retentionLabel}</td>
                  <td>{file.startDate ? `${formatDate(file.startDate)} – ${formatDate(file.endDate)}` : ''}</td>
                  <td>{file.filedCount ?? file.documentCount ?? 0}</td>
                  <td>{status(file.status === 'closed' && file.transferId ? 'submitted' : file.status)}</td>
                  <td>
                    {file.status === 'open' && (
                      <button type="button" className="btn btn--small" data-testid="record-close" disabled={action.pending} onClick={() => act(() => recordsApi.close(file.id))}>
                        {t('records.close')}
                      </button>
                    )}
                    {file.status === 'closed' && !file.transferId && (
                      <button type="button" className="btn btn--small" data-testid="record-transfer" disabled={action.pending} onClick={() => act(() => recordsApi.transfer([file.id]))}>
                        {t('records.transfer')}
                      </button>
                    )}
                    {file.status === 'transferred' && (
                      <a className="btn btn--small" data-testid="record-package" href={recordsApi.packageUrl(file.id)}>
                        {t('records.package')}
                      </a>
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
