import { Type } from 'typebox'
import { Nullable } from '../platform/http/common.schemas.ts'

const Name = (max: number) => Type.String({ minLength: 1, maxLength: max })
const RoleName = Type.Union(['admin', 'clerk', 'leader', 'officer', 'archivist'].map((r) => Type.Literal(r)))

export const AgencySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  abbreviation: Type.String(),
  organId: Nullable(Type.String()),
  requireMfaForPrivileged: Type.Boolean(),
})

export const AgencyPatch = Type.Object(
  {
    name: Type.Optional(Name(200)),
    abbreviation: Type.Optional(Name(30)),
    organId: Type.Optional(Nullable(Type.String({ pattern: '^[0-9A-Z.]{1,35}$' }))),
    requireMfaForPrivileged: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

export const DepartmentSchema = Type.Object({
  id: Type.String(),
  parentId: Nullable(Type.String()),
  name: Type.String(),
  abbreviation: Type.String(),
  active: Type.Boolean(),
})

export const DepartmentInput = Type.Object(
  {
    name: Name(200),
    abbreviation: Type.String({ minLength: 1, maxLength: 30, pattern: '^[\\p{L}\\p{N}&]+$' }),
    parentId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
  },
  { additionalProperties: false },
)

export const DepartmentPatch = Type.Object(
  {
    name: Type.Optional(Name(200)),
    abbreviation: Type.Optional(Type.String({ minLength: 1, maxLength: 30, pattern: '^[\\p{L}\\p{N}&]+$' })),
    parentId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

export const PositionSchema = Type.Object({ id: Type.String(), name: Type.String(), active: Type.Boolean() })
export const PositionInput = Type.Object({ name: Name(100) }, { additionalProperties: false })
export const PositionPatch = Type.Object(
  { name: Type.Optional(Name(100)), active: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
)

export const UserInput = Type.Object(
  {
    username: Type.String({ minLength: 3, maxLength: 50, pattern: '^[A-Za-z0-9._-]+$' }),
    fullName: Name(100),
    email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 200 }))),
    departmentId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
    positionId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
    roles: Type.Array(RoleName, { uniqueItems: true }),
    clearance: Type.Optional(Type.Integer({ minimum: 0, maximum: 3 })),
    password: Type.String({ maxLength: 1024 }),
  },
  { additionalProperties: false },
)

export const UserPatch = Type.Object(
  {
    fullName: Type.Optional(Name(100)),
    email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 200 }))),
    departmentId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
    positionId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
    roles: Type.Optional(Type.Array(RoleName, { uniqueItems: true })),
    clearance: Type.Optional(Type.Integer({ minimum: 0, maximum: 3 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
