import { type Lang, useI18n } from '../i18n/index.tsx'

const LANGS: Lang[] = ['vi', 'en']

/** Two toggle buttons, each labelled in its own language so anyone can find theirs. */
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n()
  return (
    <fieldset className="lang-switch">
      <legend className="sr-only">{t('app.language')}</legend>
      {LANGS.map((option) => (
        <button
          key={option}
          type="button"
          lang={option}
          className="lang-switch__option"
          aria-pressed={lang === option}
          onClick={() => setLang(option)}
          data-testid={`lang-${option}`}
        >
          {t(option === 'vi' ? 'lang.vi' : 'lang.en')}
        </button>
      ))}
    </fieldset>
  )
}
