import type { ChangeEvent } from 'react'
import { recordsApi } from '../../api.ts'
import { SelectField } from '../../components/forms.tsx'
import { useLoad } from '../../components/hooks.ts'
import { useI18n } from '../../i18n/index.tsx'

/**
 * Lập hồ sơ while completing a document: the open (or planned) hồ sơ of the officer's department this
 * year. Optional — a document may be filed later from the hồ sơ page — but asked every time, as ND30 wants.
 */
export function RecordFileChoice({
  value,
  onChange,
  error,
}: {
  value: string
  onChange: (event: ChangeEvent<HTMLSelectElement>) => void
  error?: string | undefined
}) {
  const { t } = useI18n()
  const choices = useLoad((signal) => recordsApi.fileChoices(signal), [])
  const files = choices.data ?? []
  return (
    <SelectField
      name="recordFileId"
      id="routing-record-file"
      label={t('records.fileInto')}
      hint={choices.loading ? t('records.fileIntoLoading') : files.length === 0 ? t('records.fileIntoNone') : t('records.fileIntoHint')}
      value={value}
      onChange={onChange}
      error={error}
      optional
      disabled={files.length === 0}
    >
      <option value="">{t('records.fileIntoLater')}</option>
      {files.map((file) => (
        <option key={file.id} value={file.id}>
          {`${file.fileCode} — ${file.title}`}
        </option>
      ))}
    </SelectField>
  )
}
