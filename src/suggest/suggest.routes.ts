import { pipeline } from 'node:stream/promises'
import { Writable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { declaredMediaType, MediaTypeGuard, type SupportedMediaType } from '../documents/media-types.ts'
import { AppError } from '../platform/errors.ts'
import { Nullable, problemResponses } from '../platform/http/common.schemas.ts'
import { readDocumentText } from './read-document.ts'
import { suggestFields } from './suggest-fields.ts'

const Suggestion = Nullable(
  Type.Object({ value: Type.String(), confidence: Type.Number({ minimum: 0, maximum: 1 }) }),
)

const SuggestionsSchema = Type.Object({
  fields: Type.Object({
    issuer: Suggestion,
    parentAgency: Suggestion,
    numberNotation: Suggestion,
    place: Suggestion,
    documentDate: Suggestion,
    kind: Suggestion,
    subject: Suggestion,
    signer: Suggestion,
    signerPosition: Suggestion,
    signerAuthority: Nullable(
      Type.Object({ value: Type.Array(Type.String()), confidence: Type.Number({ minimum: 0, maximum: 1 }) }),
    ),
    urgency: Suggestion,
    secrecy: Suggestion,
  }),
  source: Type.Union([Type.Literal('text-layer'), Type.Literal('ocr')]),
  pageCount: Type.Integer(),
  elapsedMs: Type.Integer(),
})

/**
 * Gợi ý thông tin văn bản đến: the register fields read from the first page of the file a clerk is about to
 * register (and the signer from its last page), by the text layer or, for scans and images, by the process's
 * OCR pool. Nothing is stored: the file is held in memory, within the upload size limit, for the duration of
 * the request.
 */
export const suggestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { platform } = app
  app.post(
    '/suggestions',
    {
      config: { access: 'document.create' },
      schema: {
        summary: 'Suggest the register fields of an incoming document from its first page (stores nothing)',
        description:
          'multipart/form-data with one `file` part (PDF, PNG, JPEG, TIFF). Answers each field as ' +
          '{ value, confidence 0..1 } or null, in the formats POST /api/incoming takes.',
        consumes: ['multipart/form-data'],
        response: { 200: SuggestionsSchema, ...problemResponses(400, 401, 403, 408, 413, 415, 422, 503) },
      },
    },
    async (request, reply) => {
      const started = performance.now()
      const file = await readSingleFile(request, platform.config.uploadMaxBytes)
      // A clerk who types on (or leaves) stops the request: OCR stops between pages.
      const stop = new AbortController()
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) stop.abort()
      })
      const text = await readDocumentText(file.bytes, file.mediaType, {
        ocr: platform.ocr.lend(),
        signal: stop.signal,
      })
      return {
        fields: suggestFields(text.pages),
        source: text.source,
        pageCount: text.pageCount,
        elapsedMs: Math.round(performance.now() - started),
      }
    },
  )
}

/** The one `file` part, in memory (checked type, size capped); other parts are refused. */
async function readSingleFile(
  request: FastifyRequest,
  maxBytes: number,
): Promise<{ bytes: Uint8Array; mediaType: SupportedMediaType }> {
  if (!request.isMultipart()) throw new AppError('unsupported-media-type')
  const part = await request.file({ limits: { fileSize: maxBytes, files: 1, fields: 10 } })
  if (part?.fieldname !== 'file') {
    part?.file.resume()
    throw new AppError('upload-missing-file')
  }
  let declared: SupportedMediaType | undefined
  try {
    declared = declaredMediaType(part.mimetype, part.filename)
  } catch (error) {
    part.file.resume()
    throw error
  }
  const guard = new MediaTypeGuard(declared)
  part.file.once('limit', () => guard.destroy(new AppError('upload-too-large')))
  const chunks: Buffer[] = []
  await pipeline(
    part.file,
    guard,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk)
        callback()
      },
    }),
  )
  const bytes = Buffer.concat(chunks)
  if (bytes.length === 0 || !guard.detected) throw new AppError('upload-empty')
  return {
    bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    mediaType: guard.detected,
  }
}
