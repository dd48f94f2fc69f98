/**
 * A very small history-API router: the path is an external store, `navigate` pushes a new entry,
 * `<Link>` turns plain left clicks into in-app navigation. The server answers index.html for any
 * non-/api path, so every route here is also a real, bookmarkable URL.
 */
import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react'

const listeners = new Set<() => void>()
/** True once the user has moved inside the app: pages then move focus to their heading. */
let navigatedInApp = false

function notify(): void {
  for (const listener of listeners) listener()
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  if (listeners.size === 1) window.addEventListener('popstate', onPopState)
  return () => {
    listeners.delete(listener)
    if (listeners.size === 0) window.removeEventListener('popstate', onPopState)
  }
}

function onPopState(): void {
  navigatedInApp = true
  notify()
}

const currentLocation = () => window.location.pathname + window.location.search

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === currentLocation()) return
  if (options.replace) window.history.replaceState(null, '', to)
  else {
    navigatedInApp = true
    window.history.pushState(null, '', to)
  }
  notify()
}

export function hasNavigatedInApp(): boolean {
  return navigatedInApp
}

/** The current path and query, re-rendering on every navigation. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const location = useSyncExternalStore(subscribe, currentLocation)
  const [path = '/', search = ''] = location.split('?')
  return { path: normalise(path), query: new URLSearchParams(search) }
}

function normalise(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path
}

/** A safe in-app target for `?next=`: only local paths, never `//host` or a full URL. */
export function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/'
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string }

export function Link({ to, onClick, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event)
    const modified = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey
    if (event.defaultPrevented || event.button !== 0 || modified || rest.target) return
    event.preventDefault()
    navigate(to)
  }
  return <a href={to} onClick={handleClick} {...rest} />
}
