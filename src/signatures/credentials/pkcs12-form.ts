import type { FastifyRequest } from 'fastify'
import { AppError, fieldError } from '../../platform/errors.ts'
import type { ImportInput } from './credentials.service.ts'

/** PKCS#12 files are a few kilobytes; a larger upload is not one. */
const MAX_P12_BYTES = 256 * 1024
const MAX_FIELD_BYTES = 1024

/**
 * Reads the multipart import form: `file` (.p12/.pfx), `password`, `pin`, optional `label`. Everything stays
 * in memory for the request only; the password and PIN are never logged.
 */
export async function readPkcs12Form(request: FastifyRequest): Promise<ImportInput> {
  if (!request.isMultipart()) throw new AppError('unsupported-media-type')
  const fields: Record<string, string> = {}
  let p12: Buffer | undefined
  const parts = request.parts({
    limits: { fileSize: MAX_P12_BYTES, files: 1, fields: 10, fieldSize: MAX_FIELD_BYTES },
  })
  for await (const part of parts) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file') {
        part.file.resume()
        throw new AppError('validation-failed', {
          errors: [fieldError(part.fieldname, 'field-invalid-value')],
        })
      }
      p12 = await part.toBuffer()
      if (part.file.truncated) throw new AppError('upload-too-large')
    } else if (part.valueTruncated) {
      throw new AppError('validation-failed', { errors: [fieldError(part.fieldname, 'field-too-long')] })
    } else {
      fields[part.fieldname] = String(part.value)
    }
  }
  if (!p12) throw new AppError('upload-missing-file')
  if (p12.length === 0) throw new AppError('upload-empty')
  const missing = ['password', 'pin'].filter((name) => fields[name] === undefined)
  if (missing.length > 0) {
    throw new AppError('validation-failed', {
      errors: missing.map((name) => fieldError(name, 'field-required')),
    })
  }
  return { p12, password: fields.password!, pin: fields.pin!, label: fields.label }
}
