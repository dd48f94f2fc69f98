import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AppError } from '../platform/errors.ts'
import { Nullable, problemResponses } from '../platform/http/common.schemas.ts'

const JobSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    state: Type.String({ description: 'created | retry | active | completed | cancelled | failed' }),
    attempts: Type.Integer(),
    retryLimit: Type.Integer(),
    progress: Nullable(
      Type.Object({ done: Type.Integer(), total: Nullable(Type.Integer()), message: Nullable(Type.String()) }),
    ),
    output: Type.Unknown(),
    createdAt: Type.String(),
    startedAt: Nullable(Type.String()),
    completedAt: Nullable(Type.String()),
  },
  { $id: 'Job' },
)

export const jobsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(JobSchema)

  app.get(
    '/',
    {
      schema: {
        summary: 'Jobs that failed after their last retry (dead jobs)',
        querystring: Type.Object({
          state: Type.Literal('failed'),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('Job')) }), ...problemResponses(400) },
      },
    },
    async (request) => ({ items: await app.platform.jobs.listFailed(request.query.limit) }),
  )

  app.get(
    '/:id',
    {
      schema: {
        summary: 'State and progress of one job',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: Type.Ref('Job'), ...problemResponses(404) },
      },
    },
    async (request) => {
      const job = await app.platform.jobs.get(request.params.id)
      if (!job) throw new AppError('not-found')
      return job
    },
  )
}
