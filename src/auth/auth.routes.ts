import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { mustEnrollMfa, SESSION_COOKIE } from '../access/access.plugin.ts'
import { AppError } from '../platform/errors.ts'
import { auditContextOf } from '../platform/http/audit-context.ts'
import { problemResponses } from '../platform/http/common.schemas.ts'
import { findAgency, findUserProfile } from './auth.repository.ts'
import { Credentials, LoginResponse, SessionResponse, TokenRequest, TotpLogin } from './auth.schemas.ts'
import { type AuthDeps, actorOf, attemptLogin, completeTotpLogin, issueScriptToken, logout, type NewSession } from './auth.service.ts'
import { toUserView } from './user-view.ts'

/** Sign-in, sign-out, the current session, and short-lived tokens for scripts. */
export function authRoutes(deps: AuthDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const loginLimit = { max: deps.auth.loginRateLimitPerMinute, timeWindow: '1 minute' }

    app.post(
      '/login',
      {
        config: { access: 'public', rateLimit: loginLimit },
        schema: {
          summary: 'Sign in with username and password (then /login/totp when 2FA is on)',
          body: Credentials,
          response: { 200: LoginResponse, ...problemResponses(400, 401, 429) },
        },
      },
      async (request, reply) => {
        const outcome = await attemptLogin(deps, request.body, auditContextOf(request))
        if (outcome.kind === 'mfa-required') return { status: 'mfa-required' as const, challengeId: outcome.challengeId }
        return sendSession(request, reply, outcome)
      },
    )

    app.post(
      '/login/totp',
      {
        config: { access: 'public', rateLimit: loginLimit },
        schema: {
          summary: 'Second step: a TOTP code or a recovery code',
          body: TotpLogin,
          response: { 200: LoginResponse, ...problemResponses(400, 401, 429) },
        },
      },
      async (request, reply) => sendSession(request, reply, await completeTotpLogin(deps, request.body, auditContextOf(request))),
    )

    app.post(
      '/token',
      {
        config: { access: 'public', rateLimit: loginLimit },
        schema: {
          summary: 'A 1-hour bearer token for scripts and integrations',
          body: TokenRequest,
          response: {
            200: Type.Object({ token: Type.String(), expiresAt: Type.String() }),
            ...problemResponses(400, 401, 429),
          },
        },
      },
      async (request) => {
        const { token, expiresAt } = await issueScriptToken(deps, request.body, auditContextOf(request))
        return { token, expiresAt: expiresAt.toISOString() }
      },
    )

    app.post(
      '/logout',
      { config: { access: 'account.self' }, schema: { summary: 'End this session', response: problemResponses(401, 403) } },
      async (request, reply) => {
        const actor = request.actor!
        if (actor.via.kind === 'session') await logout(deps, actor.via.sessionId, actor, auditContextOf(request))
        return reply.clearCookie(SESSION_COOKIE, { path: '/' }).code(204).send()
      },
    )

    /** The session's view for the signed-in actor; undefined when its user or agency is gone. */
    const sessionView = async (request: FastifyRequest) => {
      const actor = request.actor!
      const profile = await findUserProfile(deps.database.db, actor.userId)
      const agency = await findAgency(deps.database.db, actor.agencyId)
      if (!profile || !agency) return undefined
      return {
        user: toUserView(profile.user, profile),
        csrfToken: request.sessionCsrfToken ?? '',
        mfaEnrollmentRequired: await mustEnrollMfa(actor, deps),
        agency: { name: agency.name, abbreviation: agency.abbreviation },
      }
    }

    app.get(
      '/session',
      {
        config: { access: 'account.self' },
        schema: { summary: 'Who is signed in', response: { 200: SessionResponse, ...problemResponses(401) } },
      },
      async (request) => {
        const session = await sessionView(request)
        if (!session) throw new AppError('unauthenticated')
        return session
      },
    )

    // The web app asks this on every load, signed in or not: an answer, never a 401 in the console.
    app.get(
      '/status',
      {
        config: { access: 'public' },
        schema: {
          summary: 'Whether this browser (or token) is signed in, with the session when it is',
          response: { 200: Type.Object({ signedIn: Type.Boolean(), session: Type.Optional(SessionResponse) }) },
        },
      },
      async (request) => {
        const session = request.actor ? await sessionView(request) : undefined
        return session ? { signedIn: true, session } : { signedIn: false }
      },
    )

    async function sendSession(request: FastifyRequest, reply: FastifyReply, session: NewSession) {
      const profile = await findUserProfile(deps.database.db, session.user.id)
      reply.setCookie(SESSION_COOKIE, session.secret, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: request.protocol === 'https',
        expires: session.expiresAt,
      })
      const actor = actorOf(session.user, { kind: 'session', sessionId: '' })
      return {
        status: 'ok' as const,
        user: toUserView(session.user, profile ?? {}),
        csrfToken: session.csrfToken,
        mfaEnrollmentRequired: await mustEnrollMfa(actor, deps),
      }
    }
  }
}

