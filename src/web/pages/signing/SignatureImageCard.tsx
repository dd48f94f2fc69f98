import { type FormEvent, useRef, useState } from 'react'
import type { SignatureImage } from '../../api.ts'
import { ConfirmDialog } from '../../components/Dialog.tsx'
import { LoadingState, ErrorState, ProblemAlert, SuccessMessage } from '../../components/feedback.tsx'
import { SubmitButton } from '../../components/forms.tsx'
import { useAction, useLoad } from '../../components/hooks.ts'
import { useObjectUrl } from '../../components/PdfViewer.tsx'
import { useI18n } from '../../i18n/index.tsx'

const MAX_BYTES = 512 * 1024

/**
 * A signature or seal image: the current one on a sheet of paper (as it will look on the document),
 * a PNG to upload with its own preview first, and removal.
 */
export function SignatureImageCard({
  idPrefix,
  title,
  intro,
  alt,
  noneText,
  uploadedText,
  removeConfirmText,
  imageUrl,
  exists,
  upload,
  remove,
}: {
  idPrefix: string
  title: string
  intro: string
  alt: string
  /** Said on the empty sheet when no image is stored. */
  noneText: string
  /** Said after an upload: "hình chữ ký" or "hình con dấu", whichever this card holds. */
  uploadedText: string
  removeConfirmText: string
  imageUrl: string
  exists: (signal: AbortSignal) => Promise<boolean>
  upload: (form: FormData) => Promise<SignatureImage>
  remove: () => Promise<void>
}) {
  const { t } = useI18n()
  const [version, setVersion] = useState(0)
  const current = useLoad(exists, [version])
  const action = useAction()
  const [file, setFile] = useState<File | null>(null)
  const [fileError, setFileError] = useState<string | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [removing, setRemoving] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)
  const localUrl = useObjectUrl(file)

  const choose = (chosen: File | null) => {
    setMessage(null)
    setFile(null)
    if (!chosen) return setFileError(null)
    if (chosen.type !== 'image/png' && !/\.png$/i.test(chosen.name))
      return setFileError(t('signing.image.notPng'))
    if (chosen.size > MAX_BYTES) return setFileError(t('signing.image.tooLarge'))
    setFileError(null)
    setFile(chosen)
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!file) return setFileError(fileError ?? t('signing.image.fileRequired'))
    const form = new FormData()
    form.set('file', file, file.name)
    const result = await action.run(() => upload(form))
    if (!result.ok) return
    setFile(null)
    formRef.current?.reset()
    setMessage(uploadedText)
    setVersion((v) => v + 1)
  }

  return (
    <section className="card" aria-labelledby={`${idPrefix}-title`} data-testid={`${idPrefix}-card`}>
      <h2 id={`${idPrefix}-title`} className="card__title">
        {title}
      </h2>
      <p className="muted">{intro}</p>
      <SuccessMessage message={message} testId={`${idPrefix}-success`} />
      <div className="image-card">
        {current.error && <ErrorState error={current.error} onRetry={current.reload} />}
        {current.data === undefined && !current.error && <LoadingState />}
        {current.data === false && (
          <p className="paper muted" data-testid={`${idPrefix}-none`}>
            {noneText}
          </p>
        )}
        {current.data === true && (
          <figure className="paper" data-testid={`${idPrefix}-current`}>
            {/* The version defeats the browser cache after an upload. */}
            <img src={`${imageUrl}?v=${version}`} alt={alt} data-testid={`${idPrefix}-image`} />
          </figure>
        )}
        {localUrl && (
          <figure className="paper" data-testid={`${idPrefix}-new`}>
            <img src={localUrl} alt={t('signing.image.newPreview')} />
          </figure>
        )}
      </div>
      <form ref={formRef} className="form" noValidate onSubmit={(event) => void submit(event)}>
        <div className={fileError ? 'field field--invalid' : 'field'}>
          <label htmlFor={`${idPrefix}-file`} className="field__label">
            {t('signing.image.file')}
          </label>
          {fileError && (
            <p id={`${idPrefix}-file-error`} className="field__error" data-testid={`error-${idPrefix}-file`}>
              {fileError}
            </p>
          )}
          <input
            id={`${idPrefix}-file`}
            name="file"
            type="file"
            accept="image/png"
            className="input"
            aria-invalid={fileError ? true : undefined}
            aria-describedby={fileError ? `${idPrefix}-file-error` : undefined}
            onChange={(event) => choose(event.target.files?.[0] ?? null)}
          />
        </div>
        <ProblemAlert error={action.error} testId={`${idPrefix}-error`} />
        <div className="form-actions">
          <SubmitButton
            pending={action.pending}
            label={t('signing.image.upload')}
            testId={`${idPrefix}-upload`}
          />
          {current.data === true && (
            <button
              type="button"
              className="btn btn--danger-outline"
              onClick={() => setRemoving(true)}
              data-testid={`${idPrefix}-remove`}
            >
              {t('signing.image.remove')}
            </button>
          )}
        </div>
      </form>
      {removing && (
        <ConfirmDialog
          message={removeConfirmText}
          confirmLabel={t('signing.image.remove')}
          danger
          onClose={() => setRemoving(false)}
          onConfirm={async () => {
            await remove()
            setRemoving(false)
            setMessage(t('signing.image.removed'))
            setVersion((v) => v + 1)
          }}
        />
      )}
    </section>
  )
}
