import { Type } from 'typebox'
import { Nullable, Uuid } from '../platform/http/common.schemas.ts'

export const DocumentFileSchema = Type.Object(
  {
    id: Uuid,
    role: Type.String({ description: 'original | attachment | searchable | signed' }),
    fileName: Type.String(),
    mediaType: Type.String(),
    size: Type.Integer(),
    sha256: Type.String(),
    pageCount: Nullable(Type.Integer()),
    createdAt: Type.String({ format: 'date-time' }),
    contentUrl: Type.String(),
    derivedFromId: Type.Optional(Nullable(Uuid)),
    text: Type.Optional(
      Nullable(
        Type.Object(
          {
            state: Type.Union([Type.Literal('pending'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
            pagesDone: Type.Integer(),
            pagesTotal: Nullable(Type.Integer()),
            jobId: Nullable(Type.String()),
          },
          { description: 'Text extraction of this file (GET /api/documents/:id/text); null when it has none' },
        ),
      ),
    ),
  },
  { $id: 'DocumentFile' },
)

export const DocumentSchema = Type.Object(
  {
    id: Uuid,
    direction: Type.Union([Type.Literal('incoming'), Type.Literal('outgoing')]),
    status: Type.String(),
    kind: Nullable(Type.String({ description: 'Tên loại văn bản' })),
    kindCode: Nullable(Type.String()),
    numberNotation: Nullable(Type.String({ description: 'Số, ký hiệu, e.g. 15/QĐ-UBND' })),
    codeNumber: Nullable(Type.String()),
    codeNotation: Nullable(Type.String()),
    issuedDate: Nullable(Type.String({ format: 'date' })),
    issuerName: Nullable(Type.String()),
    subject: Nullable(Type.String({ description: 'Trích yếu' })),
    language: Type.String(),
    pageCount: Nullable(Type.Integer()),
    description: Nullable(Type.String()),
    signerName: Nullable(Type.String()),
    signerPosition: Nullable(Type.String()),
    urgency: Type.Integer({ minimum: 0, maximum: 3, description: '0 thường, 1 Khẩn, 2 Thượng khẩn, 3 Hỏa tốc' }),
    secrecy: Type.Integer({ minimum: 0, maximum: 3, description: '0 thường, 1 Mật, 2 Tối mật, 3 Tuyệt mật' }),
    dueDate: Nullable(Type.String({ format: 'date' })),
    arrivalDate: Nullable(Type.String({ format: 'date' })),
    arrivalNumber: Nullable(Type.Integer()),
    toPlaces: Nullable(Type.String()),
    createdBy: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    files: Type.Array(Type.Ref('DocumentFile')),
    outgoingFlow: Type.Optional(
      Type.Boolean({
        description:
          'GET /api/documents/:id of an outgoing document: whether it has a drafting record (GET /api/outgoing/:id answers)',
      }),
    ),
  },
  { $id: 'Document' },
)

export const CreatedDocumentSchema = Type.Object({
  document: Type.Ref('Document'),
  file: Type.Ref('DocumentFile'),
  inspectJobId: Nullable(Type.String({ description: 'Job reading the page count (GET /api/jobs/:id)' })),
})

export const DocumentListQuery = Type.Object({
  direction: Type.Optional(Type.Union([Type.Literal('incoming'), Type.Literal('outgoing')])),
  status: Type.Optional(Type.String({ maxLength: 32 })),
  kind: Type.Optional(Type.String({ maxLength: 100 })),
  number: Type.Optional(Type.String({ maxLength: 11, description: 'Số (exact)' })),
  awaiting: Type.Optional(Type.Literal('me', { description: 'Only documents waiting for my action (inbox)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
})

export const DocumentListSchema = Type.Object({
  items: Type.Array(Type.Ref('Document')),
  nextCursor: Nullable(Type.String()),
})

export const DocumentParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
export const FileParams = Type.Object({ id: Type.String({ maxLength: 64 }), fileId: Type.String({ maxLength: 64 }) })
export const ContentQuery = Type.Object({
  disposition: Type.Optional(Type.Union([Type.Literal('attachment'), Type.Literal('inline')])),
})
