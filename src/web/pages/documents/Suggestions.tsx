import { useI18n } from '../../i18n/index.tsx'
import './suggestions.css'
import { LOW_CONFIDENCE, type SuggestionMark, type SuggestionStatus } from './useSuggestions.ts'

/** "gợi ý" beside a field's label when its value was read from the document; low confidence asks to check. */
export function SuggestionBadge({ mark }: { mark: SuggestionMark | undefined }) {
  const { t } = useI18n()
  if (!mark) return null
  const percent = Math.round(mark.confidence * 100)
  const low = mark.confidence < LOW_CONFIDENCE
  return (
    <span
      className={low ? 'suggestion-badge suggestion-badge--low' : 'suggestion-badge'}
      title={t('suggest.confidence', { percent })}
      data-testid="suggestion-badge"
      data-confidence={mark.confidence}
    >
      {' '}
      {low ? t('suggest.badgeLow') : t('suggest.badge')}
      <span className="sr-only"> ({t('suggest.confidence', { percent })})</span>
    </span>
  )
}

/** The input's class: a low-confidence suggestion stands out until the clerk edits it. */
export function suggestedInputClass(mark: SuggestionMark | undefined): string {
  return mark && mark.confidence < LOW_CONFIDENCE ? 'input input--suggested-low' : 'input'
}

/** "Đang đọc văn bản…" while the first file is read, then how many fields were filled. */
export function SuggestionProgress({
  status,
  filled,
  onStop,
}: {
  status: SuggestionStatus
  filled: number
  onStop: () => void
}) {
  const { t } = useI18n()
  if (status === 'idle') return null
  if (status === 'reading') {
    return (
      <div className="suggestion-progress" role="status" data-testid="suggestion-progress">
        <span className="spinner" aria-hidden="true" />
        <span>{t('suggest.reading')}</span>
        <button
          type="button"
          className="btn btn--small btn--ghost"
          onClick={onStop}
          data-testid="suggestion-stop"
        >
          {t('suggest.stop')}
        </button>
      </div>
    )
  }
  return (
    <p className="field__hint" role="status" data-testid="suggestion-result">
      {status === 'failed'
        ? t('suggest.failed')
        : filled > 0
          ? t('suggest.filled', { count: filled })
          : t('suggest.none')}
    </p>
  )
}

/** Label and input class of a field that may hold a suggestion: spread them on TextField / SelectField. */
export function suggestionProps(mark: SuggestionMark | undefined, label: string) {
  return {
    label: (
      <>
        {label}
        <SuggestionBadge mark={mark} />
      </>
    ),
    className: suggestedInputClass(mark),
  }
}
