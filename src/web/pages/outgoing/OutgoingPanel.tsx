import { useState } from 'react'
import type { CopyResult, OutgoingDocument, OutgoingRecipient } from '../../api.ts'
import { ErrorState, LoadingState, SuccessMessage } from '../../components/feedback.tsx'
import type { Loaded } from '../../components/hooks.ts'
import { type MessageKey, useI18n } from '../../i18n/index.tsx'
import { Link } from '../../router.tsx'
import { useAuthenticated } from '../../session.tsx'
import type { Directory } from '../documents/directory.ts'
import { LinkedDraftDialog, NewVersionDialog } from './DraftDialogs.tsx'
import { CopyDialog } from './CopyDialog.tsx'
import { DecideRevocationDialog, DeliveryDialog, RevokeDialog } from './LifecycleDialogs.tsx'
import { IssueDialog, NumberDialog, ReviewDialog, SubmitDialog } from './OutgoingDialogs.tsx'
import {
  OutgoingLinksList,
  OutgoingStateNotice,
  RecipientsList,
  ReviewsAndVersions,
} from './OutgoingDetails.tsx'

/** The actions of the outgoing API this panel offers, in the order shown (ký and đóng dấu are the signing panel's). */
const PANEL_ACTIONS = [
  'new-version',
  'submit',
  'approve',
  'return',
  'number',
  'issue',
  'copy',
  'decide-revocation',
  'revoke',
] as const
type PanelAction = (typeof PANEL_ACTIONS)[number]
/**
 * Thay thế / đính chính are new drafts naming this document (POST /api/outgoing with replacesDocumentId
 * or correctsDocumentId): the API takes them from whoever may draft (officer, clerk, leader) while the
 * document is in force, so they are not among its allowedActions.
 */
const IN_FORCE = ['issued', 'corrected']
const DRAFTING_ROLES = ['officer', 'clerk', 'leader']
const LINK_ACTIONS = { replace: 'replacesDocumentId', correct: 'correctsDocumentId' } as const
type LinkAction = keyof typeof LINK_ACTIONS
type Open = PanelAction | LinkAction | { delivery: OutgoingRecipient } | null

const DANGER: readonly string[] = ['return', 'decide-revocation', 'revoke']

/**
 * Văn bản đi on its document page: who drafted it, who signs, what became of it (revoked, replaced,
 * corrected) and the documents linked both ways, the recipients (Nơi nhận) with each delivery's state,
 * the reviewers' comments and the versions, and what I may do now — the buttons are the API's
 * allowedActions for me.
 */
export function OutgoingPanel({
  view,
  directory,
  onChanged,
}: {
  view: Loaded<OutgoingDocument | undefined>
  directory: Directory | null
  onChanged: () => void
}) {
  const { t } = useI18n()
  const { user } = useAuthenticated()
  const [open, setOpen] = useState<Open>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [copy, setCopy] = useState<CopyResult | null>(null)
  const done = (text: string) => {
    setOpen(null)
    setMessage(text)
    onChanged()
  }
  const data = view.data
  const actions = PANEL_ACTIONS.filter((a) => data?.allowedActions.includes(a))
  const linkActions: LinkAction[] =
    data && IN_FORCE.includes(data.document.status) && user.roles.some((r) => DRAFTING_ROLES.includes(r))
      ? ['replace', 'correct']
      : []
  const canUpdateDelivery = Boolean(data?.allowedActions.includes('update-delivery'))
  const start = (next: Open) => {
    setMessage(null)
    setCopy(null)
    setOpen(next)
  }
  return (
    <section className="card document__section" aria-labelledby="outgoing-title" data-testid="outgoing-panel">
      <h2 id="outgoing-title" className="section-title">
        {t('outgoing.panel.title')}
      </h2>
      <SuccessMessage message={message} testId="outgoing-success" />
      {copy && (
        <p className="alert alert--success" role="status" data-testid="copy-made">
          {t('outgoing.copy.done', { notation: copy.numberNotation })}{' '}
          <Link to={`/documents/${copy.documentId}`} data-testid="copy-open">
            {t('outgoing.copy.open')}
          </Link>
        </p>
      )}
      {view.loading && !data && <LoadingState />}
      {view.error && <ErrorState error={view.error} onRetry={view.reload} />}
      {data && (
        <>
          <OutgoingStateNotice view={data} />
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
          {actions.length + linkActions.length > 0 && (
            <div className="row-actions row-actions--wrap" data-testid="outgoing-actions">
              {actions.map((a) => (
                <button
                  key={a}
                  type="button"
                  className={DANGER.includes(a) ? 'btn' : 'btn btn--primary'}
                  onClick={() => start(a)}
                  data-testid={`outgoing-${a}`}
                >
                  {t(`outgoing.action.${a}` as MessageKey)}
                </button>
              ))}
              {linkActions.map((a) => (
                <button
                  key={a}
                  type="button"
                  className="btn"
                  onClick={() => start(a)}
                  data-testid={`outgoing-${a}`}
                >
                  {t(`outgoing.action.${a}` as MessageKey)}
                </button>
              ))}
            </div>
          )}
          <OutgoingLinksList view={data} />
          <h3 className="subsection-title">{t('outgoing.recipients')}</h3>
          <RecipientsList view={data} onUpdate={canUpdateDelivery ? (r) => start({ delivery: r }) : null} />
          <ReviewsAndVersions view={data} />
        </>
      )}
      {data && open && (
        <PanelDialog
          open={open}
          view={data}
          directory={directory}
          onClose={() => setOpen(null)}
          onDone={done}
          onCopied={(made) => {
            done(t('outgoing.copy.done', { notation: made.numberNotation }))
            setMessage(null)
            setCopy(made)
          }}
          onChanged={onChanged}
        />
      )}
    </section>
  )
}

function PanelDialog({
  open,
  view,
  directory,
  onClose,
  onDone,
  onCopied,
  onChanged,
}: {
  open: Exclude<Open, null>
  view: OutgoingDocument
  directory: Directory | null
  onClose: () => void
  onDone: (message: string) => void
  onCopied: (copy: CopyResult) => void
  onChanged: () => void
}) {
  const { t } = useI18n()
  const id = view.document.id
  if (typeof open === 'object')
    return (
      <DeliveryDialog
        documentId={id}
        recipient={open.delivery}
        onClose={onClose}
        onDone={() => onDone(t('outgoing.delivery.done', { recipient: open.delivery.label }))}
      />
    )
  switch (open) {
    case 'submit':
      return (
        <SubmitDialog
          documentId={id}
          directory={directory}
          onClose={onClose}
          onDone={() => onDone(t('outgoing.submit.done'))}
        />
      )
    case 'approve':
    case 'return':
      return (
        <ReviewDialog
          documentId={id}
          decision={open}
          onClose={onClose}
          onDone={() => onDone(t('outgoing.review.done'))}
        />
      )
    case 'number':
      return (
        <NumberDialog
          documentId={id}
          onClose={onClose}
          onDone={(result) => onDone(t('outgoing.number.done', { notation: result.numberNotation }))}
        />
      )
    case 'issue':
      return (
        <IssueDialog
          documentId={id}
          onClose={onClose}
          onDone={(issued) =>
            onDone(t('outgoing.issue.done', { notation: issued.document.numberNotation ?? '' }))
          }
        />
      )
    case 'new-version':
      return (
        <NewVersionDialog view={view} onClose={onClose} onDone={() => onDone(t('outgoing.version.done'))} />
      )
    case 'copy':
      return <CopyDialog view={view} onClose={onClose} onDone={onCopied} />
    case 'decide-revocation':
      return (
        <DecideRevocationDialog
          view={view}
          onClose={onClose}
          onDone={() => onDone(t('outgoing.revocation.done'))}
        />
      )
    case 'revoke':
      return (
        <RevokeDialog
          view={view}
          onClose={onClose}
          onDone={() => onDone(t('outgoing.revoke.done', { notation: view.document.numberNotation ?? '' }))}
        />
      )
    case 'replace':
    case 'correct':
      return (
        <LinkedDraftDialog
          view={view}
          field={LINK_ACTIONS[open]}
          directory={directory}
          onClose={onClose}
          onCreated={onChanged}
        />
      )
  }
}
