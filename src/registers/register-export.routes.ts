import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { contentDisposition } from '../documents/download-headers.ts'
import { problemResponses } from '../platform/http/common.schemas.ts'
import { exportIncomingRegister } from './register-export.ts'
import { exportOutgoingRegister } from './outgoing-register.ts'

const ExportQuery = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 10, description: 'Từ ngày (ngày đến), YYYY-MM-DD' })),
  to: Type.Optional(Type.String({ maxLength: 10, description: 'Đến ngày (ngày đến), YYYY-MM-DD; at most 366 days after from' })),
  format: Type.Optional(Type.String({ maxLength: 8, description: 'xlsx (default) or pdf' })),
  registerId: Type.Optional(Type.String({ maxLength: 64, description: 'One register (sổ); all registers when absent' })),
})

/** Printing the registers: the sổ đăng ký văn bản đến for a date range, as XLSX or PDF. */
export const registerExportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/incoming/export',
    {
      config: { access: 'document.read' as const },
      schema: {
        summary: 'Sổ đăng ký văn bản đến for a range of arrival dates, as XLSX or PDF (only documents the caller may see)',
        querystring: ExportQuery,
        response: problemResponses(400),
      },
    },
    async (request, reply) => {
      const file = await exportIncomingRegister(app.platform.database, request.actor!, request.query)
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', contentDisposition(file.fileName, 'attachment'))
        .header('cache-control', 'no-store')
        .send(file.body)
    },
  )

  app.get(
    '/outgoing/export',
    {
      config: { access: 'document.read' as const },
      schema: {
        summary: 'Sổ đăng ký văn bản đi for a range of issue dates (ngày ban hành), as XLSX or PDF: its 10 columns',
        querystring: ExportQuery,
        response: problemResponses(400),
      },
    },
    async (request, reply) => {
      const file = await exportOutgoingRegister(app.platform.database, request.actor!, request.query)
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', contentDisposition(file.fileName, 'attachment'))
        .header('cache-control', 'no-store')
        .send(file.body)
    },
  )
}
