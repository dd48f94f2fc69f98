import type { LinkedDocument, OutgoingDocument, OutgoingRecipient } from '../../api.ts'
import { type MessageKey, useI18n } from '../../i18n/index.tsx'
import { Link } from '../../router.tsx'
import { statusLabel } from '../documents/labels.ts'
import { channelLabel, deliveryLabel, reviewKindLabel, reviewStateLabel } from './labels.ts'

function DocumentLink({ doc, testId }: { doc: LinkedDocument; testId: string }) {
  const { t } = useI18n()
  return (
    <Link to={`/documents/${doc.id}`} data-testid={testId} data-document-id={doc.id}>
      {doc.numberNotation ?? t('doc.outgoing.notNumbered')}
      {doc.subject ? ` — ${doc.subject}` : ''}
    </Link>
  )
}

/**
 * What happened to the document once issued, said at the top of the panel: a leader's decision to
 * revoke waiting for the clerk, revoked, replaced by another, corrected by another.
 */
export function OutgoingStateNotice({ view }: { view: OutgoingDocument }) {
  const { t, formatDateTime } = useI18n()
  const { status } = view.document
  const { revocation, revokedAt } = view.outgoing
  const { supersededBy, correctedBy } = view.links
  if (status === 'revoked')
    return (
      <div
        className="alert alert--error"
        role="status"
        data-testid="outgoing-state-notice"
        data-state="revoked"
      >
        <p className="alert__title">{t('outgoing.notice.revoked', { date: formatDateTime(revokedAt) })}</p>
        {revocation?.reason && <p>{t('outgoing.notice.reason', { reason: revocation.reason })}</p>}
        {revocation?.decidedBy?.name && (
          <p className="muted">{t('outgoing.notice.decidedBy', { leader: revocation.decidedBy.name })}</p>
        )}
      </div>
    )
  if (status === 'superseded')
    return (
      <div
        className="alert alert--warning"
        role="status"
        data-testid="outgoing-state-notice"
        data-state="superseded"
      >
        <p className="alert__title">{t('outgoing.notice.superseded')}</p>
        {supersededBy && (
          <p>
            {t('outgoing.link.supersededBy')}: <DocumentLink doc={supersededBy} testId="notice-link" />
          </p>
        )}
      </div>
    )
  return (
    <>
      {status === 'corrected' && (
        <div
          className="alert alert--info"
          role="status"
          data-testid="outgoing-state-notice"
          data-state="corrected"
        >
          <p className="alert__title">{t('outgoing.notice.corrected')}</p>
          {correctedBy && (
            <p>
              {t('outgoing.link.correctedBy')}: <DocumentLink doc={correctedBy} testId="notice-link" />
            </p>
          )}
        </div>
      )}
      {revocation && !revokedAt && (
        <div className="alert alert--warning" role="status" data-testid="revocation-pending">
          <p className="alert__title">
            {t('outgoing.notice.revocationDecided', {
              leader: revocation.decidedBy?.name ?? '—',
              date: formatDateTime(revocation.decidedAt),
            })}
          </p>
          {revocation.reason && <p>{t('outgoing.notice.reason', { reason: revocation.reason })}</p>}
        </div>
      )}
    </>
  )
}

/** Văn bản liên quan, both ways: answers, replaces, corrects, is a copy of; replaced, corrected, copied by. */
export function OutgoingLinksList({ view }: { view: OutgoingDocument }) {
  const { t } = useI18n()
  const { links } = view
  const rows: (readonly [string, MessageKey, LinkedDocument])[] = [
    ...(links.replyTo ? ([['replyTo', 'outgoing.link.replyTo', links.replyTo]] as const) : []),
    ...(links.replaces ? ([['replaces', 'outgoing.link.replaces', links.replaces]] as const) : []),
    ...(links.corrects ? ([['corrects', 'outgoing.link.corrects', links.corrects]] as const) : []),
    ...(links.copyOf ? ([['copyOf', 'outgoing.link.copyOf', links.copyOf]] as const) : []),
    ...(links.supersededBy
      ? ([['supersededBy', 'outgoing.link.supersededBy', links.supersededBy]] as const)
      : []),
    ...(links.correctedBy
      ? ([['correctedBy', 'outgoing.link.correctedBy', links.correctedBy]] as const)
      : []),
    ...links.copies.map((doc) => ['copy', 'outgoing.link.copy', doc] as const),
    ...links.replies.map((doc) => ['reply', 'outgoing.link.reply', doc] as const),
  ]
  if (rows.length === 0) return null
  return (
    <>
      <h3 className="subsection-title">{t('outgoing.links')}</h3>
      <ul className="participants" data-testid="outgoing-links">
        {rows.map(([kind, label, doc]) => (
          <li key={`${kind}-${doc.id}`} data-testid="outgoing-link-row" data-kind={kind}>
            <strong>{t(label)}</strong>: <DocumentLink doc={doc} testId={`link-${kind}`} />{' '}
            <span className={`status status--${doc.status}`}>({statusLabel(t, doc.status)})</span>
          </li>
        ))}
      </ul>
    </>
  )
}

/** Nơi nhận with each delivery's state; the clerk records the progress of external ones. */
export function RecipientsList({
  view,
  onUpdate,
}: {
  view: OutgoingDocument
  onUpdate: ((recipient: OutgoingRecipient) => void) | null
}) {
  const { t, formatDateTime } = useI18n()
  if (view.recipients.length === 0) return <p className="muted">{t('outgoing.noRecipients')}</p>
  return (
    <ul className="participants" data-testid="outgoing-recipients">
      {view.recipients.map((r) => (
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
              {r.recalledAt && (
                <span className="muted" data-testid="delivery-recalled">
                  {' '}
                  · {t('outgoing.delivery.recalledAt', { date: formatDateTime(r.recalledAt) })}
                </span>
              )}
              {r.stateNote && (
                <span className="timeline__comment" data-testid="delivery-note">
                  {' '}
                  — {r.stateNote}
                </span>
              )}
              {onUpdate && r.kind === 'external' && (
                <>
                  {' '}
                  <button
                    type="button"
                    className="btn btn--small"
                    onClick={() => onUpdate(r)}
                    data-testid="delivery-update"
                    aria-label={t('outgoing.delivery.updateFor', { recipient: r.label })}
                  >
                    {t('outgoing.delivery.update')}
                  </button>
                </>
              )}
            </>
          )}
        </li>
      ))}
      <li className="muted">
        {t('outgoing.archive')}: {view.outgoing.archiveLine.replace(/^Lưu:\s*/, '')}
      </li>
    </ul>
  )
}

/** The reviewers' comments, newest round first, and the draft's versions. */
export function ReviewsAndVersions({ view }: { view: OutgoingDocument }) {
  const { t, formatDateTime } = useI18n()
  const reviews = [...view.reviews].sort((a, b) => b.round - a.round)
  return (
    <>
      {reviews.length > 0 && (
        <>
          <h3 className="subsection-title">{t('outgoing.reviews')}</h3>
          <ul className="participants" data-testid="outgoing-reviews">
            {reviews.map((r) => (
              <li key={r.id} data-testid="outgoing-review" data-state={r.state}>
                <strong>{r.reviewer.name ?? '—'}</strong> ({reviewKindLabel(t, r.kind)}):{' '}
                {reviewStateLabel(t, r.state)}
                <span className="muted"> · {t('outgoing.version.number', { version: r.version })}</span>
                {r.comment && <span className="timeline__comment"> — {r.comment}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {view.versions.length > 1 && (
        <>
          <h3 className="subsection-title">{t('outgoing.versions')}</h3>
          <ul className="participants" data-testid="outgoing-versions">
            {[...view.versions]
              .sort((a, b) => b.version - a.version)
              .map((v) => (
                <li key={v.version} data-testid="outgoing-version">
                  <strong>{t('outgoing.version.number', { version: v.version })}</strong>
                  {v.authorName && ` — ${v.authorName}`}{' '}
                  <span className="muted">({formatDateTime(v.createdAt)})</span>
                  {v.note && <span className="timeline__comment"> — {v.note}</span>}
                </li>
              ))}
          </ul>
        </>
      )}
    </>
  )
}
