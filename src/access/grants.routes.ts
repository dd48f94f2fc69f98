import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { auditContextOf } from '../platform/http/audit-context.ts'
import { problemResponses } from '../platform/http/common.schemas.ts'
import { addGrant, type GrantDeps, listGrants, removeGrant } from './grants.service.ts'

const Params = Type.Object({ id: Type.String({ maxLength: 64 }) })
const GrantSchema = Type.Object({
  userId: Type.String(),
  fullName: Type.String(),
  username: Type.String(),
  grantedAt: Type.String(),
})

/** Explicit grants on secret documents (Mật, Tối mật, Tuyệt mật). */
export function grantsRoutes(deps: GrantDeps): FastifyPluginAsyncTypebox {
  const { database } = deps
  return async (app) => {
    const config = { access: 'document.grant' as const }
    app.get(
      '/:id/grants',
      {
        config,
        schema: {
          summary: 'Who may read this secret document',
          params: Params,
          response: { 200: Type.Object({ items: Type.Array(GrantSchema) }), ...problemResponses(403, 404) },
        },
      },
      async (request) => ({
        items: (await listGrants(database, request.actor!, request.params.id)).map((g) => ({
          ...g,
          grantedAt: g.grantedAt.toISOString(),
        })),
      }),
    )
    app.post(
      '/:id/grants',
      {
        config,
        schema: {
          summary: 'Grant a user access to this secret document',
          params: Params,
          body: Type.Object({ userId: Type.String({ maxLength: 64 }) }),
          response: problemResponses(400, 403, 404),
        },
      },
      async (request, reply) => {
        await addGrant(deps, request.actor!, request.params.id, request.body.userId, auditContextOf(request))
        return reply.code(204).send()
      },
    )
    app.delete(
      '/:id/grants/:userId',
      {
        config,
        schema: {
          summary: 'Withdraw a grant',
          params: Type.Object({ id: Type.String({ maxLength: 64 }), userId: Type.String({ maxLength: 64 }) }),
          response: problemResponses(403, 404),
        },
      },
      async (request, reply) => {
        await removeGrant(
          deps,
          request.actor!,
          request.params.id,
          request.params.userId,
          auditContextOf(request),
        )
        return reply.code(204).send()
      },
    )
  }
}
