import { type FormEvent, useRef, useState } from 'react'
import type { SigningCredential } from '../../api.ts'
import { Dialog } from '../../components/Dialog.tsx'
import { ProblemAlert } from '../../components/feedback.tsx'
import {
  type FieldErrors,
  focusFirstInvalid,
  hasErrors,
  SubmitButton,
  serverFieldErrors,
  TextField,
} from '../../components/forms.tsx'
import { useAction } from '../../components/hooks.ts'
import { useI18n } from '../../i18n/index.tsx'

const PIN_MIN = 6

/** A PIN field: hidden, digits keyboard on phones, never autofilled. */
function PinInput(props: {
  name: string
  id: string
  label: string
  hint?: string
  value: string
  error?: string
  onChange: (value: string) => void
}) {
  return (
    <TextField
      name={props.name}
      id={props.id}
      type="password"
      inputMode="numeric"
      autoComplete="off"
      spellCheck={false}
      label={props.label}
      hint={props.hint}
      value={props.value}
      error={props.error}
      onChange={(event) => props.onChange(event.target.value)}
    />
  )
}

/** Nhập chứng thư số: a PKCS#12 file, its password, a new signing PIN typed twice. */
export function CredentialImportForm({
  idPrefix,
  pinHint,
  onImport,
  onDone,
}: {
  idPrefix: string
  pinHint?: string
  onImport: (form: FormData) => Promise<SigningCredential>
  onDone: (credential: SigningCredential) => void
}) {
  const { t, pick } = useI18n()
  const action = useAction()
  const formRef = useRef<HTMLFormElement>(null)
  const [file, setFile] = useState<File | null>(null)
  const [password, setPassword] = useState('')
  const [pin, setPin] = useState('')
  const [pin2, setPin2] = useState('')
  const [local, setLocal] = useState<FieldErrors>({})
  const errors = hasErrors(local) ? local : serverFieldErrors(action.error, pick)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const found: FieldErrors = {}
    if (!file) found.file = t('signing.import.fileRequired')
    if (pin.length < PIN_MIN) found.pin = t('signing.import.pinHint')
    else if (pin !== pin2) found.pin2 = t('signing.import.pinMismatch')
    setLocal(found)
    if (hasErrors(found) || !file) return focusFirstInvalid(formRef.current)
    const form = new FormData()
    form.set('password', password)
    form.set('pin', pin)
    form.set('file', file, file.name)
    const result = await action.run(() => onImport(form))
    if (!result.ok) return focusFirstInvalid(formRef.current)
    setPassword('')
    setPin('')
    setPin2('')
    setFile(null)
    formRef.current?.reset()
    onDone(result.value)
  }

  return (
    <form
      ref={formRef}
      className="form"
      noValidate
      onSubmit={(event) => void submit(event)}
      data-testid={`${idPrefix}-import-form`}
    >
      <h3 className="subsection-title">{t('signing.import.title')}</h3>
      <ProblemAlert
        error={action.error}
        shownFields={['file', 'password', 'pin']}
        testId={`${idPrefix}-import-error`}
      />
      <div className="form__grid">
        <div className={errors.file ? 'field field--invalid' : 'field'}>
          <label htmlFor={`${idPrefix}-file`} className="field__label">
            {t('signing.import.file')}
          </label>
          {errors.file && (
            <p id={`${idPrefix}-file-error`} className="field__error" data-testid={`error-${idPrefix}-file`}>
              {errors.file}
            </p>
          )}
          <input
            id={`${idPrefix}-file`}
            name="file"
            type="file"
            accept=".p12,.pfx,application/x-pkcs12"
            className="input"
            aria-invalid={errors.file ? true : undefined}
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        </div>
        <TextField
          name="password"
          id={`${idPrefix}-password`}
          type="password"
          autoComplete="off"
          label={t('signing.import.password')}
          hint={t('signing.import.passwordHint')}
          value={password}
          error={errors.password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <PinInput
          name="pin"
          id={`${idPrefix}-pin`}
          label={t('signing.import.pin')}
          hint={pinHint ?? t('signing.import.pinHint')}
          value={pin}
          error={errors.pin}
          onChange={setPin}
        />
        <PinInput
          name="pin2"
          id={`${idPrefix}-pin2`}
          label={t('signing.import.pin2')}
          value={pin2}
          error={errors.pin2}
          onChange={setPin2}
        />
      </div>
      <div className="form-actions">
        <SubmitButton
          pending={action.pending}
          label={t('signing.import.submit')}
          testId={`${idPrefix}-import-submit`}
        />
      </div>
    </form>
  )
}

/** Đổi mã PIN: the current PIN (a wrong one counts towards the lock) and the new one twice. */
export function ChangePinDialog({
  onChangePin,
  onClose,
  onDone,
}: {
  onChangePin: (oldPin: string, newPin: string) => Promise<void>
  onClose: () => void
  onDone: () => void
}) {
  const { t, pick, formatDateTime } = useI18n()
  const action = useAction()
  const formRef = useRef<HTMLFormElement>(null)
  const [values, setValues] = useState({ oldPin: '', newPin: '', newPin2: '' })
  const [local, setLocal] = useState<FieldErrors>({})
  const errors = hasErrors(local) ? local : serverFieldErrors(action.error, pick)
  const set = (name: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [name]: value }))
  const pinProblem =
    action.error?.code === 'wrong-pin' || action.error?.code === 'credential-locked'
      ? action.error.code === 'wrong-pin'
        ? action.error.problem.attemptsLeft === undefined
          ? t('signing.sign.wrongPinNoCount')
          : t('signing.sign.wrongPin', { n: action.error.problem.attemptsLeft })
        : t('signing.sign.locked', { time: formatDateTime(action.error.problem.lockedUntil) })
      : null

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const found: FieldErrors = {}
    if (!values.oldPin) found.oldPin = t('signing.sign.pinRequired')
    if (values.newPin.length < PIN_MIN) found.newPin = t('signing.import.pinHint')
    else if (values.newPin !== values.newPin2) found.newPin2 = t('signing.import.pinMismatch')
    setLocal(found)
    if (hasErrors(found)) return focusFirstInvalid(formRef.current)
    const result = await action.run(() => onChangePin(values.oldPin, values.newPin))
    if (result.ok) onDone()
    else focusFirstInvalid(formRef.current)
  }

  return (
    <Dialog title={t('signing.pin.title')} onClose={onClose} testId="change-pin-dialog">
      <form ref={formRef} className="form" noValidate onSubmit={(event) => void submit(event)}>
        <PinInput
          name="oldPin"
          id="pin-old"
          label={t('signing.pin.old')}
          value={values.oldPin}
          error={pinProblem ?? errors.oldPin}
          onChange={set('oldPin')}
        />
        <PinInput
          name="newPin"
          id="pin-new"
          label={t('signing.pin.new')}
          hint={t('signing.import.pinHint')}
          value={values.newPin}
          error={errors.newPin}
          onChange={set('newPin')}
        />
        <PinInput
          name="newPin2"
          id="pin-new2"
          label={t('signing.pin.new2')}
          value={values.newPin2}
          error={errors.newPin2}
          onChange={set('newPin2')}
        />
        {!pinProblem && (
          <ProblemAlert error={action.error} shownFields={['oldPin', 'newPin']} testId="pin-error" />
        )}
        <div className="form-actions">
          <SubmitButton pending={action.pending} label={t('signing.cred.changePin')} testId="pin-submit" />
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

/** The certificate names someone else than its holder: said beside its state, wherever it is listed. */
export function CredentialNameWarning({ credential }: { credential: SigningCredential }) {
  const { pick } = useI18n()
  if (!credential.nameWarning) return null
  return (
    <p className="credential-warning" role="note" data-testid="credential-name-warning">
      ⚠ {pick(credential.nameWarning.message, credential.nameWarning.messageEn)}
    </p>
  )
}

/** "Sẵn sàng ký" / "Đã hết hạn" / "Tạm khóa đến …", and a name that is not the holder's. */
export function CredentialState({ credential }: { credential: SigningCredential }) {
  return (
    <>
      <CredentialStateBadge credential={credential} />
      <CredentialNameWarning credential={credential} />
    </>
  )
}

function CredentialStateBadge({ credential }: { credential: SigningCredential }) {
  const { t, formatDateTime } = useI18n()
  if (credential.retiredAt)
    return (
      <span className="verdict" data-testid="credential-state" data-state="retired">
        {t('signing.cred.retiredState')}
      </span>
    )
  if (credential.locked)
    return (
      <span className="verdict verdict--invalid" data-testid="credential-state" data-state="locked">
        🔒 {t('signing.cred.locked', { time: formatDateTime(credential.lockedUntil) })}
      </span>
    )
  if (credential.expired)
    return (
      <span className="verdict verdict--indeterminate" data-testid="credential-state" data-state="expired">
        ⚠ {t('signing.cred.expired')}
      </span>
    )
  return (
    <span className="verdict verdict--valid" data-testid="credential-state" data-state="ready">
      ✓ {t('signing.cred.ready')}
    </span>
  )
}

/** The CN of an RFC 4514-ish subject ("CN=Nguyễn Văn A, O=…"), else the whole subject. */
export function commonName(subject: string): string {
  const match = /(?:^|[,/]\s*)CN=([^,/]+)/.exec(subject)
  return match?.[1]?.trim() ?? subject
}
