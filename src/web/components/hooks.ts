import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react'
import { type ApiError, isAbort, toApiError } from '../api.ts'

export interface Loaded<T> {
  data: T | undefined
  error: ApiError | null
  loading: boolean
  reload: () => void
}

/**
 * Loads data for a page section and re-loads when `deps` change or `reload()` is called. A newer load
 * cancels the answer of an older one, so fast typing in a search box never shows stale results.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Loaded<T> {
  const [data, setData] = useState<T>()
  const [error, setError] = useState<ApiError | null>(null)
  const [loading, setLoading] = useState(true)
  const [version, setVersion] = useState(0)
  const loadRef = useRef(load)
  loadRef.current = load

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to reload.
  useEffect(() => {
    const controller = new AbortController()
    setLoading(true)
    setError(null)
    loadRef.current(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return
        setData(value)
        setLoading(false)
      },
      (reason: unknown) => {
        if (controller.signal.aborted || isAbort(reason)) return
        setError(toApiError(reason))
        setLoading(false)
      },
    )
    return () => controller.abort()
  }, [...deps, version])

  const reload = useCallback(() => setVersion((v) => v + 1), [])
  return { data, error, loading, reload }
}

/** `error` is null when the run was skipped because another was in flight. */
export type ActionResult<T> = { ok: true; value: T } | { ok: false; error: ApiError | null }

/**
 * Runs one user action (a form submit, a button) and keeps its pending flag and last error. A second
 * run while one is in flight is ignored, so a double click or a repeated Enter sends one request.
 */
export function useAction() {
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const inFlight = useRef(false)

  const run = useCallback(async <T>(action: () => Promise<T>): Promise<ActionResult<T>> => {
    if (inFlight.current) return { ok: false, error: null }
    inFlight.current = true
    setPending(true)
    setError(null)
    try {
      const value = await action()
      return { ok: true, value }
    } catch (reason) {
      const apiError = toApiError(reason)
      setError(apiError)
      return { ok: false, error: apiError }
    } finally {
      inFlight.current = false
      setPending(false)
    }
  }, [])

  const reset = useCallback(() => setError(null), [])
  return { pending, error, run, reset }
}
