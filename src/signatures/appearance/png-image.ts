import { PNG } from 'pngjs'
import type { PDFRef, PDFStream } from 'pdf-lib'
import type { AppearanceContext, Rect } from '../../pades/pdf/index.ts'
import { nativeFlateStream } from '../../pades/pdf/native-flate.ts'

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

/** An RGB image XObject whose transparency is kept as a soft mask (/SMask), both Flate-compressed. */
export function registerImage(ctx: AppearanceContext, image: DecodedPng): PDFRef {
  const pixels = image.width * image.height
  const rgb = Buffer.alloc(pixels * 3)
  const alpha = Buffer.alloc(pixels)
  for (let i = 0; i < pixels; i++) {
    image.rgba.copy(rgb, i * 3, i * 4, i * 4 + 3)
    alpha[i] = image.rgba[i * 4 + 3]!
  }
  const common = {
    Type: 'XObject',
    Subtype: 'Image',
    Width: image.width,
    Height: image.height,
    BitsPerComponent: 8,
  }
  const mask = ctx.register(nativeFlateStream(ctx.context, alpha, { ...common, ColorSpace: 'DeviceGray' }))
  return ctx.register(
    nativeFlateStream(ctx.context, rgb, { ...common, ColorSpace: 'DeviceRGB', SMask: mask }),
  )
}

/** The normal appearance: the image stretched over the whole widget (callers keep its aspect ratio). */
export function imageForm(ctx: AppearanceContext, image: DecodedPng): PDFStream {
  const { width, height } = ctx
  const content = `q ${fmt(width)} 0 0 ${fmt(height)} 0 0 cm /Img Do Q`
  return ctx.context.flateStream(content, {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, width, height],
    Resources: { XObject: { Img: registerImage(ctx, image) } },
  })
}

/** The largest rectangle with the image's aspect ratio that fits in `box`, centred in it. */
export function fitCentred(image: DecodedPng, box: Rect): Rect {
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
