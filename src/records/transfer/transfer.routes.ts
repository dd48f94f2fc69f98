import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { eq } from 'drizzle-orm'
import { Type } from 'typebox'
import { contentDisposition } from '../../documents/download-headers.ts'
import { recordFiles } from '../../platform/db/schema/index.ts'
import { AppError } from '../../platform/errors.ts'
import { auditContextOf } from '../../platform/http/audit-context.ts'
import { Nullable, problemResponses } from '../../platform/http/common.schemas.ts'
import { RecordFileSchema, toRecordFileView } from '../files/record-files.views.ts'
import { findTransfer, listTransfers, receiveTransfer, returnTransfer, submitTransfer, transfersDue } from './transfer.service.ts'

const TransferSchema = Type.Object({
  id: Type.String(),
  departmentId: Nullable(Type.String()),
  departmentName: Type.Optional(Nullable(Type.String())),
  status: Type.String(),
  note: Nullable(Type.String()),
  submittedAt: Type.String(),
  receivedAt: Nullable(Type.String()),
  returnReason: Nullable(Type.String()),
  fileCount: Type.Integer(),
  documentCount: Type.Integer(),
  byteCount: Type.Integer(),
  inventorySha256: Nullable(Type.String()),
  receiptSha256: Nullable(Type.String()),
  checkReport: Nullable(Type.Unknown()),
})

type TransferRow = Awaited<ReturnType<typeof findTransfer>>
const view = (t: TransferRow, departmentName?: string | null) => ({
  id: t.id,
  departmentId: t.departmentId,
  ...(departmentName !== undefined ? { departmentName } : {}),
  status: t.status,
  note: t.note,
  submittedAt: t.submittedAt.toISOString(),
  receivedAt: t.receivedAt?.toISOString() ?? null,
  returnReason: t.returnReason,
  fileCount: t.fileCount,
  documentCount: t.documentCount,
  byteCount: t.byteCount,
  inventorySha256: t.inventorySha256,
  receiptSha256: t.receiptSha256,
  checkReport: t.checkReport ?? null,
})

const Params = Type.Object({ id: Type.String({ maxLength: 64 }) })

/** Nộp lưu: the department's due list and submission, the archive's inbox, receipt and return, and the two forms. */
export const transferRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { platform } = app

  app.get(
    '/transfers/due',
    { config: { access: 'records.transfer.submit' }, schema: { summary: 'Closed hồ sơ not yet transferred, with their nộp lưu deadline', response: { 200: Type.Array(Type.Object({ file: RecordFileSchema, dueDate: Nullable(Type.String()) })) } } },
    async (request) => (await transfersDue(platform, request.actor!)).map(({ file, departmentName, dueDate }) => ({ file: toRecordFileView(file, { departmentName }), dueDate })),
  )

  app.get(
    '/transfers',
    { config: { access: 'records.read' }, schema: { summary: 'Transfers, newest first', querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('submitted'), Type.Literal('received'), Type.Literal('returned')])) }), response: { 200: Type.Array(TransferSchema) } } },
    async (request) => (await listTransfers(platform, request.actor!, request.query.status)).map(({ transfer, departmentName }) => view(transfer, departmentName)),
  )

  app.post(
    '/transfers',
    {
      config: { access: 'records.transfer.submit' },
      schema: {
        summary: 'Hand closed hồ sơ to the agency archive (nộp lưu) with their mục lục',
        body: Type.Object({ recordFileIds: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 1000 }), note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
        response: { 201: TransferSchema, ...problemResponses(400, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(view(await submitTransfer(platform, request.actor!, request.body, auditContextOf(request)))),
  )

  app.get(
    '/transfers/:id',
    { config: { access: 'records.read' }, schema: { summary: 'A transfer and its hồ sơ', params: Params, response: { 200: Type.Object({ transfer: TransferSchema, files: Type.Array(RecordFileSchema) }), ...problemResponses(404) } } },
    async (request) => {
      const transfer = await findTransfer(platform, request.actor!, request.params.id)
      const files = await platform.database.db.select().from(recordFiles).where(eq(recordFiles.transferId, transfer.id)).orderBy(recordFiles.fileCode)
      return { transfer: view(transfer), files: files.map((file) => toRecordFileView(file)) }
    },
  )

  app.post(
    '/transfers/:id/receive',
    { config: { access: 'records.transfer.receive' }, schema: { summary: 'Check (completeness, every SHA-256) and receive a transfer; makes the biên bản giao nhận', params: Params, response: { 200: TransferSchema, ...problemResponses(403, 404, 409) } } },
    async (request) => view(await receiveTransfer(platform, request.actor!, request.params.id, auditContextOf(request))),
  )

  app.post(
    '/transfers/:id/return',
    { config: { access: 'records.transfer.receive' }, schema: { summary: 'Send a transfer back with a reason', params: Params, body: Type.Object({ reason: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }), response: { 200: TransferSchema, ...problemResponses(400, 404, 409) } } },
    async (request) => view(await returnTransfer(platform, request.actor!, request.params.id, request.body.reason, auditContextOf(request))),
  )

  for (const form of ['inventory', 'receipt'] as const) {
    app.get(
      `/transfers/:id/${form}.pdf`,
      { config: { access: 'records.read' }, schema: { summary: form === 'inventory' ? 'Mục lục hồ sơ nộp lưu (PDF)' : 'Biên bản giao nhận (PDF)', params: Params, response: problemResponses(404) } },
      async (request, reply) => {
        const transfer = await findTransfer(platform, request.actor!, request.params.id)
        const key = form === 'inventory' ? transfer.inventoryBlobKey : transfer.receiptBlobKey
        if (!key) throw new AppError('not-found')
        const name = form === 'inventory' ? 'muc-luc-ho-so-nop-luu.pdf' : 'bien-ban-giao-nhan.pdf'
        return reply.type('application/pdf').header('content-disposition', contentDisposition(name, 'attachment')).send(await platform.blobStore.get(key))
      },
    )
  }
}
