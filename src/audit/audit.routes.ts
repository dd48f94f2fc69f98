import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Nullable, problemResponses } from '../platform/http/common.schemas.ts'
import { listAuditEvents, verifyAuditChain } from './audit.service.ts'

const VerdictSchema = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer({ description: 'Events verified before the first break (all of them when ok)' }),
  firstBrokenSeq: Nullable(Type.Integer()),
  reason: Type.Optional(Type.String()),
  checkpointId: Type.Optional(Type.Integer({ description: 'The checkpoint concerned (checkpoint-mismatch, -invalid, -missing)' })),
  checkpointProblem: Type.Optional(Type.String()),
  checkpoints: Type.Optional(Type.Integer({ description: 'Signed checkpoints the chain was compared with' })),
})

const EventSchema = Type.Object({
  seq: Type.Integer(),
  occurredAt: Type.String({ format: 'date-time' }),
  actor: Type.String(),
  action: Type.String(),
  targetType: Type.String(),
  targetId: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  prevHash: Type.String(),
  hash: Type.String(),
})

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/verify',
    { config: { access: 'audit.read' }, schema: { summary: 'Walk the audit hash chain and report the first broken event', response: { 200: VerdictSchema } } },
    async () => verifyAuditChain(app.platform.database, { secretBox: app.platform.secretBox }),
  )

  app.get(
    '/events',
    {
      config: { access: 'audit.read' },
      schema: {
        summary: 'Audit events, newest first',
        querystring: Type.Object({
          targetType: Type.Optional(Type.String({ maxLength: 50 })),
          targetId: Type.Optional(Type.String({ maxLength: 100 })),
          before: Type.Optional(Type.Integer({ minimum: 1 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(EventSchema) }), ...problemResponses(400) },
      },
    },
    async (request) => {
      const { targetType, targetId, before, limit } = request.query
      const items = await listAuditEvents(app.platform.database.db, request.actor!, { targetType, targetId, beforeSeq: before }, limit)
      return { items: items.map((item) => ({ ...item, details: item.details as Record<string, unknown> })) }
    },
  )
}
