import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { contentDisposition } from '../../documents/download-headers.ts'
import { AppError } from '../../platform/errors.ts'
import { auditContextOf } from '../../platform/http/audit-context.ts'
import { Nullable, problemResponses } from '../../platform/http/common.schemas.ts'
import { RecordFileSchema, toRecordFileView } from '../files/record-files.views.ts'
import { approveDisposal, executeDisposal, filesDueForDisposal, listDisposals, proposeDisposal, tombstonesOf } from './disposition.service.ts'

const DisposalSchema = Type.Object({
  id: Type.String(),
  status: Type.String(),
  reason: Nullable(Type.String()),
  proposedAt: Type.String(),
  decisionNumber: Nullable(Type.String()),
  decisionDate: Nullable(Type.String()),
  councilMembers: Nullable(Type.String()),
  approvedAt: Nullable(Type.String()),
  destroyedAt: Nullable(Type.String()),
  certificateSha256: Nullable(Type.String()),
  files: Type.Optional(Type.Array(Type.String())),
})
type Row = Awaited<ReturnType<typeof proposeDisposal>>
const view = (d: Row, files?: string[]) => ({
  id: d.id,
  status: d.status,
  reason: d.reason,
  proposedAt: d.proposedAt.toISOString(),
  decisionNumber: d.decisionNumber,
  decisionDate: d.decisionDate,
  councilMembers: d.councilMembers,
  approvedAt: d.approvedAt?.toISOString() ?? null,
  destroyedAt: d.destroyedAt?.toISOString() ?? null,
  certificateSha256: d.certificateSha256,
  ...(files ? { files } : {}),
})
const Params = Type.Object({ id: Type.String({ maxLength: 64 }) })

/** Xem xét hủy: hồ sơ past retention, the proposal, the council's decision, the destruction and its certificate. */
export const dispositionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { platform } = app

  app.get(
    '/disposition/due',
    { config: { access: 'records.disposition.manage' }, schema: { summary: 'Hồ sơ past their retention (xem xét hủy)', response: { 200: Type.Array(Type.Object({ file: RecordFileSchema, eligibleFrom: Type.String(), hold: Nullable(Type.Object({ id: Type.String(), title: Type.String() })) })) } } },
    async (request) => (await filesDueForDisposal(platform, request.actor!)).map(({ file, eligibleFrom, hold }) => ({ file: toRecordFileView(file), eligibleFrom, hold: hold ? { id: hold.id, title: hold.title } : null })),
  )

  app.get('/disposals', { config: { access: 'records.read' }, schema: { summary: 'Dispositions, newest first', response: { 200: Type.Array(DisposalSchema) } } }, async (request) =>
    (await listDisposals(platform, request.actor!)).map(({ disposal, files }) => view(disposal, files)),
  )

  app.post(
    '/disposals',
    { config: { access: 'records.disposition.manage' }, schema: { summary: 'Propose hồ sơ past retention for destruction', body: Type.Object({ recordFileIds: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 1000 }), reason: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }), response: { 201: DisposalSchema, ...problemResponses(400, 409) } } },
    async (request, reply) => reply.code(201).send(view(await proposeDisposal(platform, request.actor!, request.body, auditContextOf(request)))),
  )

  app.post(
    '/disposals/:id/approve',
    { config: { access: 'records.disposition.approve' }, schema: { summary: "Record the appraisal council's decision approving the destruction", params: Params, body: Type.Object({ decisionNumber: Type.String({ maxLength: 60 }), decisionDate: Type.String({ maxLength: 10 }), councilMembers: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }), response: { 200: DisposalSchema, ...problemResponses(400, 404, 409) } } },
    async (request) => view(await approveDisposal(platform, request.actor!, request.params.id, request.body, auditContextOf(request))),
  )

  app.post(
    '/disposals/:id/execute',
    { config: { access: 'records.disposition.manage' }, schema: { summary: 'Destroy the approved hồ sơ: bytes everywhere, tombstones kept, biên bản hủy made', params: Params, response: { 200: DisposalSchema, ...problemResponses(404, 409) } } },
    async (request) => view(await executeDisposal(platform, request.actor!, request.params.id, auditContextOf(request))),
  )

  app.get(
    '/disposals/:id/tombstones',
    { config: { access: 'records.read' }, schema: { summary: 'What remains of the destroyed hồ sơ', params: Params, response: { 200: Type.Array(Type.Object({ recordFileId: Type.String(), snapshot: Type.Unknown() })), ...problemResponses(404) } } },
    async (request) => (await tombstonesOf(platform, request.actor!, request.params.id)).tombstones.map((t) => ({ recordFileId: t.recordFileId, snapshot: t.snapshot })),
  )

  app.get(
    '/disposals/:id/certificate.pdf',
    { config: { access: 'records.read' }, schema: { summary: 'Biên bản hủy tài liệu (PDF)', params: Params, response: problemResponses(404) } },
    async (request, reply) => {
      const { disposal } = await tombstonesOf(platform, request.actor!, request.params.id)
      if (!disposal.certificateBlobKey) throw new AppError('not-found')
      return reply.type('application/pdf').header('content-disposition', contentDisposition('bien-ban-huy-tai-lieu.pdf', 'attachment')).send(await platform.blobStore.get(disposal.certificateBlobKey))
    },
  )
}
