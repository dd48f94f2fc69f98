import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { listAuditEvents } from '../../audit/audit.service.ts'
import { auditContextOf } from '../../platform/http/audit-context.ts'
import { Nullable, problemResponses } from '../../platform/http/common.schemas.ts'
import { AppError } from '../../platform/errors.ts'
import { getDocument } from '../../documents/documents.service.ts'
import { docCodeOf, vietnamDate } from '../records-policy.ts'
import { approveFilePlan, createFilePlan, listFilePlans } from './file-plans.service.ts'
import { closeRecordFile, fileChoicesFor, fileDocumentInto, reopenRecordFile, unfileDocument } from './record-file-lifecycle.ts'
import { filesOfDocument } from './record-files.repository.ts'
import { createRecordFile, getRecordFile, listRecordFiles, loadRecordFile, updateRecordFile } from './record-files.service.ts'
import { RecordFileInputSchema, RecordFileSchema, toRecordFileView } from './record-files.views.ts'

const Params = Type.Object({ id: Type.String({ maxLength: 64 }) })

const EntrySchema = Type.Object({
  documentId: Type.String(),
  ordinal: Type.Integer(),
  docCode: Type.String(),
  direction: Type.String(),
  status: Type.String(),
  numberNotation: Nullable(Type.String()),
  issuedDate: Nullable(Type.String()),
  arrivalDate: Nullable(Type.String()),
  kind: Nullable(Type.String()),
  subject: Nullable(Type.String()),
  issuerName: Nullable(Type.String()),
  pageCount: Nullable(Type.Integer()),
  pageFrom: Nullable(Type.Integer()),
  pageTo: Nullable(Type.Integer()),
  filedAt: Type.String(),
})

const PlanSchema = Type.Object({
  id: Type.String(),
  year: Type.Integer(),
  title: Type.String(),
  status: Type.String(),
  approvedAt: Nullable(Type.String()),
  fileCount: Type.Integer(),
})

const ListQuery = Type.Object({
  year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2999 })),
  departmentId: Type.Optional(Type.String({ format: 'uuid' })),
  status: Type.Optional(Type.String({ maxLength: 100, description: 'Comma-separated: planned,open,closed,transferred,destroyed' })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  held: Type.Optional(Type.Boolean()),
  permanent: Type.Optional(Type.Boolean()),
  retentionYears: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
})

/** Danh mục hồ sơ and hồ sơ: plans, opening, filing (lập hồ sơ), mục lục văn bản, closing, reopening. */
export const recordFilesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { platform } = app

  app.get('/plans', { config: { access: 'records.read' }, schema: { summary: 'File plans (danh mục hồ sơ), newest year first', response: { 200: Type.Array(PlanSchema) } } }, async (request) =>
    (await listFilePlans(platform, request.actor!)).map(({ plan, fileCount }) => ({
      id: plan.id,
      year: plan.year,
      title: plan.title,
      status: plan.status,
      approvedAt: plan.approvedAt?.toISOString() ?? null,
      fileCount,
    })),
  )

  app.post(
    '/plans',
    {
      config: { access: 'records.plan.manage' },
      schema: {
        summary: "Create the year's danh mục hồ sơ, optionally copying another year's entries",
        body: Type.Object(
          { year: Type.Integer({ minimum: 1900, maximum: 2999 }), title: Type.Optional(Type.String({ maxLength: 300 })), copyFromYear: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2999 })) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String(), year: Type.Integer(), copied: Type.Integer() }), ...problemResponses(400, 409) },
      },
    },
    async (request, reply) => {
      const { plan, copied } = await createFilePlan(platform, request.actor!, request.body, auditContextOf(request))
      return reply.code(201).send({ id: plan.id, year: plan.year, copied })
    },
  )

  app.post(
    '/plans/:year/approve',
    {
      config: { access: 'records.plan.approve' },
      schema: { summary: "Approve the year's danh mục hồ sơ", params: Type.Object({ year: Type.Integer({ minimum: 1900, maximum: 2999 }) }), response: { 200: Type.Object({ status: Type.String() }), ...problemResponses(404) } },
    },
    async (request) => ({ status: (await approveFilePlan(platform, request.actor!, request.params.year, auditContextOf(request))).status }),
  )

  app.get('/files', { config: { access: 'records.read' }, schema: { summary: 'Hồ sơ the caller may see, with record filters', querystring: ListQuery, response: { 200: Type.Array(RecordFileSchema) } } }, async (request) => {
    const { status, ...filter } = request.query
    const rows = await listRecordFiles(platform, request.actor!, { ...filter, status: status?.split(',').filter(Boolean) })
    return rows.map((row) => toRecordFileView(row.file, { departmentName: row.departmentName, keeperName: row.keeperName, filedCount: row.filedCount, held: row.held }))
  })

  app.get(
    '/file-choices',
    { config: { access: 'records.file' }, schema: { summary: 'Open hồ sơ the caller may file a document into (lập hồ sơ)', querystring: Type.Object({ year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2999 })) }), response: { 200: Type.Array(RecordFileSchema) } } },
    async (request) => {
      const rows = await fileChoicesFor(platform, request.actor!, request.query.year ?? Number(vietnamDate().slice(0, 4)))
      return rows.map((row) => toRecordFileView(row.file, { departmentName: row.departmentName, keeperName: row.keeperName, filedCount: row.filedCount }))
    },
  )

  app.post(
    '/files',
    {
      config: { access: 'records.file' },
      schema: {
        summary: 'Open a hồ sơ (or add a planned entry to the danh mục with planned=true)',
        body: Type.Object({ ...RecordFileInputSchema.properties, planned: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 201: RecordFileSchema, ...problemResponses(400, 403, 409) },
      },
    },
    async (request, reply) => {
      const { planned, ...input } = request.body
      if (planned && !request.actor!.roles.has('archivist') && !request.actor!.roles.has('clerk')) throw new AppError('forbidden')
      const file = await createRecordFile(platform, request.actor!, input, auditContextOf(request), { planned: planned === true })
      return reply.code(201).send(toRecordFileView(file))
    },
  )

  app.get(
    '/files/:id',
    { config: { access: 'records.read' }, schema: { summary: 'A hồ sơ with its mục lục văn bản', params: Params, response: { 200: Type.Object({ file: RecordFileSchema, entries: Type.Array(EntrySchema), hiddenCount: Type.Integer(), hold: Nullable(Type.Object({ id: Type.String(), title: Type.String() })), canManage: Type.Boolean() }), ...problemResponses(404) } } },
    async (request) => {
      const { file, names, entries, hiddenCount, hold, canManage } = await getRecordFile(platform, request.actor!, request.params.id)
      return {
        file: toRecordFileView(file, names),
        hiddenCount,
        canManage,
        hold: hold ? { id: hold.id, title: hold.title } : null,
        entries: entries.map(({ document, filed, ordinal }) => ({
          documentId: document.id,
          ordinal,
          docCode: docCodeOf(file.fileCode, ordinal),
          direction: document.direction,
          status: document.status,
          numberNotation: document.codeNumber ? `${document.codeNumber}/${document.codeNotation ?? ''}` : null,
          issuedDate: document.issuedDate,
          arrivalDate: document.arrivalDate,
          kind: document.kind,
          subject: document.subject,
          issuerName: document.issuerName,
          pageCount: document.pageCount,
          pageFrom: filed.pageFrom,
          pageTo: filed.pageTo,
          filedAt: filed.filedAt.toISOString(),
        })),
      }
    },
  )

  app.patch(
    '/files/:id',
    { config: { access: 'records.file' }, schema: { summary: 'Edit a planned or open hồ sơ', params: Params, body: RecordFileInputSchema, response: { 200: RecordFileSchema, ...problemResponses(400, 403, 404, 409) } } },
    async (request) => toRecordFileView(await updateRecordFile(platform, request.actor!, request.params.id, request.body, auditContextOf(request))),
  )

  app.post(
    '/files/:id/documents',
    {
      config: { access: 'records.file' },
      schema: {
        summary: 'File documents into the hồ sơ (lập hồ sơ); filing twice changes nothing',
        params: Params,
        body: Type.Object({ documentIds: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 500 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ added: Type.Integer(), already: Type.Integer() }), ...problemResponses(400, 403, 404, 409) },
      },
    },
    async (request) => {
      const results = await fileDocumentInto(platform, request.actor!, request.params.id, request.body.documentIds, auditContextOf(request))
      const added = results.filter((result) => result.added).length
      return { added, already: results.length - added }
    },
  )

  app.delete(
    '/files/:id/documents/:documentId',
    { config: { access: 'records.file' }, schema: { summary: 'Take a document out of an open hồ sơ', params: Type.Object({ id: Type.String({ maxLength: 64 }), documentId: Type.String({ maxLength: 64 }) }), response: { 204: Type.Null(), ...problemResponses(403, 404, 409) } } },
    async (request, reply) => {
      await unfileDocument(platform, request.actor!, request.params.id, request.params.documentId, auditContextOf(request))
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/files/:id/close',
    { config: { access: 'records.file' }, schema: { summary: 'Close the hồ sơ: order and count its documents; they become records', params: Params, response: { 200: RecordFileSchema, ...problemResponses(403, 404, 409) } } },
    async (request) => toRecordFileView(await closeRecordFile(platform, request.actor!, request.params.id, auditContextOf(request))),
  )

  app.post(
    '/files/:id/reopen',
    { config: { access: 'records.file' }, schema: { summary: 'Reopen a closed hồ sơ (not transferred) with a reason', params: Params, body: Type.Object({ reason: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }), response: { 200: RecordFileSchema, ...problemResponses(400, 403, 404, 409) } } },
    async (request) => toRecordFileView(await reopenRecordFile(platform, request.actor!, request.params.id, request.body.reason, auditContextOf(request))),
  )

  app.get(
    '/files/:id/history',
    { config: { access: 'records.read' }, schema: { summary: "The hồ sơ's audit events, newest first", params: Params, response: { 200: Type.Array(Type.Object({ seq: Type.Integer(), occurredAt: Type.String(), actor: Type.String(), action: Type.String(), details: Type.Record(Type.String(), Type.Unknown()) })) } } },
    async (request) => {
      const file = await loadRecordFile(platform.database.db, request.actor!, request.params.id)
      const events = await listAuditEvents(platform.database.db, request.actor!, { targetType: 'record-file', targetId: file.id }, 200)
      return events.map(({ seq, occurredAt, actor, action, details }) => ({ seq, occurredAt, actor, action, details: details as Record<string, unknown> }))
    },
  )

  app.get(
    '/documents/:id/files',
    { config: { access: 'records.read' }, schema: { summary: 'The hồ sơ a document is filed in', params: Params, response: { 200: Type.Array(Type.Object({ id: Type.String(), fileCode: Type.String(), title: Type.String(), status: Type.String() })) } } },
    async (request) => {
      const { document } = await getDocument(platform, request.actor!, request.params.id)
      return filesOfDocument(platform.database.db, document.id)
    },
  )
}
