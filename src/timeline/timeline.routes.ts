import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Nullable, problemResponses } from '../platform/http/common.schemas.ts'
import { timelineOf } from './timeline.ts'

export const TimelineStepSchema = Type.Object({
  seq: Type.Integer(),
  action: Type.String(),
  fromStatus: Type.String(),
  toStatus: Type.String(),
  actorUserId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  actorDepartmentId: Nullable(Type.String()),
  actorDepartmentName: Nullable(Type.String()),
  comment: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String(),
})

/** GET /api/documents/:id/timeline — quá trình xử lý: every step of the document, oldest first. */
export const timelineRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { platform } = app
  app.get(
    '/:id/timeline',
    {
      config: { access: 'document.read' as const },
      schema: {
        summary: 'Every step of the document (registration, handling, trình ký, signatures, seal…), oldest first',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: Type.Array(TimelineStepSchema), ...problemResponses(404) },
      },
    },
    async (request) =>
      (await timelineOf(platform, request.actor!, request.params.id)).map((step) => ({
        ...step,
        details: step.details as Record<string, unknown>,
        createdAt: step.createdAt.toISOString(),
      })),
  )
}
