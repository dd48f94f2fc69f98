import { createHash } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import { PNG } from 'pngjs'
import type { PDFRef, PDFStream } from 'pdf-lib'
import type { AppearanceContext, Rect } from '../../pades/pdf/index.ts'
import { deflatedStream, nativeFlateStream } from '../../pades/pdf/native-flate.ts'

export interface DecodedPng {
  width: number
  height: number
  /** Straight (non-premultiplied) RGBA, 8 bits per channel. */
  rgba: Buffer
}

export function decodePng(png: Uint8Array): DecodedPng {
  const { width, height, data } = PNG.sync.read(Buffer.from(png))
  return { width, height, rgba: data }
}

/** A PNG made ready for a PDF: its size, its RGB samples and its alpha channel, each Flate-compressed. */
export interface PdfImage {
  width: number
  height: number
  rgb: Uint8Array
  alpha: Uint8Array
}

/** The few images a signature shows (the seal, the leaders' signatures), by SHA-256 of the PNG. */
const pdfImages = new Map<string, PdfImage>()
const PDF_IMAGES_KEPT = 8

/**
 * The PNG decoded, split and compressed for a PDF — once per distinct image: the agency seal goes on
 * every document, and doing this again cost ~30 ms of CPU per seal. The result is shared: never change it.
 */
export function pdfImageOf(png: Uint8Array): PdfImage {
  const key = createHash('sha256').update(png).digest('hex')
  const known = pdfImages.get(key)
  if (known) return known
  const image = decodePng(png)
  const pixels = image.width * image.height
  const rgb = Buffer.alloc(pixels * 3)
  const alpha = Buffer.alloc(pixels)
  for (let i = 0; i < pixels; i++) {
    image.rgba.copy(rgb, i * 3, i * 4, i * 4 + 3)
    alpha[i] = image.rgba[i * 4 + 3]!
  }
  const prepared = {
    width: image.width,
    height: image.height,
    rgb: deflateSync(rgb),
    alpha: deflateSync(alpha),
  }
  pdfImages.set(key, prepared)
  // A Map iterates in insertion order: the first key is the oldest image.
  for (const old of pdfImages.keys()) {
    if (pdfImages.size <= PDF_IMAGES_KEPT) break
    pdfImages.delete(old)
  }
  return prepared
}

/** An RGB image XObject whose transparency is kept as a soft mask (/SMask), both Flate-compressed. */
export function registerImage(ctx: AppearanceContext, image: PdfImage): PDFRef {
  const common = {
    Type: 'XObject',
    Subtype: 'Image',
    Width: image.width,
    Height: image.height,
    BitsPerComponent: 8,
  }
  const mask = ctx.register(deflatedStream(ctx.context, image.alpha, { ...common, ColorSpace: 'DeviceGray' }))
  return ctx.register(
    deflatedStream(ctx.context, image.rgb, { ...common, ColorSpace: 'DeviceRGB', SMask: mask }),
  )
}

/** The normal appearance: the image stretched over the whole widget (callers keep its aspect ratio). */
export function imageForm(ctx: AppearanceContext, image: PdfImage): PDFStream {
  const { width, height } = ctx
  const content = `q ${fmt(width)} 0 0 ${fmt(height)} 0 0 cm /Img Do Q`
  return nativeFlateStream(ctx.context, content, {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, width, height],
    Resources: { XObject: { Img: registerImage(ctx, image) } },
  })
}

/** The largest rectangle with the image's aspect ratio that fits in `box`, centred in it. */
export function fitCentred(image: { width: number; height: number }, box: Rect): Rect {
  const [x1, y1, x2, y2] = box
  const scale = Math.min((x2 - x1) / image.width, (y2 - y1) / image.height)
  const w = image.width * scale
  const h = image.height * scale
  const x = (x1 + x2 - w) / 2
  const y = (y1 + y2 - h) / 2
  return [x, y, x + w, y + h].map(round2) as Rect
}

export const round2 = (n: number) => Math.round(n * 100) / 100
export const fmt = (n: number) => String(round2(n))
