import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { eq } from 'drizzle-orm'
import { Type } from 'typebox'
import { contentDisposition } from '../../documents/download-headers.ts'
import { recordFiles } from '../../platform/db/schema/index.ts'
import { auditContextOf } from '../../platform/http/audit-context.ts'
import { problemResponses } from '../../platform/http/common.schemas.ts'
import { findTransfer } from '../transfer/transfer.service.ts'
import { exportPackage } from './eark-package.ts'

const Query = Type.Object({ type: Type.Optional(Type.Union([Type.Literal('SIP'), Type.Literal('AIP')])) })

/** The E-ARK CSIP package of a hồ sơ, and of every hồ sơ of a transfer (batch). */
export const packageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { platform } = app

  app.get(
    '/files/:id/package',
    {
      config: { access: 'records.package.export' },
      schema: { summary: 'The hồ sơ as an E-ARK CSIP package (zip, streamed)', params: Type.Object({ id: Type.String({ maxLength: 64 }) }), querystring: Query, response: problemResponses(403, 404, 409) },
    },
    async (request, reply) => {
      const { stream, name } = await exportPackage(platform, request.actor!, [request.params.id], auditContextOf(request), request.query.type)
      return reply.type('application/zip').header('content-disposition', contentDisposition(name, 'attachment')).send(stream)
    },
  )

  app.get(
    '/transfers/:id/package',
    {
      config: { access: 'records.package.export' },
      schema: { summary: 'Every hồ sơ of a transfer as E-ARK CSIP packages in one zip', params: Type.Object({ id: Type.String({ maxLength: 64 }) }), querystring: Query, response: problemResponses(403, 404, 409) },
    },
    async (request, reply) => {
      const transfer = await findTransfer(platform, request.actor!, request.params.id)
      const ids = (await platform.database.db.select({ id: recordFiles.id }).from(recordFiles).where(eq(recordFiles.transferId, transfer.id))).map((row) => row.id)
      const { stream, name } = await exportPackage(platform, request.actor!, ids, auditContextOf(request), request.query.type)
      return reply.type('application/zip').header('content-disposition', contentDisposition(name, 'attachment')).send(stream)
    },
  )
}
