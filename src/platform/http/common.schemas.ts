import { Type } from 'typebox'

/** RFC 9457 problem document as vanthu sends it. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    code: Type.String(),
    title: Type.String({ description: 'Vietnamese message' }),
    titleEn: Type.String({ description: 'English message' }),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), message: Type.String(), messageEn: Type.String() })),
    ),
  },
  { $id: 'Problem', description: 'application/problem+json' },
)

export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, Type.Ref('Problem')]))

export const Uuid = Type.String({ format: 'uuid' })
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()])
