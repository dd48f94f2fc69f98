import { useState } from 'react'
import { FileName } from '../../components/FileName.tsx'
import {
  type DocumentRecord,
  documentsApi,
  type OutgoingDocument,
  outgoingApi,
  type RoutingState,
  type TimelineStep,
} from '../../api.ts'
import { EmptyState, ErrorState, LoadingState, SuccessMessage } from '../../components/feedback.tsx'
import { useLoad } from '../../components/hooks.ts'
import { DocumentTextPanel } from '../../components/DocumentTextPanel.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { inlineContentUrl } from '../../components/PdfViewer.tsx'
import { type MessageKey, type Translate, useI18n } from '../../i18n/index.tsx'
import { useLocation } from '../../router.tsx'
import {
  actionLabel,
  fileRoleLabel,
  formatSize,
  isOverdue,
  roleLabel,
  SECRECY_KEYS,
  statusLabel,
  URGENCY_KEYS,
} from './labels.ts'
import { type Directory, loadDirectory } from './directory.ts'
import { DocumentFileViewer, mainFile } from './DocumentFileViewer.tsx'
import { RoutingDialog } from './RoutingDialog.tsx'
import { DocumentSigningPanel } from '../signing/DocumentSigningPanel.tsx'
import { SignatureReportsPanel } from '../signing/SignatureReportsPanel.tsx'
import { OutgoingPanel } from '../outgoing/OutgoingPanel.tsx'
import { channelLabel, copyFormLabel, deliveryLabel, reviewKindLabel } from '../outgoing/labels.ts'

/** One document: its register fields, files, routing (what I may do now) and history. */
export function DocumentPage({ documentId }: { documentId: string }) {
  const { t } = useI18n()
  const doc = useLoad((signal) => documentsApi.get(documentId, signal), [documentId])
  const { query } = useLocation()
  const [version, setVersion] = useState(0)
  const directory = useLoad(loadDirectory, []).data ?? null
  // A văn bản đi of the drafting flow: its outgoing view (state, links, allowedActions) feeds both the
  // outgoing panel and the signing panel, whose buttons follow the same allowedActions.
  const flow = doc.data ? doc.data.direction === 'outgoing' && doc.data.outgoingFlow !== false : null
  const outgoing = useLoad(
    (signal): Promise<OutgoingDocument | undefined> =>
      flow ? outgoingApi.get(documentId, signal) : Promise.resolve(undefined),
    [documentId, version, flow],
  )
  const changed = () => {
    setVersion((v) => v + 1)
    doc.reload()
  }
  const title = doc.data
    ? doc.data.numberNotation || doc.data.subject || t('document.title')
    : t('document.title')

  return (
    <div className="page" data-testid="page-document">
      <PageHeader title={title} />
      {doc.loading && !doc.data && <LoadingState />}
      {doc.error && <ErrorState error={doc.error} onRetry={doc.reload} />}
      {doc.data && (
        <div className={doc.data.files.length > 0 ? 'document document--with-viewer' : 'document'}>
          <DocumentFileViewer files={doc.data.files} page={linkedPage(query, doc.data.files)} />
          <div className="document__side">
            <Metadata doc={doc.data} />
            {flow && <OutgoingPanel view={outgoing} directory={directory} onChanged={changed} />}
            {(!flow || outgoing.data) && (
              <DocumentSigningPanel
                doc={doc.data}
                directory={directory}
                version={version}
                outgoingActions={flow ? (outgoing.data?.allowedActions ?? []) : null}
                onChanged={changed}
              />
            )}
            <SignatureReportsPanel
              documentId={documentId}
              files={doc.data.files}
              version={version}
              onChanged={() => {
                setVersion((v) => v + 1)
                doc.reload()
              }}
            />
            <DocumentTextPanel documentId={documentId} files={doc.data.files} onSettled={doc.reload} />
            <RoutingPanel
              directory={directory}
              documentId={documentId}
              version={version}
              onChanged={() => {
                setVersion((v) => v + 1)
                doc.reload()
              }}
            />
            <Timeline documentId={documentId} version={version} directory={directory} />
            <Files doc={doc.data} />
          </div>
        </div>
      )}
    </div>
  )
}

/** `?page=N` (from a search snippet) opens the viewer there, if `?file=` is absent or is the file shown. */
function linkedPage(query: URLSearchParams, files: DocumentRecord['files']): number | undefined {
  const page = Number(query.get('page'))
  const file = query.get('file')
  if (!Number.isInteger(page) || page < 1) return undefined
  return !file || file === mainFile(files)?.id ? page : undefined
}

function Metadata({ doc }: { doc: DocumentRecord }) {
  const { t, formatDate } = useI18n()
  const overdue = isOverdue(doc.dueDate, doc.status)
  const outgoing = doc.direction === 'outgoing'
  const rows: [string, string, string][] = [
    ['status', t('doc.status'), statusLabel(t, doc.status)],
    ...(outgoing
      ? ([
          ['numberNotation', t('doc.numberNotation'), doc.numberNotation ?? t('doc.outgoing.notNumbered')],
          ['issuedDate', t('doc.outgoing.issuedDate'), formatDate(doc.issuedDate)],
        ] as [string, string, string][])
      : ([
          ['arrivalNumber', t('doc.arrivalNumber'), doc.arrivalNumber === null ? '—' : String(doc.arrivalNumber)],
          ['arrivalDate', t('doc.arrivalDate'), formatDate(doc.arrivalDate)],
          ['issuer', t('doc.issuer'), doc.issuerName ?? '—'],
          ['numberNotation', t('doc.numberNotation'), doc.numberNotation ?? '—'],
          ['issuedDate', t('doc.issuedDate'), formatDate(doc.issuedDate)],
        ] as [string, string, string][])),
    ['kind', t('doc.kind'), doc.kind ?? '—'],
    ['subject', t('doc.subject'), doc.subject ?? '—'],
    ['signer', t('doc.signer'), [doc.signerName, doc.signerPosition].filter(Boolean).join(' — ') || '—'],
    ...(outgoing ? ([['toPlaces', t('doc.outgoing.toPlaces'), doc.toPlaces ?? '—']] as [string, string, string][]) : []),
    ['urgency', t('doc.urgency'), t(URGENCY_KEYS[doc.urgency] ?? 'doc.urgency.0')],
    ['secrecy', t('doc.secrecy'), t(SECRECY_KEYS[doc.secrecy] ?? 'doc.secrecy.0')],
    ['pageCount', t('doc.pageCount'), doc.pageCount === null ? '—' : String(doc.pageCount)],
    ['notes', t('doc.notes'), doc.description ?? '—'],
  ]
  return (
    <section
      className="card document__section"
      aria-labelledby="doc-meta-title"
      data-testid="document-metadata"
    >
      <h2 id="doc-meta-title" className="section-title">
        {t('document.metadata')}
      </h2>
      <dl className="summary">
        {rows.map(([key, label, value]) => (
          <div className="summary__row" key={key} data-testid={`meta-${key}`}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
        <div className="summary__row" data-testid="meta-dueDate">
          <dt>{t('doc.dueDate')}</dt>
          <dd className={overdue ? 'overdue' : undefined}>
            {doc.dueDate ? formatDate(doc.dueDate) : '—'}
            {overdue && ` (${t('doc.overdue')})`}
          </dd>
        </div>
      </dl>
    </section>
  )
}

function Files({ doc }: { doc: DocumentRecord }) {
  const { t } = useI18n()
  return (
    <section
      className="card document__section"
      aria-labelledby="doc-files-title"
      data-testid="document-files"
    >
      <h2 id="doc-files-title" className="section-title">
        {t('document.files')}
      </h2>
      {doc.files.length === 0 ? (
        <EmptyState testId="files-empty">
          <p>{t('document.noFiles')}</p>
        </EmptyState>
      ) : (
        <ul className="file-list">
          {doc.files.map((file) => (
            <li key={file.id} className="file-list__item" data-testid="file-row">
              <FileName name={file.fileName} className="file-list__name" testId="file-name" />
              <span className="muted">
                {fileRoleLabel(t, file.role)} · {formatSize(file.size)}
                {file.pageCount ? ` · ${t('document.pages', { n: file.pageCount })}` : ''}
              </span>
              <span className="row-actions">
                <a
                  href={inlineContentUrl(file.contentUrl)}
                  target="_blank"
                  rel="noopener"
                  className="btn btn--small"
                  data-testid="file-open"
                >
                  {t('document.openFile')}
                </a>
                <a
                  href={file.contentUrl}
                  download={file.fileName}
                  className="btn btn--small"
                  data-testid="file-download"
                >
                  {t('document.download')}
                </a>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function RoutingPanel({
  directory,
  documentId,
  version,
  onChanged,
}: {
  directory: Directory | null
  documentId: string
  version: number
  onChanged: () => void
}) {
  const { t, formatDate } = useI18n()
  const routing = useLoad((signal) => documentsApi.routing(documentId, signal), [documentId, version])
  const [open, setOpen] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const state: RoutingState | undefined = routing.data

  return (
    <section
      className="card document__section"
      aria-labelledby="doc-routing-title"
      data-testid="routing-panel"
    >
      <h2 id="doc-routing-title" className="section-title">
        {t('routing.title')}
      </h2>
      <SuccessMessage message={done} testId="routing-success" />
      {routing.loading && !state && <LoadingState />}
      {routing.error && <ErrorState error={routing.error} onRetry={routing.reload} />}
      {state && (
        <>
          <p>
            {t('doc.status')}:{' '}
            <span className={`status status--${state.status}`} data-testid="routing-status">
              {statusLabel(t, state.status)}
            </span>
          </p>
          {state.allowedActions.length === 0 ? (
            <p className="muted" data-testid="routing-no-actions">
              {t('routing.noActions')}
            </p>
          ) : (
            <div className="row-actions row-actions--wrap" data-testid="routing-actions">
              {state.allowedActions.map((action) => (
                <button
                  key={action}
                  type="button"
                  className="btn"
                  onClick={() => {
                    setDone(null)
                    setOpen(action)
                  }}
                  data-testid={`routing-${action}`}
                >
                  {actionLabel(t, action)}
                </button>
              ))}
            </div>
          )}
          {state.participants.length > 0 && (
            <>
              <h3 className="subsection-title">{t('routing.participants')}</h3>
              <ul className="participants" data-testid="routing-participants">
                {state.participants.map((p) => (
                  <li key={`${p.role}-${p.userId ?? ''}-${p.departmentId ?? ''}`} data-testid="participant">
                    <strong>{roleLabel(t, p.role)}</strong>:{' '}
                    {[directory?.departmentName(p.departmentId), directory?.personName(p.userId)]
                      .filter(Boolean)
                      .join(' — ') || <span className="mono">{p.userId ?? p.departmentId ?? '—'}</span>}
                    {p.deadline && ` · ${t('doc.dueDate')} ${formatDate(p.deadline)}`}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      {open && (
        <RoutingDialog
          documentId={documentId}
          directory={directory}
          action={open}
          onClose={() => setOpen(null)}
          onStale={onChanged}
          onDone={() => {
            setDone(t('routing.done', { action: actionLabel(t, open) }))
            setOpen(null)
            onChanged()
          }}
        />
      )}
    </section>
  )
}

function Timeline({
  documentId,
  version,
  directory,
}: {
  documentId: string
  version: number
  directory: Directory | null
}) {
  const { t, formatDateTime } = useI18n()
  const timeline = useLoad((signal) => documentsApi.timeline(documentId, signal), [documentId, version])
  const steps: TimelineStep[] = [...(timeline.data ?? [])].sort((a, b) => a.seq - b.seq)
  return (
    <section className="card document__section" aria-labelledby="doc-timeline-title" data-testid="timeline">
      <h2 id="doc-timeline-title" className="section-title">
        {t('timeline.title')}
      </h2>
      {timeline.loading && !timeline.data && <LoadingState />}
      {timeline.error && <ErrorState error={timeline.error} onRetry={timeline.reload} />}
      {timeline.data && steps.length === 0 && (
        <EmptyState testId="timeline-empty">
          <p>{t('timeline.empty')}</p>
        </EmptyState>
      )}
      {steps.length > 0 && (
        <ol className="timeline">
          {steps.map((step) => (
            <li
              key={step.seq}
              className="timeline__step"
              data-testid="timeline-step"
              data-action={step.action}
            >
              <p className="timeline__head">
                <time dateTime={step.createdAt}>{formatDateTime(step.createdAt)}</time>{' '}
                <strong>{actionLabel(t, step.action)}</strong>
              </p>
              <p className="muted">
                {step.actorName ?? t('timeline.system')}
                {step.actorDepartmentName && ` — ${step.actorDepartmentName}`}
              </p>
              {step.comment && <p className="timeline__comment">{step.comment}</p>}
              <Details details={step.details} directory={directory} />
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}

const DETAIL_KEYS: Record<string, MessageKey> = {
  leaderName: 'timeline.detail.leader',
  userName: 'timeline.detail.user',
  deadline: 'doc.dueDate',
  requestedDeadline: 'routing.requestedDeadline',
  previousDeadline: 'timeline.detail.previousDeadline',
  progress: 'timeline.detail.progress',
  lead: 'routing.role.lead',
  cooperating: 'routing.role.cooperating',
  informed: 'routing.role.informed',
  replyDocumentId: 'timeline.detail.reply',
  incomingNumber: 'timeline.detail.incomingNumber',
  receivedDate: 'timeline.detail.receivedDate',
  numberNotation: 'timeline.detail.numberNotation',
  signerName: 'timeline.detail.signerName',
  signer: 'timeline.detail.signer',
  level: 'timeline.detail.level',
  fileName: 'timeline.detail.fileName',
  renewBy: 'timeline.detail.renewBy',
  duplicateConfirmed: 'timeline.detail.duplicateConfirmed',
  fileCode: 'timeline.detail.fileCode',
  title: 'timeline.detail.title',
  decisionNumber: 'timeline.detail.decisionNumber',
  // Văn bản đi
  round: 'timeline.detail.round',
  version: 'timeline.detail.version',
  reviewers: 'timeline.detail.reviewers',
  kind: 'timeline.detail.reviewKind',
  outgoingNumber: 'timeline.detail.outgoingNumber',
  issuedDate: 'outgoing.issuedDate',
  deliveries: 'timeline.detail.deliveries',
  onDocument: 'timeline.detail.onDocument',
  reason: 'timeline.detail.reason',
  recipient: 'timeline.detail.recipient',
  channel: 'outgoing.drafts.channel',
  from: 'timeline.detail.fromState',
  state: 'timeline.detail.deliveryState',
  form: 'outgoing.copy.form',
  byNumberNotation: 'timeline.detail.byNumberNotation',
  pages: 'outgoing.copy.pages',
}
const DATE_KEYS = new Set([
  'deadline',
  'requestedDeadline',
  'previousDeadline',
  'receivedDate',
  'renewBy',
  'issuedDate',
])
/** Outgoing steps' values in words: a delivery's channel and states, a copy's form. */
const OUTGOING_VALUES: Record<string, (t: Translate, value: string) => string> = {
  channel: channelLabel,
  from: deliveryLabel,
  state: deliveryLabel,
  form: copyFormLabel,
}
/** `kind` is a review's kind (content, format) on outgoing steps; elsewhere it keeps its own name. */
const labelKey = (key: string, value: unknown): MessageKey | undefined =>
  key === 'kind' && value !== 'content' && value !== 'format' ? undefined : DETAIL_KEYS[key]
/** Ids the outgoing steps record for the audit trail; the names beside them say it for people. */
const HIDDEN_KEYS = new Set([
  'registerId',
  'fileId',
  'signerId',
  'signatureRequestId',
  'copyId',
  'copyOf',
  'byDocumentId',
  'decidedBy',
  'next',
  'recipientId',
])

/**
 * The step's details (leader chosen, deadline…) as label: value lines. Recipients are named from the
 * agency directory (the timeline sends ids only).
 */
function Details({ details, directory }: { details: Record<string, unknown>; directory: Directory | null }) {
  const { t, formatDate } = useI18n()
  const recipient = (value: unknown): string => {
    if (!value || typeof value !== 'object') return String(value)
    const r = value as { departmentId?: string; userId?: string }
    return [
      r.departmentId &&
        (directory?.departmentName(r.departmentId) ?? t('timeline.detail.unit', { id: r.departmentId })),
      r.userId && (directory?.personName(r.userId) ?? t('timeline.detail.person', { id: r.userId })),
    ]
      .filter(Boolean)
      .join(', ')
  }
  const entries = Object.entries(details ?? {}).filter(([key, value]) => {
    if (value === null || value === undefined || value === '') return false
    if (Array.isArray(value) && value.length === 0) return false
    if (HIDDEN_KEYS.has(key)) return false
    if (key === 'leaderId' && details.leaderName) return false
    if (key === 'userId' && details.userName) return false
    // Records steps carry ids for links; the code and title say it to people.
    if (key === 'recordFileId' || key === 'holdId' || key === 'transferId' || key === 'disposalId') return false
    return true
  })
  if (entries.length === 0) return null
  return (
    <dl className="timeline__details">
      {entries.map(([key, value]) => {
        let text: string
        if (DATE_KEYS.has(key) && typeof value === 'string') text = formatDate(value)
        else if (key === 'progress') text = `${String(value)}%`
        else if (key === 'deliveries' && value && typeof value === 'object')
          text = Object.entries(value as Record<string, number>)
            .map(([state, count]) => `${deliveryLabel(t, state)}: ${count}`)
            .join('; ')
        else if (key === 'kind' && (value === 'content' || value === 'format'))
          text = reviewKindLabel(t, value)
        else if (typeof value === 'string' && OUTGOING_VALUES[key])
          text = OUTGOING_VALUES[key](t, value)
        else if (value === true) text = t('timeline.detail.yes')
        else if (Array.isArray(value)) text = value.map(recipient).join('; ')
        else if (typeof value === 'object') text = recipient(value)
        else text = String(value)
        return (
          <div key={key}>
            <dt>{labelKey(key, value) ? t(labelKey(key, value)!) : key}:</dt>
            <dd>{key === 'fileName' ? <FileName name={text} /> : text}</dd>
          </div>
        )
      })}
    </dl>
  )
}
