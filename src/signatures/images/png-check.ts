/**
 * What a signature or seal image must be before it is stored: a PNG (by its bytes, not its name), at most
 * MAX_IMAGE_BYTES and MAX_IMAGE_SIDE pixels a side (checked in the header, before anything is inflated),
 * readable as a whole, and with a transparent background (an alpha channel or tRNS that leaves some
 * pixel not fully opaque): ND30 puts the image over the printed page.
 */
import { AppError } from '../../platform/errors.ts'
import { decodePng } from '../appearance/png-image.ts'

export const MAX_IMAGE_BYTES = 512 * 1024
export const MAX_IMAGE_SIDE = 3000

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

export interface CheckedPng {
  width: number
  height: number
}

export function checkSignaturePng(bytes: Buffer): CheckedPng {
  if (bytes.length > MAX_IMAGE_BYTES)
    throw new AppError('upload-too-large', {
      detail: 'Ảnh không được lớn hơn 512 KiB. / The image must be at most 512 KiB.',
    })
  if (
    bytes.length < 33 ||
    !bytes.subarray(0, 8).equals(SIGNATURE) ||
    bytes.toString('latin1', 12, 16) !== 'IHDR'
  )
    throw new AppError('upload-unsupported-type', {
      detail: 'Chỉ nhận ảnh PNG. / Only PNG images are accepted.',
    })
  const width = bytes.readUInt32BE(16)
  const height = bytes.readUInt32BE(20)
  if (width === 0 || height === 0 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE)
    throw new AppError('signature-image-invalid', {
      detail: `Ảnh ${width}×${height} điểm ảnh; tối đa ${MAX_IMAGE_SIDE} mỗi chiều. / The image is ${width}×${height} px; at most ${MAX_IMAGE_SIDE} a side.`,
    })
  let rgba: Buffer
  try {
    rgba = decodePng(bytes).rgba
  } catch (cause) {
    throw new AppError('unreadable-image', {
      cause,
      detail: 'Tệp PNG bị hỏng. / The PNG file is damaged.',
    })
  }
  if (!hasTransparency(rgba))
    throw new AppError('signature-image-invalid', {
      detail:
        'Ảnh cần nền trong suốt (kênh alpha hoặc tRNS). / The image needs a transparent background (alpha channel or tRNS).',
    })
  return { width, height }
}

function hasTransparency(rgba: Buffer): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i]! < 255) return true
  return false
}
