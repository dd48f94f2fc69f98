/** The shapes of the API's requests and answers, as the UI uses them. */
export const ROLES = ['clerk', 'leader', 'officer', 'archivist', 'admin'] as const
export type Role = (typeof ROLES)[number]
export const CLEARANCES = [0, 1, 2, 3] as const
/** 0 none, 1 Mật, 2 Tối mật, 3 Tuyệt mật. */
export type Clearance = (typeof CLEARANCES)[number]

export interface User {
  id: string
  username: string
  fullName: string
  email: string | null
  departmentId: string | null
  departmentName: string | null
  positionId: string | null
  positionName: string | null
  roles: Role[]
  clearance: Clearance
  active: boolean
  totpEnabled: boolean
  createdAt: string
}

export interface Session {
  user: User
  csrfToken: string
  mfaEnrollmentRequired: boolean
  /** Not in the contract yet: shown in the header when the server sends it. */
  agency?: { name: string; abbreviation?: string }
}

export type LoginResult =
  | { status: 'ok'; user: User; csrfToken: string }
  | { status: 'mfa-required'; challengeId: string }

export interface TotpSetup {
  secret: string
  otpauthUrl: string
  qrDataUrl: string
}

export interface ApiToken {
  id: string
  name: string
  scopes: string[]
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
}

export interface Agency {
  id: string
  name: string
  abbreviation: string
  /** Mã định danh điện tử, e.g. 000.00.15.H29 (digits, capitals and dots). */
  organId: string | null
  requireMfaForPrivileged: boolean
}

export type TokenScope = 'read' | 'write'

export interface Department {
  id: string
  parentId: string | null
  name: string
  abbreviation: string
  active: boolean
}

export interface Position {
  id: string
  name: string
  active: boolean
}

export interface NewUser {
  username: string
  fullName: string
  email?: string
  departmentId?: string
  positionId?: string
  roles: Role[]
  clearance: Clearance
  password: string
}

export type UserChanges = Partial<{
  fullName: string
  email: string | null
  departmentId: string | null
  positionId: string | null
  roles: Role[]
  clearance: Clearance
  active: boolean
}>

export interface FieldError {
  field: string
  message: string
  messageEn: string
}

export interface Problem {
  type: string
  code: string
  title: string
  titleEn: string
  status: number
  detail?: string
  errors?: FieldError[]
}
