import type { Role } from '../platform/db/schema/index.ts'

/** Who is calling, as the access policy sees them. */
export interface Actor {
  userId: string
  username: string
  agencyId: string
  departmentId: string | null
  roles: ReadonlySet<Role>
  /** Highest secrecy level the user may be granted (0 none … 3 Tuyệt mật). */
  clearance: number
  /** Whether the user has enrolled in two-factor authentication. */
  totpEnabled: boolean
  /**
   * Whether the user's agency requires 2FA of leaders and admins, when it was read with the session or
   * token (undefined: not read; mustEnrollMfa then reads the agency).
   */
  agencyRequiresMfa?: boolean
  /** How the request proved who it is: a browser session or a bearer token with scopes. */
  via: { kind: 'session'; sessionId: string } | { kind: 'token'; tokenId: string; scopes: readonly TokenScope[] }
}

export const TOKEN_SCOPES = ['read', 'write'] as const
export type TokenScope = (typeof TOKEN_SCOPES)[number]

export function actorLabel(actor: Actor | undefined): string {
  return actor ? `user:${actor.userId}` : 'anonymous'
}
