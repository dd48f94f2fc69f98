/**
 * The multipart form of a draft: text fields and one `file` — a PDF (streamed into the blob store like
 * any upload) or a DOCX (held in memory up to the upload limit, converted to PDF only once the fields
 * are valid; both are then stored). Anything refused leaves nothing stored.
 */
import { Readable } from 'node:stream'
import type { FastifyRequest } from 'fastify'
import {
  type DocumentsDeps,
  discardStaged,
  type StagedFile,
  safeFileName,
  stageUpload,
} from '../documents/documents.service.ts'
import { AppError, type FieldError, fieldError } from '../platform/errors.ts'
import { type DraftFiles, stagePdfBytes } from './drafting.service.ts'
import type { DocxConverter } from './docx-to-pdf.ts'

const MAX_FIELDS = 40
/** Room for a long recipient list (JSON). */
const MAX_FIELD_BYTES = 64 * 1024
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

export interface DraftForm {
  form: Record<string, string>
  fieldErrors: FieldError[]
  /** The PDF staged, or the DOCX waiting for conversion. */
  pdf?: StagedFile | undefined
  docx?: { bytes: Buffer; fileName: string } | undefined
}

function isDocx(contentType: string | undefined, fileName: string): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase()
  if (type === DOCX_TYPE) return true
  return (!type || type === 'application/octet-stream') && /\.docx$/i.test(fileName)
}

async function readBounded(
  stream: NodeJS.ReadableStream & { truncated?: boolean },
  limit: number,
): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw new AppError('upload-too-large')
    chunks.push(chunk)
  }
  if (stream.truncated) throw new AppError('upload-too-large')
  return Buffer.concat(chunks)
}

export async function readDraftForm(
  deps: DocumentsDeps & { config: { uploadMaxBytes: number } },
  request: FastifyRequest,
  options: { fileRequired: boolean },
): Promise<DraftForm> {
  if (!request.isMultipart()) throw new AppError('unsupported-media-type')
  const result: DraftForm = { form: {}, fieldErrors: [] }
  try {
    const parts = request.parts({
      limits: {
        fileSize: deps.config.uploadMaxBytes,
        files: 1,
        fields: MAX_FIELDS,
        fieldSize: MAX_FIELD_BYTES,
      },
    })
    for await (const part of parts) {
      if (part.type !== 'file') {
        if (part.valueTruncated) result.fieldErrors.push(fieldError(part.fieldname, 'field-too-long'))
        else result.form[part.fieldname] = String(part.value)
        continue
      }
      if (part.fieldname !== 'file') {
        part.file.resume()
        result.fieldErrors.push(fieldError(part.fieldname, 'field-invalid-value'))
        continue
      }
      if (isDocx(part.mimetype, part.filename)) {
        result.docx = {
          bytes: await readBounded(part.file, deps.config.uploadMaxBytes),
          fileName: safeFileName(part.filename),
        }
        if (result.docx.bytes.length === 0) throw new AppError('upload-empty')
        continue
      }
      const staged = await stageUpload(deps, {
        stream: part.file,
        fileName: part.filename,
        contentType: part.mimetype,
        onTruncated: (listener) => part.file.once('limit', listener),
      })
      result.pdf = staged
      if (staged.mediaType !== 'application/pdf')
        throw new AppError('upload-unsupported-type', {
          detail: 'Dự thảo là tệp PDF hoặc DOCX. / A draft is a PDF or a DOCX file.',
        })
    }
    if (options.fileRequired && !result.pdf && !result.docx) throw new AppError('upload-missing-file')
    return result
  } catch (error) {
    await discardDraftForm(deps, result)
    throw error
  }
}

/** Turns the form's file into the draft's stored files, converting a DOCX (422 when it cannot be). */
export async function draftFiles(
  deps: DocumentsDeps,
  converter: DocxConverter,
  form: DraftForm,
): Promise<DraftFiles | undefined> {
  if (form.pdf) return { pdf: form.pdf }
  if (!form.docx) return undefined
  const pdfBytes = await converter.toPdf(form.docx.bytes, form.docx.fileName)
  const pdf = await stagePdfBytes(deps, pdfBytes, form.docx.fileName)
  try {
    const blob = await deps.blobStore.put(Readable.from([form.docx.bytes]))
    return { pdf, source: { blob, fileName: form.docx.fileName } }
  } catch (error) {
    await discardStaged(deps, pdf.blob)
    throw error
  }
}

export async function discardDraftForm(
  deps: DocumentsDeps,
  form: DraftForm,
  files?: DraftFiles,
): Promise<void> {
  if (form.pdf) await discardStaged(deps, form.pdf.blob)
  if (files && files.pdf !== form.pdf) await discardStaged(deps, files.pdf.blob)
  if (files?.source) await discardStaged(deps, files.source.blob)
}
