import { readFile } from 'node:fs/promises'
import path from 'node:path'
import {
  PDFArray,
  PDFContext,
  PDFDict,
  type PDFObject,
  PDFRawStream,
  PDFRef,
  type PDFStream,
  beginText,
  endText,
  moveText,
  setFillingRgbColor,
  setFontAndSize,
  showText,
} from 'pdf-lib'
import { PROJECT_ROOT } from '../../platform/paths.ts'
import { EmbeddedTrueType } from '../../registers/truetype.ts'
import type { AppearanceContext } from '../../pades/pdf/index.ts'

/** Liberation Serif: metric-compatible with the Times New Roman ND30 asks for, and free to embed. */
const FONT_FILE = path.join(PROJECT_ROOT, 'src', 'registers', 'fonts', 'LiberationSerif-Regular.ttf')
const LEADING = 1.2
export const STAMP_PADDING = 2

let fontBytes: Promise<Buffer> | undefined
export const stampFontBytes = () => {
  fontBytes ??= readFile(FONT_FILE)
  return fontBytes
}

/** Width and height the stamp's lines need at a size, padding included. */
export function measureStamp(font: Buffer, lines: readonly string[], fontSize: number) {
  const metrics = new EmbeddedTrueType(PDFContext.create(), font, 'LiberationSerif')
  const width = Math.max(...lines.map((line) => metrics.widthOf(line, fontSize)))
  return { width: width + 2 * STAMP_PADDING, height: lines.length * fontSize * LEADING + 2 * STAMP_PADDING }
}

/**
 * Black text lines, right-aligned, in a subset of Liberation Serif (Type0/Identity-H with ToUnicode, so
 * the Vietnamese text stays extractable). The font is built in a scratch context by the register
 * exporter's subsetter and then copied into the signature's incremental update.
 */
export function textStampForm(
  ctx: AppearanceContext,
  font: Buffer,
  lines: readonly string[],
  fontSize: number,
): PDFStream {
  const scratch = PDFContext.create()
  const embedded = new EmbeddedTrueType(scratch, font, 'LiberationSerif')
  const operators = [setFillingRgbColor(0, 0, 0)]
  lines.forEach((line, i) => {
    const x = ctx.width - STAMP_PADDING - embedded.widthOf(line, fontSize)
    // Baseline a quarter of the size above the bottom of each line box: room for descenders.
    const y = ctx.height - STAMP_PADDING - (i + 1) * fontSize * LEADING + 0.25 * fontSize
    operators.push(
      beginText(),
      setFontAndSize('F1', fontSize),
      moveText(round(x), round(y)),
      showText(embedded.encode(line)),
      endText(),
    )
  })
  embedded.finish()
  const fontRef = copyObject(embedded.ref, scratch, ctx, new Map())
  const content = operators.map((op) => op.toString()).join('\n')
  return ctx.context.flateStream(content, {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, ctx.width, ctx.height],
    Resources: { Font: { F1: fontRef } },
  })
}

const round = (n: number) => Math.round(n * 100) / 100

/** Deep copy of an object graph from a scratch context, registering every indirect object in the update. */
export function copyObject(
  object: PDFObject,
  from: PDFContext,
  ctx: AppearanceContext,
  copied: Map<number, PDFRef>,
): PDFObject {
  if (object instanceof PDFRef) {
    const done = copied.get(object.objectNumber)
    if (done) return done
    const ref = ctx.register(copyObject(from.lookup(object)!, from, ctx, copied))
    copied.set(object.objectNumber, ref)
    return ref
  }
  if (object instanceof PDFDict) {
    const dict = PDFDict.withContext(ctx.context)
    for (const [key, value] of object.entries()) dict.set(key, copyObject(value, from, ctx, copied))
    return dict
  }
  if (object instanceof PDFArray) {
    const array = PDFArray.withContext(ctx.context)
    for (const value of object.asArray()) array.push(copyObject(value, from, ctx, copied))
    return array
  }
  if (object instanceof PDFRawStream) {
    return PDFRawStream.of(copyObject(object.dict, from, ctx, copied) as PDFDict, object.contents)
  }
  return object
}
