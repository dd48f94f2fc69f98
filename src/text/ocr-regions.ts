import { twoColumnRegions } from './layout.ts'
import { ocrBoxes } from './ocr-page.ts'
import type { OcrPageResult, OcrPool, OcrWord } from './ocr-pool.ts'

export type Rectangle = { left: number; top: number; width: number; height: number }
export interface ColumnRectangle {
  rectangle: Rectangle
  side: 'left' | 'right'
}

/**
 * Reads each column of the page's two-column regions (header, closing block) again on its own.
 * Tesseract's page layout analysis lets a signature or seal in the right column pull the small-type
 * Nơi nhận list apart; restricted to one column it reads the list as lines. A column's new words replace
 * the first pass's words there when tesseract is at least as confident about them.
 */
export async function rereadColumns(
  ocr: OcrPool,
  image: Uint8Array,
  first: OcrPageResult,
  pageIndex: number,
  size: { width: number; height: number },
): Promise<OcrPageResult> {
  let words = first.words
  for (const column of columnRectangles(first, pageIndex, size)) {
    const again = await ocr.recognize({ image, rectangle: column.rectangle })
    words = mergeColumn(words, column, again.words)
  }
  return { ...first, words }
}

export function columnRectangles(
  first: OcrPageResult,
  pageIndex: number,
  size: { width: number; height: number },
): ColumnRectangle[] {
  const kept = ocrBoxes(first)
  return twoColumnRegions(kept.boxes, { dropPageNumber: pageIndex > 0 }).flatMap((region) =>
    (['left', 'right'] as const).flatMap((side) => {
      const words = region[side].map((id) => kept.words[id]!)
      return words.length ? [{ side, rectangle: columnRectangle(words, size) }] : []
    }),
  )
}

export function mergeColumn(words: OcrWord[], column: ColumnRectangle, again: OcrWord[]): OcrWord[] {
  const inside = (word: OcrWord) => contains(column.rectangle, word)
  const before = words.filter(inside)
  const after = again.filter(inside)
  if (after.length === 0 || meanConfidence(after) < meanConfidence(before)) return words
  return [...words.filter((word) => !inside(word)), ...after]
}

function columnRectangle(words: OcrWord[], size: { width: number; height: number }): Rectangle {
  const pad = Math.max(...words.map((word) => word.lineHeight)) * 0.5
  const left = Math.max(0, Math.floor(Math.min(...words.map((w) => w.x0)) - pad))
  const top = Math.max(0, Math.floor(Math.min(...words.map((w) => w.y0)) - pad))
  const right = Math.min(size.width, Math.ceil(Math.max(...words.map((w) => w.x1)) + pad))
  const bottom = Math.min(size.height, Math.ceil(Math.max(...words.map((w) => w.y1)) + pad))
  return { left, top, width: right - left, height: bottom - top }
}

function contains(rectangle: Rectangle, word: OcrWord): boolean {
  const x = (word.x0 + word.x1) / 2
  const y = (word.y0 + word.y1) / 2
  return (
    x >= rectangle.left &&
    x <= rectangle.left + rectangle.width &&
    y >= rectangle.top &&
    y <= rectangle.top + rectangle.height
  )
}

function meanConfidence(words: OcrWord[]): number {
  return words.length ? words.reduce((sum, word) => sum + word.confidence, 0) / words.length : 0
}
