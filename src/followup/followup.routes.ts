import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Actor } from '../access/actor.ts'
import { Nullable, problemResponses } from '../platform/http/common.schemas.ts'
import { type DeadlineList, type FollowUpScope, listDeadlines } from './followup.service.ts'
import { notificationsRoutes } from './notifications.routes.ts'

const DeadlineItemSchema = Type.Object({
  documentId: Type.String(),
  arrivalNumber: Nullable(Type.Integer()),
  numberNotation: Nullable(Type.String()),
  subject: Nullable(Type.String()),
  status: Type.String(),
  leadDepartmentName: Nullable(Type.String()),
  leadUserName: Nullable(Type.String()),
  deadline: Type.String(),
  daysOverdue: Type.Integer(),
})

const Scope = Type.Union([Type.Literal('me'), Type.Literal('department'), Type.Literal('agency')], {
  default: 'me',
})
type DeadlineQuerystring = {
  scope?: FollowUpScope | undefined
  days?: number | undefined
  limit?: number | undefined
}

const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 200 }))

/** Theo dõi, đôn đốc: deadline lists under /followup and the user's notifications under /notifications. */
export const followupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { platform } = app
  const config = { access: 'document.read' as const }
  const response = { 200: Type.Object({ items: Type.Array(DeadlineItemSchema) }), ...problemResponses(403) }

  const list = (request: { actor?: Actor | undefined; query: DeadlineQuerystring }, name: DeadlineList) =>
    listDeadlines(platform, request.actor!, name, {
      scope: request.query.scope ?? 'me',
      days: request.query.days,
      limit: request.query.limit,
    })

  app.get(
    '/followup/overdue',
    {
      config,
      schema: {
        summary: 'Documents past their deadline (quá hạn), in my, my department’s or the agency’s scope',
        querystring: Type.Object({ scope: Type.Optional(Scope), limit: Limit }),
        response,
      },
    },
    async (request) => ({ items: await list(request, 'overdue') }),
  )

  app.get(
    '/followup/due-soon',
    {
      config,
      schema: {
        summary: 'Documents due within the next days (sắp đến hạn)',
        querystring: Type.Object({
          scope: Type.Optional(Scope),
          days: Type.Optional(Type.Integer({ minimum: 0, maximum: 60, default: 3 })),
          limit: Limit,
        }),
        response,
      },
    },
    async (request) => ({ items: await list(request, 'due-soon') }),
  )

  await app.register(notificationsRoutes, { prefix: '/notifications' })
}
