import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Database } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import { auditContextOf } from '../../platform/http/audit-context.ts'
import { problemResponses } from '../../platform/http/common.schemas.ts'
import * as service from './trust.service.ts'

const TrustAnchorSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.Union([Type.Literal('root'), Type.Literal('intermediate')]),
    subject: Type.String(),
    fingerprintSha256: Type.String({ description: 'hex' }),
    notAfter: Type.String(),
    certificatePem: Type.String(),
    addedBy: Type.String(),
    createdAt: Type.String(),
  },
  { $id: 'TrustAnchor' },
)

const MAX_CERT_BYTES = 64 * 1024

/** The agency's trusted CAs (danh sách CA tin cậy), managed by its admins. */
export function trustAnchorRoutes(deps: { database: Database }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addSchema(TrustAnchorSchema)
    const config = { access: 'signature.trust.manage' as const }

    app.get(
      '/',
      {
        config,
        schema: {
          summary: 'Trusted CA certificates',
          response: {
            200: Type.Object({ items: Type.Array(Type.Ref('TrustAnchor')) }),
            ...problemResponses(401, 403),
          },
        },
      },
      async (request) => ({
        items: (await service.listTrustAnchors(deps.database.db, request.actor!.agencyId)).map(
          service.trustAnchorView,
        ),
      }),
    )
    app.post(
      '/',
      {
        config,
        schema: {
          summary: 'Trust a root or intermediate CA certificate',
          description:
            'multipart/form-data with one `file` part: the certificate, PEM or DER. Roots are self-signed; anything else is an intermediate.',
          consumes: ['multipart/form-data'],
          response: { 201: Type.Ref('TrustAnchor'), ...problemResponses(400, 401, 403, 409, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const bytes = await readCertificateUpload(request)
        const row = await service.addTrustAnchor(deps, request.actor!, bytes, auditContextOf(request))
        return reply.code(201).send(service.trustAnchorView(row))
      },
    )
    app.delete(
      '/:id',
      {
        config,
        schema: {
          summary: 'Stop trusting a CA',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          response: problemResponses(401, 403, 404),
        },
      },
      async (request, reply) => {
        await service.removeTrustAnchor(deps, request.actor!, request.params.id, auditContextOf(request))
        return reply.code(204).send()
      },
    )
  }
}

async function readCertificateUpload(request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart()) throw new AppError('unsupported-media-type')
  const part = await request.file({ limits: { fileSize: MAX_CERT_BYTES, files: 1, fields: 5 } })
  if (part?.fieldname !== 'file') {
    part?.file.resume()
    throw new AppError('upload-missing-file')
  }
  const bytes = await part.toBuffer()
  if (bytes.length === 0) throw new AppError('upload-empty')
  return bytes
}
