import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Actor } from '../access/actor.ts'
import { documentVisibility } from '../access/policy.ts'
import { findDocument } from '../documents/documents.repository.ts'
import { AppError } from '../platform/errors.ts'
import type { JobView } from '../platform/jobs/job-queue.ts'
import type { Platform } from '../platform/platform.ts'
import { Nullable, problemResponses } from '../platform/http/common.schemas.ts'

const JobSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    documentId: Nullable(Type.String()),
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

/** Admins follow every job; others the jobs about a document they may see. */
async function mayFollowJob(platform: Platform, actor: Actor, job: JobView): Promise<boolean> {
  if (actor.roles.has('admin')) return true
  if (!job.documentId) return false
  return (await findDocument(platform.database.db, job.documentId, documentVisibility(actor, 'metadata'))) !== undefined
}

export const jobsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(JobSchema)

  app.get(
    '/',
    {
      config: { access: 'job.read-failed' },
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
      config: { access: 'job.read' },
      schema: {
        summary: 'State and progress of one job',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: Type.Ref('Job'), ...problemResponses(404) },
      },
    },
    async (request) => {
      const job = await app.platform.jobs.get(request.params.id)
      if (!job || !(await mayFollowJob(app.platform, request.actor!, job))) throw new AppError('not-found')
      return job
    },
  )
}
