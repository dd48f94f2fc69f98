import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { auditContextOf } from '../../platform/http/audit-context.ts'
import { Nullable, problemResponses } from '../../platform/http/common.schemas.ts'
import { readRecordsSettings, setArchiveHead } from '../records-settings.ts'
import { holdFiles, liftHold, listHolds, placeHold } from './holds.service.ts'

const HoldSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  reason: Type.String(),
  legalBasis: Type.String(),
  scopeKind: Type.String(),
  status: Type.String(),
  placedAt: Type.String(),
  liftedAt: Nullable(Type.String()),
  liftReason: Nullable(Type.String()),
  documentItems: Type.Integer(),
  fileItems: Type.Integer(),
})

/** Legal holds (tạm dừng hủy, phong tỏa) and the records settings (who heads the archive). */
export const holdsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { platform } = app

  app.get('/holds', { config: { access: 'records.read' }, schema: { summary: 'Legal holds, newest first', response: { 200: Type.Array(HoldSchema) } } }, async (request) =>
    (await listHolds(platform, request.actor!)).map(({ hold, documentItems, fileItems }) => ({
      id: hold.id,
      title: hold.title,
      reason: hold.reason,
      legalBasis: hold.legalBasis,
      scopeKind: hold.scopeKind,
      status: hold.status,
      placedAt: hold.placedAt.toISOString(),
      liftedAt: hold.liftedAt?.toISOString() ?? null,
      liftReason: hold.liftReason,
      documentItems,
      fileItems,
    })),
  )

  app.get(
    '/holds/:id/files',
    { config: { access: 'records.read' }, schema: { summary: 'The hồ sơ a hold names', params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 200: Type.Array(Type.Object({ id: Type.String(), fileCode: Type.String(), title: Type.String() })) } } },
    async (request) => holdFiles(platform, request.params.id),
  )

  app.post(
    '/holds',
    {
      config: { access: 'records.hold.manage' },
      schema: {
        summary: 'Place a legal hold on documents, hồ sơ, or what a search finds',
        body: Type.Object(
          {
            title: Type.String({ maxLength: 200 }),
            reason: Type.String({ maxLength: 2000 }),
            legalBasis: Type.String({ maxLength: 500 }),
            documentIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 5000 })),
            recordFileIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 5000 })),
            search: Type.Optional(Type.Object({ text: Type.String({ maxLength: 500 }), filters: Type.Optional(Type.Record(Type.String(), Type.Unknown())) })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String(), documentCount: Type.Integer() }), ...problemResponses(400, 403) },
      },
    },
    async (request, reply) => {
      const { hold, documentCount } = await placeHold(platform, request.actor!, request.body as Parameters<typeof placeHold>[2], auditContextOf(request))
      return reply.code(201).send({ id: hold.id, documentCount })
    },
  )

  app.post(
    '/holds/:id/lift',
    { config: { access: 'records.hold.manage' }, schema: { summary: 'Lift a legal hold, with a reason', params: Type.Object({ id: Type.String({ maxLength: 64 }) }), body: Type.Object({ reason: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }), response: { 200: Type.Object({ status: Type.String() }), ...problemResponses(400, 403, 404) } } },
    async (request) => ({ status: (await liftHold(platform, request.actor!, request.params.id, request.body.reason, auditContextOf(request))).status }),
  )

  app.get('/settings', { config: { access: 'records.read' }, schema: { summary: 'Records settings', response: { 200: Type.Object({ archiveHeadUserId: Nullable(Type.String()) }) } } }, async (request) =>
    readRecordsSettings(platform.database.db, request.actor!.agencyId),
  )

  app.put(
    '/settings',
    { config: { access: 'records.settings.manage' }, schema: { summary: 'Designate the head of the agency archive', body: Type.Object({ archiveHeadUserId: Nullable(Type.String({ maxLength: 64 })) }, { additionalProperties: false }), response: { 200: Type.Object({ archiveHeadUserId: Nullable(Type.String()) }), ...problemResponses(400) } } },
    async (request) => setArchiveHead(platform.database, request.actor!, request.body.archiveHeadUserId, auditContextOf(request)),
  )
}
