import { useState } from 'react'
import { useI18n } from '../i18n/index.tsx'

/** Copies text; falls back to a hidden textarea where the Clipboard API is unavailable (plain http). */
export function CopyButton({
  text,
  label,
  testId = 'copy',
}: {
  text: string
  label?: string
  testId?: string
}) {
  const { t } = useI18n()
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text)
      setState('copied')
    } catch {
      setState(copyWithSelection(text) ? 'copied' : 'failed')
    }
  }

  return (
    <span className="copy">
      <button type="button" className="btn btn--small" onClick={() => void copy()} data-testid={testId}>
        {label ?? t('common.copy')}
      </button>
      <span
        role="status"
        className={state === 'failed' ? 'copy__status copy__status--failed' : 'copy__status'}
      >
        {state === 'copied' && t('common.copied')}
        {state === 'failed' && t('common.copyFailed')}
      </span>
    </span>
  )
}

function copyWithSelection(text: string): boolean {
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.className = 'offscreen'
  document.body.append(area)
  area.select()
  try {
    return document.execCommand('copy')
  } catch {
    return false
  } finally {
    area.remove()
  }
}
