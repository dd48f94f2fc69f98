import { useState } from 'react'
import { type RecordFileDetail, recordsApi } from '../../api.ts'
import { ErrorState, LoadingState, ProblemAlert, SuccessMessage } from '../../components/feedback.tsx'
import { useAction, useLoad } from '../../components/hooks.ts'
import { PageHeader } from '../../components/PageHeader.tsx'
import { useI18n } from '../../i18n/index.tsx'
import { Link } from '../../router.tsx'
import { useAuthenticated } from '../../session.tsx'
import { type FormDialogField, RecordFormDialog } from './RecordFormDialog.tsx'
import { useRecordStatus } from './record-status.ts'

type Dialog = 'reopen' | 'hold' | 'access' | null

/** Today + `days` in Vietnam, as the date inputs want it. */
const inDays = (days: number) => new Date(Date.now() + 7 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10)

/**
 * One hồ sơ: its description, mục lục văn bản, and what the caller may do now — close, nộp lưu, reopen
 * with a reason, export the package, place a hold, or ask to read it (phiếu yêu cầu khai thác).
 */
export function RecordFilePage({ fileId }: { fileId: string }) {
  const { t } = useI18n()
  const loaded = useLoad((signal) => recordsApi.file(fileId, signal), [fileId])
  return (
    <div className="page" data-testid="page-record-file">
      <PageHeader title={loaded.data ? `${loaded.data.file.fileCode} — ${loaded.data.file.title}` : t('records.file.title')} />
      <p>
        <Link to="/records" data-testid="record-back">
          {t('records.file.back')}
        </Link>
      </p>
      {loaded.loading && !loaded.data && <LoadingState />}
      {loaded.error && <ErrorState error={loaded.error} onRetry={loaded.reload} />}
      {loaded.data && <RecordFileBody detail={loaded.data} reload={loaded.reload} />}
    </div>
  )
}

function RecordFileBody({ detail, reload }: { detail: RecordFileDetail; reload: () => void }) {
  const { t, formatDate } = useI18n()
  const status = useRecordStatus()
  const { user } = useAuthenticated()
  const { file, entries, hiddenCount, hold, canManage } = detail
  const action = useAction()
  const [dialog, setDialog] = useState<Dialog>(null)
  const [done, setDone] = useState<string | null>(null)
  const roles = user.roles
  const act = async (run: () => Promise<unknown>, message: string) => {
    setDone(null)
    if ((await action.run(run)).ok) {
      setDone(message)
      reload()
    }
  }
  const finish = (message: string) => {
    setDialog(null)
    setDone(message)
    reload()
  }
  const canExport = file.status === 'transferred' && (roles.includes('archivist') || roles.includes('leader'))
  const canHold = !hold && file.status !== 'destroyed' && (roles.includes('archivist') || roles.includes('admin') || roles.includes('leader'))
  const canAsk = file.status === 'transferred' && hiddenCount > 0
  // Nộp lưu sent, not yet received: the hồ sơ waits for the archive; nothing more to do here.
  const awaitingArchive = file.status === 'closed' && file.transferId !== null
  const shownStatus = awaitingArchive ? status('submitted') : status(file.status)
  const facts: [string, string][] = [
    [t('records.col.status'), shownStatus],
    [t('records.col.retention'), file.retentionLabel + (file.retentionReason ? ` (${file.retentionReason})` : '')],
    [t('records.file.department'), file.departmentName ?? ''],
    [t('records.file.keeper'), file.keeperName ?? ''],
    [t('records.col.period'), file.startDate ? `${formatDate(file.startDate)} – ${file.endDate ? formatDate(file.endDate) : '…'}` : ''],
    [t('records.col.documents'), String(file.documentCount ?? entries.length + hiddenCount)],
    [t('records.file.pages'), file.pageCount === null ? '' : String(file.pageCount)],
  ]
  if (file.reopenReason) facts.push([t('records.file.reopenReason'), file.reopenReason])
  if (hold) facts.push([t('records.hold'), hold.title])

  return (
    <>
      <dl className="summary" data-testid="record-facts">
        {facts.map(([label, value]) => (
          <div key={label} className="summary__row">
            <dt>{label}</dt>
            <dd data-testid={label === t('records.col.status') ? 'record-status' : undefined}>{value}</dd>
          </div>
        ))}
      </dl>
      <div className="toolbar" data-testid="record-actions">
        {canManage && file.status === 'open' && !hold && (
          <button type="button" className="btn btn--primary" data-testid="record-close" disabled={action.pending || entries.length === 0} onClick={() => act(() => recordsApi.close(file.id), t('records.file.closed'))}>
            {t('records.close')}
          </button>
        )}
        {canManage && file.status === 'closed' && !awaitingArchive && !hold && (
          <>
            <button type="button" className="btn btn--primary" data-testid="record-transfer" disabled={action.pending} onClick={() => act(() => recordsApi.transfer([file.id]), t('records.file.transferred'))}>
              {t('records.transfer')}
            </button>
            <button type="button" className="btn" data-testid="record-reopen" onClick={() => setDialog('reopen')}>
              {t('records.reopen')}
            </button>
          </>
        )}
        {canExport && (
          <a className="btn" data-testid="record-package" href={recordsApi.packageUrl(file.id)} download>
            {t('records.package')}
          </a>
        )}
        <a className="btn" data-testid="record-report" href={recordsApi.reportUrl(file.id)}>
          {t('records.file.report')}
        </a>
        {canHold && (
          <button type="button" className="btn" data-testid="record-hold" onClick={() => setDialog('hold')}>
            {t('records.hold.place')}
          </button>
        )}
        {canAsk && (
          <button type="button" className="btn btn--primary" data-testid="record-ask-access" onClick={() => setDialog('access')}>
            {t('records.access.ask')}
          </button>
        )}
      </div>
      <ProblemAlert error={action.error} />
      <SuccessMessage message={done} testId="record-done" />
      {hiddenCount > 0 && <p data-testid="record-hidden">{t('records.file.hidden', { count: hiddenCount })}</p>}
      <EntriesTable detail={detail} />
      {dialog && <FileDialog kind={dialog} fileId={file.id} onClose={() => setDialog(null)} onDone={finish} />}
    </>
  )
}

function EntriesTable({ detail }: { detail: RecordFileDetail }) {
  const { t, formatDate } = useI18n()
  if (detail.entries.length === 0) return <p data-testid="record-no-entries">{t('records.file.noEntries')}</p>
  return (
    <div className="table-wrap">
      <table className="table" data-testid="record-entries">
        <caption>{t('records.file.entries')}</caption>
        <thead>
          <tr>
            <th>{t('records.entry.ordinal')}</th>
            <th>{t('records.entry.number')}</th>
            <th>{t('records.entry.date')}</th>
            <th>{t('records.entry.subject')}</th>
            <th>{t('records.entry.sheets')}</th>
          </tr>
        </thead>
        <tbody>
          {detail.entries.map((entry) => (
            <tr key={entry.documentId} data-testid="record-entry">
              <td title={entry.docCode}>{entry.ordinal}</td>
              <td>{entry.numberNotation ?? ''}</td>
              <td>{formatDate(entry.issuedDate ?? entry.arrivalDate)}</td>
              <td>
                <Link to={`/documents/${entry.documentId}`} data-testid="record-entry-link">
                  {entry.subject || entry.kind || entry.docCode}
                </Link>
              </td>
              <td>{entry.pageFrom ? `${entry.pageFrom}–${entry.pageTo}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function FileDialog({ kind, fileId, onClose, onDone }: { kind: Exclude<Dialog, null>; fileId: string; onClose: () => void; onDone: (message: string) => void }) {
  const { t } = useI18n()
  const forms: Record<typeof kind, { title: string; fields: FormDialogField[]; submit: string; send: (v: Record<string, string>) => Promise<unknown>; done: string }> = {
    reopen: {
      title: t('records.reopen'),
      fields: [{ name: 'reason', label: t('records.reopen.reason'), type: 'textarea', required: true }],
      submit: t('records.reopen'),
      send: (v) => recordsApi.reopen(fileId, v.reason ?? ''),
      done: t('records.file.reopened'),
    },
    hold: {
      title: t('records.hold.place'),
      fields: [
        { name: 'title', label: t('records.hold.title'), required: true },
        { name: 'legalBasis', label: t('records.col.basis'), required: true, hint: t('records.hold.basisHint') },
        { name: 'reason', label: t('records.hold.reason'), type: 'textarea', required: true },
      ],
      submit: t('records.hold.place'),
      send: (v) => recordsApi.placeHold({ title: v.title ?? '', legalBasis: v.legalBasis ?? '', reason: v.reason ?? '', recordFileIds: [fileId] }),
      done: t('records.hold.placed'),
    },
    access: {
      title: t('records.access.ask'),
      fields: [
        { name: 'purpose', label: t('records.col.purpose'), type: 'textarea', required: true },
        { name: 'until', label: t('records.col.until'), type: 'date', required: true, initial: inDays(30), hint: t('records.access.untilHint') },
      ],
      submit: t('records.access.send'),
      send: (v) => recordsApi.requestAccess({ recordFileId: fileId, purpose: v.purpose ?? '', until: v.until ?? '' }),
      done: t('records.access.sent'),
    },
  }
  const form = forms[kind]
  return (
    <RecordFormDialog
      title={form.title}
      fields={form.fields}
      submitLabel={form.submit}
      testId={`record-${kind}-dialog`}
      onClose={onClose}
      onSubmit={async (values) => {
        await form.send(values)
        onDone(form.done)
      }}
    />
  )
}
