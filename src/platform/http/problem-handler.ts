import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { recordLockError } from '../../records/record-lock.ts'
import { BlobNotFoundError } from '../../storage/blob-store.ts'
import { AppError, type ErrorCode, type FieldError, toProblem } from '../errors.ts'
import { messages } from '../messages.ts'
import { isMalformedMultipart, malformedMultipart } from './multipart-errors.ts'

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_REQ_FILE_TOO_LARGE: 'upload-too-large',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
  FST_PARTS_LIMIT: 'payload-too-large',
  FST_FILES_LIMIT: 'validation-failed',
  FST_FIELDS_LIMIT: 'validation-failed',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation-failed',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'validation-failed',
  FST_ERR_CTP_INVALID_JSON_BODY: 'validation-failed',
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'validation-failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  408: 'request-timeout',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  416: 'range-not-satisfiable',
  429: 'rate-limited',
  503: 'service-unavailable',
}

/** Every error leaves as application/problem+json (RFC 9457); 5xx details stay in the log. */
export function registerProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error)
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed')
    else request.log.info({ code: appError.code, detail: appError.detail }, 'request refused')
    return sendProblem(request, reply, appError)
  })
}

/**
 * Unknown routes: a problem document, unless `pageFallback` takes the request (the web UI answers
 * browser paths with its index page).
 */
export function registerNotFound(
  app: FastifyInstance,
  pageFallback?: (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined,
): void {
  app.setNotFoundHandler((request, reply) => pageFallback?.(request, reply) ?? sendProblem(request, reply, new AppError('route-not-found')))
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  if (error.headers) reply.headers(error.headers)
  return reply
    .code(error.status)
    .type('application/problem+json; charset=utf-8')
    .send(JSON.stringify(toProblem(error, request.url)))
}

function toAppError(error: FastifyError): AppError {
  if (error instanceof AppError) return error
  if (error.validation) {
    return new AppError('validation-failed', {
      detail: error.message,
      errors: error.validation.map((issue) => validationFieldError(issue)),
    })
  }
  if (isMalformedMultipart(error)) return malformedMultipart(error)
  if (isUnstorableText(error)) {
    // A route the text guard does not see (a multipart field read elsewhere) still answers 400, not 500.
    return new AppError('validation-failed', { detail: messages['field-control-characters'].en, cause: error })
  }
  if (error instanceof BlobNotFoundError) return new AppError('internal', { cause: error })
  const recordLock = recordLockError(error)
  if (recordLock) return recordLock
  const mapped = error.code ? FASTIFY_CODES[error.code] : undefined
  if (mapped) return new AppError(mapped, { detail: error.message, cause: error })
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) {
    // A plugin's own 4xx (the static file layer's 403 for a directory…) keeps its meaning in the code.
    return new AppError(STATUS_CODES[status] ?? 'validation-failed', { status, detail: error.message, cause: error })
  }
  return new AppError('internal', { cause: error })
}

/** invalid_byte_sequence_for_encoding (NUL in text), untranslatable_character (\u0000 in jsonb). */
const UNSTORABLE_TEXT_CODES = new Set(['22021', '22P05'])

/** Whether PostgreSQL refused to store text a client sent, wherever in the cause chain it says so. */
function isUnstorableText(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && UNSTORABLE_TEXT_CODES.has(code)) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

function validationFieldError(issue: NonNullable<FastifyError['validation']>[number]): FieldError {
  const missing = (issue.params as { missingProperty?: string } | undefined)?.missingProperty
  const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.')
  const field = [path, missing].filter(Boolean).join('.') || 'body'
  const message = missing ? messages['field-required'] : messages['field-invalid-value']
  return { field, message: message.vi, messageEn: issue.message ?? message.en }
}
