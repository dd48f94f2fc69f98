import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { contentDisposition } from '../../documents/download-headers.ts'
import { problemResponses } from '../../platform/http/common.schemas.ts'
import { documentListReport, filePlanReport, fileInventoryReport, type RecordsReport } from './records-reports.ts'

const Format = Type.Optional(Type.String({ maxLength: 8, description: 'xlsx (default) or pdf' }))

/** The printed records forms (ND30 Phụ lục V): danh mục hồ sơ, mục lục hồ sơ, mục lục văn bản — XLSX or PDF. */
export const reportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { platform } = app
  const headersOf = (report: RecordsReport) => ({
    'content-type': report.contentType,
    'content-disposition': contentDisposition(report.fileName, 'attachment'),
    'cache-control': 'no-store',
  })

  app.get(
    '/plans/:year/report',
    {
      config: { access: 'records.read' },
      schema: {
        summary: "Danh mục hồ sơ of a year (the hồ sơ the caller may see), as XLSX or PDF",
        params: Type.Object({ year: Type.Integer({ minimum: 1900, maximum: 2999 }) }),
        querystring: Type.Object({ format: Format }),
        response: problemResponses(400),
      },
    },
    async (request, reply) => {
      const report = await filePlanReport(platform, request.actor!, request.params.year, request.query.format)
      return reply.headers(headersOf(report)).send(report.body)
    },
  )

  app.get(
    '/files/report',
    {
      config: { access: 'records.read' },
      schema: {
        summary: 'Mục lục hồ sơ: the hồ sơ a filter finds, as XLSX or PDF',
        querystring: Type.Object({
          format: Format,
          year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2999 })),
          departmentId: Type.Optional(Type.String({ format: 'uuid' })),
          status: Type.Optional(Type.String({ maxLength: 100, description: 'Comma-separated: planned,open,closed,transferred,destroyed' })),
          q: Type.Optional(Type.String({ maxLength: 200 })),
          held: Type.Optional(Type.Boolean()),
          permanent: Type.Optional(Type.Boolean()),
          retentionYears: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        }),
        response: problemResponses(400),
      },
    },
    async (request, reply) => {
      const { format, status, ...filter } = request.query
      const report = await fileInventoryReport(platform, request.actor!, { ...filter, status: status?.split(',').filter(Boolean) }, format)
      return reply.headers(headersOf(report)).send(report.body)
    },
  )

  app.get(
    '/files/:id/report',
    {
      config: { access: 'records.read' },
      schema: {
        summary: 'Mục lục văn bản trong hồ sơ, as XLSX or PDF',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        querystring: Type.Object({ format: Format }),
        response: problemResponses(400, 404),
      },
    },
    async (request, reply) => {
      const report = await documentListReport(platform, request.actor!, request.params.id, request.query.format)
      return reply.headers(headersOf(report)).send(report.body)
    },
  )
}
