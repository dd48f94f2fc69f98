import { PageHeader } from '../components/PageHeader.tsx'
import { useI18n } from '../i18n/index.tsx'
import { Link } from '../router.tsx'

export function ForbiddenPage() {
  const { t } = useI18n()
  return (
    <div className="page" data-testid="page-forbidden">
      <PageHeader title={t('error.forbidden.title')} />
      <p>{t('error.forbidden.body')}</p>
      <p>
        <Link to="/">{t('error.backHome')}</Link>
      </p>
    </div>
  )
}

export function NotFoundPage() {
  const { t } = useI18n()
  return (
    <div className="page" data-testid="page-not-found">
      <PageHeader title={t('error.notFound.title')} />
      <p>{t('error.notFound.body')}</p>
      <p>
        <Link to="/">{t('error.backHome')}</Link>
      </p>
    </div>
  )
}
