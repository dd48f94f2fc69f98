import { useState } from 'react'
import { type DocumentRecord, type SignatureRequest, signatureRequestsApi } from '../../api.ts'
import { ConfirmDialog } from '../../components/Dialog.tsx'
import { EmptyState, ErrorState, LoadingState, SuccessMessage } from '../../components/feedback.tsx'
import { useLoad } from '../../components/hooks.ts'
import { useI18n } from '../../i18n/index.tsx'
import { useAuthenticated } from '../../session.tsx'
import type { Directory } from '../documents/directory.ts'
import { requestStateLabel } from './labels.ts'
import { signatureRequestsChanged } from './pending-count.ts'
import { RequestSignatureDialog, SealDialog } from './RequestAndSealDialogs.tsx'
import { SignDialog } from './SignDialog.tsx'
import './signing.css'

type Open = 'request' | 'sign' | 'seal' | { withdraw: SignatureRequest } | null

/**
 * Trình ký, ký số on the document page: its signature requests (who, state, the refusal reason) and
 * what I may do — put it before a leader, sign it (leader), seal it (clerk), withdraw my request.
 */
export function DocumentSigningPanel({
  doc,
  directory,
  version,
  outgoingActions,
  onChanged,
}: {
  doc: DocumentRecord
  directory: Directory | null
  version: number
  /**
   * For a văn bản đi of the drafting flow, the outgoing API's allowedActions: it goes before its signer
   * through its own "Trình duyệt" (the API refuses a trình ký here), and ký / đóng dấu are offered only
   * when the flow allows them. Null for any other document.
   */
  outgoingActions: readonly string[] | null
  onChanged: () => void
}) {
  const { t, formatDateTime } = useI18n()
  const { user } = useAuthenticated()
  const requests = useLoad((signal) => signatureRequestsApi.ofDocument(doc.id, signal), [doc.id, version])
  const [open, setOpen] = useState<Open>(null)
  const [message, setMessage] = useState<string | null>(null)
  const pdfs = doc.files.filter((f) => f.mediaType === 'application/pdf')
  const hasPdf = pdfs.length > 0
  const newestPdf = [...pdfs].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]
  const items = requests.data?.items ?? []
  // Signing is for the agency's own (outgoing) documents; an incoming one shows the panel only if it
  // somehow has requests.
  if (!hasPdf || (doc.direction === 'incoming' && items.length === 0)) return null

  const pending = items.find((r) => r.state === 'pending')
  const isLeader = user.roles.includes('leader')
  const isClerk = user.roles.includes('clerk')
  const flow = outgoingActions !== null
  const canRequest = !flow && !pending && (isClerk || isLeader || user.roles.includes('officer'))
  const canSign = flow ? outgoingActions.includes('sign') : isLeader
  const canSeal = flow
    ? outgoingActions.includes('seal')
    : isClerk && doc.files.some((f) => f.role === 'signed')
  const label = `${doc.numberNotation || t('signing.queue.noNumber')} — ${doc.subject || t('signing.queue.noSubject')}`
  const changed = (text: string) => {
    setOpen(null)
    setMessage(text)
    signatureRequestsChanged()
    onChanged()
  }

  return (
    <section
      className="card document__section"
      aria-labelledby="doc-signing-title"
      data-testid="signing-panel"
    >
      <h2 id="doc-signing-title" className="section-title">
        {t('signing.panel.title')}
      </h2>
      <SuccessMessage message={message} testId="signing-panel-success" />
      {(canRequest || canSign || canSeal) && (
        <div className="row-actions row-actions--wrap" data-testid="signing-actions">
          {canRequest && (
            <button
              type="button"
              className="btn"
              onClick={() => setOpen('request')}
              data-testid="signing-request"
            >
              {t('signing.panel.request')}
            </button>
          )}
          {canSign && (
            <button
              type="button"
              className="btn btn--primary"
              onClick={() => setOpen('sign')}
              data-testid="signing-sign"
            >
              {t('signing.panel.sign')}
            </button>
          )}
          {canSeal && (
            <button
              type="button"
              className="btn btn--primary"
              onClick={() => setOpen('seal')}
              data-testid="signing-seal"
            >
              {t('signing.panel.seal')}
            </button>
          )}
        </div>
      )}
      {requests.loading && !requests.data && <LoadingState />}
      {requests.error && <ErrorState error={requests.error} onRetry={requests.reload} />}
      {requests.data && items.length === 0 && (
        <EmptyState testId="signature-requests-empty">
          <p>{t('signing.panel.none')}</p>
        </EmptyState>
      )}
      {items.length > 0 && (
        <ul className="participants" data-testid="signature-requests">
          {items.map((request) => (
            <li
              key={request.id}
              className="sig-request"
              data-testid="signature-request"
              data-state={request.state}
            >
              <p>
                <span className={`status status--sig-${request.state}`} data-testid="signature-request-state">
                  {requestStateLabel(t, request.state)}
                </span>{' '}
                {t('signing.panel.line', { from: request.requestedBy.fullName, to: request.signer.fullName })}
              </p>
              <p className="muted">
                <time dateTime={request.createdAt}>{formatDateTime(request.createdAt)}</time>
                {request.decidedAt && (
                  <>
                    {' → '}
                    <time dateTime={request.decidedAt}>{formatDateTime(request.decidedAt)}</time>
                  </>
                )}
              </p>
              {request.comment && <p className="timeline__comment">“{request.comment}”</p>}
              {request.decisionComment && (
                <p
                  className={request.state === 'refused' ? 'overdue' : undefined}
                  data-testid="signature-request-reason"
                >
                  {t('signing.panel.reason', { reason: request.decisionComment })}
                </p>
              )}
              {request.state === 'pending' && request.requestedBy.id === user.id && (
                <button
                  type="button"
                  className="btn btn--small"
                  onClick={() => setOpen({ withdraw: request })}
                  data-testid="signature-request-withdraw"
                >
                  {t('signing.panel.withdraw')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {open === 'request' && (
        <RequestSignatureDialog
          documentId={doc.id}
          directory={directory}
          onClose={() => setOpen(null)}
          onDone={(request) => changed(t('signing.panel.requested', { name: request.signer.fullName }))}
        />
      )}
      {open === 'sign' && (
        <SignDialog
          documents={[{ id: doc.id, label, pageCount: newestPdf?.pageCount }]}
          onClose={() => setOpen(null)}
          onFinished={(results) => {
            if (results.some((r) => r.ok)) {
              setMessage(t('signing.sign.signed'))
              signatureRequestsChanged()
              onChanged()
            }
          }}
        />
      )}
      {open === 'seal' && (
        <SealDialog
          documentId={doc.id}
          onClose={() => setOpen(null)}
          onDone={() => changed(t('signing.panel.sealed'))}
        />
      )}
      {open && typeof open === 'object' && (
        <ConfirmDialog
          message={t('signing.panel.withdrawConfirm')}
          confirmLabel={t('signing.panel.withdraw')}
          onClose={() => setOpen(null)}
          onConfirm={async () => {
            await signatureRequestsApi.withdraw(open.withdraw.id)
            changed(t('signing.panel.withdrawn'))
          }}
        />
      )}
    </section>
  )
}
