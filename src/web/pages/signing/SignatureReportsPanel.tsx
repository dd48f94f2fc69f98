import { useEffect, useState } from 'react'
import { shortFileName } from '../../components/FileName.tsx'
import {
  type DocumentFile,
  type DocumentVerdict,
  type SignatureCheck,
  type SignatureReport,
  signingApi,
} from '../../api.ts'
import { ErrorState, LoadingState, ProblemAlert } from '../../components/feedback.tsx'
import { useAction, useLoad } from '../../components/hooks.ts'
import { useI18n } from '../../i18n/index.tsx'
import { useAuthenticated } from '../../session.tsx'
import { commonName } from './CredentialForms.tsx'
import { DOCUMENT_VERDICTS, documentReasonText, reasonText, VERDICTS } from './labels.ts'
import './signing.css'

/**
 * Chữ ký số: for each PDF of the document, its newest verification report, one row per signature
 * (icon + colour + words), and "Kiểm tra lại". Files known to carry no signature show nothing.
 */
export function SignatureReportsPanel({
  documentId,
  files,
  version,
  onChanged,
}: {
  documentId: string
  files: readonly DocumentFile[]
  version: number
  /** A renewal stored a new signed file. */
  onChanged: () => void
}) {
  const { user } = useAuthenticated()
  // Gia hạn: the clerk for the agency's documents, the archivist for the records kept.
  const mayRenew = user.roles.includes('clerk') || user.roles.includes('archivist')
  // Kept here: the renewed file replaces the one whose button was pressed.
  const [renewed, setRenewed] = useState<string | null>(null)
  const renewedNow = (message: string) => {
    setRenewed(message)
    onChanged()
  }
  const { t } = useI18n()
  const [checked, setChecked] = useState(0)
  const reports = useLoad((signal) => signingApi.reports(documentId, signal), [documentId, version, checked])
  const pdfs = files.filter((f) => f.mediaType === 'application/pdf')
  const latest = (fileId: string) => reports.data?.items.find((r) => r.fileId === fileId)
  const stateOf = (fileId: string) => reports.data?.files?.find((f) => f.fileId === fileId)
  const hasSignatures = (fileId: string) =>
    (stateOf(fileId)?.signatureCount ?? 0) > 0 || (latest(fileId)?.signatureCount ?? 0) > 0
  // Each signature makes a new signed rendition holding all earlier ones: only the newest is shown. Other
  // files (an incoming signed original) are shown when they carry signatures.
  const signed = pdfs
    .filter((f) => f.role === 'signed')
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  const shown = [...signed.slice(0, 1), ...pdfs.filter((f) => f.role !== 'signed' && hasSignatures(f.id))]
  const verifying = shown.some((f) => stateOf(f.id)?.verifying)

  // A check job is running (a file that just arrived): look again in a moment, after every answer.
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new answer re-arms the timer.
  useEffect(() => {
    if (!verifying) return
    const timer = window.setTimeout(() => setChecked((n) => n + 1), 2000)
    return () => window.clearTimeout(timer)
  }, [verifying, reports.data])

  if (reports.data && shown.length === 0) return null

  return (
    <section
      className="card document__section"
      aria-labelledby="doc-signatures-title"
      data-testid="signature-reports"
    >
      <h2 id="doc-signatures-title" className="section-title">
        {t('signing.report.title')}
      </h2>
      {renewed && (
        <p className="alert alert--success" role="status" data-testid="signature-renewed">
          {renewed}
        </p>
      )}
      {reports.loading && !reports.data && <LoadingState />}
      {reports.error && <ErrorState error={reports.error} onRetry={reports.reload} />}
      {reports.data &&
        shown.map((file, index) => (
          <FileReport
            key={file.id}
            documentId={documentId}
            file={file}
            report={latest(file.id)}
            verifying={stateOf(file.id)?.verifying ?? false}
            onChecked={() => setChecked((n) => n + 1)}
            // Renewal extends the document's newest signed PDF: the first file shown.
            onRenewed={mayRenew && index === 0 ? renewedNow : undefined}
          />
        ))}
    </section>
  )
}

function FileReport({
  documentId,
  file,
  report,
  verifying,
  onChecked,
  onRenewed,
}: {
  documentId: string
  file: DocumentFile
  report: SignatureReport | undefined
  verifying: boolean
  onChecked: () => void
  /** Set when this person may renew this file's signatures; gets the message to show. */
  onRenewed: ((message: string) => void) | undefined
}) {
  const { t, formatDate, formatDateTime } = useI18n()
  const action = useAction()
  const renewal = useAction()
  const check = async () => {
    const result = await action.run(() => signingApi.verifyFile(documentId, file.id))
    if (result.ok) onChecked()
  }
  const renew = async () => {
    const result = await renewal.run(() => signingApi.renew(documentId))
    if (!result.ok) return
    onRenewed?.(
      result.value.renewBy
        ? t('signing.report.renewed', { date: formatDate(result.value.renewBy) })
        : t('signing.report.renewedNoDate'),
    )
  }
  return (
    <div className="sig-report" data-testid="signature-report" data-file-id={file.id}>
      <div className="sig-report__head">
        <h3 className="subsection-title">{t('signing.report.of', { name: shortFileName(file.fileName) })}</h3>
        <button
          type="button"
          className="btn btn--small"
          aria-busy={action.pending || undefined}
          onClick={() => void check()}
          data-testid="signature-recheck"
        >
          {action.pending
            ? t('signing.report.checking')
            : report
              ? t('signing.report.recheck')
              : t('signing.report.check')}
        </button>
        {onRenewed && (
          <button
            type="button"
            className="btn btn--small"
            title={t('signing.report.renewHint')}
            aria-busy={renewal.pending || undefined}
            disabled={renewal.pending}
            onClick={() => void renew()}
            data-testid="signature-renew"
          >
            {renewal.pending ? t('signing.report.renewing') : t('signing.report.renew')}
          </button>
        )}
      </div>
      <ProblemAlert error={action.error} testId="signature-check-error" />
      <ProblemAlert error={renewal.error} testId="signature-renew-error" />
      {verifying && (
        <p className="muted" role="status" data-testid="signature-verifying">
          <span className="spinner" aria-hidden="true" /> {t('signing.report.verifying')}
        </p>
      )}
      {!report && !verifying && <p className="muted">{t('signing.report.notChecked')}</p>}
      {report?.error === 'unreadable-pdf' && (
        <p className="alert alert--error" data-testid="signature-unreadable">
          {t('signing.report.unreadable')}
        </p>
      )}
      {report?.documentVerdict && (
        <DocumentVerdictBanner verdict={report.documentVerdict} reasons={report.documentReasons} />
      )}
      {report && (
        <>
          <p className="muted" data-testid="signature-verified-at">
            {t('signing.report.verifiedAt', { time: formatDateTime(report.verifiedAt) })}
          </p>
          {report.signatures.length === 0 && <p>{t('signing.report.noSignatures')}</p>}
          {report.modifiedAfterLastSignature && !report.documentVerdict && (
            <p className="alert alert--warning" data-testid="signature-modified">
              {t('signing.report.modified')}
            </p>
          )}
          {report.signatures.map((signature) => (
            <SignatureRow key={signature.field} signature={signature} />
          ))}
        </>
      )}
    </div>
  )
}

/**
 * The answer for the document as it is shown now, before any signature: a signature can be intact over
 * content changed afterwards, and a reader must not mistake that for a green light.
 */
function DocumentVerdictBanner({ verdict, reasons }: { verdict: DocumentVerdict; reasons: string[] }) {
  const { t } = useI18n()
  const shown = DOCUMENT_VERDICTS[verdict] ?? DOCUMENT_VERDICTS.indeterminate
  // The codes that explain a verdict short of valid; a valid document needs no list.
  const listed =
    verdict === 'valid'
      ? []
      : reasons.filter((code) => code !== 'signature-indeterminate' || reasons.length === 1)
  return (
    <section
      className={`doc-verdict doc-verdict--${shown.tone}`}
      role="status"
      aria-label={t('verify.document.label')}
      data-testid="document-verdict"
      data-verdict={verdict}
    >
      <p className="doc-verdict__title">
        <span aria-hidden="true">{shown.icon}</span> {t(shown.key)}
      </p>
      <p className="doc-verdict__help">{t(shown.help)}</p>
      {listed.length > 0 && (
        <ul className="doc-verdict__reasons" data-testid="document-reasons">
          {listed.map((code) => (
            <li key={code} data-code={code}>
              {documentReasonText(t, code)}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function SignatureRow({ signature }: { signature: SignatureCheck }) {
  const { t, formatDateTime } = useI18n()
  const verdict = VERDICTS[signature.verdict] ?? VERDICTS.indeterminate
  // Intact, but the document changed afterwards (permitted): never the plain green "valid".
  const changedAfter = signature.verdict === 'valid' && signature.modification === 'allowed'
  const name =
    signature.type === 'document-timestamp'
      ? t('signing.report.timestampField')
      : signature.signer
        ? (signature.signer.commonName ?? commonName(signature.signer.subject))
        : t('signing.report.unknownSigner')
  const { timestamped, claimed, source, used } = signature.signingTime
  const time =
    source === 'document-timestamp'
      ? t('signing.report.timeDocumentTimestamp', { time: formatDateTime(used) })
      : timestamped
        ? t('signing.report.timeStamped', { time: formatDateTime(timestamped) })
        : claimed
          ? t('signing.report.timeClaimed', { time: formatDateTime(claimed) })
          : t('signing.report.timeUnknown')
  // The verdict-setting reason first, then the others; a clean signature gets one reassuring line.
  const reasons = signature.reasons.length > 0 ? signature.reasons : []
  return (
    <article
      className={`sig-row sig-row--${changedAfter ? 'changed' : signature.verdict}`}
      data-testid="signature-row"
      data-verdict={signature.verdict}
      data-type={signature.type}
      aria-label={`${name}: ${changedAfter ? t('verify.signature.validWithChanges') : t(verdict.key)}`}
    >
      <p>
        <span
          className={`verdict verdict--${changedAfter ? 'changed' : signature.verdict}`}
          data-testid="signature-verdict"
        >
          <span aria-hidden="true">{verdict.icon}</span>{' '}
          {changedAfter ? t('verify.signature.validWithChanges') : t(verdict.key)}
        </span>{' '}
        <strong data-testid="signature-signer">{name}</strong>
      </p>
      <dl className="summary">
        {signature.signer && (
          <div className="summary__row">
            <dt>{t('signing.report.issuer')}</dt>
            <dd title={signature.signer.issuer}>{commonName(signature.signer.issuer)}</dd>
          </div>
        )}
        <div className="summary__row">
          <dt>{t('signing.report.time')}</dt>
          <dd data-testid="signature-time">{time}</dd>
        </div>
        {signature.type === 'signature' && (
          <div className="summary__row">
            <dt>{t('signing.report.level')}</dt>
            <dd data-testid="signature-level">
              {signature.level ? `PAdES ${signature.level}` : t('signing.report.levelNone')}
            </dd>
          </div>
        )}
        <div className="summary__row">
          <dt>{t('signing.report.revocation')}</dt>
          <dd data-testid="signature-revocation">{t(`signing.report.revocation.${signature.revocation}`)}</dd>
        </div>
      </dl>
      <ul
        className="sig-row__reasons"
        aria-label={t('signing.report.reasonTitle')}
        data-testid="signature-reasons"
      >
        {reasons.length === 0 && <li>{t('signing.reason.ok')}</li>}
        {reasons.map((code) => (
          <li key={code} data-code={code}>
            {reasonText(t, code)}
          </li>
        ))}
      </ul>
    </article>
  )
}
