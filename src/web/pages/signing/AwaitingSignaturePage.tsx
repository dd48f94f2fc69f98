import { type KeyboardEvent, useEffect, useRef, useState } from 'react'
import { type SignatureRequest, signatureRequestsApi } from '../../api.ts'
import { SuccessMessage } from '../../components/feedback.tsx'
import { useLoad } from '../../components/hooks.ts'
import { PageHeader } from '../../components/PageHeader.tsx'
import { ResourceView } from '../../components/ResourceView.tsx'
import { type Translate, useI18n } from '../../i18n/index.tsx'
import { SECRECY_KEYS, URGENCY_KEYS } from '../documents/labels.ts'
import { signatureRequestsChanged } from './pending-count.ts'
import { RefuseDialog } from './RefuseDialog.tsx'
import { type DocumentToSign, SignDialog } from './SignDialog.tsx'
import { SigningPreview } from './SigningPreview.tsx'
import './signing.css'

/** "15/QĐ-UBND — Về việc …": how a request is named in dialogs and results. */
export function requestLabel(t: Translate, request: SignatureRequest): string {
  const number = request.document.numberNotation || t('signing.queue.noNumber')
  return `${number} — ${request.document.subject || t('signing.queue.noSubject')}`
}

/**
 * Chờ ký: the leader's queue. ↑/↓ move, Space marks, Enter previews the focused document with the
 * signature placed; "Ký" signs the marked documents (or the focused one) with one PIN entry.
 */
export function AwaitingSignaturePage() {
  const { t } = useI18n()
  const requests = useLoad((signal) => signatureRequestsApi.list('mine', 'pending', signal), [])
  const items = requests.data?.items ?? []
  const [focusedId, setFocusedId] = useState<string | null>(null)
  const [previewId, setPreviewId] = useState<string | null>(null)
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const [signing, setSigning] = useState<DocumentToSign[] | null>(null)
  const [refusing, setRefusing] = useState<{ id: string; label: string }[] | null>(null)
  const [message, setMessage] = useState<string | null>(null)

  // Requests that left the queue (signed, withdrawn) leave the selection and the preview too.
  const loaded = requests.data
  useEffect(() => {
    if (!loaded) return
    const ids = new Set(loaded.items.map((r) => r.id))
    setSelected((current) => new Set([...current].filter((id) => ids.has(id))))
    setFocusedId((current) => (current && ids.has(current) ? current : (loaded.items[0]?.id ?? null)))
    setPreviewId((current) => (current && ids.has(current) ? current : null))
  }, [loaded])

  const focused = items.find((r) => r.id === focusedId) ?? items[0]
  const preview = items.find((r) => r.id === previewId)
  const marked = items.filter((r) => selected.has(r.id))
  const targets = marked.length > 0 ? marked : focused ? [focused] : []

  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })

  const afterChange = () => {
    requests.reload()
    signatureRequestsChanged()
  }

  return (
    <div className="page" data-testid="page-awaiting-signature">
      <PageHeader title={t('signing.queue.title')} />
      <SuccessMessage message={message} testId="queue-success" />
      <ResourceView
        resource={requests}
        isEmpty={(data) => data.items.length === 0}
        emptyTestId="queue-empty"
        empty={
          <>
            <p className="state__title">{t('signing.queue.empty')}</p>
            <p>{t('signing.queue.emptyHint')}</p>
          </>
        }
      >
        {() => (
          <div className="sign-queue">
            <div className="sign-queue__list card">
              <div className="sign-queue__toolbar">
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={marked.length === items.length}
                    onChange={(event) =>
                      setSelected(event.target.checked ? new Set(items.map((r) => r.id)) : new Set())
                    }
                    data-testid="queue-select-all"
                  />
                  <span>{t('signing.queue.selectAll')}</span>
                </label>
                <span className="muted" data-testid="queue-selected">
                  {t('signing.queue.selected', { n: marked.length, total: items.length })}
                </span>
              </div>
              <RequestList
                items={items}
                focusedId={focused?.id ?? null}
                previewId={previewId}
                selected={selected}
                onFocus={setFocusedId}
                onToggle={toggle}
                onPreview={(id) => {
                  setFocusedId(id)
                  setPreviewId(id)
                }}
              />
              <p className="field__hint">{t('signing.queue.keys')}</p>
              <div className="form-actions">
                <button
                  type="button"
                  className="btn btn--primary"
                  disabled={targets.length === 0}
                  onClick={() => {
                    setMessage(null)
                    setSigning(
                      targets.map((r) => ({
                        id: r.document.id,
                        label: requestLabel(t, r),
                        pageCount: r.file?.pageCount,
                      })),
                    )
                  }}
                  data-testid="queue-sign"
                >
                  {marked.length > 0
                    ? t('signing.queue.signSelected', { n: marked.length })
                    : t('signing.queue.signFocused')}
                </button>
                <button
                  type="button"
                  className="btn btn--danger-outline"
                  disabled={targets.length === 0}
                  onClick={() => {
                    setMessage(null)
                    setRefusing(targets.map((r) => ({ id: r.id, label: requestLabel(t, r) })))
                  }}
                  data-testid="queue-refuse"
                >
                  {t('signing.queue.refuse')}
                </button>
              </div>
            </div>
            <section className="sign-queue__preview" aria-label={t('signing.queue.preview')}>
              {preview ? (
                <SigningPreview key={preview.id} request={preview} />
              ) : (
                <p className="state state--empty" data-testid="queue-preview-hint">
                  {t('signing.queue.previewHint')}
                </p>
              )}
            </section>
          </div>
        )}
      </ResourceView>
      {signing && (
        <SignDialog
          documents={signing}
          onClose={() => setSigning(null)}
          onFinished={(results) => {
            const ok = results.filter((r) => r.ok).length
            setMessage(t('signing.queue.signedSummary', { ok, total: results.length }))
            setSelected(new Set())
            afterChange()
          }}
        />
      )}
      {refusing && (
        <RefuseDialog
          requests={refusing}
          onClose={() => setRefusing(null)}
          onDone={() => {
            setRefusing(null)
            setSelected(new Set())
            setMessage(t('signing.queue.refused'))
            afterChange()
          }}
        />
      )}
    </div>
  )
}

/** A listbox with the focus on one option (aria-activedescendant) and several marked ones. */
function RequestList({
  items,
  focusedId,
  previewId,
  selected,
  onFocus,
  onToggle,
  onPreview,
}: {
  items: SignatureRequest[]
  focusedId: string | null
  previewId: string | null
  selected: ReadonlySet<string>
  onFocus: (id: string) => void
  onToggle: (id: string) => void
  onPreview: (id: string) => void
}) {
  const { t, formatDate, formatDateTime } = useI18n()
  const listRef = useRef<HTMLDivElement>(null)
  const index = Math.max(
    0,
    items.findIndex((r) => r.id === focusedId),
  )

  useEffect(() => {
    if (focusedId) document.getElementById(optionId(focusedId))?.scrollIntoView({ block: 'nearest' })
  }, [focusedId])

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const move = (to: number) => {
      event.preventDefault()
      const target = items[Math.min(items.length - 1, Math.max(0, to))]
      if (target) onFocus(target.id)
    }
    const current = items[index]
    if (event.key === 'ArrowDown') move(index + 1)
    else if (event.key === 'ArrowUp') move(index - 1)
    else if (event.key === 'Home') move(0)
    else if (event.key === 'End') move(items.length - 1)
    else if (event.key === ' ' && current) {
      event.preventDefault()
      onToggle(current.id)
    } else if (event.key === 'Enter' && current) {
      event.preventDefault()
      onPreview(current.id)
    }
  }

  return (
    <div
      ref={listRef}
      role="listbox"
      aria-multiselectable="true"
      aria-label={t('signing.queue.listLabel')}
      aria-activedescendant={focusedId ? optionId(focusedId) : undefined}
      tabIndex={0}
      className="sign-queue__items"
      onKeyDown={onKeyDown}
      data-testid="queue-list"
    >
      {items.map((request) => {
        const { document: doc } = request
        const isFocused = request.id === focusedId
        const classes = ['sign-item']
        if (isFocused) classes.push('sign-item--focused')
        if (request.id === previewId) classes.push('sign-item--previewed')
        return (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the listbox handles the keys for its options.
          <div
            key={request.id}
            id={optionId(request.id)}
            role="option"
            tabIndex={-1}
            aria-selected={selected.has(request.id)}
            className={classes.join(' ')}
            onClick={() => {
              listRef.current?.focus()
              onPreview(request.id)
            }}
            data-testid="queue-item"
            data-request-id={request.id}
            data-focused={isFocused || undefined}
          >
            <input
              type="checkbox"
              tabIndex={-1}
              checked={selected.has(request.id)}
              onClick={(event) => event.stopPropagation()}
              onChange={() => onToggle(request.id)}
              aria-label={t('signing.queue.mark', { name: doc.numberNotation || doc.subject || '' })}
              data-testid="queue-item-check"
            />
            <div className="sign-item__body">
              <p className="sign-item__head">
                {doc.urgency > 0 && (
                  <span className="mark mark--urgent" data-testid="queue-urgency">
                    {t(URGENCY_KEYS[doc.urgency] ?? 'doc.urgency.1')}
                  </span>
                )}
                {doc.secrecy > 0 && (
                  <span className="mark mark--secret" data-testid="queue-secrecy">
                    {t(SECRECY_KEYS[doc.secrecy] ?? 'doc.secrecy.1')}
                  </span>
                )}
                {doc.numberNotation ? (
                  <strong className="mono">{doc.numberNotation}</strong>
                ) : (
                  <strong>{t('signing.queue.noNumber')}</strong>
                )}
                {doc.kind && <span className="muted"> · {doc.kind}</span>}
              </p>
              <p className="sign-item__subject">{doc.subject || t('signing.queue.noSubject')}</p>
              <p className="muted sign-item__meta">
                {t('signing.queue.requestedBy', { name: request.requestedBy.fullName })} ·{' '}
                <time dateTime={request.createdAt}>{formatDateTime(request.createdAt)}</time>
                {doc.dueDate && ` · ${t('doc.dueDate')} ${formatDate(doc.dueDate)}`}
              </p>
              {request.comment && <p className="sign-item__comment">“{request.comment}”</p>}
            </div>
          </div>
        )
      })}
    </div>
  )
}

const optionId = (requestId: string) => `sign-request-${requestId}`
