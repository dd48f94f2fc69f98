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

/**
 * A job about a document is followed by whoever may see that document (admins: its metadata, so never
 * a secret one); jobs about no document (sweeps, housekeeping) by admins only.
 */
async function mayFollowJob(platform: Platform, actor: Actor, job: JobView): Promise<boolean> {
  if (!job.documentId) return actor.roles.has('admin')
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
    async (request) => {
      const failed = await app.platform.jobs.listFailed(request.query.limit)
      const allowed = await Promise.all(failed.map((job) => mayFollowJob(app.platform, request.actor!, job)))
      return { items: failed.filter((_, i) => allowed[i]) }
    },
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
