import { Transform, type TransformCallback } from 'node:stream'
import { AppError } from '../platform/errors.ts'

/** The file types vanthu stores, with the bytes each must start with. */
export const SUPPORTED_MEDIA_TYPES = {
  'application/pdf': { extensions: ['.pdf'], magic: [Buffer.from('%PDF-')] },
  'image/png': { extensions: ['.png'], magic: [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])] },
  'image/jpeg': { extensions: ['.jpg', '.jpeg'], magic: [Buffer.from([0xff, 0xd8, 0xff])] },
  'image/tiff': {
    extensions: ['.tif', '.tiff'],
    magic: [Buffer.from([0x49, 0x49, 0x2a, 0x00]), Buffer.from([0x4d, 0x4d, 0x00, 0x2a])],
  },
} as const

export type SupportedMediaType = keyof typeof SUPPORTED_MEDIA_TYPES

const SNIFF_BYTES = 8

export function isSupportedMediaType(type: string): type is SupportedMediaType {
  return Object.hasOwn(SUPPORTED_MEDIA_TYPES, type)
}

export function sniffMediaType(head: Buffer): SupportedMediaType | undefined {
  for (const [type, { magic }] of Object.entries(SUPPORTED_MEDIA_TYPES)) {
    if (magic.some((signature) => head.subarray(0, signature.length).equals(signature))) {
      return type as SupportedMediaType
    }
  }
  return undefined
}

/**
 * The media type a client declared, from the part's Content-Type or, when that is generic
 * (application/octet-stream, as curl sends by default), from the file name's extension.
 * Undefined means "let the bytes tell"; an unsupported declaration is refused.
 */
export function declaredMediaType(contentType: string | undefined, fileName: string): SupportedMediaType | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase()
  if (type === 'image/jpg' || type === 'image/pjpeg') return 'image/jpeg'
  if (type && type !== 'application/octet-stream') {
    if (isSupportedMediaType(type)) return type
    throw new AppError('upload-unsupported-type', { detail: `Declared type: ${type}` })
  }
  const extension = fileName.toLowerCase().match(/\.[a-z0-9]+$/)?.[0]
  if (!extension) return undefined
  for (const [candidate, { extensions }] of Object.entries(SUPPORTED_MEDIA_TYPES)) {
    if ((extensions as readonly string[]).includes(extension)) return candidate as SupportedMediaType
  }
  throw new AppError('upload-unsupported-type', { detail: `File extension: ${extension}` })
}

/**
 * Passes bytes through unchanged while checking the first ones against the declared type. A mismatch
 * fails the stream, so the blob store discards what it spooled.
 */
export class MediaTypeGuard extends Transform {
  private head = Buffer.alloc(0)
  private checked = false
  detected: SupportedMediaType | undefined

  constructor(private readonly declared: SupportedMediaType | undefined) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.checked) {
      callback(null, chunk)
      return
    }
    this.head = Buffer.concat([this.head, chunk])
    if (this.head.length < SNIFF_BYTES) callback()
    else this.checkHead(callback)
  }

  override _flush(callback: TransformCallback): void {
    if (this.checked || this.head.length === 0) callback()
    else this.checkHead(callback)
  }

  private checkHead(callback: TransformCallback): void {
    this.checked = true
    this.detected = sniffMediaType(this.head)
    const mismatch = !this.detected
      ? 'The bytes are not a PDF, PNG, JPEG or TIFF file.'
      : this.declared && this.detected !== this.declared
        ? `Declared ${this.declared}, but the content is ${this.detected}.`
        : undefined
    if (mismatch) {
      callback(new AppError('upload-type-mismatch', { detail: mismatch }))
      return
    }
    const head = this.head
    this.head = Buffer.alloc(0)
    callback(null, head)
  }
}
