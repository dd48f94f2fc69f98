import { signatureRequestsApi } from '../../api.ts'
import { useLoad } from '../../components/hooks.ts'
import { ResourceView } from '../../components/ResourceView.tsx'
import { useI18n } from '../../i18n/index.tsx'
import { Link } from '../../router.tsx'
import { requestStateLabel } from './labels.ts'
import './signing.css'

/** Văn bản đã trình ký: what I put before leaders, newest first, with each answer (a refusal's reason). */
export function SentRequestsCard() {
  const { t, formatDateTime } = useI18n()
  const sent = useLoad((signal) => signatureRequestsApi.list('sent', 'all', signal), [])
  return (
    <section className="card" aria-labelledby="sent-requests-title" data-testid="sent-requests">
      <h2 id="sent-requests-title" className="card__title">
        {t('signing.sent.title')}
      </h2>
      <ResourceView
        resource={sent}
        isEmpty={(data) => data.items.length === 0}
        emptyTestId="sent-requests-empty"
        empty={t('signing.sent.empty')}
      >
        {(data) => (
          <ul className="participants">
            {data.items.slice(0, 20).map((request) => (
              <li
                key={request.id}
                className="sig-request"
                data-testid="sent-request"
                data-state={request.state}
              >
                <p>
                  <span className={`status status--sig-${request.state}`}>
                    {requestStateLabel(t, request.state)}
                  </span>{' '}
                  <Link to={`/documents/${request.document.id}`}>
                    {request.document.numberNotation ||
                      request.document.subject ||
                      t('signing.queue.noSubject')}
                  </Link>
                </p>
                <p className="muted">
                  {t('signing.sent.to', { name: request.signer.fullName })} ·{' '}
                  <time dateTime={request.decidedAt ?? request.createdAt}>
                    {formatDateTime(request.decidedAt ?? request.createdAt)}
                  </time>
                </p>
                {request.decisionComment && (
                  <p className={request.state === 'refused' ? 'overdue' : undefined}>
                    {t('signing.panel.reason', { reason: request.decisionComment })}
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </ResourceView>
    </section>
  )
}
