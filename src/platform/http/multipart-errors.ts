import { AppError } from '../errors.ts'

/** Codes @fastify/multipart gives a body it cannot parse (as opposed to one over a limit). */
const MALFORMED_CODES = new Set(['FST_MP_PREMATURE_CLOSE', 'FST_PROTO_VIOLATION', 'FST_INVALID_JSON_FIELD_ERROR'])

/**
 * busboy (and its dicer) report a broken body with plain Errors: these are their messages. Matching
 * them, rather than turning every error met while reading a form into a 400, keeps a failing disk or
 * storage server a 5xx.
 */
const MALFORMED_MESSAGES = [
  /^Multipart: Boundary not found$/,
  /^Boundary required$/,
  /^Unexpected end of (multipart data|form)$/,
  /terminated early due to unexpected end of multipart data$/,
  /^Malformed part header$/,
  /^Part terminated early/,
]

/** Whether an error means the client sent a multipart body that cannot be parsed. */
export function isMalformedMultipart(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof AppError) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && MALFORMED_CODES.has(code)) return true
  return MALFORMED_MESSAGES.some((pattern) => pattern.test(error.message))
}

/** The 400 a broken multipart body gets, keeping the parser's words as the detail. */
export function malformedMultipart(cause: unknown): AppError {
  return new AppError('malformed-multipart', { ...(cause instanceof Error ? { detail: cause.message } : {}), cause })
}
