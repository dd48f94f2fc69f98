import { type FormEvent, useEffect, useRef, useState } from 'react'
import {
  type ApiError,
  type BatchResult,
  mySigningApi,
  type SignaturePlacement,
  signingApi,
  toApiError,
} from '../../api.ts'
import { Dialog } from '../../components/Dialog.tsx'
import { Alert, LoadingState, ProblemAlert } from '../../components/feedback.tsx'
import { SelectField, SubmitButton, TextField } from '../../components/forms.tsx'
import { useLoad } from '../../components/hooks.ts'
import { useI18n } from '../../i18n/index.tsx'
import { pinProblemText, signErrorText } from './labels.ts'
import { PlacementChooser, positionLabel } from './PlacementChooser.tsx'

export interface DocumentToSign {
  id: string
  label: string
  /** Pages of the PDF to sign: the highest page a hand-picked signature position may name. */
  pageCount?: number | null
}

type Step = { kind: 'pin' } | { kind: 'running'; done: number } | { kind: 'results'; results: BatchResult[] }

/** Codes that stop the whole run: the PIN or the credential is the problem, not one document. */
const PIN_CODES = new Set(['wrong-pin', 'credential-locked'])

/**
 * Ký số: one PIN entry for one or several documents. One document goes to POST …/sign; several go to
 * sign-batch one at a time, so the progress bar shows real progress ("Đang ký 2/5…"). A wrong PIN
 * keeps the dialog on the PIN (with the attempts left); the end is a result line per document.
 */
export function SignDialog({
  documents,
  onClose,
  onFinished,
}: {
  documents: readonly DocumentToSign[]
  onClose: () => void
  /** Called once signing has ended with at least one attempt made (the lists behind should reload). */
  onFinished: (results: BatchResult[]) => void
}) {
  const { t, formatDateTime } = useI18n()
  const credentials = useLoad((signal) => mySigningApi.credentials(signal), [])
  const usable = (credentials.data?.items ?? []).filter((c) => !c.expired)
  const [credentialId, setCredentialId] = useState('')
  const [pin, setPin] = useState('')
  const [pinError, setPinError] = useState<string | null>(null)
  const [failure, setFailure] = useState<ApiError | null>(null)
  const [step, setStep] = useState<Step>({ kind: 'pin' })
  // Chosen by hand after the server found no signer block (one document only).
  const [placement, setPlacement] = useState<{ value: SignaturePlacement; text: string } | null>(null)
  const pinRef = useRef<HTMLInputElement>(null)
  const doneRef = useRef<HTMLButtonElement>(null)
  const total = documents.length

  // The PIN field appears once the certificates are known: the cursor goes there, and back after a refusal.
  const ready = credentials.data !== undefined
  useEffect(() => {
    if (step.kind === 'results') doneRef.current?.focus()
    if (step.kind === 'pin' && ready) pinRef.current?.focus()
  }, [step.kind, ready])

  const signOne = async (doc: DocumentToSign, chosen: string | undefined): Promise<BatchResult> => {
    if (total === 1) {
      const file = await signingApi.sign(doc.id, { pin, credentialId: chosen, placement: placement?.value })
      return { documentId: doc.id, ok: true, fileId: file.id }
    }
    const answer = await signingApi.signBatch([doc.id], pin, chosen)
    return answer.results[0] ?? { documentId: doc.id, ok: false, code: 'unknown' }
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (step.kind !== 'pin') return
    if (!pin) {
      setPinError(t('signing.sign.pinRequired'))
      pinRef.current?.focus()
      return
    }
    setPinError(null)
    setFailure(null)
    const chosen = credentialId || usable[0]?.id
    const results: BatchResult[] = []
    for (const [index, doc] of documents.entries()) {
      setStep({ kind: 'running', done: index })
      try {
        results.push(await signOne(doc, chosen))
      } catch (reason) {
        const error = toApiError(reason)
        if (index === 0 && PIN_CODES.has(error.code)) {
          // Nothing was signed: back to the PIN, with what the server said about attempts or the lock.
          setPin('')
          setPinError(pinProblemText(t, formatDateTime, error))
          setStep({ kind: 'pin' })
          return
        }
        if (index === 0 && total === 1 && error.status === 0) {
          setFailure(error)
          setStep({ kind: 'pin' })
          return
        }
        results.push({ documentId: doc.id, ok: false, code: error.code, status: error.status })
        if (PIN_CODES.has(error.code) || error.status === 0) {
          for (const rest of documents.slice(index + 1))
            results.push({ documentId: rest.id, ok: false, code: error.code, status: error.status })
          break
        }
      }
    }
    setPin('')
    setStep({ kind: 'results', results })
    onFinished(results)
  }

  const title = total === 1 ? t('signing.sign.title') : t('signing.sign.titleMany', { n: total })
  const labelOf = (documentId: string) => documents.find((d) => d.id === documentId)?.label ?? documentId
  const running = step.kind === 'running'

  return (
    <Dialog title={title} onClose={running ? () => undefined : onClose} testId="sign-dialog">
      {step.kind !== 'results' && (
        <>
          <h3 className="subsection-title">{t('signing.sign.documents')}</h3>
          <ul className="sign-docs" data-testid="sign-documents">
            {documents.map((doc) => (
              <li key={doc.id}>{doc.label}</li>
            ))}
          </ul>
        </>
      )}
      {step.kind === 'pin' && credentials.error && (
        <ProblemAlert error={credentials.error} testId="sign-credentials-error" />
      )}
      {step.kind === 'pin' && !credentials.data && !credentials.error && <LoadingState />}
      {step.kind === 'pin' && credentials.data && usable.length === 0 && (
        <Alert kind="warning" testId="sign-no-credential">
          {t('signing.sign.noCredential')}
        </Alert>
      )}
      {step.kind === 'pin' && usable.length > 0 && (
        <form className="form" noValidate onSubmit={(event) => void submit(event)} data-testid="sign-form">
          {usable.length > 1 && (
            <SelectField
              name="credentialId"
              id="sign-credential"
              label={t('signing.sign.credential')}
              value={credentialId || usable[0]?.id}
              onChange={(event) => setCredentialId(event.target.value)}
            >
              {usable.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label || c.subject}
                </option>
              ))}
            </SelectField>
          )}
          <TextField
            ref={pinRef}
            name="pin"
            id="sign-pin"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            spellCheck={false}
            label={t('signing.sign.pin')}
            hint={t('signing.sign.pinHint')}
            value={pin}
            onChange={(event) => setPin(event.target.value)}
            error={pinError ?? undefined}
            data-autofocus
          />
          {placement && (
            <Alert kind="info" testId="sign-placement">
              {placement.text}
            </Alert>
          )}
          <ProblemAlert error={failure} testId="sign-error" />
          <div className="form-actions">
            <SubmitButton pending={false} label={t('signing.sign.submit')} testId="sign-submit" />
            <button type="button" className="btn" onClick={onClose} data-testid="sign-cancel">
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      {running && (
        <div className="sign-progress" role="status" aria-live="polite" data-testid="sign-progress">
          <p>{t('signing.sign.progress', { done: Math.min(step.done + 1, total), total })}</p>
          <progress
            max={total}
            value={step.done}
            aria-label={t('signing.sign.progress', { done: step.done, total })}
          />
        </div>
      )}
      {step.kind === 'results' && (
        <>
          <p className="alert__title" role="status" data-testid="sign-summary">
            {t('signing.queue.signedSummary', { ok: step.results.filter((r) => r.ok).length, total })}
          </p>
          <ul className="sign-results" data-testid="sign-results">
            {step.results.map((result) => (
              <li
                key={result.documentId}
                className={result.ok ? 'sign-result sign-result--ok' : 'sign-result sign-result--failed'}
                data-testid="sign-result"
                data-ok={result.ok}
              >
                <strong>{result.ok ? t('signing.sign.ok') : t('signing.sign.failed')}</strong> —{' '}
                {labelOf(result.documentId)}
                {!result.ok && <span className="sign-result__reason">{signErrorText(t, result.code)}</span>}
              </li>
            ))}
          </ul>
          {total === 1 && step.results[0]?.code === 'signature-placement-needed' && (
            <PlacementChooser
              pageCount={documents[0]?.pageCount ?? 1}
              onChoose={(value, page, position) => {
                setPlacement({
                  value,
                  text: t('signing.place.chosen', { page, position: positionLabel(t, position) }),
                })
                setStep({ kind: 'pin' })
              }}
            />
          )}
          <div className="form-actions">
            <button
              ref={doneRef}
              type="button"
              className="btn btn--primary"
              onClick={onClose}
              data-testid="sign-done"
            >
              {t('signing.sign.done')}
            </button>
          </div>
        </>
      )}
    </Dialog>
  )
}
