import { type FormEvent, useState } from 'react'
import type { SignaturePlacement } from '../../api.ts'
import { SelectField, TextField } from '../../components/forms.tsx'
import { type MessageKey, useI18n } from '../../i18n/index.tsx'

export const POSITIONS = ['bottom-right', 'bottom-left', 'top-right'] as const
export type Position = (typeof POSITIONS)[number]

const POSITION_KEYS: Record<Position, MessageKey> = {
  'bottom-right': 'signing.place.bottom-right',
  'bottom-left': 'signing.place.bottom-left',
  'top-right': 'signing.place.top-right',
}

/** A4 portrait in points; the box the signature image is fitted into (centred, aspect kept). */
const PAGE = { width: 595, height: 842 }
const BOX = { width: 170, height: 70 }
const MARGIN = 56

export function placementFor(page: number, position: Position): SignaturePlacement {
  const right = PAGE.width - MARGIN - BOX.width
  const at: Record<Position, [number, number]> = {
    'bottom-right': [right, 110],
    'bottom-left': [MARGIN, 110],
    'top-right': [right, PAGE.height - MARGIN - BOX.height - 60],
  }
  const [x, y] = at[position]
  return { page, x, y, ...BOX }
}

export const positionLabel = (t: (key: MessageKey) => string, position: Position) =>
  t(POSITION_KEYS[position])

/**
 * Vị trí chữ ký chọn tay: when the signer block cannot be found in the text (a scan), the leader picks a
 * page and a corner; the server fits the signature image there.
 */
export function PlacementChooser({
  pageCount,
  onChoose,
}: {
  pageCount: number
  onChoose: (placement: SignaturePlacement, page: number, position: Position) => void
}) {
  const { t } = useI18n()
  const [page, setPage] = useState(String(pageCount))
  const [position, setPosition] = useState<Position>('bottom-right')
  const [error, setError] = useState<string | null>(null)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const n = Number(page)
    if (!Number.isInteger(n) || n < 1 || n > pageCount) {
      setError(`${t('signing.place.page')}: 1–${pageCount}`)
      return
    }
    onChoose(placementFor(n, position), n, position)
  }

  return (
    <form className="form" noValidate onSubmit={submit} data-testid="placement-form">
      <h3 className="subsection-title">{t('signing.place.title')}</h3>
      <p className="field__hint">{t('signing.place.intro')}</p>
      <div className="form__grid">
        <TextField
          name="page"
          id="placement-page"
          type="number"
          min={1}
          max={pageCount}
          inputMode="numeric"
          label={t('signing.place.page')}
          value={page}
          onChange={(event) => setPage(event.target.value)}
          error={error ?? undefined}
        />
        <SelectField
          name="position"
          id="placement-position"
          label={t('signing.place.position')}
          value={position}
          onChange={(event) => setPosition(event.target.value as Position)}
        >
          {POSITIONS.map((p) => (
            <option key={p} value={p}>
              {positionLabel(t, p)}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn--primary" data-testid="placement-submit">
          {t('signing.place.retry')}
        </button>
      </div>
    </form>
  )
}
