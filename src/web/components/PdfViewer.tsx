import { type ReactNode, useEffect, useState } from 'react'
import { FileName } from './FileName.tsx'
import { useI18n } from '../i18n/index.tsx'
import { LoadingState } from './feedback.tsx'

export type PreviewKind = 'pdf' | 'image' | 'none'

/**
 * How a browser can show a file: PDFs in a frame, PNG/JPEG as an image, anything else (TIFF) not at
 * all. The server serves exactly these inline; a local file without a type is judged by its name.
 */
export function previewKind(mediaType: string, fileName = ''): PreviewKind {
  if (mediaType === 'application/pdf' || (!mediaType && /\.pdf$/i.test(fileName))) return 'pdf'
  if (mediaType === 'image/png' || mediaType === 'image/jpeg' || (!mediaType && /\.(png|jpe?g)$/i.test(fileName))) {
    return 'image'
  }
  return 'none'
}

/** A stored file's URL for showing it in place (`Content-Disposition: inline`, frameable by our pages). */
export function inlineContentUrl(contentUrl: string): string {
  return `${contentUrl}?disposition=inline`
}

/** An object URL for a local file, revoked when the file changes or the caller unmounts. */
export function useObjectUrl(file: File | null | undefined): string | null {
  const [current, setCurrent] = useState<{ file: File; url: string } | null>(null)
  useEffect(() => {
    if (!file) return
    const url = URL.createObjectURL(file)
    setCurrent({ file, url })
    return () => URL.revokeObjectURL(url)
  }, [file])
  // Until the effect has run for a new file, the old (revoked) URL is never handed out.
  return current && current.file === file ? current.url : null
}

interface PdfViewerProps {
  /** The inline URL of a stored file, or an object URL of a local one. */
  src: string
  fileName: string
  mediaType: string
  /** Opens the PDF at this page (`#page=N`, understood by the browsers' built-in viewers). */
  page?: number
  /** Where "Tải xuống" points; without it (a local file) the link is left out. */
  downloadUrl?: string
  /** Controls shown in the viewer's bar, such as a file switcher. */
  toolbar?: ReactNode
  testId?: string
}

/**
 * A PDF (or a scanned image) shown inside the page, with its name as a visible title, a loading state
 * until the frame has loaded, and the two ways out: open in a new tab, download.
 */
export function PdfViewer({ src, fileName, mediaType, page, downloadUrl, toolbar, testId = 'pdf-viewer' }: PdfViewerProps) {
  const { t } = useI18n()
  const kind = previewKind(mediaType, fileName)
  const shownUrl = kind === 'pdf' && page ? `${src}#page=${page}` : src
  const [loadedUrl, setLoadedUrl] = useState<string | null>(null)
  const loading = kind !== 'none' && loadedUrl !== shownUrl
  const [failed, setFailed] = useState<string | null>(null)

  return (
    <figure className="viewer" data-testid={testId} aria-busy={loading || undefined}>
      <figcaption className="viewer__bar">
        <FileName name={fileName} className="viewer__title" testId="viewer-title" />
        {toolbar}
        <span className="viewer__links">
          <a href={shownUrl} target="_blank" rel="noopener" className="btn btn--small" data-testid="viewer-open">
            {t('viewer.openNewTab')}
          </a>
          {downloadUrl && (
            <a href={downloadUrl} download={fileName} className="btn btn--small" data-testid="viewer-download">
              {t('viewer.download')}
            </a>
          )}
        </span>
      </figcaption>
      <div className="viewer__stage">
        {loading && failed !== shownUrl && <LoadingState label={t('viewer.loading')} />}
        {kind === 'pdf' && (
          // A new frame per URL: a changed #page then always reaches the viewer.
          <iframe
            key={shownUrl}
            src={shownUrl}
            title={t('viewer.frameTitle', { name: fileName })}
            className="viewer__frame"
            onLoad={() => setLoadedUrl(shownUrl)}
            data-testid="viewer-frame"
          />
        )}
        {kind === 'image' && failed !== shownUrl && (
          <img
            key={shownUrl}
            src={shownUrl}
            alt={t('viewer.imageAlt', { name: fileName })}
            className="viewer__image"
            onLoad={() => setLoadedUrl(shownUrl)}
            onError={() => setFailed(shownUrl)}
            data-testid="viewer-image"
          />
        )}
        {(kind === 'none' || failed === shownUrl) && (
          <p className="viewer__note" data-testid="viewer-no-preview">
            {kind === 'none' ? t('viewer.noPreview') : t('viewer.failed')}
          </p>
        )}
      </div>
    </figure>
  )
}
