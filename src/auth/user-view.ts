import type { UserRow } from './auth.repository.ts'

/** A user as the API shows it: never the password hash or the TOTP secret. */
export function toUserView(user: UserRow, names: { departmentName?: string | null; positionName?: string | null } = {}) {
  return {
    id: user.id,
    username: user.username,
    fullName: user.fullName,
    email: user.email,
    departmentId: user.departmentId,
    departmentName: names.departmentName ?? null,
    positionId: user.positionId,
    positionName: names.positionName ?? null,
    roles: user.roles,
    clearance: user.clearance,
    active: user.active,
    totpEnabled: user.totpSecret !== null,
    createdAt: user.createdAt.toISOString(),
  }
}
