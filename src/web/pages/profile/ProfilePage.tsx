import { Alert } from '../../components/feedback.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { useI18n } from '../../i18n/index.tsx'
import { useAuthenticated } from '../../session.tsx'
import { rolesText } from '../../shell/Shell.tsx'
import { SigningProfileSection } from '../signing/SigningProfileSection.tsx'
import { PasswordSection } from './PasswordSection.tsx'
import { TokensSection } from './TokensSection.tsx'
import { TwoFactorSection } from './TwoFactorSection.tsx'

/** Trang cá nhân: who I am, my signing certificates (leaders), my password, second factor, API tokens. */
export function ProfilePage() {
  const { t } = useI18n()
  const { user, mfaEnrollmentRequired } = useAuthenticated()
  const none = t('common.none')
  const rows: [string, string, string][] = [
    ['fullName', t('profile.fullName'), user.fullName],
    ['username', t('profile.username'), user.username],
    ['email', t('profile.email'), user.email ?? none],
    ['department', t('profile.department'), user.departmentName ?? none],
    ['position', t('profile.position'), user.positionName ?? none],
    ['roles', t('profile.roles'), rolesText(user, t) || none],
    ['clearance', t('profile.clearance'), t(`clearance.${user.clearance}`)],
    ['totp', t('profile.totp'), user.totpEnabled ? t('profile.totp.on') : t('profile.totp.off')],
  ]
  return (
    <div className="page" data-testid="page-profile">
      <PageHeader title={t('profile.title')} />
      {mfaEnrollmentRequired && (
        <Alert kind="warning" testId="mfa-required">
          {t('mfa.required')}
        </Alert>
      )}
      <section className="card" aria-labelledby="profile-info-title">
        <h2 id="profile-info-title" className="card__title">
          {t('profile.info.title')}
        </h2>
        <dl className="summary" data-testid="profile-summary">
          {rows.map(([key, label, value]) => (
            <div key={key} className="summary__row">
              <dt>{label}</dt>
              <dd data-testid={`profile-${key}`}>{value}</dd>
            </div>
          ))}
        </dl>
        <p className="muted">{t('profile.info.hint')}</p>
      </section>
      {user.roles.includes('leader') && <SigningProfileSection />}
      <TwoFactorSection />
      <PasswordSection />
      <TokensSection />
    </div>
  )
}
