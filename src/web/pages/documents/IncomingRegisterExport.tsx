import { useState } from 'react'
import { incomingRegisterExportUrl } from '../../api.ts'
import { TextField } from '../../components/forms.tsx'
import { useI18n } from '../../i18n/index.tsx'

/** YYYY-MM-DD in the browser's local time zone. */
function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

const DAY = /^\d{4}-\d{2}-\d{2}$/

/** "In sổ văn bản đến": download the incoming register for a date range as Excel or PDF. */
export function IncomingRegisterExport() {
  const { t } = useI18n()
  const today = new Date()
  const [from, setFrom] = useState(() => isoDay(new Date(today.getFullYear(), today.getMonth(), 1)))
  const [to, setTo] = useState(() => isoDay(today))

  const fromError = DAY.test(from) ? undefined : t('registerExport.dateRequired')
  const toError = !DAY.test(to)
    ? t('registerExport.dateRequired')
    : !fromError && from > to
      ? t('registerExport.rangeInvalid')
      : undefined
  const valid = !fromError && !toError

  return (
    <section
      className="card register-export"
      aria-labelledby="register-export-title"
      data-testid="register-export"
    >
      <h2 id="register-export-title" className="card__title">
        {t('registerExport.title')}
      </h2>
      <div className="register-export__fields">
        <TextField
          name="from"
          id="register-from"
          type="date"
          label={t('registerExport.from')}
          value={from}
          max={DAY.test(to) ? to : undefined}
          onChange={(event) => setFrom(event.target.value)}
          error={fromError}
        />
        <TextField
          name="to"
          id="register-to"
          type="date"
          label={t('registerExport.to')}
          value={to}
          min={DAY.test(from) ? from : undefined}
          onChange={(event) => setTo(event.target.value)}
          error={toError}
        />
      </div>
      <div className="form-actions">
        {valid ? (
          <>
            <a
              className="btn"
              href={incomingRegisterExportUrl(from, to, 'xlsx')}
              download
              data-testid="register-export-xlsx"
            >
              {t('registerExport.xlsx')}
            </a>
            <a
              className="btn"
              href={incomingRegisterExportUrl(from, to, 'pdf')}
              download
              data-testid="register-export-pdf"
            >
              {t('registerExport.pdf')}
            </a>
          </>
        ) : (
          <p className="field__hint">{t('registerExport.fixDates')}</p>
        )}
      </div>
    </section>
  )
}
