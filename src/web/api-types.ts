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
  /** 409 duplicate-suspected: the earlier records that look like this one. */
  duplicates?: DuplicateRecord[]
  /** 409 on a routing action: what the user may do now. */
  allowedActions?: string[]
  /** 422 wrong-pin: PIN attempts left before the signing credential locks. */
  attemptsLeft?: number
  /** 423 credential-locked: when the credential unlocks (ISO time). */
  lockedUntil?: string
}

export interface DuplicateRecord {
  id: string
  incomingNumber: number | null
  numberNotation: string | null
  issuedDate: string | null
  url: string
  reason: string
}

export interface DocumentFile {
  id: string
  role: string
  fileName: string
  mediaType: string
  size: number
  sha256: string
  pageCount: number | null
  createdAt: string
  contentUrl: string
}

export interface DocumentRecord {
  id: string
  direction: 'incoming' | 'outgoing'
  status: string
  kind: string | null
  kindCode: string | null
  numberNotation: string | null
  issuedDate: string | null
  issuerName: string | null
  subject: string | null
  pageCount: number | null
  description: string | null
  signerName: string | null
  signerPosition: string | null
  urgency: number
  secrecy: number
  dueDate: string | null
  arrivalDate: string | null
  arrivalNumber: number | null
  toPlaces: string | null
  createdBy: string
  createdAt: string
  updatedAt: string
  files: DocumentFile[]
  /** GET /api/documents/:id of an outgoing document: whether it has a drafting record. */
  outgoingFlow?: boolean
}

export interface DocumentPage {
  items: DocumentRecord[]
  nextCursor: string | null
}

export interface IncomingCreated {
  id: string
  incomingNumber: number
  registerId: string
  registerYear: number
  status: string
  document: DocumentRecord
}

export interface RoutingParticipant {
  role: string
  userId: string | null
  departmentId: string | null
  state: string
  deadline: string | null
}

export interface RoutingState {
  status: string
  allowedActions: string[]
  participants: RoutingParticipant[]
}

export interface TimelineStep {
  seq: number
  action: string
  fromStatus: string
  toStatus: string
  actorUserId: string | null
  actorName: string | null
  actorDepartmentId: string | null
  actorDepartmentName: string | null
  comment: string | null
  details: Record<string, unknown>
  createdAt: string
}

export interface Recipient {
  departmentId?: string
  userId?: string
}

export interface RoutingInput {
  comment?: string
  leaderId?: string
  userId?: string
  lead?: Recipient
  cooperating?: Recipient[]
  informed?: Recipient[]
  deadline?: string
  progress?: number
  /** complete: the hồ sơ to file the document into (lập hồ sơ). */
  recordFileIds?: string[]
}

/** One of the signed-in user's notifications (thông báo). */
export interface AppNotification {
  id: string
  kind: string
  documentId: string | null
  /** The hồ sơ a records notification is about; its page is where the notification leads. */
  recordFileId: string | null
  title: string
  body: string
  createdAt: string
  readAt: string | null
}

/** Whose documents a follow-up list covers: mine, my department's, the whole agency's. */
export type FollowUpScope = 'me' | 'department' | 'agency'

/** A document in a follow-up list (quá hạn / sắp đến hạn). */
export interface DeadlineItem {
  documentId: string
  arrivalNumber: number | null
  numberNotation: string | null
  subject: string | null
  status: string
  leadDepartmentName: string | null
  leadUserName: string | null
  deadline: string
  daysOverdue: number
}

/** Filters of `GET /api/search`; every one optional, combined with AND. */
export interface SearchFilters {
  direction?: 'incoming' | 'outgoing'
  /** Tên loại văn bản, e.g. Quyết định. */
  kind?: string
  /** Cơ quan ban hành. */
  issuer?: string
  /** Inclusive ISO dates (YYYY-MM-DD) on the document date. */
  dateFrom?: string
  dateTo?: string
  registerId?: string
  departmentId?: string
  status?: string
  /** '0'…'3' (Thường … Tuyệt mật). */
  secrecy?: string
  /** 'true' or 'false'. */
  hasSignature?: string
}

export type SearchSort = 'relevance' | 'date-desc' | 'date-asc'

export interface SearchQuery extends SearchFilters {
  q?: string
  sort?: SearchSort
  limit?: number
  cursor?: string
  /** `hits`: the page and the total without facets; `facets`: facets and total only (default: both). */
  view?: 'all' | 'hits' | 'facets'
}

/** A highlighted fragment: HTML-escaped text with `<mark>` around the matched words. */
export interface SearchSnippet {
  /** null with pageNumber null: the match is in the register fields, not a page. */
  fileId: string | null
  pageNumber: number | null
  html: string
}

export interface SearchHit {
  document: DocumentRecord
  score: number
  snippets: SearchSnippet[]
}

export type SearchFacetName = 'direction' | 'kind' | 'issuer' | 'status' | 'secrecy' | 'hasSignature' | 'year'

export interface SearchFacetValue {
  value: string
  count: number
}

export interface SearchResult {
  hits: SearchHit[]
  /** Counts over the visible matching documents (lower bounds when totalExact is false). */
  facets: Partial<Record<SearchFacetName, SearchFacetValue[]>>
  /** Visible matching documents; when totalExact is false, more than this many. */
  total: number
  totalExact: boolean
  nextCursor: string | null
}
