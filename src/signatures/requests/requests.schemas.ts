import { Type } from 'typebox'
import { Nullable } from '../../platform/http/common.schemas.ts'

export const REQUEST_STATES = ['pending', 'signed', 'refused', 'withdrawn'] as const
const Person = Type.Object({ id: Type.String(), fullName: Type.String() })

export const SignatureRequestSchema = Type.Object(
  {
    id: Type.String(),
    state: Type.Union(REQUEST_STATES.map((state) => Type.Literal(state))),
    comment: Nullable(Type.String()),
    decisionComment: Nullable(Type.String({ description: "The signer's reason for a refusal" })),
    createdAt: Type.String(),
    decidedAt: Nullable(Type.String()),
    signedFileId: Nullable(Type.String()),
    document: Type.Object({
      id: Type.String(),
      direction: Type.Union([Type.Literal('incoming'), Type.Literal('outgoing')]),
      kind: Nullable(Type.String()),
      numberNotation: Nullable(Type.String({ description: 'Số/ký hiệu, e.g. 15/QĐ-UBND' })),
      subject: Nullable(Type.String()),
      issuerName: Nullable(Type.String()),
      urgency: Type.Integer({ description: '0 thường, 1 Khẩn, 2 Thượng khẩn, 3 Hỏa tốc' }),
      secrecy: Type.Integer({ description: '0 none, 1 Mật, 2 Tối mật, 3 Tuyệt mật' }),
      dueDate: Nullable(Type.String()),
    }),
    file: Type.Object({ id: Type.String(), fileName: Type.String(), pageCount: Nullable(Type.Integer()) }),
    requestedBy: Person,
    signer: Person,
  },
  { $id: 'SignatureRequest', description: 'Trình ký: a document put before a leader for signature' },
)

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) })

export const CreateBody = Type.Object({
  signerId: Type.String({
    maxLength: 64,
    description: 'An active leader of the agency who can open the document',
  }),
  comment: Type.Optional(Type.String({ maxLength: 2000 })),
})

export const ListQuery = Type.Object({
  scope: Type.Optional(Type.Union([Type.Literal('mine'), Type.Literal('sent')], { default: 'mine' })),
  state: Type.Optional(
    Type.Union(
      [...REQUEST_STATES, 'all'].map((state) => Type.Literal(state)),
      { default: 'pending' },
    ),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, default: 0 })),
})

export const RefuseBody = Type.Object({
  reason: Type.String({
    minLength: 1,
    maxLength: 2000,
    description: 'Why the document goes back (required)',
  }),
})
