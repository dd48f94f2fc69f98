import { useEffect, useRef } from 'react'
import { FileName } from './FileName.tsx'
import { ApiError, type DocumentFile, type Problem } from '../api.ts'
import { type MessageKey, type Translate, useI18n } from '../i18n/index.tsx'
import { EmptyState, ErrorState, LoadingState } from './feedback.tsx'
import { useLoad } from './hooks.ts'

/** GET /api/documents/:id/text, as the server sends it. */
export interface DocumentText {
  files: FileText[]
}

export interface FileText {
  fileId: string
  state: 'pending' | 'running' | 'done' | 'failed'
  pagesDone: number
  pagesTotal: number | null
  jobId: string | null
  ocrPages: number
  meanConfidence: number | null
  errorCode: string | null
  errorMessage: string | null
  pages: { pageNumber: number; text: string; engine: 'text-layer' | 'ocr'; confidence: number | null }[]
}

/** While a file is being read, its state is asked for again at this pace. */
const POLL_MS = 1000

async function loadText(documentId: string, signal: AbortSignal): Promise<DocumentText> {
  const response = await fetch(`/api/documents/${encodeURIComponent(documentId)}/text`, {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
    signal,
  })
  if (!response.ok) {
    const problem = (await response.json().catch(() => null)) as Problem | null
    throw new ApiError(
      problem ?? {
        type: 'about:blank',
        code: 'client-error',
        title: '',
        titleEn: '',
        status: response.status,
      },
    )
  }
  return (await response.json()) as DocumentText
}

/** The engine's error codes (src/text/errors.ts) in words; anything else shows the server's message. */
const ERROR_KEYS: Record<string, MessageKey> = {
  'unreadable-file': 'text.error.unreadable',
  'too-many-pages': 'text.error.tooManyPages',
  'image-too-large': 'text.error.imageTooLarge',
  'ocr-failed': 'text.error.ocrFailed',
  'ocr-unavailable': 'text.error.ocrUnavailable',
}

function failureText(t: Translate, file: FileText): string {
  const key = file.errorCode ? ERROR_KEYS[file.errorCode] : undefined
  return key ? t(key) : t('text.error.generic', { message: file.errorMessage ?? file.errorCode ?? '' })
}

/**
 * Văn bản nhận dạng: the text read from each file, page by page, beside the viewer. While a file is
 * still being read it shows a progress bar and asks again every second; it stops once every file is done
 * or failed.
 */
export function DocumentTextPanel({
  documentId,
  files,
  onSettled,
}: {
  documentId: string
  files: readonly DocumentFile[]
  /** Called when the last running extraction ends (a searchable rendition may have been added). */
  onSettled?: () => void
}) {
  const { t } = useI18n()
  const text = useLoad((signal) => loadText(documentId, signal), [documentId])
  const busy = text.data?.files.some((f) => f.state === 'pending' || f.state === 'running') ?? false
  const { reload, loading } = text
  const wasBusy = useRef(false)
  useEffect(() => {
    if (wasBusy.current && !busy) onSettled?.()
    wasBusy.current = busy
  }, [busy, onSettled])
  useEffect(() => {
    if (!busy || loading) return
    const timer = setTimeout(reload, POLL_MS)
    return () => clearTimeout(timer)
  }, [busy, loading, reload])

  const extracted = text.data?.files ?? []
  return (
    <section className="card document__section" aria-labelledby="doc-text-title" data-testid="document-text">
      <h2 id="doc-text-title" className="section-title">
        {t('text.title')}
      </h2>
      {text.loading && !text.data && <LoadingState />}
      {text.error && !text.data && <ErrorState error={text.error} onRetry={text.reload} />}
      {text.data && extracted.length === 0 && (
        <EmptyState testId="text-empty">
          <p>{t('text.none')}</p>
        </EmptyState>
      )}
      {extracted.map((file) => (
        <FileTextView
          key={file.fileId}
          file={file}
          fileName={files.find((f) => f.id === file.fileId)?.fileName}
          showName={extracted.length > 1}
        />
      ))}
    </section>
  )
}

function FileTextView({
  file,
  fileName,
  showName,
}: {
  file: FileText
  fileName?: string | undefined
  showName: boolean
}) {
  const { t } = useI18n()
  return (
    <div data-testid="text-file" data-state={file.state}>
      {showName && fileName && (
        <h3 className="subsection-title">
          <FileName name={fileName} />
        </h3>
      )}
      {(file.state === 'pending' || file.state === 'running') && (
        <div role="status" aria-live="polite">
          <progress
            value={file.pagesTotal ? file.pagesDone : undefined}
            max={file.pagesTotal ?? undefined}
            aria-label={t('text.progressLabel')}
            data-testid="text-progress"
            style={{ width: '100%' }}
          />
          <p className="muted">
            {file.state === 'pending'
              ? t('text.pending')
              : file.pagesTotal
                ? t('text.running', { done: file.pagesDone, total: file.pagesTotal })
                : t('text.starting')}
          </p>
        </div>
      )}
      {file.state === 'failed' && (
        <div className="alert alert--error" role="alert" data-testid="text-failed">
          <p className="alert__title">{t('text.failed')}</p>
          <p>{failureText(t, file)}</p>
        </div>
      )}
      {file.state === 'done' && file.pages.length === 0 && <p className="muted">{t('text.noPages')}</p>}
      {file.state === 'done' && file.pages.length > 0 && (
        // A long document scrolls inside the panel, so the routing panel below stays within reach.
        <div style={{ maxHeight: '60vh', overflowY: 'auto' }} data-testid="text-pages">
          {file.pages.map((page) => (
            <article key={page.pageNumber} data-testid="text-page" data-engine={page.engine}>
              <h4 className="subsection-title">
                {t('text.page', { n: page.pageNumber })}{' '}
                <small className="muted" data-testid="text-page-engine">
                  {page.engine === 'ocr'
                    ? page.confidence === null
                      ? t('text.engine.ocr')
                      : t('text.engine.ocrConfidence', { confidence: Math.round(page.confidence) })
                    : t('text.engine.textLayer')}
                </small>
              </h4>
              {page.text.trim() ? (
                <p style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} lang="vi">
                  {page.text}
                </p>
              ) : (
                <p className="muted">{t('text.blankPage')}</p>
              )}
            </article>
          ))}
        </div>
      )}
    </div>
  )
}
