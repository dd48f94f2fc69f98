import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Nullable, problemResponses } from '../../platform/http/common.schemas.ts'
import { auditContextOf } from '../../platform/http/audit-context.ts'
import type { Platform } from '../../platform/platform.ts'
import { checkpointDeps } from './checkpoint.job.ts'
import { createCheckpoint, listCheckpointExports } from './checkpoints.service.ts'

const CheckpointSchema = Type.Object({
  id: Type.Integer(),
  chainSeq: Type.Integer({ description: 'The last event of the chain the checkpoint pins (with every event before it)' }),
  chainHash: Type.String({ description: 'That event’s hash' }),
  createdAt: Type.String({ format: 'date-time' }),
  statement: Type.String({ description: 'The signed bytes (canonical JSON, ASCII): save without a trailing newline' }),
  signature: Type.String({ description: 'Detached CMS SignedData over the statement, DER, base64 (openssl cms -verify)' }),
  keyFingerprint: Type.String({ description: 'SHA-256 of the audit key’s certificate, hex' }),
  certificate: Type.String({ description: 'The audit key’s self-signed certificate, PEM' }),
  timestampToken: Nullable(Type.String({ description: 'RFC 3161 TimeStampToken over the statement, DER, base64 (openssl ts -verify)' })),
  timestampedAt: Nullable(Type.String({ format: 'date-time' })),
})

/** Signed checkpoints of the audit chain: made on demand, exported for offline checks (README "Audit checkpoints"). */
export function checkpointRoutes(platform: Platform): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/checkpoints',
      {
        config: { access: 'audit.read' },
        schema: {
          summary: 'Signed checkpoints of the audit chain, oldest first, for checking offline with openssl',
          querystring: Type.Object({
            after: Type.Integer({ minimum: 0, default: 0, description: 'Checkpoints with a greater id' }),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 500 }),
          }),
          response: { 200: Type.Object({ items: Type.Array(CheckpointSchema) }), ...problemResponses(400) },
        },
      },
      async (request) => ({ items: await listCheckpointExports(platform.database, request.query.after, request.query.limit) }),
    )

    app.post(
      '/checkpoints',
      {
        config: { access: 'audit.checkpoint' },
        schema: {
          summary: 'Sign (and with a TSA timestamp) the audit chain head now',
          response: {
            201: Type.Object({
              checkpoint: CheckpointSchema,
              timestampError: Type.Optional(Type.String({ description: 'Why the TSA gave no token (the checkpoint is signed all the same)' })),
            }),
          },
        },
      },
      async (request, reply) => {
        const result = await createCheckpoint(checkpointDeps(platform), auditContextOf(request))
        if (!('created' in result)) throw new Error('a checkpoint made on demand is never skipped')
        return reply.code(201).send({ checkpoint: result.created, ...(result.timestampError ? { timestampError: result.timestampError } : {}) })
      },
    )
  }
}
