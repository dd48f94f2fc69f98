import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Nullable } from '../../platform/http/common.schemas.ts'
import { fixityReport } from './fixity.service.ts'

const Coverage = Type.Object({ total: Type.Integer(), checkedInCycle: Type.Integer(), failing: Type.Integer() })

/** GET /api/records/fixity: the last fixity runs, the cycle's coverage and what fails now. */
export const fixityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { platform } = app
  app.get(
    '/fixity',
    {
      config: { access: 'records.fixity.read' },
      schema: {
        summary: 'Fixity: the last runs of the rolling check, the cycle coverage, failing blobs',
        response: {
          200: Type.Object({
            cycleDays: Type.Integer(),
            maxMbPerSecond: Type.Integer(),
            coverage: Coverage,
            lastRun: Nullable(Type.Object({ startedAt: Type.String(), finishedAt: Nullable(Type.String()), blobsChecked: Type.Integer(), bytesChecked: Type.Integer(), failures: Type.Integer() })),
            runs: Type.Array(Type.Object({ startedAt: Type.String(), blobsChecked: Type.Integer(), bytesChecked: Type.Integer(), failures: Type.Integer() })),
            failing: Type.Array(Type.Object({ blobKey: Type.String(), problem: Nullable(Type.String()), checkedAt: Nullable(Type.String()) })),
          }),
        },
      },
    },
    async () => {
      const report = await fixityReport(platform, platform.config.records.fixityCycleDays)
      const runView = (run: (typeof report.runs)[number]) => ({ startedAt: run.startedAt.toISOString(), finishedAt: run.finishedAt?.toISOString() ?? null, blobsChecked: run.blobsChecked, bytesChecked: Number(run.bytesChecked), failures: run.failures })
      return {
        cycleDays: report.cycleDays,
        maxMbPerSecond: platform.config.records.fixityMaxMbPerSecond,
        coverage: report.coverage,
        lastRun: report.runs.find((run) => run.finishedAt) ? runView(report.runs.find((run) => run.finishedAt)!) : null,
        runs: report.runs.map(runView),
        failing: report.failing.map((row) => ({ blobKey: row.blobKey, problem: row.problem, checkedAt: row.checkedAt?.toISOString() ?? null })),
      }
    },
  )
}
