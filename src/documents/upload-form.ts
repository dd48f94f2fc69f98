import type { FastifyRequest } from 'fastify'
import { AppError, type FieldError, fieldError } from '../platform/errors.ts'
import { isMalformedMultipart, malformedMultipart } from '../platform/http/multipart-errors.ts'
import { hasForbiddenCharacters } from '../platform/http/text-guard.ts'
import { type DocumentsDeps, discardStaged, type StagedFile, stageUpload } from './documents.service.ts'

const MAX_FIELDS = 40
export const MAX_FIELD_BYTES = 4096

export interface UploadForm {
  /** Text fields by name. */
  form: Record<string, string>
  /** The `file` parts, stored in order; nothing references them yet. */
  staged: StagedFile[]
  /** Problems with parts (unknown file fields, over-long values), to report with the field checks. */
  fieldErrors: FieldError[]
}

/**
 * Reads a multipart upload: text fields, and `file` parts streamed into the blob store (type checked,
 * size limited). At least one file is required. If anything fails, the files already stored are let go.
 */
export async function readUploadForm(deps: DocumentsDeps & { config: { uploadMaxBytes: number } }, request: FastifyRequest, maxFiles: number): Promise<UploadForm> {
  if (!request.isMultipart()) throw new AppError('unsupported-media-type')
  const result: UploadForm = { form: {}, staged: [], fieldErrors: [] }
  try {
    const parts = request.parts({
      limits: { fileSize: deps.config.uploadMaxBytes, files: maxFiles, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES },
    })
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          part.file.resume()
          result.fieldErrors.push(fieldError(part.fieldname, 'field-invalid-value'))
          continue
        }
        result.staged.push(
          await stageUpload(deps, {
            stream: part.file,
            fileName: part.filename,
            contentType: part.mimetype,
            onTruncated: (listener) => part.file.once('limit', listener),
          }),
        )
      } else if (part.valueTruncated) {
        result.fieldErrors.push(fieldError(part.fieldname, 'field-too-long'))
      } else if (hasForbiddenCharacters(part.fieldname)) {
        result.fieldErrors.push(fieldError('form', 'field-control-characters'))
      } else {
        const value = String(part.value)
        if (hasForbiddenCharacters(value)) result.fieldErrors.push(fieldError(part.fieldname, 'field-control-characters'))
        result.form[part.fieldname] = value
      }
    }
    if (result.staged.length === 0) throw new AppError('upload-missing-file')
    return result
  } catch (error) {
    await discardAll(deps, result.staged)
    throw isMalformedMultipart(error) ? malformedMultipart(error) : error
  }
}

export async function discardAll(deps: DocumentsDeps, staged: StagedFile[]): Promise<void> {
  for (const file of staged) await discardStaged(deps, file.blob)
}
