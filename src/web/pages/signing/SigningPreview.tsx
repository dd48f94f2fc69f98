import { type SignatureRequest, signingApi } from '../../api.ts'
import { Alert, LoadingState } from '../../components/feedback.tsx'
import { useLoad } from '../../components/hooks.ts'
import { PdfViewer } from '../../components/PdfViewer.tsx'
import { useI18n } from '../../i18n/index.tsx'
import { Link } from '../../router.tsx'
import { signErrorText } from './labels.ts'

/**
 * The focused request's PDF with the signature drawn where signing would put it. The placement is asked
 * first: when the server cannot place it (no signer block found…), the reason is said in words and the
 * document is shown as it is.
 */
export function SigningPreview({ request }: { request: SignatureRequest }) {
  const { t, pick } = useI18n()
  const documentId = request.document.id
  const placement = useLoad((signal) => signingApi.placement(documentId, 'personal', signal), [documentId])
  const open = (
    <Link to={`/documents/${documentId}`} className="btn btn--small" data-testid="queue-open">
      {t('signing.queue.openDocument')}
    </Link>
  )
  const fileName = request.file?.fileName ?? request.document.subject ?? ''
  if (placement.loading && !placement.data) return <LoadingState />
  if (placement.error) {
    const reason =
      placement.error.status === 422
        ? signErrorText(t, placement.error.code)
        : pick(placement.error.problem.title, placement.error.problem.titleEn)
    return (
      <>
        <Alert kind="warning" testId="queue-preview-problem">
          {t('signing.queue.previewFailed', { reason })}
        </Alert>
        {request.file && (
          <PdfViewer
            src={`/api/documents/${encodeURIComponent(documentId)}/files/${encodeURIComponent(request.file.id)}/content?disposition=inline`}
            fileName={fileName}
            mediaType="application/pdf"
            toolbar={open}
            testId="queue-preview"
          />
        )}
      </>
    )
  }
  return (
    <>
      {placement.data && !placement.data.visible && (
        <Alert kind="info" testId="queue-preview-invisible">
          {t('signing.queue.invisible')}
        </Alert>
      )}
      <PdfViewer
        src={signingApi.previewUrl(documentId, 'personal')}
        fileName={t('signing.queue.previewOf', { name: fileName })}
        mediaType="application/pdf"
        page={placement.data?.page ?? undefined}
        toolbar={open}
        testId="queue-preview"
      />
    </>
  )
}
