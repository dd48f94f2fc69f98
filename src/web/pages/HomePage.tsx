import { PageHeader } from '../components/PageHeader.tsx'
import { useI18n } from '../i18n/index.tsx'
import { Link } from '../router.tsx'
import type { Menu, NavGroup } from '../routes.tsx'
import { useAuthenticated } from '../session.tsx'

const GROUPS: NavGroup[] = ['work', 'admin', 'personal']

/** A greeting and the user's menu as large tiles: the first screen after signing in. */
export function HomePage({ menu }: { menu: Menu }) {
  const { t } = useI18n()
  const { user } = useAuthenticated()
  const entries = GROUPS.flatMap((group) => menu[group])
  return (
    <div className="page" data-testid="page-home">
      <PageHeader title={t('home.greeting', { name: user.fullName })} />
      <p>{t('home.intro')}</p>
      <ul className="tiles">
        {entries.map((route) => (
          <li key={route.path}>
            <Link to={route.path} className="tile" data-testid={`home-${route.testId}`}>
              {t(route.labelKey)}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  )
}
