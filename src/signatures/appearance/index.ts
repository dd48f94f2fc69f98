/**
 * Visible signature appearances after ND30 Phụ lục I: the leader's blue signature image in the signer
 * block (box 7c), the agency's red seal over the left third of it (box 8), and the image-less text stamp
 * of the agency at the top right of page 1 (boxes 14 and attachments). Each returns what
 * prepareSignature takes as `pageIndex` and `appearance`.
 */
import { PdfUpdateError, type Rect, type SignatureAppearance } from '../../pades/pdf/index.ts'
import { fitCentred, imageForm, pdfImageOf, round2 } from './png-image.ts'
import { findSignerBlock, pageBox, type SignerBlock } from './signer-block.ts'
import { measureStamp, stampFontBytes, textStampForm } from './text-stamp.ts'
import { vietnamIsoTime } from './vietnam-time.ts'

export { findSignerBlock, type SignerBlock } from './signer-block.ts'
export { vietnamIsoTime }

export interface PlacedAppearance {
  pageIndex: number
  appearance: SignatureAppearance
}

export interface LeaderPlacement {
  pageIndex: number
  /** Where the image may go (page space, points); it is fitted inside, keeping its aspect ratio. */
  rect: Rect
}

/** 36 mm: ND30 wants the seal at actual size, and agency seals are 35–40 mm across. */
export const SEAL_DIAMETER_MM = 36
const POINTS_PER_MM = 72 / 25.4
// The image leaves a little of the blank space free above and below; signatures are wide, not tall.
const GAP_FILL = 0.86
const MAX_ASPECT = 2.6

export class SignerBlockNotFoundError extends PdfUpdateError {}

/** The leader's image centred between the title line and the printed name (found on the last page, or given). */
export async function leaderAppearance(
  pdfBytes: Uint8Array,
  options: { image: Uint8Array; placement?: LeaderPlacement },
): Promise<PlacedAppearance & { block?: SignerBlock }> {
  const image = pdfImageOf(options.image)
  let placement = options.placement
  let block: SignerBlock | undefined
  if (!placement) {
    block = await findSignerBlock(pdfBytes)
    if (!block)
      throw new SignerBlockNotFoundError('No signer block (title, blank space, name) on the last page')
    placement = { pageIndex: block.pageIndex, rect: signatureBox(block.gap) }
  }
  const rect = fitCentred(image, placement.rect)
  return {
    pageIndex: placement.pageIndex,
    block,
    appearance: { rect, build: (ctx) => imageForm(ctx, image) },
  }
}

/** The blank space shrunk to the image's share of it, centred where the block's lines are centred. */
function signatureBox([x0, y0, x1, y1]: Rect): Rect {
  const height = (y1 - y0) * GAP_FILL
  const width = Math.min(x1 - x0 + height, height * MAX_ASPECT)
  const cx = (x0 + x1) / 2
  const cy = (y0 + y1) / 2
  return [cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2]
}

/**
 * The seal at actual size, its right edge a third of the way into the leader's image, centred on it
 * vertically (ND30: the seal covers about the left third of the signature).
 */
export function agencySealAppearance(
  _pdfBytes: Uint8Array,
  options: { leaderRect: Rect; pageIndex: number; sealPng: Uint8Array; diameterMm?: number },
): PlacedAppearance {
  const image = pdfImageOf(options.sealPng)
  const [x0, y0, x1, y1] = options.leaderRect
  const diameter = (options.diameterMm ?? SEAL_DIAMETER_MM) * POINTS_PER_MM
  const right = x0 + (x1 - x0) / 3
  const cy = (y0 + y1) / 2
  const square: Rect = [right - diameter, cy - diameter / 2, right, cy + diameter / 2]
  const rect = fitCentred(image, square)
  return { pageIndex: options.pageIndex, appearance: { rect, build: (ctx) => imageForm(ctx, image) } }
}

/** Distance of the stamp from the top and right edges of page 1, in points (inside the page margin). */
const STAMP_INSET = 20

/**
 * The agency's image-less signature on an electronic copy or a separate attachment: the lines (số và
 * ký hiệu or the copy form, agency, ISO 8601 time) right-aligned at the top right of page 1.
 */
export async function textStampAppearance(
  pdfBytes: Uint8Array,
  options: { lines: readonly string[]; fontSize?: number; pageIndex?: number },
): Promise<PlacedAppearance> {
  const pageIndex = options.pageIndex ?? 0
  const fontSize = options.fontSize ?? 10
  const lines = options.lines.map((line) => line.normalize('NFC'))
  const font = await stampFontBytes()
  const { width, height } = measureStamp(font, lines, fontSize)
  const [, , right, top] = await pageBox(pdfBytes, pageIndex)
  const rect = [
    right - STAMP_INSET - width,
    top - STAMP_INSET - height,
    right - STAMP_INSET,
    top - STAMP_INSET,
  ].map(round2) as Rect
  return { pageIndex, appearance: { rect, build: (ctx) => textStampForm(ctx, font, lines, fontSize) } }
}

export type CopyForm = 'SAO Y' | 'SAO LỤC' | 'TRÍCH SAO'

/**
 * The stamp's lines after ND30 Phụ lục I: a separate attachment file shows the document's số và ký hiệu
 * and the signing time; an electronic copy shows the copy form, the copying agency and the time. Times
 * are ISO 8601 with +07:00.
 */
export function agencyStampLines(
  input: { numberNotation: string; signedAt: Date } | { copyForm: CopyForm; agency: string; signedAt: Date },
): string[] {
  const time = vietnamIsoTime(input.signedAt)
  return 'copyForm' in input ? [input.copyForm, input.agency, time] : [input.numberNotation, time]
}
