import { recordsApi } from '../../api.ts'
import { useLoad } from '../../components/hooks.ts'
import { useI18n } from '../../i18n/index.tsx'
import { RecordFormDialog } from './RecordFormDialog.tsx'

/** "Vĩnh viễn" (any case, with or without diacritics) or a number of years. */
function parseRetention(text: string): { permanent: boolean; retentionYears?: number } | undefined {
  const plain = text.normalize('NFD').replace(/\p{M}/gu, '').trim().toLowerCase()
  if (!plain) return undefined
  if (plain === 'vinh vien' || plain === 'permanent') return { permanent: true }
  return { permanent: false, retentionYears: Number(plain.replace(/\s*nam$/, '')) }
}

/**
 * Mở hồ sơ: notation, title and retention — from a schedule entry, or a term with its reason. Archivists
 * and clerks may instead add it to the year's danh mục, to be opened by its first document.
 */
export function OpenRecordFileDialog({ year, canPlan, onClose, onDone }: { year: number; canPlan: boolean; onClose: () => void; onDone: (fileId: string) => void }) {
  const { t } = useI18n()
  const schedule = useLoad((signal) => recordsApi.retention(signal), [])
  const entries = (schedule.data ?? []).filter((entry) => entry.active)
  const years = (value: number | null) => (value === null ? t('records.permanent') : t('records.years', { years: value }))
  return (
    <RecordFormDialog
      title={t('records.open.title')}
      intro={t('records.open.intro', { year })}
      testId="record-open-dialog"
      submitLabel={t('records.open.submit')}
      onClose={onClose}
      fields={[
        { name: 'notation', label: t('records.open.notation'), required: true, hint: t('records.open.notationHint') },
        { name: 'title', label: t('records.col.title'), required: true },
        {
          name: 'retentionEntryId',
          label: t('records.open.entry'),
          type: 'select',
          options: [{ value: '', label: t('records.open.noEntry') }, ...entries.map((entry) => ({ value: entry.id, label: `${entry.code} — ${entry.title} (${years(entry.retentionYears)})` }))],
        },
        { name: 'retentionYears', label: t('records.col.retention'), hint: t('records.open.retentionHint') },
        { name: 'retentionReason', label: t('records.open.reason'), hint: t('records.open.reasonHint') },
        ...(canPlan
          ? [
              {
                name: 'planned',
                label: t('records.open.mode'),
                type: 'select' as const,
                options: [
                  { value: '', label: t('records.open.now') },
                  { value: 'planned', label: t('records.open.planned') },
                ],
              },
            ]
          : []),
      ]}
      onSubmit={async (values) => {
        const retention = parseRetention(values.retentionYears ?? '')
        const created = await recordsApi.openFile({
          year,
          notation: values.notation ?? '',
          title: values.title ?? '',
          ...(values.retentionEntryId ? { retentionEntryId: values.retentionEntryId } : {}),
          ...(retention ?? {}),
          ...(values.retentionReason ? { retentionReason: values.retentionReason } : {}),
          ...(values.planned ? { planned: true } : {}),
        })
        onDone(created.id)
      }}
    />
  )
}
