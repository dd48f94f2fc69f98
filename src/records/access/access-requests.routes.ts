import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { auditContextOf } from '../../platform/http/audit-context.ts'
import { Nullable, problemResponses } from '../../platform/http/common.schemas.ts'
import { decideAccess, listAccessRequests, requestAccess, withdrawAccess } from './access-requests.service.ts'

const RequestSchema = Type.Object({
  id: Type.String(),
  requesterId: Type.String(),
  requesterName: Type.Optional(Type.String()),
  recordFileId: Nullable(Type.String()),
  documentId: Nullable(Type.String()),
  target: Type.Optional(Nullable(Type.String())),
  purpose: Type.String(),
  requestedUntil: Type.String(),
  status: Type.String(),
  decisionNote: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
  expiresAt: Nullable(Type.String()),
  createdAt: Type.String(),
})

type Row = Awaited<ReturnType<typeof requestAccess>>
const view = (r: Row, extra: { requesterName?: string; target?: string | null } = {}) => ({
  id: r.id,
  requesterId: r.requesterId,
  recordFileId: r.recordFileId,
  documentId: r.documentId,
  purpose: r.purpose,
  requestedUntil: r.requestedUntil,
  status: r.status,
  decisionNote: r.decisionNote,
  decidedAt: r.decidedAt?.toISOString() ?? null,
  expiresAt: r.expiresAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
  ...extra,
})
const Params = Type.Object({ id: Type.String({ maxLength: 64 }) })

/** Phiếu yêu cầu khai thác: ask, decide (the archive's head), withdraw; access ends on its date. */
export const accessRequestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { platform } = app

  app.get('/access-requests', { config: { access: 'records.access.request' }, schema: { summary: 'My access requests (all of them for the archive)', response: { 200: Type.Array(RequestSchema) } } }, async (request) =>
    (await listAccessRequests(platform, request.actor!)).map((row) => view(row.request, { requesterName: row.requesterName, target: row.fileCode ? `${row.fileCode} — ${row.fileTitle}` : row.documentSubject })),
  )

  app.post(
    '/access-requests',
    {
      config: { access: 'records.access.request' },
      schema: {
        summary: 'Ask to read an archived hồ sơ or document: why, and until when',
        body: Type.Object({ recordFileId: Type.Optional(Type.String({ maxLength: 64 })), documentId: Type.Optional(Type.String({ maxLength: 64 })), purpose: Type.String({ maxLength: 1000 }), until: Type.String({ maxLength: 10 }) }, { additionalProperties: false }),
        response: { 201: RequestSchema, ...problemResponses(400) },
      },
    },
    async (request, reply) => reply.code(201).send(view(await requestAccess(platform, request.actor!, request.body, auditContextOf(request)))),
  )

  app.post(
    '/access-requests/:id/decide',
    {
      config: { access: 'records.access.decide' },
      schema: {
        summary: 'Approve (until a date) or refuse (with a note) an access request',
        params: Params,
        body: Type.Object({ approve: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 1000 })), until: Type.Optional(Type.String({ maxLength: 10 })) }, { additionalProperties: false }),
        response: { 200: RequestSchema, ...problemResponses(400, 403, 404, 409) },
      },
    },
    async (request) => view(await decideAccess(platform, request.actor!, request.params.id, request.body, auditContextOf(request))),
  )

  app.post(
    '/access-requests/:id/withdraw',
    { config: { access: 'records.access.request' }, schema: { summary: 'Withdraw my request, or end my access early', params: Params, response: { 204: Type.Null(), ...problemResponses(404) } } },
    async (request, reply) => {
      await withdrawAccess(platform, request.actor!, request.params.id, auditContextOf(request))
      return reply.code(204).send(null)
    },
  )
}
