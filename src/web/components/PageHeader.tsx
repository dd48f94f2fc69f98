import { type ReactNode, useEffect, useRef } from 'react'
import { useI18n } from '../i18n/index.tsx'
import { hasNavigatedInApp } from '../router.tsx'

/**
 * The page's h1. After an in-app navigation it takes focus, so keyboard and screen-reader users
 * start reading the new page instead of staying in the menu; it also sets the window title.
 */
export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  const { t } = useI18n()
  const ref = useRef<HTMLHeadingElement>(null)

  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`
  }, [title, t])

  useEffect(() => {
    if (hasNavigatedInApp()) ref.current?.focus()
  }, [])

  return (
    <div className="page-header">
      <h1 ref={ref} tabIndex={-1} className="page-header__title">
        {title}
      </h1>
      {children && <div className="page-header__extra">{children}</div>}
    </div>
  )
}
