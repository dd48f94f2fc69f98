import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { auditContextOf } from '../platform/http/audit-context.ts'
import { Nullable, problemResponses } from '../platform/http/common.schemas.ts'
import { isUuid } from '../platform/ids.ts'
import { AppError } from '../platform/errors.ts'
import * as account from './account.service.ts'
import { listUserTokens } from './auth.repository.ts'
import type { AuthDeps } from './auth.service.ts'

const TokenView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Type.String(),
  expiresAt: Nullable(Type.String()),
  lastUsedAt: Nullable(Type.String()),
})

/** The signed-in user's own account: password, two-factor authentication, API tokens. */
export function accountRoutes(deps: AuthDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const config = { access: 'account.self' as const }
    // Routes that check the password: slow down guessing with a stolen session.
    const passwordChecked = { ...config, rateLimit: { max: 10, timeWindow: '1 minute' } }

    app.post(
      '/password',
      {
        config: passwordChecked,
        schema: {
          summary: 'Change my password',
          body: Type.Object({ currentPassword: Type.String({ maxLength: 1024 }), newPassword: Type.String({ maxLength: 1024 }) }),
          response: problemResponses(400, 401, 403),
        },
      },
      async (request, reply) => {
        await account.changeOwnPassword(deps, request.actor!, request.body, auditContextOf(request))
        return reply.code(204).send()
      },
    )

    app.post(
      '/totp/setup',
      {
        config,
        schema: {
          summary: 'Start two-factor enrolment: a secret and its QR code',
          response: { 200: Type.Object({ secret: Type.String(), otpauthUrl: Type.String(), qrDataUrl: Type.String() }) },
        },
      },
      async (request) => account.startTotpEnrolment(deps, request.actor!),
    )

    app.post(
      '/totp/enable',
      {
        config,
        schema: {
          summary: 'Confirm enrolment with a code; answers the one-time recovery codes',
          body: Type.Object({ code: Type.String({ maxLength: 20 }) }),
          response: { 200: Type.Object({ recoveryCodes: Type.Array(Type.String()) }), ...problemResponses(400, 401) },
        },
      },
      async (request) => account.confirmTotpEnrolment(deps, request.actor!, request.body.code, auditContextOf(request)),
    )

    app.post(
      '/totp/disable',
      {
        config: passwordChecked,
        schema: {
          summary: 'Turn two-factor authentication off (needs the password and a code)',
          body: Type.Object({ password: Type.String({ maxLength: 1024 }), code: Type.String({ maxLength: 20 }) }),
          response: problemResponses(400, 401),
        },
      },
      async (request, reply) => {
        await account.disableTotp(deps, request.actor!, request.body, auditContextOf(request))
        return reply.code(204).send()
      },
    )

    app.get(
      '/tokens',
      { config, schema: { summary: 'My API tokens', response: { 200: Type.Object({ items: Type.Array(TokenView) }) } } },
      async (request) => ({ items: (await listUserTokens(deps.database.db, request.actor!.userId)).map(account.toTokenView) }),
    )

    app.post(
      '/tokens',
      {
        config,
        schema: {
          summary: 'Create an API token (shown once)',
          body: Type.Object({
            name: Type.String({ minLength: 1, maxLength: 100 }),
            expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
            scopes: Type.Optional(Type.Array(Type.Union([Type.Literal('read'), Type.Literal('write')]), { minItems: 1 })),
          }),
          response: { 201: Type.Intersect([TokenView, Type.Object({ token: Type.String() })]), ...problemResponses(400) },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await account.createOwnToken(deps, request.actor!, request.body, auditContextOf(request))),
    )

    app.delete(
      '/tokens/:id',
      {
        config,
        schema: { summary: 'Revoke an API token', params: Type.Object({ id: Type.String({ maxLength: 64 }) }), response: problemResponses(404) },
      },
      async (request, reply) => {
        if (!isUuid(request.params.id)) throw new AppError('not-found')
        await account.revokeOwnToken(deps, request.actor!, request.params.id, auditContextOf(request))
        return reply.code(204).send()
      },
    )
  }
}
