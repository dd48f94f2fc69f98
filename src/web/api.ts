/**
 * The one way the UI talks to the server. Every call sends the session cookie (same-origin), every
 * state-changing call sends `x-csrf-token`, every failure becomes an `ApiError` carrying a problem
 * document (RFC 9457), and a 401 hands control to the unauthorized handler (the login page).
 */
import { en } from './i18n/en.ts'
import { format } from './i18n/format.ts'
import { vi } from './i18n/vi.ts'
import type {
  Agency,
  ApiToken,
  AppNotification,
  DeadlineItem,
  Department,
  DocumentFile,
  DocumentPage,
  DocumentRecord,
  FollowUpScope,
  IncomingCreated,
  LoginResult,
  NewUser,
  Position,
  Problem,
  RoutingInput,
  RoutingState,
  SearchQuery,
  SearchResult,
  Session,
  TimelineStep,
  TokenScope,
  TotpSetup,
  User,
  UserChanges,
} from './api-types.ts'
import type {
  BatchResult,
  FileSignatureState,
  SealInput,
  SignatureImage,
  SignaturePlacementPreview,
  SignatureRenewal,
  SignatureReport,
  SignatureRequest,
  SignatureRequestState,
  SignedFile,
  SignInput,
  SigningCredential,
  TrustAnchor,
} from './signing-types.ts'
import type {
  CopyFormCode,
  CopyResult,
  DeliveryState,
  ExternalAgency,
  NumberPreview,
  NumberResult,
  OutgoingDocument,
  OutgoingListItem,
  OutgoingView,
} from './outgoing-types.ts'

export * from './api-types.ts'
export * from './signing-types.ts'
export * from './outgoing-types.ts'

export class ApiError extends Error {
  readonly problem: Problem
  /** From Retry-After on 429/503, in seconds. */
  readonly retryAfterSeconds: number | undefined

  constructor(problem: Problem, retryAfterSeconds?: number) {
    super(problem.titleEn || problem.title)
    this.name = 'ApiError'
    this.problem = problem
    this.retryAfterSeconds = retryAfterSeconds
  }

  get status(): number {
    return this.problem.status
  }

  get code(): string {
    return this.problem.code
  }
}

/** Wraps anything thrown by a call so forms can always show a problem. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  return syntheticError('client-error', 0, 'error.unexpected')
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError'
}

let csrfToken: string | null = null
let unauthorizedHandler: (() => void) | null = null
let mfaEnrollmentHandler: (() => void) | null = null

export function setCsrfToken(token: string | null): void {
  csrfToken = token
}

/** Called on a 401 from any call except the sign-in steps (which answer 401 for a wrong password). */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler
}

/** Called on a 403 'mfa-enrollment-required': the agency now requires two-step verification. */
export function onMfaEnrollmentRequired(handler: (() => void) | null): void {
  mfaEnrollmentHandler = handler
}

/** 401 codes that mean "the secret you typed is wrong", not "your session is gone" ('unauthenticated'). */
const CREDENTIAL_CODES = new Set(['invalid-credentials', 'invalid-totp', 'login-challenge-expired'])

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

interface RequestOptions {
  body?: unknown
  /** A multipart body: the browser sets the content type with its boundary. */
  form?: FormData
  query?: Record<string, string | undefined>
  signal?: AbortSignal
  /** false for calls where 401 is an expected answer (sign-in, session probe). */
  redirectOn401?: boolean
  /** Set on the one retry after a refused CSRF token. */
  isRetry?: boolean
}

async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' }
  // No content-type without a body: the server rejects an empty JSON body.
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken

  let response: Response
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      body: options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      credentials: 'same-origin',
      signal: options.signal,
    })
  } catch (cause) {
    if (isAbort(cause)) throw cause
    throw syntheticError('network-error', 0, 'error.network')
  }

  if (!response.ok) {
    const error = await readProblem(response)
    const sessionGone = error.status === 401 && !CREDENTIAL_CODES.has(error.code)
    if (sessionGone && options.redirectOn401 !== false) unauthorizedHandler?.()
    // The token changes with the session (a password change elsewhere): fetch the current one, retry once.
    if (error.code === 'csrf-failed' && !options.isRetry && (await renewCsrfToken())) {
      return request<T>(method, path, { ...options, isRetry: true })
    }
    if (error.code === 'mfa-enrollment-required') mfaEnrollmentHandler?.()
    throw error
  }
  if (response.status === 204) return undefined as T
  const text = await response.text()
  return (text ? JSON.parse(text) : undefined) as T
}

async function renewCsrfToken(): Promise<boolean> {
  try {
    const session = await request<Session>('GET', '/api/auth/session', { redirectOn401: false })
    setCsrfToken(session.csrfToken)
    return true
  } catch {
    return false
  }
}

function withQuery(path: string, query: RequestOptions['query']): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value)
  const search = params.toString()
  return search ? `${path}?${search}` : path
}

async function readProblem(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'))
  try {
    const body = (await response.json()) as Partial<Problem>
    if (body && typeof body.title === 'string') {
      return new ApiError(
        {
          type: body.type ?? 'about:blank',
          code: body.code ?? `http-${response.status}`,
          title: body.title,
          titleEn: body.titleEn ?? body.title,
          status: body.status ?? response.status,
          detail: body.detail,
          errors: Array.isArray(body.errors) ? body.errors : undefined,
          duplicates: Array.isArray(body.duplicates) ? body.duplicates : undefined,
          allowedActions: Array.isArray(body.allowedActions) ? body.allowedActions : undefined,
          attemptsLeft: typeof body.attemptsLeft === 'number' ? body.attemptsLeft : undefined,
          lockedUntil: typeof body.lockedUntil === 'string' ? body.lockedUntil : undefined,
        },
        retryAfter,
      )
    }
  } catch {
    // Not JSON (a proxy's HTML error page, an empty body): fall through to a generic message.
  }
  return syntheticError(`http-${response.status}`, response.status, 'error.unexpected', retryAfter)
}

function syntheticError(
  code: string,
  status: number,
  key: 'error.network' | 'error.unexpected',
  retryAfter?: number,
): ApiError {
  const values = { status: status || '—' }
  return new ApiError(
    { type: 'about:blank', code, status, title: format(vi[key], values), titleEn: format(en[key], values) },
    retryAfter,
  )
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds))
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000))
}

const id = (value: string) => encodeURIComponent(value)

export const authApi = {
  login: (username: string, password: string) =>
    request<LoginResult>('POST', '/api/auth/login', { body: { username, password }, redirectOn401: false }),
  loginTotp: (challengeId: string, code: string) =>
    request<Extract<LoginResult, { status: 'ok' }>>('POST', '/api/auth/login/totp', {
      body: { challengeId, code },
      redirectOn401: false,
    }),
  logout: () => request<void>('POST', '/api/auth/logout', { redirectOn401: false }),
  session: () => request<Session>('GET', '/api/auth/session', { redirectOn401: false }),
  /** Whether this browser is signed in (200 either way: the first probe of every load). */
  status: () =>
    request<{ signedIn: boolean; session?: Session }>('GET', '/api/auth/status', { redirectOn401: false }),
}

export const meApi = {
  changePassword: (currentPassword: string, newPassword: string) =>
    request<void>('POST', '/api/me/password', { body: { currentPassword, newPassword } }),
  totpSetup: () => request<TotpSetup>('POST', '/api/me/totp/setup'),
  totpEnable: (code: string) =>
    request<{ recoveryCodes: string[] }>('POST', '/api/me/totp/enable', { body: { code } }),
  /** Needs the password and a current code (or a recovery code). */
  totpDisable: (password: string, code: string) =>
    request<void>('POST', '/api/me/totp/disable', { body: { password, code } }),
  listTokens: () => request<{ items: ApiToken[] }>('GET', '/api/me/tokens'),
  createToken: (body: { name: string; expiresInDays: number; scopes: TokenScope[] }) =>
    request<ApiToken & { token: string }>('POST', '/api/me/tokens', { body }),
  revokeToken: (tokenId: string) => request<void>('DELETE', `/api/me/tokens/${id(tokenId)}`),
}

export const adminApi = {
  getAgency: () => request<Agency>('GET', '/api/admin/agency'),
  updateAgency: (changes: Partial<Omit<Agency, 'id'>>) =>
    request<Agency>('PATCH', '/api/admin/agency', { body: changes }),

  listDepartments: () => request<{ items: Department[] }>('GET', '/api/admin/departments'),
  createDepartment: (body: { name: string; abbreviation: string; parentId?: string }) =>
    request<Department>('POST', '/api/admin/departments', { body }),
  updateDepartment: (
    departmentId: string,
    changes: Partial<{ name: string; abbreviation: string; parentId: string | null; active: boolean }>,
  ) => request<Department>('PATCH', `/api/admin/departments/${id(departmentId)}`, { body: changes }),

  listPositions: () => request<{ items: Position[] }>('GET', '/api/admin/positions'),
  createPosition: (name: string) => request<Position>('POST', '/api/admin/positions', { body: { name } }),
  updatePosition: (positionId: string, changes: Partial<{ name: string; active: boolean }>) =>
    request<Position>('PATCH', `/api/admin/positions/${id(positionId)}`, { body: changes }),

  listUsers: (q: string, signal?: AbortSignal) =>
    request<{ items: User[] }>('GET', '/api/admin/users', { query: { q: q.trim() || undefined }, signal }),
  createUser: (body: NewUser) => request<User>('POST', '/api/admin/users', { body }),
  updateUser: (userId: string, changes: UserChanges) =>
    request<User>('PATCH', `/api/admin/users/${id(userId)}`, { body: changes }),
  setUserPassword: (userId: string, password: string) =>
    request<void>('POST', `/api/admin/users/${id(userId)}/password`, { body: { password } }),
  revokeUserSessions: (userId: string) =>
    request<void>('POST', `/api/admin/users/${id(userId)}/sessions/revoke`),
}

export const documentsApi = {
  list: (
    query: { direction?: 'incoming' | 'outgoing'; awaiting?: 'me'; cursor?: string; limit?: string },
    signal?: AbortSignal,
  ) => request<DocumentPage>('GET', '/api/documents', { query, signal }),
  get: (documentId: string, signal?: AbortSignal) =>
    request<DocumentRecord>('GET', `/api/documents/${id(documentId)}`, { signal }),
  /** Multipart: `direction` and the register fields, then one `file` part. */
  create: (form: FormData) =>
    request<{ document: DocumentRecord; file: DocumentFile }>('POST', '/api/documents', { form }),
  routing: (documentId: string, signal?: AbortSignal) =>
    request<RoutingState>('GET', `/api/documents/${id(documentId)}/routing`, { signal }),
  timeline: (documentId: string, signal?: AbortSignal) =>
    request<TimelineStep[]>('GET', `/api/documents/${id(documentId)}/timeline`, { signal }),
  act: (documentId: string, action: string, body: RoutingInput) =>
    request<RoutingState>('POST', `/api/documents/${id(documentId)}/routing/${id(action)}`, { body }),
}

/** Văn bản đi: drafts, review, cấp số and phát hành (signing and the seal are signingApi's). */
export const outgoingApi = {
  /** Multipart: the draft fields (recipients as JSON) and one `file` part, DOCX or PDF. */
  create: (form: FormData) => request<OutgoingDocument>('POST', '/api/outgoing', { form }),
  list: (view: OutgoingView, signal?: AbortSignal) =>
    request<{ items: OutgoingListItem[] }>('GET', '/api/outgoing', { query: { view, limit: '100' }, signal }),
  get: (documentId: string, signal?: AbortSignal) =>
    request<OutgoingDocument>('GET', `/api/outgoing/${id(documentId)}`, { signal }),
  submit: (
    documentId: string,
    body: { reviewers?: { userId: string; kind: 'content' | 'format' }[]; comment?: string },
  ) => request<OutgoingDocument>('POST', `/api/outgoing/${id(documentId)}/submit`, { body }),
  review: (documentId: string, body: { decision: 'approve' | 'return'; comment?: string }) =>
    request<OutgoingDocument>('POST', `/api/outgoing/${id(documentId)}/review`, { body }),
  previewNumber: (documentId: string, signal?: AbortSignal) =>
    request<NumberPreview>('GET', `/api/documents/${id(documentId)}/number`, { signal }),
  number: (documentId: string) =>
    request<NumberResult>('POST', `/api/documents/${id(documentId)}/number`, { body: {} }),
  issue: (documentId: string) =>
    request<OutgoingDocument>('POST', `/api/documents/${id(documentId)}/issue`, { body: {} }),
  agencies: (signal?: AbortSignal) =>
    request<{ items: ExternalAgency[] }>('GET', '/api/outgoing/agencies', { signal }),
  /** Multipart: one `file` (PDF or DOCX) and an optional `note`; the earlier versions stay. */
  addVersion: (documentId: string, form: FormData) =>
    request<OutgoingDocument>('POST', `/api/outgoing/${id(documentId)}/versions`, { form }),
  updateDelivery: (documentId: string, recipientId: string, body: { state: DeliveryState; note?: string }) =>
    request<OutgoingDocument>(
      'PATCH',
      `/api/documents/${id(documentId)}/deliveries/${id(recipientId)}`,
      { body },
    ),
  /** The leader's decision to revoke; the clerk executes it with `revoke`. */
  decideRevocation: (documentId: string, reason: string) =>
    request<OutgoingDocument>('POST', `/api/documents/${id(documentId)}/revocation`, { body: { reason } }),
  revoke: (documentId: string) =>
    request<OutgoingDocument>('POST', `/api/documents/${id(documentId)}/revoke`, { body: {} }),
  copy: (documentId: string, body: { form: CopyFormCode; pin: string; pages?: number[] }) =>
    request<CopyResult>('POST', `/api/documents/${id(documentId)}/copies`, { body }),
}

export const incomingApi = {
  /** Multipart: the register fields plus one `file` part per file. */
  register: (form: FormData) => request<IncomingCreated>('POST', '/api/incoming', { form }),
}

export interface DirectoryDepartment {
  id: string
  parentId: string | null
  name: string
  abbreviation: string
}

export interface DirectoryPerson {
  id: string
  fullName: string
  roles: string[]
  departmentId: string | null
  positionName: string | null
}

/** The agency's units and people, for everyone signed in (whom to submit to, whom to assign). */
export const directoryApi = {
  departments: (signal?: AbortSignal) =>
    request<{ items: DirectoryDepartment[] }>('GET', '/api/directory/departments', { signal }),
  people: (signal?: AbortSignal) =>
    request<{ items: DirectoryPerson[] }>('GET', '/api/directory/people', { signal }),
}

/** The signed-in user's own notifications. */
export const notificationsApi = {
  list: (signal?: AbortSignal) =>
    request<{ items: AppNotification[] }>('GET', '/api/notifications', { signal }),
  unreadCount: (signal?: AbortSignal) =>
    request<{ count: number }>('GET', '/api/notifications/unread-count', { signal }),
  markRead: (notificationId: string) =>
    request<AppNotification>('POST', `/api/notifications/${id(notificationId)}/read`),
  markAllRead: () => request<{ updated: number }>('POST', '/api/notifications/read-all'),
}

/** Theo dõi, đôn đốc: documents past or near their deadline. */
export const followupApi = {
  overdue: (scope: FollowUpScope, signal?: AbortSignal) =>
    request<{ items: DeadlineItem[] }>('GET', '/api/followup/overdue', { query: { scope }, signal }),
  dueSoon: (scope: FollowUpScope, days: number, signal?: AbortSignal) =>
    request<{ items: DeadlineItem[] }>('GET', '/api/followup/due-soon', {
      query: { scope, days: String(days) },
      signal,
    }),
}

/** Tra cứu: words and filters over the documents the user may see, with facets and highlighted pages. */
export const searchApi = {
  search: (query: SearchQuery, signal?: AbortSignal) =>
    request<SearchResult>('GET', '/api/search', {
      query: Object.fromEntries(Object.entries(query).map(([key, value]) => [key, value?.toString()])),
      signal,
    }),
}

/** The incoming register (sổ văn bản đến) as a file: a plain same-origin GET link. */
export function incomingRegisterExportUrl(from: string, to: string, format: 'xlsx' | 'pdf'): string {
  return withQuery('/api/registers/incoming/export', { from, to, format })
}

export type SignatureKind = 'personal' | 'agency-seal'

/** Ký số, đóng dấu số and the checks of a document's signatures. */
export const signingApi = {
  sign: (documentId: string, body: SignInput) =>
    request<SignedFile>('POST', `/api/documents/${id(documentId)}/sign`, { body }),
  seal: (documentId: string, body: SealInput) =>
    request<SignedFile>('POST', `/api/documents/${id(documentId)}/seal`, { body }),
  signBatch: (documentIds: string[], pin: string, credentialId?: string) =>
    request<{ results: BatchResult[] }>('POST', '/api/documents/sign-batch', {
      body: { documentIds, pin, credentialId },
    }),
  /** The document's newest PDF with the signature image placed where signing would put it (inline PDF). */
  previewUrl: (documentId: string, kind: SignatureKind = 'personal') =>
    withQuery(`/api/documents/${id(documentId)}/sign/preview`, { kind }),
  placement: (documentId: string, kind: SignatureKind, signal?: AbortSignal) =>
    request<SignaturePlacementPreview>('GET', `/api/documents/${id(documentId)}/sign/placement`, {
      query: { kind },
      signal,
    }),
  verifyFile: (documentId: string, fileId: string) =>
    request<SignatureReport>('POST', `/api/documents/${id(documentId)}/files/${id(fileId)}/verify`),
  /** Gia hạn: fresh revocation data and a new document timestamp on the newest signed PDF. */
  renew: (documentId: string) =>
    request<SignatureRenewal>('POST', `/api/documents/${id(documentId)}/signatures/renew`),
  /** The newest report of each file, and each signed file's state (verifying while a check job runs). */
  reports: (documentId: string, signal?: AbortSignal) =>
    request<{ items: SignatureReport[]; files?: FileSignatureState[] }>(
      'GET',
      `/api/documents/${id(documentId)}/signature-reports`,
      { query: { latest: 'true' }, signal },
    ),
}

/** Trình ký: documents put before a leader for signature, the leader's queue, refusals. */
export const signatureRequestsApi = {
  create: (documentId: string, body: { signerId: string; comment?: string }) =>
    request<SignatureRequest>('POST', `/api/documents/${id(documentId)}/signature-requests`, { body }),
  ofDocument: (documentId: string, signal?: AbortSignal) =>
    request<{ items: SignatureRequest[] }>('GET', `/api/documents/${id(documentId)}/signature-requests`, {
      signal,
    }),
  list: (scope: 'mine' | 'sent', state: SignatureRequestState | 'all' | undefined, signal?: AbortSignal) =>
    request<{ items: SignatureRequest[] }>('GET', '/api/signature-requests', {
      query: { scope, state },
      signal,
    }),
  count: (signal?: AbortSignal) =>
    request<{ pending: number }>('GET', '/api/signature-requests/count', { signal }),
  refuse: (requestId: string, reason: string) =>
    request<SignatureRequest>('POST', `/api/signature-requests/${id(requestId)}/refuse`, {
      body: { reason },
    }),
  withdraw: (requestId: string) =>
    request<SignatureRequest>('POST', `/api/signature-requests/${id(requestId)}/withdraw`),
}

/** My signing certificates (leaders) and my signature image. */
export const mySigningApi = {
  credentials: (signal?: AbortSignal) =>
    request<{ items: SigningCredential[] }>('GET', '/api/me/signing-credentials', { signal }),
  /** Multipart: `file` (.p12), `password` (of the file), `pin` (the new signing PIN). */
  importCredential: (form: FormData) =>
    request<SigningCredential>('POST', '/api/me/signing-credentials', { form }),
  retireCredential: (credentialId: string) =>
    request<void>('DELETE', `/api/me/signing-credentials/${id(credentialId)}`),
  changePin: (credentialId: string, oldPin: string, newPin: string) =>
    request<void>('POST', `/api/me/signing-credentials/${id(credentialId)}/pin`, {
      body: { oldPin, newPin },
    }),
  imageUrl: '/api/me/signature-image',
  hasImage: (signal?: AbortSignal) => imageExists('/api/me/signature-image', signal),
  uploadImage: (form: FormData) => request<SignatureImage>('PUT', '/api/me/signature-image', { form }),
  removeImage: () => request<void>('DELETE', '/api/me/signature-image'),
}

/** The agency seal credential and image, every signing credential's lock, the trust store (admins). */
export const signingAdminApi = {
  agencySeal: (signal?: AbortSignal) =>
    request<{ credential: SigningCredential | null }>('GET', '/api/admin/signing/agency-seal/info', {
      signal,
    }).then((answer) => answer.credential),
  importAgencySeal: (form: FormData) =>
    request<SigningCredential>('POST', '/api/admin/signing/agency-seal', { form }),
  sealImageUrl: '/api/admin/signing/seal-image',
  hasSealImage: (signal?: AbortSignal) => imageExists('/api/admin/signing/seal-image', signal),
  uploadSealImage: (form: FormData) =>
    request<SignatureImage>('PUT', '/api/admin/signing/seal-image', { form }),
  removeSealImage: () => request<void>('DELETE', '/api/admin/signing/seal-image'),
  credentials: (signal?: AbortSignal) =>
    request<{ items: SigningCredential[] }>('GET', '/api/admin/signing-credentials', { signal }),
  unlock: (credentialId: string) =>
    request<SigningCredential>('POST', `/api/admin/signing-credentials/${id(credentialId)}/unlock`),
  trustAnchors: (signal?: AbortSignal) =>
    request<{ items: TrustAnchor[] }>('GET', '/api/admin/trust-anchors', { signal }),
  addTrustAnchor: (form: FormData) => request<TrustAnchor>('POST', '/api/admin/trust-anchors', { form }),
  removeTrustAnchor: (anchorId: string) =>
    request<void>('DELETE', `/api/admin/trust-anchors/${id(anchorId)}`),
}

/** A trusted CA's revocation list kept for offline verification (admins). */
export interface RevocationList {
  id: string
  trustAnchorId: string
  issuer: string
  thisUpdate: string
  nextUpdate: string | null
  revokedCount: number
  sha256: string
  source: 'upload' | 'download'
  addedBy: string
  createdAt: string
  state: 'current' | 'refresh-due' | 'expired'
}

export const revocationListsApi = {
  list: (signal?: AbortSignal) =>
    request<{ items: RevocationList[] }>('GET', '/api/admin/revocation-lists', { signal }),
  /** Multipart `file`: a CRL (DER or PEM) of a trusted CA, or its newer edition. */
  add: (form: FormData) => request<RevocationList>('POST', '/api/admin/revocation-lists', { form }),
  remove: (listId: string) => request<void>('DELETE', `/api/admin/revocation-lists/${id(listId)}`),
}

/** Whether an image is stored (its JSON description: no failed request when there is none). */
async function imageExists(path: string, signal?: AbortSignal): Promise<boolean> {
  return (await request<{ image: SignatureImage | null }>('GET', `${path}/info`, { signal })).image !== null
}

/** Hồ sơ, lưu trữ (src/records): the shapes the records pages read. */
export interface RecordFileView {
  id: string
  year: number
  fileCode: string
  notation: string
  title: string
  heading: string | null
  status: string
  retentionLabel: string
  departmentName?: string | null
  keeperName?: string | null
  filedCount?: number
  startDate: string | null
  endDate: string | null
  documentCount: number | null
  held?: boolean
  disposalEligibleFrom: string | null
  /** Set once the hồ sơ is in a transfer (nộp lưu), before and after the archive receives it. */
  transferId: string | null
}
export interface RecordTransferView {
  id: string
  status: string
  departmentName?: string | null
  submittedAt: string
  fileCount: number
  documentCount: number
  returnReason: string | null
}
export interface AccessRequestView {
  id: string
  requesterId: string
  recordFileId: string | null
  documentId: string | null
  decisionNote: string | null
  requesterName?: string
  target?: string | null
  purpose: string
  requestedUntil: string
  status: string
  expiresAt: string | null
}
export interface LegalHoldView {
  id: string
  title: string
  legalBasis: string
  reason: string
  status: string
  placedAt: string
  documentItems: number
  fileItems: number
}
/** One line of a hồ sơ's mục lục văn bản. */
export interface RecordEntryView {
  documentId: string
  ordinal: number
  docCode: string
  numberNotation: string | null
  issuedDate: string | null
  arrivalDate: string | null
  kind: string | null
  subject: string | null
  issuerName: string | null
  pageCount: number | null
  pageFrom: number | null
  pageTo: number | null
}
export interface RecordFileDetail {
  file: RecordFileView & { reopenReason: string | null; pageCount: number | null; retentionReason: string | null; mode: number }
  entries: RecordEntryView[]
  hiddenCount: number
  hold: { id: string; title: string } | null
  canManage: boolean
}
export interface FilePlanView {
  id: string
  year: number
  title: string
  status: string
  approvedAt: string | null
  fileCount: number
}
export interface RetentionEntryView {
  id: string
  source: string
  code: string
  groupTitle: string | null
  title: string
  retentionYears: number | null
  notes: string | null
  active: boolean
}
export type RetentionEntryInput = Omit<RetentionEntryView, 'id'>
export interface DisposalView {
  id: string
  status: string
  reason: string | null
  proposedAt: string
  decisionNumber: string | null
  decisionDate: string | null
  approvedAt: string | null
  destroyedAt: string | null
  files?: string[]
}
export interface FixityView {
  cycleDays: number
  maxMbPerSecond: number
  coverage: { total: number; checkedInCycle: number; failing: number }
  lastRun: { startedAt: string; blobsChecked: number; bytesChecked: number; failures: number } | null
  failing: { blobKey: string; problem: string | null; checkedAt: string | null }[]
}

export const recordsApi = {
  files: (query: { year?: string; status?: string; q?: string; held?: string }, signal?: AbortSignal) =>
    request<RecordFileView[]>('GET', '/api/records/files', { query, signal }),
  close: (fileId: string) => request<RecordFileView>('POST', `/api/records/files/${id(fileId)}/close`),
  transfer: (recordFileIds: string[]) =>
    request<RecordTransferView>('POST', '/api/records/transfers', { body: { recordFileIds } }),
  transfers: (signal?: AbortSignal) =>
    request<RecordTransferView[]>('GET', '/api/records/transfers', { signal }),
  receive: (transferId: string) =>
    request<RecordTransferView>('POST', `/api/records/transfers/${id(transferId)}/receive`),
  accessRequests: (signal?: AbortSignal) =>
    request<AccessRequestView[]>('GET', '/api/records/access-requests', { signal }),
  requestAccess: (body: { recordFileId?: string; documentId?: string; purpose: string; until: string }) =>
    request<AccessRequestView>('POST', '/api/records/access-requests', { body }),
  decideAccess: (requestId: string, body: { approve: boolean; note?: string }) =>
    request<AccessRequestView>('POST', `/api/records/access-requests/${id(requestId)}/decide`, { body }),
  disposalDue: (signal?: AbortSignal) =>
    request<{ file: RecordFileView; eligibleFrom: string; hold: { id: string; title: string } | null }[]>(
      'GET',
      '/api/records/disposition/due',
      { signal },
    ),
  holds: (signal?: AbortSignal) => request<LegalHoldView[]>('GET', '/api/records/holds', { signal }),
  fixity: (signal?: AbortSignal) => request<FixityView>('GET', '/api/records/fixity', { signal }),
  packageUrl: (fileId: string) => `/api/records/files/${id(fileId)}/package`,
  file: (fileId: string, signal?: AbortSignal) => request<RecordFileDetail>('GET', `/api/records/files/${id(fileId)}`, { signal }),
  reportUrl: (fileId: string) => `/api/records/files/${id(fileId)}/report?format=pdf`,
  openFile: (body: { year: number; notation: string; title: string; retentionEntryId?: string; permanent?: boolean; retentionYears?: number; retentionReason?: string; planned?: boolean }) =>
    request<RecordFileView>('POST', '/api/records/files', { body }),
  reopen: (fileId: string, reason: string) => request<RecordFileView>('POST', `/api/records/files/${id(fileId)}/reopen`, { body: { reason } }),
  fileChoices: (signal?: AbortSignal) => request<RecordFileView[]>('GET', '/api/records/file-choices', { signal }),
  plans: (signal?: AbortSignal) => request<FilePlanView[]>('GET', '/api/records/plans', { signal }),
  approvePlan: (year: number) => request<{ status: string }>('POST', `/api/records/plans/${year}/approve`),
  planReportUrl: (year: number, format: 'xlsx' | 'pdf') => `/api/records/plans/${year}/report?format=${format}`,
  createPlan: (body: { year: number; copyFromYear?: number }) => request<{ id: string; year: number; copied: number }>('POST', '/api/records/plans', { body }),
  retention: (signal?: AbortSignal) => request<RetentionEntryView[]>('GET', '/api/records/retention-schedule', { signal }),
  importRetention: (csv: string) => request<{ added: number; updated: number }>('POST', '/api/records/retention-schedule/import', { body: { csv } }),
  updateRetention: (entryId: string, body: RetentionEntryInput) => request<RetentionEntryView>('PUT', `/api/records/retention-schedule/${id(entryId)}`, { body }),
  placeHold: (body: { title: string; reason: string; legalBasis: string; recordFileIds: string[] }) => request<{ id: string }>('POST', '/api/records/holds', { body }),
  liftHold: (holdId: string, reason: string) => request<{ status: string }>('POST', `/api/records/holds/${id(holdId)}/lift`, { body: { reason } }),
  disposals: (signal?: AbortSignal) => request<DisposalView[]>('GET', '/api/records/disposals', { signal }),
  proposeDisposal: (body: { recordFileIds: string[]; reason?: string }) => request<DisposalView>('POST', '/api/records/disposals', { body }),
  approveDisposal: (disposalId: string, body: { decisionNumber: string; decisionDate: string; councilMembers?: string }) =>
    request<DisposalView>('POST', `/api/records/disposals/${id(disposalId)}/approve`, { body }),
  executeDisposal: (disposalId: string) => request<DisposalView>('POST', `/api/records/disposals/${id(disposalId)}/execute`),
}
