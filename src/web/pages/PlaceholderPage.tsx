import { PageHeader } from '../components/PageHeader.tsx'
import { type MessageKey, useI18n } from '../i18n/index.tsx'

/** Stands in for the document, records and search pages until they are built. */
export function PlaceholderPage({ titleKey }: { titleKey: MessageKey }) {
  const { t } = useI18n()
  const title = t(titleKey)
  return (
    <div className="page" data-testid="page-placeholder">
      <PageHeader title={title} />
      <div className="state state--empty">
        <p className="state__title">{t('placeholder.title')}</p>
        <p>{t('placeholder.body', { page: title })}</p>
      </div>
    </div>
  )
}
