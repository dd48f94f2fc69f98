import '@fastify/cookie'
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { findAgency } from '../auth/auth.repository.ts'
import { type AuthDeps, resolveBearer, resolveSession } from '../auth/auth.service.ts'
import { safeEqual } from '../auth/secrets.ts'
import { AppError } from '../platform/errors.ts'
import type { Actor } from './actor.ts'
import { type Action, can } from './policy.ts'

export const SESSION_COOKIE = 'vanthu_session'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What a route does, for the access policy; 'public' routes need no sign-in. Required under /api. */
    access?: Action | 'public'
  }
  interface FastifyRequest {
    actor: Actor | undefined
    /** The CSRF token of the cookie session, when the request came with one. */
    sessionCsrfToken: string | undefined
  }
}

/**
 * Authenticates every request (session cookie or bearer token) and applies the policy's route-level
 * decision before the body is read: an anonymous upload is refused without storing a byte.
 */
export const accessPlugin = fp<{ deps: AuthDeps }>(
  async (app, { deps }) => {
    app.decorateRequest('actor', undefined)
    app.decorateRequest('sessionCsrfToken', undefined)

    app.addHook('onRoute', (route) => {
      const url = route.url ?? route.path
      if (url.startsWith('/api') && !route.config?.access) {
        throw new Error(`Route ${route.method} ${url} declares no access rule`)
      }
    })

    app.addHook('onRequest', async (request) => {
      const access = request.routeOptions.config.access
      if (!access || access === 'public') {
        // A stale token must not stop a client from reaching sign-in or the probes.
        await authenticate(request, deps).catch(() => undefined)
        return
      }
      await authenticate(request, deps)
      const actor = request.actor
      if (!actor) throw new AppError('unauthenticated')
      if (actor.via.kind === 'session' && !SAFE_METHODS.has(request.method)) {
        const sent = request.headers['x-csrf-token']
        if (typeof sent !== 'string' || !request.sessionCsrfToken || !safeEqual(sent, request.sessionCsrfToken)) {
          throw new AppError('csrf-failed')
        }
      }
      if (actor.via.kind === 'token') {
        const scope = SAFE_METHODS.has(request.method) ? 'read' : 'write'
        if (!actor.via.scopes.includes(scope)) throw new AppError('forbidden', { detail: `Token scope ${scope} needed` })
      }
      if (access !== 'account.self' && (await mustEnrollMfa(actor, deps))) throw new AppError('mfa-enrollment-required')
      if (!can(actor, access)) throw new AppError('forbidden')
    })
  },
  { name: 'access', dependencies: ['@fastify/cookie'] },
)

async function authenticate(request: FastifyRequest, deps: AuthDeps): Promise<void> {
  const authorization = request.headers.authorization
  if (authorization?.startsWith('Bearer ')) {
    request.actor = await resolveBearer(deps, authorization.slice(7).trim())
    if (!request.actor) throw new AppError('unauthenticated', { detail: 'Invalid or expired token.' })
    return
  }
  const cookie = request.cookies[SESSION_COOKIE]
  if (!cookie) return
  const session = await resolveSession(deps, cookie)
  if (!session) return
  request.actor = session.actor
  request.sessionCsrfToken = session.csrfToken
}

/**
 * Leaders and admins of an agency that requires 2FA may only reach their own account until enrolled.
 * The actor already knows whether the user enrolled, and usually the agency's rule (read with the session
 * or token); otherwise the agency is read.
 */
export async function mustEnrollMfa(actor: Actor, deps: AuthDeps): Promise<boolean> {
  if (actor.totpEnabled || (!actor.roles.has('leader') && !actor.roles.has('admin'))) return false
  if (actor.agencyRequiresMfa !== undefined) return actor.agencyRequiresMfa
  const agency = await findAgency(deps.database.db, actor.agencyId)
  return agency?.requireMfaForPrivileged === true
}
