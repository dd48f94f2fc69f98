import { useEffect, useState } from 'react'
import { signatureRequestsApi } from '../../api.ts'
import { useLocation } from '../../router.tsx'

const REFRESH_MS = 60_000
/** Dispatched on window after the leader signs or refuses, so the menu badge updates at once. */
export const SIGNATURE_REQUESTS_CHANGED = 'vanthu:signature-requests-changed'

export function signatureRequestsChanged(): void {
  window.dispatchEvent(new Event(SIGNATURE_REQUESTS_CHANGED))
}

/**
 * The number of documents awaiting my signature, for the "Chờ ký" menu badge: refreshed every minute,
 * on navigation and after signing. null until known (or when the server cannot say).
 */
export function usePendingSignatureCount(enabled: boolean): number | null {
  const { path } = useLocation()
  const [count, setCount] = useState<number | null>(null)
  const [version, setVersion] = useState(0)

  useEffect(() => {
    if (!enabled) return
    const bump = () => setVersion((v) => v + 1)
    window.addEventListener(SIGNATURE_REQUESTS_CHANGED, bump)
    const timer = window.setInterval(bump, REFRESH_MS)
    return () => {
      window.removeEventListener(SIGNATURE_REQUESTS_CHANGED, bump)
      window.clearInterval(timer)
    }
  }, [enabled])

  // biome-ignore lint/correctness/useExhaustiveDependencies: path and version are the refresh triggers.
  useEffect(() => {
    if (!enabled) return
    const controller = new AbortController()
    signatureRequestsApi.count(controller.signal).then(
      (answer) => setCount(answer.pending),
      // The badge is a hint: a failed refresh keeps the last count.
      () => undefined,
    )
    return () => controller.abort()
  }, [enabled, path, version])

  return enabled ? count : null
}
