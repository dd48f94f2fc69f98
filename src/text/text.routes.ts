import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Static, Type } from 'typebox'
import { Nullable, problemResponses, Uuid } from '../platform/http/common.schemas.ts'
import { getDocumentText } from './text.service.ts'

const PageTextSchema = Type.Object({
  pageNumber: Type.Integer({ minimum: 1 }),
  text: Type.String(),
  engine: Type.Union([Type.Literal('text-layer'), Type.Literal('ocr')]),
  confidence: Nullable(
    Type.Number({ description: 'Mean OCR word confidence, 0–100; null for a text layer' }),
  ),
})

const FileTextSchema = Type.Object({
  fileId: Uuid,
  state: Type.Union([
    Type.Literal('pending'),
    Type.Literal('running'),
    Type.Literal('done'),
    Type.Literal('failed'),
  ]),
  pagesDone: Type.Integer(),
  pagesTotal: Nullable(Type.Integer()),
  jobId: Nullable(Type.String({ description: 'The extraction job (GET /api/jobs/:id)' })),
  ocrPages: Type.Integer(),
  meanConfidence: Nullable(Type.Number()),
  errorCode: Nullable(Type.String({ description: 'Why the text could not be read (pdf-corrupt, …)' })),
  errorMessage: Nullable(Type.String()),
  pages: Type.Array(PageTextSchema),
})

const DocumentTextSchema = Type.Object({ files: Type.Array(FileTextSchema) }, { $id: 'DocumentText' })

/** GET /api/documents/:id/text as sent. */
export type DocumentTextView = Static<typeof DocumentTextSchema>

/** The recognised text of a document's files (văn bản nhận dạng), mounted under /api/documents. */
export const textRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(DocumentTextSchema)

  app.get(
    '/:id/text',
    {
      config: { access: 'document.read' },
      schema: {
        summary: "The text of a document's files, page by page, and where each extraction stands",
        description:
          "Readable by whoever may open the document's content. Files still being read are listed with " +
          'state pending or running and the pages done so far; pages appear once a file is done.',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: Type.Ref('DocumentText'), ...problemResponses(404) },
      },
    },
    async (request) => getDocumentText(app.platform.database, request.actor!, request.params.id),
  )
}
