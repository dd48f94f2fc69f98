import { useState } from 'react'
import { type RetentionEntryView, recordsApi } from '../../api.ts'
import { EmptyState, ErrorState, LoadingState, SuccessMessage } from '../../components/feedback.tsx'
import { useLoad } from '../../components/hooks.ts'
import { useI18n } from '../../i18n/index.tsx'
import { useAuthenticated } from '../../session.tsx'
import { RecordFormDialog } from './RecordFormDialog.tsx'

const CSV_EXAMPLE = 'TT 10/2022/TT-BNV;1.1;Tài liệu tổng hợp;Hồ sơ hội nghị tổng kết năm;Vĩnh viễn;'

/**
 * Bảng thời hạn bảo quản as data: admins and archivists import the agency's schedule (CSV, one row a
 * line: source;code;group;title;years or Vĩnh viễn;notes) and correct single entries.
 */
export function RetentionTab() {
  const { t } = useI18n()
  const { user } = useAuthenticated()
  const loaded = useLoad((signal) => recordsApi.retention(signal), [])
  const [importing, setImporting] = useState(false)
  const [editing, setEditing] = useState<RetentionEntryView | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const canManage = user.roles.includes('admin') || user.roles.includes('archivist')
  const years = (value: number | null) => (value === null ? t('records.permanent') : t('records.years', { years: value }))
  return (
    <>
      {canManage && (
        <div className="toolbar">
          <button type="button" className="btn btn--primary" data-testid="retention-import" onClick={() => setImporting(true)}>
            {t('records.retention.import')}
          </button>
        </div>
      )}
      {importing && (
        <RecordFormDialog
          title={t('records.retention.import')}
          intro={t('records.retention.importIntro', { example: CSV_EXAMPLE })}
          testId="retention-import-dialog"
          submitLabel={t('records.retention.import')}
          onClose={() => setImporting(false)}
          fields={[{ name: 'csv', label: 'CSV', type: 'textarea', required: true }]}
          onSubmit={async (values) => {
            const result = await recordsApi.importRetention(values.csv ?? '')
            setImporting(false)
            setDone(t('records.retention.imported', result))
            loaded.reload()
          }}
        />
      )}
      {editing && (
        <RecordFormDialog
          title={t('records.retention.edit')}
          testId="retention-edit-dialog"
          submitLabel={t('common.save')}
          onClose={() => setEditing(null)}
          fields={[
            { name: 'source', label: t('records.retention.source'), required: true, initial: editing.source },
            { name: 'code', label: t('records.retention.code'), required: true, initial: editing.code },
            { name: 'groupTitle', label: t('records.retention.group'), initial: editing.groupTitle ?? '' },
            { name: 'title', label: t('records.col.title'), required: true, initial: editing.title },
            { name: 'retentionYears', label: t('records.col.retention'), hint: t('records.open.retentionHint'), initial: editing.retentionYears === null ? t('records.permanent') : String(editing.retentionYears) },
            { name: 'notes', label: t('records.retention.notes'), initial: editing.notes ?? '' },
            { name: 'active', label: t('records.retention.active'), type: 'select', initial: editing.active ? 'true' : 'false', options: [{ value: 'true', label: t('records.retention.inUse') }, { value: 'false', label: t('records.retention.retired') }] },
          ]}
          onSubmit={async (v) => {
            const plain = (v.retentionYears ?? '').normalize('NFD').replace(/\p{M}/gu, '').trim().toLowerCase()
            await recordsApi.updateRetention(editing.id, {
              source: v.source ?? '',
              code: v.code ?? '',
              groupTitle: v.groupTitle || null,
              title: v.title ?? '',
              retentionYears: plain === 'vinh vien' ? null : Number(plain.replace(/\s*nam$/, '')),
              notes: v.notes || null,
              active: v.active === 'true',
            })
            setEditing(null)
            setDone(t('records.retention.saved'))
            loaded.reload()
          }}
        />
      )}
      <SuccessMessage message={done} testId="retention-done" />
      {loaded.loading && <LoadingState />}
      {loaded.error && <ErrorState error={loaded.error} onRetry={loaded.reload} />}
      {!loaded.loading && loaded.data?.length === 0 && <EmptyState>{t('records.retention.none')}</EmptyState>}
      {loaded.data && loaded.data.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="records-retention">
            <thead>
              <tr>
                <th>{t('records.retention.code')}</th>
                <th>{t('records.retention.group')}</th>
                <th>{t('records.col.title')}</th>
                <th>{t('records.col.retention')}</th>
                <th>{t('records.retention.source')}</th>
                {canManage && <th>{t('records.col.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {loaded.data.map((entry) => (
                <tr key={entry.id} data-testid="retention-row" className={entry.active ? undefined : 'row--muted'}>
                  <td>{entry.code}</td>
                  <td>{entry.groupTitle ?? ''}</td>
                  <td>{entry.title}</td>
                  <td>{years(entry.retentionYears)}</td>
                  <td>{entry.source}</td>
                  {canManage && (
                    <td>
                      <button type="button" className="btn btn--small" data-testid="retention-edit" onClick={() => setEditing(entry)}>
                        {t('records.retention.edit')}
                      </button>
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
