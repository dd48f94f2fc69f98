import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AppError } from '../platform/errors.ts'
import { auditContextOf } from '../platform/http/audit-context.ts'
import { problemResponses } from '../platform/http/common.schemas.ts'
import { FileVerdictSchema, StoredReportSchema, VerificationSchema } from './verify/verify.schemas.ts'
import { listSignatureReports, verifyStoredFile, verifyUpload } from './verify/verify.service.ts'

const DocumentParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
const FileParams = Type.Object({ id: Type.String({ maxLength: 64 }), fileId: Type.String({ maxLength: 64 }) })

/** Kiểm tra chữ ký số: verification of PDF signatures against the agency's trust anchors. */
export const verifyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { platform } = app

  app.post(
    '/verify',
    {
      config: { access: 'document.read' },
      schema: {
        summary: 'Verify the signatures of an uploaded PDF (multipart `file`); nothing is stored',
        description:
          "Trust anchors: the caller's agency's active trust anchors. Revocation: CRLs in the PDF's DSS only " +
          '(no online fetching); without them a signature is indeterminate with reason revocation-unknown.',
        consumes: ['multipart/form-data'],
        response: { 200: VerificationSchema, ...problemResponses(400, 401, 403, 413, 415, 422) },
      },
    },
    async (request) => {
      if (!request.isMultipart()) throw new AppError('unsupported-media-type')
      const part = await request.file({ limits: { fileSize: platform.config.uploadMaxBytes, files: 1 } })
      if (part?.fieldname !== 'file') throw new AppError('upload-missing-file')
      const bytes = await part.toBuffer().catch((error: { code?: string }) => {
        if (error.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('upload-too-large')
        throw error
      })
      if (part.file.truncated) throw new AppError('upload-too-large')
      if (bytes.length === 0) throw new AppError('upload-empty')
      return verifyUpload(platform, request.actor!, bytes, auditContextOf(request))
    },
  )

  app.post(
    '/documents/:id/files/:fileId/verify',
    {
      config: { access: 'document.read' },
      schema: {
        summary: "Verify a stored file's signatures and keep the report (needs access to the content)",
        params: FileParams,
        response: { 200: StoredReportSchema, ...problemResponses(404, 422) },
      },
    },
    async (request) =>
      verifyStoredFile(
        platform,
        request.actor!,
        request.params.id,
        request.params.fileId,
        auditContextOf(request),
      ),
  )

  app.get(
    '/documents/:id/signature-reports',
    {
      config: { access: 'document.read' },
      schema: {
        summary: "Stored signature verification reports of a document's files, newest first",
        description:
          'PDFs that arrive with signatures are verified by the `signatures.verify` job (actor ' +
          '`job:signatures.verify`); `files` lists each file with signatures (or a report) with its newest verdict ' +
          '(null before any report) and `verifying` while such a job is queued or running. `latest=true` keeps ' +
          'only the newest report of each file.',
        params: DocumentParams,
        querystring: Type.Object({ latest: Type.Optional(Type.Boolean({ default: false })) }),
        response: {
          200: Type.Object({ items: Type.Array(StoredReportSchema), files: Type.Array(FileVerdictSchema) }),
          ...problemResponses(404),
        },
      },
    },
    async (request) =>
      listSignatureReports(platform, request.actor!, request.params.id, { latest: request.query.latest }),
  )
}
