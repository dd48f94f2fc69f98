import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Database } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import { auditContextOf } from '../../platform/http/audit-context.ts'
import { Nullable, problemResponses } from '../../platform/http/common.schemas.ts'
import * as service from './revocation-lists.service.ts'

const RevocationListSchema = Type.Object(
  {
    id: Type.String(),
    trustAnchorId: Type.String({ description: 'The trusted CA that issued and signed it' }),
    issuer: Type.String(),
    thisUpdate: Type.String(),
    nextUpdate: Nullable(Type.String()),
    revokedCount: Type.Integer(),
    sha256: Type.String(),
    source: Type.Union([Type.Literal('upload'), Type.Literal('download')]),
    addedBy: Type.String(),
    createdAt: Type.String(),
    state: Type.Union([Type.Literal('current'), Type.Literal('refresh-due'), Type.Literal('expired')], {
      description: 'refresh-due: its next update is less than two days away; expired: past it',
    }),
  },
  { $id: 'RevocationList' },
)

/** Real CAs' lists reach a few megabytes. */
const MAX_CRL_BYTES = 20 * 1024 * 1024

/**
 * Offline revocation data (danh sách chứng thư bị thu hồi) of the trusted CAs, managed by the admins who
 * manage the trust store. Registered under /api/admin/revocation-lists.
 */
export function revocationListRoutes(deps: { database: Database }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addSchema(RevocationListSchema)
    const config = { access: 'signature.trust.manage' as const }

    app.get(
      '/',
      {
        config,
        schema: {
          summary: 'The current CRL of each trusted CA that has one',
          response: {
            200: Type.Object({ items: Type.Array(Type.Ref('RevocationList')) }),
            ...problemResponses(401, 403),
          },
        },
      },
      async (request) => ({ items: await service.listRevocationLists(deps.database.db, request.actor!.agencyId) }),
    )
    app.post(
      '/',
      {
        config,
        schema: {
          summary: "Load a trusted CA's CRL, or its newer edition (refresh)",
          description:
            'multipart/form-data with one `file` part: the CRL, DER or PEM. It must be issued and signed by a CA of ' +
            "the trust store; a newer one replaces the CA's current list (409 when it is not newer).",
          consumes: ['multipart/form-data'],
          response: { 201: Type.Ref('RevocationList'), ...problemResponses(400, 401, 403, 409, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const bytes = await readCrlUpload(request)
        const row = await service.addRevocationList(deps, request.actor!, bytes, auditContextOf(request))
        const [view] = (await service.listRevocationLists(deps.database.db, request.actor!.agencyId)).filter(
          (item) => item.id === row.id,
        )
        return reply.code(201).send(view)
      },
    )
    app.delete(
      '/:id',
      {
        config,
        schema: {
          summary: 'Stop using a CRL',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          response: problemResponses(401, 403, 404),
        },
      },
      async (request, reply) => {
        await service.removeRevocationList(deps, request.actor!, request.params.id, auditContextOf(request))
        return reply.code(204).send()
      },
    )
  }
}

async function readCrlUpload(request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart()) throw new AppError('unsupported-media-type')
  const part = await request.file({ limits: { fileSize: MAX_CRL_BYTES, files: 1, fields: 5 } })
  if (part?.fieldname !== 'file') {
    part?.file.resume()
    throw new AppError('upload-missing-file')
  }
  const bytes = await part.toBuffer().catch((error: unknown) => {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('upload-too-large')
    throw error
  })
  if (part.file.truncated) throw new AppError('upload-too-large')
  if (bytes.length === 0) throw new AppError('upload-empty')
  return bytes
}
