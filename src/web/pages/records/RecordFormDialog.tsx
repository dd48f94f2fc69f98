import { type FormEvent, useRef, useState } from 'react'
import { Dialog } from '../../components/Dialog.tsx'
import { ProblemAlert } from '../../components/feedback.tsx'
import { type FieldErrors, focusFirstInvalid, hasErrors, SelectField, SubmitButton, serverFieldErrors, TextField } from '../../components/forms.tsx'
import { useAction } from '../../components/hooks.ts'
import { useI18n } from '../../i18n/index.tsx'

export interface FormDialogField {
  /** The API's field name: the server's field errors land beside it. */
  name: string
  label: string
  type?: 'text' | 'date' | 'number' | 'textarea' | 'select'
  /** For type 'select': value and label of each choice. */
  options?: { value: string; label: string }[]
  required?: boolean
  initial?: string
  hint?: string
}

/**
 * The records pages' small forms (a reason, a hold, a decision, an access request) in one modal: the
 * first field has the focus, Enter submits, Escape cancels, required fields are checked before sending
 * and the server's refusals land beside their field.
 */
export function RecordFormDialog({
  title,
  fields,
  submitLabel,
  onSubmit,
  onClose,
  testId,
  intro,
}: {
  title: string
  fields: FormDialogField[]
  submitLabel: string
  onSubmit: (values: Record<string, string>) => Promise<unknown>
  onClose: () => void
  testId: string
  /** A line above the fields (what the form does, what happens next). */
  intro?: string
}) {
  const { t, pick } = useI18n()
  const run = useAction()
  const formRef = useRef<HTMLFormElement>(null)
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.name, f.initial ?? ''])))
  const [errors, setErrors] = useState<FieldErrors>({})

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const local: FieldErrors = {}
    for (const field of fields) if (field.required && !values[field.name]?.trim()) local[field.name] = t('records.form.required')
    setErrors(local)
    if (hasErrors(local)) return focusFirstInvalid(formRef.current)
    const result = await run.run(() => onSubmit(values))
    if (!result.ok && result.error) {
      setErrors(serverFieldErrors(result.error, pick))
      focusFirstInvalid(formRef.current)
    }
  }

  return (
    <Dialog title={title} onClose={onClose} testId={testId}>
      <form ref={formRef} className="form" noValidate onSubmit={(event) => void submit(event)}>
        {intro && <p className="dialog__message">{intro}</p>}
        {fields.map((field) => {
          const id = `${testId}-${field.name}`
          const common = { name: field.name, id, label: field.label, error: errors[field.name], optional: !field.required, hint: field.hint }
          const onChange = (event: { target: { value: string } }) => setValues((v) => ({ ...v, [field.name]: event.target.value }))
          if (field.type === 'select') {
            return (
              <SelectField key={field.name} {...common} value={values[field.name]} onChange={onChange}>
                {(field.options ?? []).map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </SelectField>
            )
          }
          return field.type === 'textarea' ? (
            <div key={field.name} className={errors[field.name] ? 'field field--invalid' : 'field'}>
              <label htmlFor={id} className="field__label">
                {field.label}
                {!field.required && <span className="field__optional"> {t('common.optional')}</span>}
              </label>
              {errors[field.name] && (
                <p id={`${id}-error`} className="field__error" data-testid={`error-${id}`}>
                  {errors[field.name]}
                </p>
              )}
              <textarea
                id={id}
                name={field.name}
                className="input"
                rows={3}
                maxLength={2000}
                value={values[field.name]}
                onChange={onChange}
                aria-invalid={errors[field.name] ? true : undefined}
                aria-describedby={errors[field.name] ? `${id}-error` : undefined}
              />
            </div>
          ) : (
            <TextField key={field.name} {...common} type={field.type ?? 'text'} value={values[field.name]} onChange={onChange} autoComplete="off" />
          )
        })}
        <ProblemAlert error={run.error} shownFields={fields.map((f) => f.name)} testId={`${testId}-error`} />
        <div className="form-actions">
          <SubmitButton pending={run.pending} label={submitLabel} testId={`${testId}-submit`} />
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
