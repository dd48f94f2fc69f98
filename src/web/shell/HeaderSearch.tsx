import '../styles/search.css'
import { type FormEvent, useEffect, useRef, useState } from 'react'
import { useI18n } from '../i18n/index.tsx'
import { SEARCH_INPUT_ID } from '../pages/search/SearchPage.tsx'
import { SEARCH_PATH, searchHref } from '../pages/search/search-url.ts'
import { navigate, useLocation } from '../router.tsx'

/** Typing "/" here is text, not the shortcut. */
function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

/**
 * The header's search field: Enter opens Tra cứu with the words. "/" anywhere in the app focuses the
 * search box (the page's own on the search page, where this field steps aside).
 */
export function HeaderSearch() {
  const { t } = useI18n()
  const { path } = useLocation()
  const input = useRef<HTMLInputElement>(null)
  const [text, setText] = useState('')
  const onSearchPage = path === SEARCH_PATH

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return
      if (event.defaultPrevented || isTypingTarget(event.target)) return
      const box = document.getElementById(SEARCH_INPUT_ID) ?? input.current
      if (!box) return
      event.preventDefault()
      box.focus()
      if (box instanceof HTMLInputElement) box.select()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [])

  if (onSearchPage) return null

  const submit = (event: FormEvent) => {
    event.preventDefault()
    navigate(searchHref({ q: text, filters: {}, sort: 'relevance' }))
    setText('')
  }

  return (
    <search>
      <form className="header-search" onSubmit={submit} data-testid="header-search">
        <label htmlFor="header-search-q" className="sr-only">
          {t('search.header.label')}
        </label>
        <input
          ref={input}
          id="header-search-q"
          name="q"
          type="search"
          className="header-search__input"
          value={text}
          placeholder={t('search.header.placeholder')}
          aria-keyshortcuts="/"
          autoComplete="off"
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" className="header-search__submit" data-testid="header-search-submit">
          <span aria-hidden="true" className="header-search__icon" />
          <span className="sr-only">{t('search.submit')}</span>
        </button>
      </form>
    </search>
  )
}
