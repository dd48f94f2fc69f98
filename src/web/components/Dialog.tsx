import { type ReactNode, useId, useLayoutEffect, useRef } from 'react'
import { useI18n } from '../i18n/index.tsx'
import { ProblemAlert } from './feedback.tsx'
import { useAction } from './hooks.ts'

/**
 * A modal built on the native <dialog>: the browser traps focus, Escape closes it, the page behind is
 * inert. Opening moves focus to `[data-autofocus]` or the first field; closing returns it to the opener.
 * The dialog is open while mounted: render it conditionally.
 */
export function Dialog({
  title,
  onClose,
  children,
  testId,
  wide = false,
}: {
  title: string
  onClose: () => void
  children: ReactNode
  testId?: string
  wide?: boolean
}) {
  const { t } = useI18n()
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()

  useLayoutEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    if (!dialog.open) dialog.showModal()
    const first = dialog.querySelector<HTMLElement>(
      '[data-autofocus], .dialog__body input:not([type=hidden]), .dialog__body select, .dialog__body textarea, .dialog__body button',
    )
    first?.focus()
    return () => {
      dialog.close()
      if (opener?.isConnected) opener.focus()
    }
  }, [])

  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog--wide' : 'dialog'}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault()
        onClose()
      }}
    >
      <div className="dialog__header">
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        <button
          type="button"
          className="btn btn--ghost dialog__close"
          onClick={onClose}
          aria-label={t('common.close')}
          data-testid="dialog-close"
        >
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div className="dialog__body">{children}</div>
    </dialog>
  )
}

/** "Are you sure?" for consequential actions; shows the server's refusal inside the dialog. */
export function ConfirmDialog({
  message,
  confirmLabel,
  danger = false,
  onConfirm,
  onClose,
}: {
  message: string
  confirmLabel: string
  danger?: boolean
  /** Resolves when done; the caller closes the dialog (usually by unmounting it) on success. */
  onConfirm: () => Promise<unknown>
  onClose: () => void
}) {
  const { t } = useI18n()
  const action = useAction()
  return (
    <Dialog title={t('common.confirmTitle')} onClose={onClose} testId="confirm-dialog">
      <p className="dialog__message">{message}</p>
      <ProblemAlert error={action.error} />
      <div className="form-actions">
        <button
          type="button"
          className={danger ? 'btn btn--danger' : 'btn btn--primary'}
          aria-busy={action.pending || undefined}
          onClick={() => void action.run(onConfirm)}
          data-testid="confirm-ok"
        >
          {action.pending ? t('common.working') : confirmLabel}
        </button>
        <button type="button" className="btn" onClick={onClose} data-testid="confirm-cancel" data-autofocus>
          {t('common.cancel')}
        </button>
      </div>
    </Dialog>
  )
}
