import { Type } from 'typebox'
import { Nullable } from '../platform/http/common.schemas.ts'

export const UserSchema = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    fullName: Type.String(),
    email: Nullable(Type.String()),
    departmentId: Nullable(Type.String()),
    departmentName: Nullable(Type.String()),
    positionId: Nullable(Type.String()),
    positionName: Nullable(Type.String()),
    roles: Type.Array(Type.String()),
    clearance: Type.Integer({ minimum: 0, maximum: 3 }),
    active: Type.Boolean(),
    totpEnabled: Type.Boolean(),
    createdAt: Type.String(),
  },
  { $id: 'User' },
)

export const Credentials = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 100 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
})

export const LoginResponse = Type.Union([
  Type.Object({
    status: Type.Literal('ok'),
    user: Type.Ref('User'),
    csrfToken: Type.String(),
    mfaEnrollmentRequired: Type.Boolean(),
  }),
  Type.Object({ status: Type.Literal('mfa-required'), challengeId: Type.String() }),
])

export const TotpLogin = Type.Object({
  challengeId: Type.String({ minLength: 10, maxLength: 100 }),
  code: Type.String({ minLength: 6, maxLength: 20 }),
})

export const TokenRequest = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 100 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
  totp: Type.Optional(Type.String({ maxLength: 20 })),
})

export const SessionResponse = Type.Object({
  user: Type.Ref('User'),
  csrfToken: Type.String(),
  mfaEnrollmentRequired: Type.Boolean(),
  agency: Type.Object({ name: Type.String(), abbreviation: Type.String() }),
})
