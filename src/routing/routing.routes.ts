import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { auditContextOf } from '../platform/http/audit-context.ts'
import { Nullable, problemResponses } from '../platform/http/common.schemas.ts'
import { ROUTING_ACTION_NAMES, type RoutingActionName } from './routing-machine.ts'
import { performRoutingAction, routingStateOf } from './routing.service.ts'
import { TimelineStepSchema } from '../timeline/timeline.routes.ts'

const Recipient = Type.Object(
  { departmentId: Type.Optional(Type.String({ maxLength: 64 })), userId: Type.Optional(Type.String({ maxLength: 64 })) },
  { additionalProperties: false },
)

const ActionBody = Type.Object(
  {
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
    leaderId: Type.Optional(Type.String({ maxLength: 64 })),
    userId: Type.Optional(Type.String({ maxLength: 64 })),
    lead: Type.Optional(Recipient),
    cooperating: Type.Optional(Type.Array(Recipient, { maxItems: 50 })),
    informed: Type.Optional(Type.Array(Recipient, { maxItems: 100 })),
    deadline: Type.Optional(Type.String({ maxLength: 10 })),
    replyDocumentId: Type.Optional(Type.String({ maxLength: 64 })),
    recordFileIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20, description: 'complete: the hồ sơ to file the document into (lập hồ sơ)' })),
    progress: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
)

/** Handling of incoming documents: trình, chỉ đạo, phân công, xử lý, hoàn thành (the timeline is src/timeline). */
export const routingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { platform } = app
  const config = { access: 'document.read' as const }
  const Params = Type.Object({ id: Type.String({ maxLength: 64 }) })

  app.get(
    '/:id/routing',
    {
      config,
      schema: {
        summary: 'Status, the actions open to me, and who is on the document',
        params: Params,
        response: {
          200: Type.Object({
            status: Type.String(),
            allowedActions: Type.Array(Type.String()),
            participants: Type.Array(
              Type.Object({
                role: Type.String(),
                userId: Nullable(Type.String()),
                departmentId: Nullable(Type.String()),
                state: Type.String(),
                deadline: Nullable(Type.String()),
              }),
            ),
          }),
          ...problemResponses(404),
        },
      },
    },
    async (request) => routingStateOf(platform, request.actor!, request.params.id),
  )

  app.post(
    '/:id/routing/:action',
    {
      config,
      schema: {
        summary: 'Take a handling step (submit, recall, forward, return, direct, reassign, start, note, complete, request-extension, grant-extension)',
        params: Type.Object({
          id: Type.String({ maxLength: 64 }),
          action: Type.Union(ROUTING_ACTION_NAMES.map((name) => Type.Literal(name))),
        }),
        body: ActionBody,
        response: {
          200: Type.Object({ status: Type.String(), allowedActions: Type.Array(Type.String()), step: TimelineStepSchema }),
          ...problemResponses(400, 403, 404, 409),
        },
      },
    },
    async (request) => {
      const result = await performRoutingAction(
        platform,
        request.actor!,
        request.params.id,
        request.params.action as RoutingActionName,
        request.body ?? {},
        auditContextOf(request),
      )
      const { step } = result
      return {
        status: result.status,
        allowedActions: result.allowedActions,
        step: {
          seq: step.seq,
          action: step.action,
          fromStatus: step.fromStatus,
          toStatus: step.toStatus,
          actorUserId: step.actorUserId,
          actorName: null,
          actorDepartmentId: step.actorDepartmentId,
          actorDepartmentName: null,
          comment: step.comment,
          details: step.details as Record<string, unknown>,
          createdAt: step.createdAt.toISOString(),
        },
      }
    },
  )
}
