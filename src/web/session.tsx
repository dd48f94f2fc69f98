import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import {
  type ApiError,
  adminApi,
  authApi,
  type LoginResult,
  onMfaEnrollmentRequired,
  onUnauthorized,
  type Session,
  setCsrfToken,
  toApiError,
} from './api.ts'
import { navigate } from './router.tsx'

export type SessionState =
  | { status: 'loading' }
  /** The first session probe failed for another reason than 401 (server down, network). */
  | { status: 'unreachable'; error: ApiError }
  | { status: 'anonymous'; reason?: 'expired' | 'logged-out' }
  | { status: 'authenticated'; session: Session }

interface SessionContextValue {
  state: SessionState
  /** Shown in the header; from the session when the server sends it, else from the agency settings. */
  agencyName: string | null
  setAgencyName: (name: string) => void
  refresh: () => Promise<void>
  signedIn: (result: Extract<LoginResult, { status: 'ok' }>) => Promise<void>
  logout: () => Promise<void>
}

const SessionContext = createContext<SessionContextValue | null>(null)

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' })
  const [agencyName, setAgencyName] = useState<string | null>(null)

  const accept = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken)
    if (session.agency?.name) setAgencyName(session.agency.name)
    setState({ status: 'authenticated', session })
  }, [])

  const refresh = useCallback(async () => {
    try {
      const status = await authApi.status()
      if (status.signedIn && status.session) accept(status.session)
      else {
        setCsrfToken(null)
        setState((previous) => ({ status: 'anonymous', reason: previous.status === 'authenticated' ? 'expired' : undefined }))
      }
    } catch (reason) {
      const error = toApiError(reason)
      setCsrfToken(null)
      setState((previous) =>
        error.status === 401
          ? { status: 'anonymous', reason: previous.status === 'authenticated' ? 'expired' : undefined }
          : previous.status === 'loading'
            ? { status: 'unreachable', error }
            : previous,
      )
    }
  }, [accept])

  useEffect(() => {
    void refresh()
    onUnauthorized(() => {
      setCsrfToken(null)
      setAgencyName(null)
      setState({ status: 'anonymous', reason: 'expired' })
    })
    // A 403 'mfa-enrollment-required' means the rule changed under us: the session answer says so too.
    onMfaEnrollmentRequired(() => void refresh())
    return () => {
      onUnauthorized(null)
      onMfaEnrollmentRequired(null)
    }
  }, [refresh])

  const isAdmin = state.status === 'authenticated' && state.session.user.roles.includes('admin')
  useEffect(() => {
    // Only administrators may read the agency settings; others see the name once the session carries it.
    if (!isAdmin || agencyName) return
    adminApi.getAgency().then(
      (agency) => setAgencyName(agency.name),
      () => undefined,
    )
  }, [isAdmin, agencyName])

  const signedIn = useCallback(
    async (result: Extract<LoginResult, { status: 'ok' }>) => {
      setCsrfToken(result.csrfToken)
      try {
        // The session answer also says whether two-step enrolment is required.
        accept(await authApi.session())
      } catch {
        accept({ user: result.user, csrfToken: result.csrfToken, mfaEnrollmentRequired: false })
      }
    },
    [accept],
  )

  const logout = useCallback(async () => {
    try {
      await authApi.logout()
    } catch {
      // Signed out locally either way; the server session expires on its own.
    }
    setCsrfToken(null)
    setAgencyName(null)
    setState({ status: 'anonymous', reason: 'logged-out' })
    navigate('/login', { replace: true })
  }, [])

  const value = useMemo(
    () => ({ state, agencyName, setAgencyName, refresh, signedIn, logout }),
    [state, agencyName, refresh, signedIn, logout],
  )
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export function useSession(): SessionContextValue {
  const context = useContext(SessionContext)
  if (!context) throw new Error('useSession must be used inside <SessionProvider>')
  return context
}

/** The signed-in session; only for components rendered inside the authenticated shell. */
export function useAuthenticated(): Session {
  const { state } = useSession()
  if (state.status !== 'authenticated') throw new Error('useAuthenticated outside the authenticated shell')
  return state.session
}
