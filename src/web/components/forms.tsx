import {
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
  useState,
} from 'react'
import type { ApiError } from '../api.ts'
import { type MessageKey, type Translate, useI18n } from '../i18n/index.tsx'
import { normaliseField } from './feedback.tsx'

export type FieldErrors = Record<string, string>

interface FieldShell {
  name: string
  /** Defaults to `name`; give forms on one page distinct ids. */
  id?: string
  label: ReactNode
  hint?: ReactNode
  error?: string
  optional?: boolean
}

function describedBy(id: string, hint: ReactNode, error: string | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean)
  return ids.length ? ids.join(' ') : undefined
}

function FieldFrame({
  id,
  label,
  hint,
  error,
  optional,
  children,
}: Omit<FieldShell, 'name'> & { id: string; children: ReactNode }) {
  const { t } = useI18n()
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label htmlFor={id} className="field__label">
        {label}
        {optional && <span className="field__optional"> {t('common.optional')}</span>}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field__error" data-testid={`error-${id}`}>
          {error}
        </p>
      )}
      {children}
    </div>
  )
}

type TextFieldProps = FieldShell &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'name'> & { ref?: Ref<HTMLInputElement> }

export function TextField({ name, id = name, label, hint, error, optional, ref, ...input }: TextFieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} optional={optional}>
      <input
        ref={ref}
        id={id}
        name={name}
        type="text"
        className="input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...input}
      />
    </FieldFrame>
  )
}

/** A password input with a show/hide toggle, for passwords an administrator has to pass on. */
export function PasswordField({
  name,
  id = name,
  label,
  hint,
  error,
  optional,
  ...input
}: Omit<TextFieldProps, 'type'>) {
  const { t } = useI18n()
  const [visible, setVisible] = useState(false)
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} optional={optional}>
      <div className="input-with-button">
        <input
          id={id}
          name={name}
          type={visible ? 'text' : 'password'}
          className="input"
          autoComplete="new-password"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
          {...input}
        />
        <button
          type="button"
          className="btn btn--small"
          aria-pressed={visible}
          aria-controls={id}
          onClick={() => setVisible((v) => !v)}
          data-testid={`${id}-toggle`}
        >
          {t('common.showPassword')}
        </button>
      </div>
    </FieldFrame>
  )
}

type SelectFieldProps = FieldShell & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'name'>

export function SelectField({
  name,
  id = name,
  label,
  hint,
  error,
  optional,
  children,
  ...select
}: SelectFieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} optional={optional}>
      <select
        id={id}
        name={name}
        className="input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...select}
      >
        {children}
      </select>
    </FieldFrame>
  )
}

type CheckboxProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'id'> & {
  id: string
  label: ReactNode
  hint?: ReactNode
}

export function Checkbox({ id, label, hint, ...input }: CheckboxProps) {
  return (
    <div className="checkbox">
      <input id={id} type="checkbox" aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="field__hint checkbox__hint">
          {hint}
        </p>
      )}
    </div>
  )
}

/** A group of checkboxes under one legend, with the group's error announced with it. */
export function CheckboxGroup({
  id,
  legend,
  hint,
  error,
  children,
}: {
  id: string
  legend: ReactNode
  hint?: ReactNode
  error?: string
  children: ReactNode
}) {
  return (
    <fieldset
      id={id}
      className={error ? 'fieldset field--invalid' : 'fieldset'}
      aria-describedby={describedBy(id, hint, error)}
      aria-invalid={error ? true : undefined}
      tabIndex={error ? -1 : undefined}
    >
      <legend className="field__label">{legend}</legend>
      {hint && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field__error" data-testid={`error-${id}`}>
          {error}
        </p>
      )}
      <div className="checkbox-group">{children}</div>
    </fieldset>
  )
}

/** Field errors of a problem, keyed by field name, in the current language. */
export function serverFieldErrors(
  error: ApiError | null,
  pick: (vi: string, en: string) => string,
): FieldErrors {
  const result: FieldErrors = {}
  for (const e of error?.problem.errors ?? []) {
    const field = normaliseField(e.field)
    const message = pick(e.message, e.messageEn)
    result[field] ??= message
    // `roles.1` belongs to the `roles` group.
    result[field.split('.')[0] ?? field] ??= message
  }
  return result
}

/** "Vui lòng nhập …" for every listed field that is blank. */
export function requireFields(
  values: Record<string, string>,
  fields: Record<string, MessageKey>,
  t: Translate,
): FieldErrors {
  const errors: FieldErrors = {}
  for (const [name, labelKey] of Object.entries(fields)) {
    if (!values[name]?.trim()) errors[name] = t('validation.required', { field: lowerFirst(t(labelKey)) })
  }
  return errors
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLocaleLowerCase() + text.slice(1)
}

/** After a failed submit, put the cursor in the first field that needs fixing. */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  setTimeout(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0)
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0
}

export function SubmitButton({
  pending,
  label,
  pendingLabel,
  testId,
  kind = 'primary',
  disabled,
}: {
  pending: boolean
  label: string
  pendingLabel?: string
  testId: string
  kind?: 'primary' | 'danger' | 'secondary'
  disabled?: boolean
}) {
  const { t } = useI18n()
  return (
    <button
      type="submit"
      className={`btn btn--${kind}`}
      // Not `disabled` while pending: that would drop keyboard focus; useAction ignores repeats instead.
      disabled={disabled}
      aria-disabled={pending || undefined}
      aria-busy={pending || undefined}
      data-testid={testId}
    >
      {pending ? (pendingLabel ?? t('common.working')) : label}
    </button>
  )
}
