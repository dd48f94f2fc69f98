import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import { agencyDateFormats } from './dates.ts'
import { en } from './en.ts'
import { format } from './format.ts'
import { type MessageKey, type Messages, vi } from './vi.ts'

export { format } from './format.ts'
export type { MessageKey } from './vi.ts'
export type Lang = 'vi' | 'en'
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string

const catalogues: Record<Lang, Messages> = { vi, en }
const STORAGE_KEY = 'vanthu.lang'
const LOCALES: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' }

/** The language chosen on this browser; Vietnamese unless English was picked before. */
export function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'vi'
  } catch {
    return 'vi'
  }
}

export function translate(lang: Lang, key: MessageKey, values?: Record<string, string | number>): string {
  return format(catalogues[lang][key], values)
}

interface I18n {
  lang: Lang
  setLang: (lang: Lang) => void
  t: Translate
  /** Chooses between the Vietnamese and English variants the server sends (problem titles, field messages). */
  pick: (vi: string, en: string | undefined) => string
  formatDate: (iso: string | null | undefined) => string
  formatDateTime: (iso: string | null | undefined) => string
}

const I18nContext = createContext<I18n | null>(null)

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(storedLang)

  useEffect(() => {
    document.documentElement.lang = lang
  }, [lang])

  const setLang = useCallback((next: Lang) => {
    setLangState(next)
    try {
      localStorage.setItem(STORAGE_KEY, next)
    } catch {
      // Private mode or storage disabled: the choice lasts for this page only.
    }
  }, [])

  const value = useMemo<I18n>(() => {
    const { date: dateFormat, dateTime: dateTimeFormat } = agencyDateFormats(LOCALES[lang])
    const safe = (fmt: Intl.DateTimeFormat, iso: string | null | undefined) => {
      if (!iso) return catalogues[lang]['common.none']
      const date = new Date(iso)
      return Number.isNaN(date.getTime()) ? iso : fmt.format(date)
    }
    return {
      lang,
      setLang,
      t: (key, values) => translate(lang, key, values),
      pick: (viText, enText) => (lang === 'en' && enText ? enText : viText),
      formatDate: (iso) => safe(dateFormat, iso),
      formatDateTime: (iso) => safe(dateTimeFormat, iso),
    }
  }, [lang, setLang])

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>
}

export function useI18n(): I18n {
  const context = useContext(I18nContext)
  if (!context) throw new Error('useI18n must be used inside <I18nProvider>')
  return context
}
