import { useState } from 'react'
import { type DocumentRecord, outgoingApi } from '../../api.ts'
import { ErrorState, LoadingState, SuccessMessage } from '../../components/feedback.tsx'
import { useLoad } from '../../components/hooks.ts'
import { useI18n } from '../../i18n/index.tsx'
import type { Directory } from '../documents/directory.ts'
import { IssueDialog, NumberDialog, ReviewDialog, SubmitDialog } from './OutgoingDialogs.tsx'
import { channelLabel, deliveryLabel, reviewKindLabel, reviewStateLabel } from './labels.ts'

type Open = 'submit' | 'approve' | 'return' | 'number' | 'issue' | null
const PANEL_ACTIONS = ['submit', 'approve', 'return', 'number', 'issue'] as const

/**
 * Văn bản đi on its document page: who drafted it, who signs, the reviewers' comments, the recipients
 * (Nơi nhận) with each delivery's state, and what I may do now (trình, cho ý kiến, cấp số, phát hành;
 * ký and đóng dấu are the signing panel's).
 */
export function OutgoingPanel({
  doc,
  directory,
  version,
  onChanged,
}: {
  doc: DocumentRecord
  directory: Directory | null
  version: number
  onChanged: () => void
}) {
  const { t, formatDateTime } = useI18n()
  const view = useLoad((signal) => outgoingApi.get(doc.id, signal), [doc.id, version])
  const [open, setOpen] = useState<Open>(null)
  const [message, setMessage] = useState<string | null>(null)
  const done = (text: string) => {
    setOpen(null)
    setMessage(text)
    onChanged()
  }
  const data = view.data
  const actions = PANEL_ACTIONS.filter((a) => data?.allowedActions.includes(a))
  return (
    <section className="card document__section" aria-labelledby="outgoing-title" data-testid="outgoing-panel">
      <h2 id="outgoing-title" className="section-title">
        {t('outgoing.panel.title')}
      </h2>
      <SuccessMessage message={message} testId="outgoing-success" />
      {view.loading && !data && <LoadingState />}
      {view.error && <ErrorState error={view.error} onRetry={view.reload} />}
      {data && (
        <>
          <dl className="summary">
            <div className="summary__row" data-testid="outgoing-drafter">
              <dt>{t('outgoing.drafter')}</dt>
              <dd>
                {[data.outgoing.drafter.name, data.outgoing.draftingDepartment?.name]
                  .filter(Boolean)
                  .join(' — ')}
              </dd>
            </div>
            <div className="summary__row" data-testid="outgoing-signer">
              <dt>{t('outgoing.signer')}</dt>
              <dd>
                {[data.outgoing.authorityPrefix, data.outgoing.authorityName].filter(Boolean).join(' ')}
                {data.outgoing.signer?.name ? ` — ${data.outgoing.signer.name}` : ''}
              </dd>
            </div>
          </dl>
          {actions.length > 0 && (
            <div className="row-actions row-actions--wrap" data-testid="outgoing-actions">
              {actions.map((a) => (
                <button
                  key={a}
                  type="button"
                  className={a === 'return' ? 'btn' : 'btn btn--primary'}
                  onClick={() => {
                    setMessage(null)
                    setOpen(a)
                  }}
                  data-testid={`outgoing-${a}`}
                >
                  {t(`outgoing.action.${a}`)}
                </button>
              ))}
            </div>
          )}
          <h3 className="subsection-title">{t('outgoing.recipients')}</h3>
          {data.recipients.length === 0 ? (
            <p className="muted">{t('outgoing.noRecipients')}</p>
          ) : (
            <ul className="participants" data-testid="outgoing-recipients">
              {data.recipients.map((r) => (
                <li key={r.id} data-testid="outgoing-recipient" data-state={r.state}>
                  <strong>{r.label}</strong>
                  {r.kind !== 'text' && (
                    <>
                      {' '}
                      · {channelLabel(t, r.channel)} ·{' '}
                      <span className={`status status--${r.state}`} data-testid="delivery-state">
                        {deliveryLabel(t, r.state)}
                      </span>
                      {r.stateAt && <span className="muted"> ({formatDateTime(r.stateAt)})</span>}
                    </>
                  )}
                </li>
              ))}
              <li className="muted">
                {t('outgoing.archive')}: {data.outgoing.archiveLine.replace(/^Lưu:\s*/, '')}
              </li>
            </ul>
          )}
          {data.reviews.length > 0 && (
            <>
              <h3 className="subsection-title">{t('outgoing.reviews')}</h3>
              <ul className="participants" data-testid="outgoing-reviews">
                {data.reviews.map((r) => (
                  <li key={r.id} data-testid="outgoing-review" data-state={r.state}>
                    <strong>{r.reviewer.name ?? '—'}</strong> ({reviewKindLabel(t, r.kind)}):{' '}
                    {reviewStateLabel(t, r.state)}
                    {r.comment && <span className="timeline__comment"> — {r.comment}</span>}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      {open === 'submit' && (
        <SubmitDialog
          documentId={doc.id}
          directory={directory}
          onClose={() => setOpen(null)}
          onDone={() => done(t('outgoing.submit.done'))}
        />
      )}
      {(open === 'approve' || open === 'return') && (
        <ReviewDialog
          documentId={doc.id}
          decision={open}
          onClose={() => setOpen(null)}
          onDone={() => done(t('outgoing.review.done'))}
        />
      )}
      {open === 'number' && (
        <NumberDialog
          documentId={doc.id}
          onClose={() => setOpen(null)}
          onDone={(result) => done(t('outgoing.number.done', { notation: result.numberNotation }))}
        />
      )}
      {open === 'issue' && (
        <IssueDialog
          documentId={doc.id}
          onClose={() => setOpen(null)}
          onDone={(issued) =>
            done(t('outgoing.issue.done', { notation: issued.document.numberNotation ?? '' }))
          }
        />
      )}
    </section>
  )
}
