import { messages, type MessageCode } from './messages.ts'

/** One entry per failure a client can meet; the code is the stable `type` of the problem document. */
export const ERROR_STATUS = {
  /** Request body, query or params fail their schema, or form fields fail validation. */
  'validation-failed': 400,
  /** A multipart/form-data body that cannot be parsed: no or wrong boundary, cut short, garbage. */
  'malformed-multipart': 400,
  /** A multipart request came without the required `file` part. */
  'upload-missing-file': 400,
  /** The uploaded file has zero bytes. */
  'upload-empty': 400,
  /** The uploaded file is larger than UPLOAD_MAX_MB. */
  'upload-too-large': 413,
  /** The request body as a whole is larger than the server accepts. */
  'payload-too-large': 413,
  /** The declared media type is not one vanthu stores (PDF, PNG, JPEG, TIFF). */
  'upload-unsupported-type': 415,
  /** The request is not multipart/form-data where an upload is expected. */
  'unsupported-media-type': 415,
  /** The file's bytes are not of the type it claims to be. */
  'upload-type-mismatch': 422,
  /** An uploaded image (a TIFF scan) is corrupt or in a variant that cannot be turned into PDF pages. */
  'unreadable-image': 422,
  /** An uploaded page image has more pixels than the budget (file-budgets): refused before decoding. */
  'image-too-large': 422,
  /** The requested document, file or job does not exist (or is not visible to the caller). */
  'not-found': 404,
  /** Route not found. */
  'route-not-found': 404,
  /** The Range header cannot be satisfied for this file. */
  'range-not-satisfiable': 416,
  /** Too many requests. */
  'rate-limited': 429,
  /** Storage lost a blob that a row points at, or a concurrent change raced this one. */
  conflict: 409,
  /** A dependency (database, storage) is unreachable. */
  'service-unavailable': 503,
  /** The request took longer than REQUEST_TIMEOUT_MS. */
  'request-timeout': 408,
  /** Anything unexpected: details are logged, never sent. */
  internal: 500,
  /** No valid session cookie or bearer token on a route that needs one. */
  unauthenticated: 401,
  /** Wrong username or password (which one is never said), or an inactive account. */
  'invalid-credentials': 401,
  /** Wrong, reused or malformed TOTP or recovery code. */
  'invalid-totp': 401,
  /** The TOTP step came after its challenge expired or was used up. */
  'login-challenge-expired': 401,
  /** Too many failed sign-ins for this username: locked until Retry-After. */
  'login-locked': 429,
  /** Signed in, but the policy does not allow this action. */
  forbidden: 403,
  /** A cookie-authenticated state change without the session's CSRF token. */
  'csrf-failed': 403,
  /** The agency requires 2FA for this user, who has not enrolled yet. */
  'mfa-enrollment-required': 403,
  /** A unique name (username, …) is already used. */
  'already-exists': 409,
  /** A handling step the document's status does not allow; the problem lists the allowed ones. */
  'transition-not-allowed': 409,
  /** The document looks registered already (same file, or same issuer + number + date): confirm to proceed. */
  'duplicate-suspected': 409,
  /** The PKCS#12 file cannot be read with the given password, or holds no single key matching its certificate. */
  'bad-pkcs12': 422,
  /** The signing certificate is expired or not yet valid. */
  'certificate-not-valid': 422,
  /** An uploaded certificate cannot be parsed (neither PEM nor DER X.509). */
  'bad-certificate': 422,
  /** A trust anchor must be a CA certificate (basicConstraints cA) with a valid self-signature when it is a root. */
  'not-a-ca-certificate': 422,
  /** The signing PIN is wrong; the problem says how many attempts are left. */
  'wrong-pin': 422,
  /** Too many wrong PINs: the signing credential is locked until `lockedUntil` (Retry-After). */
  'credential-locked': 423,
  /** A two-step signing session completed after its expiresAt. */
  'signing-session-expired': 410,
  /** A two-step signing session completed twice, or the document got a newer signed file since prepare. */
  'signing-session-used': 409,
  /** The signature value (or CMS) from a USB token does not verify over the prepared signed attributes. */
  'bad-signature-value': 422,
  /** The PDF cannot take a signature: damaged, encrypted, or its certification signature forbids changes. */
  'pdf-not-signable': 422,
  /** The leader has a signature image but no signer block was found and no placement was given. */
  'signature-placement-needed': 422,
  /** A signature or seal image is not a usable PNG (opaque, too many pixels, or damaged). */
  'signature-image-invalid': 422,
  /** SIGNING_TSA_URL is set and the timestamp authority failed: nothing was stored. */
  'tsa-unavailable': 503,
  /** Cấp số: the number and notation are already held by another outgoing document of the year. */
  'number-taken': 409,
  /** A DOCX draft was uploaded and LibreOffice is not installed (or not at LIBREOFFICE_PATH). */
  'docx-converter-missing': 422,
  /** LibreOffice could not convert the DOCX (not a DOCX, damaged, too slow): nothing was stored. */
  'docx-conversion-failed': 422,
  /** The number fields could not be found on the draft and none were placed. */
  'number-placement-needed': 422,
  // Records and archives (src/records).
  /** A legal hold covers the document or hồ sơ: disposition, deletion and edits are refused; the problem names the hold. */
  'record-on-hold': 409,
  /** The document is a record of a closed or transferred hồ sơ: it cannot be edited or deleted. */
  'record-closed': 409,
  /** The hồ sơ's state does not allow this step (filing into a closed one, transferring an open one…). */
  'record-file-state': 409,
  /** The bytes of a destroyed record are gone; its tombstone remains. */
  'record-destroyed': 410,
  /** The hồ sơ is not yet past its retention period, or is kept permanently. */
  'retention-not-expired': 409,
  /** Destruction needs the appraisal council's approved decision first. */
  'disposal-not-approved': 409,
  // Offline revocation data (src/signatures/revocation-lists).
  /** An uploaded file is not a CRL (PEM or DER X.509 CertificateList). */
  'bad-crl': 422,
  /** The CRL is not signed by any CA of the agency's trust store (or its issuer is not one of them). */
  'crl-issuer-not-trusted': 422,
  /** The CRL is the same as, or older than, the one kept for its CA. */
  'crl-not-newer': 409,
} as const satisfies Partial<Record<MessageCode, number>>

export type ErrorCode = keyof typeof ERROR_STATUS

export interface FieldError {
  field: string
  message: string
  messageEn: string
}

/** A field error in both languages, from the message catalogue. */
export function fieldError(field: string, code: MessageCode): FieldError {
  return { field, message: messages[code].vi, messageEn: messages[code].en }
}

export class AppError extends Error {
  readonly status: number
  readonly detail: string | undefined
  readonly errors: FieldError[] | undefined
  readonly headers: Record<string, string> | undefined
  /** Extra members of the problem document (RFC 9457 extensions), e.g. the earlier records of a duplicate. */
  readonly extensions: Record<string, unknown> | undefined

  constructor(
    readonly code: ErrorCode,
    options: {
      detail?: string
      errors?: FieldError[]
      cause?: unknown
      headers?: Record<string, string>
      status?: number
      extensions?: Record<string, unknown>
    } = {},
  ) {
    super(messages[code].en, { cause: options.cause })
    this.name = 'AppError'
    this.status = options.status ?? ERROR_STATUS[code]
    this.detail = options.detail
    this.errors = options.errors
    this.headers = options.headers
    this.extensions = options.extensions
  }
}

export const PROBLEM_TYPE_BASE = 'https://vanthu.gov.vn/problems/'

/** RFC 9457 problem document, with the Vietnamese title first and the English one beside it. */
export interface Problem {
  type: string
  code: ErrorCode
  title: string
  titleEn: string
  status: number
  detail?: string
  instance?: string
  errors?: FieldError[]
}

export function toProblem(error: AppError, instance?: string): Problem {
  const message = messages[error.code]
  const problem: Problem = {
    ...error.extensions,
    type: PROBLEM_TYPE_BASE + error.code,
    code: error.code,
    title: message.vi,
    titleEn: message.en,
    status: error.status,
  }
  if (error.detail) problem.detail = error.detail
  if (instance) problem.instance = instance
  if (error.errors?.length) problem.errors = error.errors
  return problem
}
