import { useState } from 'react'
import { shortFileName } from '../../components/FileName.tsx'
import type { DocumentFile } from '../../api.ts'
import { inlineContentUrl, PdfViewer, previewKind } from '../../components/PdfViewer.tsx'
import { useI18n } from '../../i18n/index.tsx'
import { fileRoleLabel } from './labels.ts'

/**
 * The file a reader wants first: the newest signed PDF (what was issued), else the original PDF, else
 * any file the browser can show, else the first.
 */
export function mainFile(files: readonly DocumentFile[]): DocumentFile | undefined {
  const viewable = (f: DocumentFile) => previewKind(f.mediaType) !== 'none'
  const signed = files.filter((f) => f.role === 'signed' && viewable(f))
  const newestSigned = signed.reduce<DocumentFile | undefined>(
    (newest, f) => (!newest || f.createdAt > newest.createdAt ? f : newest),
    undefined,
  )
  return (
    newestSigned ??
    files.find((f) => f.role === 'original' && viewable(f)) ??
    files.find(viewable) ??
    files[0]
  )
}

/** The document's files shown in place, the main one first, with a switcher when there are several. */
export function DocumentFileViewer({ files, page }: { files: readonly DocumentFile[]; page?: number }) {
  const { t } = useI18n()
  const [chosenId, setChosenId] = useState<string | null>(null)
  const file = files.find((f) => f.id === chosenId) ?? mainFile(files)
  if (!file) return null
  const switcher = files.length > 1 && (
    <label className="viewer__switch">
      <span className="sr-only">{t('document.viewerFile')}</span>
      <select
        className="input"
        value={file.id}
        onChange={(event) => setChosenId(event.target.value)}
        data-testid="viewer-file-switch"
      >
        {files.map((f) => (
          <option key={f.id} value={f.id}>
            {fileRoleLabel(t, f.role)} — {shortFileName(f.fileName, 48)}
          </option>
        ))}
      </select>
    </label>
  )
  return (
    <section className="document__viewer" aria-label={t('document.viewer')} data-testid="document-viewer">
      <PdfViewer
        src={inlineContentUrl(file.contentUrl)}
        fileName={file.fileName}
        mediaType={file.mediaType}
        page={page}
        downloadUrl={file.contentUrl}
        toolbar={switcher || undefined}
      />
    </section>
  )
}
