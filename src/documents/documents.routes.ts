import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AppError, fieldError } from '../platform/errors.ts'
import { auditContextOf } from '../platform/http/audit-context.ts'
import { problemResponses } from '../platform/http/common.schemas.ts'
import { findOutgoing } from '../outgoing/outgoing.repository.ts'
import { awaitingActor, markReadByRecipient } from '../routing/routing.service.ts'
import { contentDisposition, INLINE_FRAME_HEADERS, parseRange, servedDisposition } from './download-headers.ts'
import { parseDocumentFields, vietnamToday } from './document-fields.ts'
import {
  CreatedDocumentSchema,
  ContentQuery,
  DocumentListQuery,
  DocumentListSchema,
  DocumentParams,
  FileParams,
} from './documents.schemas.ts'
import { createDocument, getDocument, listDocuments, openFileContent } from './documents.service.ts'
import { decodeCursor, encodeCursor, toDocumentView, toFileView } from './documents.views.ts'
import { discardAll, readUploadForm } from './upload-form.ts'

export const documentsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { platform } = app

  app.post(
    '/',
    {
      config: { access: 'document.create' },
      schema: {
        summary: 'Upload a document: one `file` part plus metadata fields',
        description:
          'multipart/form-data. Fields: direction (incoming|outgoing, required), kind, numberNotation, issuedDate, ' +
          'issuerName, subject, signerName, signerPosition, urgency, secrecy, dueDate, arrivalDate, toPlaces, ' +
          'pageCount, description, language. Files: PDF, PNG, JPEG, TIFF.',
        consumes: ['multipart/form-data'],
        response: { 201: CreatedDocumentSchema, ...problemResponses(400, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const { form, staged, fieldErrors } = await readUploadForm(platform, request, 1)
      try {
        const parsed = parseDocumentFields(form, vietnamToday())
        const errors = [...fieldErrors, ...(parsed.ok ? [] : parsed.errors)]
        if (!parsed.ok || errors.length > 0) throw new AppError('validation-failed', { errors })
        const created = await createDocument(platform, request.actor!, parsed.value, staged, auditContextOf(request))
        return reply.code(201).send({
          document: toDocumentView(created.document, created.files),
          file: toFileView(created.files[0]!),
          inspectJobId: created.inspectJobId,
        })
      } catch (error) {
        await discardAll(platform, staged)
        throw error
      }
    },
  )

  app.get(
    '/',
    {
      config: { access: 'document.read' },
      schema: {
        summary: 'List documents, newest first (cursor pagination)',
        querystring: DocumentListQuery,
        response: { 200: DocumentListSchema, ...problemResponses(400) },
      },
    },
    async (request) => {
      const { cursor, limit = 50, number, awaiting, ...filter } = request.query
      const after = cursor ? decodeCursor(cursor) : undefined
      if (cursor && !after) {
        throw new AppError('validation-failed', { errors: [fieldError('cursor', 'field-invalid-value')] })
      }
      const extra = awaiting === 'me' ? awaitingActor(request.actor!) : undefined
      const page = await listDocuments(platform, request.actor!, { ...filter, codeNumber: number, after, extra }, limit)
      return {
        items: page.items.map(({ document, files }) => toDocumentView(document, files)),
        nextCursor: page.next ? encodeCursor(page.next) : null,
      }
    },
  )

  app.get(
    '/:id',
    {
      config: { access: 'document.read' },
      schema: {
        summary: 'One document with its files',
        params: DocumentParams,
        response: { 200: { $ref: 'Document' }, ...problemResponses(404) },
      },
    },
    async (request) => {
      const { document, files } = await getDocument(platform, request.actor!, request.params.id)
      await markReadByRecipient(platform, request.actor!, document.id, auditContextOf(request))
      const view = toDocumentView(document, files)
      // An outgoing document uploaded as a plain file has no drafting record: the page then shows no
      // drafting panel instead of asking GET /api/outgoing/:id for a 404.
      if (document.direction !== 'outgoing') return view
      return { ...view, outgoingFlow: (await findOutgoing(platform.database.db, document.id)) !== undefined }
    },
  )

  app.get(
    '/:id/files/:fileId/content',
    {
      config: { access: 'document.read' },
      schema: {
        summary: "A file's bytes (Range, ETag = sha256)",
        description:
          '`disposition=inline` shows a PDF, PNG or JPEG in the browser and lets pages of this origin frame it ' +
          '(its own Content-Security-Policy, X-Frame-Options SAMEORIGIN); other types stay attachments.',
        params: FileParams,
        querystring: ContentQuery,
        response: problemResponses(404, 416),
      },
    },
    async (request, reply) => {
      const file = await openFileContent(platform, request.actor!, request.params.id, request.params.fileId, {
        ...auditContextOf(request),
        range: request.headers.range,
      })
      const etag = `"${file.sha256}"`
      const disposition = servedDisposition(file.mediaType, request.query.disposition)
      if (disposition === 'inline') reply.headers(INLINE_FRAME_HEADERS)
      reply
        .header('etag', etag)
        .header('accept-ranges', 'bytes')
        .header('cache-control', 'private, max-age=0, must-revalidate')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', contentDisposition(file.fileName, disposition))
        .type(file.mediaType)
      if (request.headers['if-none-match'] === etag) return reply.code(304).send()
      const ifRange = request.headers['if-range']
      const range = ifRange && ifRange !== etag ? { kind: 'none' as const } : parseRange(request.headers.range, file.size)
      if (range.kind === 'unsatisfiable') {
        throw new AppError('range-not-satisfiable', { headers: { 'content-range': `bytes */${file.size}` } })
      }
      if (range.kind === 'range') {
        const { start, end } = range.range
        const body = await platform.blobStore.get(file.blobKey, range.range)
        return reply
          .code(206)
          .header('content-range', `bytes ${start}-${end}/${file.size}`)
          .header('content-length', end - start + 1)
          .send(body)
      }
      const body = await platform.blobStore.get(file.blobKey)
      return reply.header('content-length', file.size).send(body)
    },
  )
}
