import { Type } from 'typebox'
import { Nullable, Uuid } from '../platform/http/common.schemas.ts'
import { OUTGOING_VIEWS } from './outgoing-lists.ts'

const Person = Type.Object({ id: Type.String(), name: Nullable(Type.String()) })
const Linked = Nullable(
  Type.Object({
    id: Type.String(),
    numberNotation: Nullable(Type.String()),
    subject: Nullable(Type.String()),
    status: Type.String(),
    direction: Type.String(),
  }),
)

export const LinksSchema = Type.Object({
  replyTo: Linked,
  replaces: Linked,
  corrects: Linked,
  copyOf: Linked,
  supersededBy: Linked,
  correctedBy: Linked,
  replies: Type.Array(Linked),
  copies: Type.Array(Linked),
})

export const OutgoingViewSchema = Type.Object(
  {
    document: Type.Ref('Document'),
    outgoing: Type.Object({
      drafter: Person,
      draftingDepartment: Nullable(
        Type.Object({ id: Type.String(), name: Type.String(), abbreviation: Type.String() }),
      ),
      signer: Nullable(Person),
      authorityPrefix: Nullable(Type.String()),
      authorityName: Nullable(Type.String()),
      legalNormative: Type.Boolean(),
      outgoingNumber: Nullable(Type.Integer()),
      register: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
      currentVersion: Type.Integer(),
      copyForm: Nullable(Type.String()),
      numberFields: Nullable(Type.Unknown()),
      numberedAt: Nullable(Type.String()),
      sealedAt: Nullable(Type.String()),
      issuedAt: Nullable(Type.String()),
      revocation: Nullable(
        Type.Object({
          decidedBy: Nullable(Person),
          decidedAt: Nullable(Type.String()),
          reason: Nullable(Type.String()),
        }),
      ),
      revokedAt: Nullable(Type.String()),
      archiveLine: Type.String({ description: '"Lưu: VT, {unit}."' }),
      overdue: Type.Boolean({
        description: 'Signed, numbered or sealed and not issued the same day (urgent: at once)',
      }),
    }),
    links: LinksSchema,
    versions: Type.Array(
      Type.Object({
        version: Type.Integer(),
        pdfFileId: Type.String(),
        sourceFileId: Nullable(Type.String()),
        note: Nullable(Type.String()),
        authorName: Nullable(Type.String()),
        createdAt: Type.String(),
      }),
    ),
    reviews: Type.Array(
      Type.Object({
        id: Type.String(),
        round: Type.Integer(),
        position: Type.Integer(),
        reviewer: Person,
        kind: Type.String({ description: 'content | format' }),
        state: Type.String({ description: 'waiting | pending | approved | returned | cancelled' }),
        version: Type.Integer(),
        comment: Nullable(Type.String()),
        decidedAt: Nullable(Type.String()),
      }),
    ),
    recipients: Type.Array(
      Type.Object({
        id: Type.String(),
        kind: Type.String({ description: 'external | department | user | text' }),
        label: Type.String(),
        organId: Nullable(Type.String()),
        departmentId: Nullable(Type.String()),
        userId: Nullable(Type.String()),
        purpose: Nullable(Type.String({ description: 'handle | inform (internal recipients)' })),
        channel: Type.String({ description: 'internal | interchange | post | email | hand | none' }),
        state: Type.String({
          description: 'planned | delivered | waiting-interchange | pending | sent | failed | recalled',
        }),
        stateNote: Nullable(Type.String()),
        sentAt: Nullable(Type.String()),
        stateAt: Nullable(Type.String()),
        recalledAt: Nullable(Type.String()),
      }),
    ),
    allowedActions: Type.Array(Type.String(), { description: 'What the caller may do now' }),
  },
  { $id: 'OutgoingDocument' },
)

const RecipientInput = Type.Union([
  Type.Object(
    {
      organId: Type.String({ maxLength: 35, description: 'Mã định danh of an agency in the directory' }),
      channel: Type.Optional(
        Type.Union([
          Type.Literal('interchange'),
          Type.Literal('post'),
          Type.Literal('email'),
          Type.Literal('hand'),
        ]),
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      departmentId: Uuid,
      purpose: Type.Optional(Type.Union([Type.Literal('handle'), Type.Literal('inform')])),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { userId: Uuid, purpose: Type.Optional(Type.Union([Type.Literal('handle'), Type.Literal('inform')])) },
    { additionalProperties: false },
  ),
  Type.Object({ text: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
])

export const RecipientsSchema = Type.Array(RecipientInput, { maxItems: 100 })

export const EditBody = Type.Object(
  {
    kind: Type.Optional(Type.String({ maxLength: 100 })),
    subject: Type.Optional(Type.String({ maxLength: 500 })),
    signerId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    authorityPrefix: Type.Optional(Nullable(Type.String({ maxLength: 5 }))),
    authorityName: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    signerPosition: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    draftingDepartmentId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    urgency: Type.Optional(Type.Integer({ minimum: 0, maximum: 3 })),
    secrecy: Type.Optional(Type.Integer({ minimum: 0, maximum: 3 })),
    dueDate: Type.Optional(Nullable(Type.String({ maxLength: 10 }))),
    legalNormative: Type.Optional(Type.Boolean()),
    replyToDocumentId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    replacesDocumentId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    correctsDocumentId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    recipients: Type.Optional(RecipientsSchema),
  },
  { additionalProperties: false },
)

export const SubmitBody = Type.Object(
  {
    reviewers: Type.Optional(
      Type.Array(
        Type.Object(
          {
            userId: Type.String({ maxLength: 64 }),
            kind: Type.Union([Type.Literal('content'), Type.Literal('format')]),
          },
          { additionalProperties: false },
        ),
        { maxItems: 5 },
      ),
    ),
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
)

export const ReviewBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('return')]),
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
)

export const CommentBody = Type.Object(
  { comment: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
)

export const ListQuery = Type.Object({
  view: Type.Optional(
    Type.Union(
      OUTGOING_VIEWS.map((v) => Type.Literal(v)),
      { default: 'all' },
    ),
  ),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  kind: Type.Optional(Type.String({ maxLength: 100 })),
  status: Type.Optional(Type.String({ maxLength: 32 })),
  from: Type.Optional(Type.String({ format: 'date' })),
  to: Type.Optional(Type.String({ format: 'date' })),
  overdue: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
})

export const ListSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      status: Type.String(),
      kind: Nullable(Type.String()),
      subject: Nullable(Type.String()),
      numberNotation: Nullable(Type.String()),
      issuedDate: Nullable(Type.String()),
      urgency: Type.Integer(),
      secrecy: Type.Integer(),
      drafterName: Nullable(Type.String()),
      signerName: Nullable(Type.String()),
      currentVersion: Type.Integer(),
      copyForm: Nullable(Type.String()),
      overdue: Type.Boolean(),
      createdAt: Type.String(),
      updatedAt: Type.String(),
    }),
  ),
  nextCursor: Nullable(Type.String()),
})

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) })

export const NumberBody = Type.Object(
  {
    registerId: Type.Optional(
      Type.String({ maxLength: 64, description: 'A number book; default: chosen by kind, secrecy' }),
    ),
  },
  { additionalProperties: false },
)

export const NumberResult = Type.Object({
  outgoingNumber: Type.Integer(),
  numberNotation: Type.String({ description: 'e.g. 05/QĐ-UBND' }),
  codeNumber: Type.String(),
  codeNotation: Type.String(),
  issuedDate: Type.String({ format: 'date' }),
  registerId: Type.String(),
  registerYear: Type.Integer(),
  fileId: Nullable(Type.String({ description: 'The signed PDF carrying the number' })),
  onDocument: Type.Boolean({ description: 'Whether the number and date were written on the PDF' }),
})

export const NumberPreview = Type.Object({
  registerId: Nullable(Type.String()),
  registerName: Type.String(),
  nextNumber: Type.Integer(),
  numberNotation: Type.String(),
  issuedDate: Type.String(),
  books: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), series: Type.String() })),
})

export const IssueBody = Type.Object(
  { recipients: Type.Optional(RecipientsSchema) },
  { additionalProperties: false },
)

export const DeliveryParams = Type.Object({
  id: Type.String({ maxLength: 64 }),
  recipientId: Type.String({ maxLength: 64 }),
})
export const DeliveryBody = Type.Object(
  {
    state: Type.Union([
      Type.Literal('pending'),
      Type.Literal('sent'),
      Type.Literal('delivered'),
      Type.Literal('failed'),
    ]),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    channel: Type.Optional(
      Type.Union([
        Type.Literal('interchange'),
        Type.Literal('post'),
        Type.Literal('email'),
        Type.Literal('hand'),
      ]),
    ),
  },
  { additionalProperties: false },
)

export const ReasonBody = Type.Object(
  { reason: Type.String({ maxLength: 2000 }) },
  { additionalProperties: false },
)

const PlaceSchema = Type.Object(
  {
    page: Type.Integer({ minimum: 1, maximum: 10_000 }),
    x: Type.Number({ minimum: 0, maximum: 20_000 }),
    y: Type.Number({ minimum: 0, maximum: 20_000 }),
    width: Type.Number({ minimum: 1, maximum: 20_000 }),
    height: Type.Number({ minimum: 1, maximum: 20_000 }),
  },
  { additionalProperties: false, description: 'PDF points from the bottom left of the page' },
)

export const PlacementBody = Type.Object(
  {
    number: PlaceSchema,
    date: Type.Optional(PlaceSchema),
  },
  { additionalProperties: false },
)

export const CopyBody = Type.Object(
  {
    form: Type.Union([Type.Literal('SY'), Type.Literal('SL'), Type.Literal('TrS')], {
      description: 'sao y, sao lục, trích sao',
    }),
    pin: Type.String({ minLength: 1, maxLength: 64, description: 'The agency seal’s PIN' }),
    pages: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 10_000 }), {
        maxItems: 1000,
        description: 'Trích sao: 1-based pages',
      }),
    ),
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
)

export const CopyResult = Type.Object({
  documentId: Type.String(),
  outgoingNumber: Type.Integer(),
  numberNotation: Type.String({ description: 'e.g. 07/SY' }),
  codeNumber: Type.String(),
  codeNotation: Type.String(),
  issuedDate: Type.String(),
  registerId: Type.String(),
  registerYear: Type.Integer(),
})
