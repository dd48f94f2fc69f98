/**
 * Where a draft leaves its number and date blank (ND30 Phụ lục I: "Số:      /QĐ-UBND" under the agency's
 * name, "Hòa Giang, ngày    tháng    năm 2026" under the motto), read from page 1's text layer. Positions
 * inside a text item are shared out by the glyph widths of Liberation Serif (metric-compatible with the
 * Times New Roman drafts are written in), scaled to the item's measured width.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { PDFContext } from 'pdf-lib'
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js'
import type { Rect } from '../pades/pdf/index.ts'
import { PROJECT_ROOT } from '../platform/paths.ts'
import { EmbeddedTrueType } from '../registers/truetype.ts'
import { openPdf } from '../text/pdf-document.ts'

export type NumberFieldRole = 'number' | 'day' | 'month' | 'year'

export interface FoundPlace {
  role: NumberFieldRole
  rect: Rect
  /** The printed line's font size: the value is drawn at it. */
  fontSize: number
}

interface PlacedChar {
  ch: string
  x0: number
  x1: number
}

interface Line {
  y: number
  size: number
  chars: PlacedChar[]
}

// Glyph extent around the baseline, as fractions of the size (as the signer block uses).
const ASCENT = 0.95
const DESCENT = 0.25
const FILLER = /^[\s.…_\u00a0]$/u

let metrics: EmbeddedTrueType | undefined
function glyphWidth(ch: string): number {
  metrics ??= new EmbeddedTrueType(
    PDFContext.create(),
    readFileSync(path.join(PROJECT_ROOT, 'src', 'registers', 'fonts', 'LiberationSerif-Regular.ttf')),
    'LiberationSerif',
  )
  return metrics.widthOf(ch, 1) || 0.5
}

/** Text items on one baseline, left to right, with a position for every character. */
export function linesOf(items: readonly TextItem[]): Line[] {
  const boxes = items
    .filter((item) => item.str.trim() !== '')
    .map((item) => ({
      text: item.str.normalize('NFC'),
      x0: item.transform[4] as number,
      width: item.width,
      y: item.transform[5] as number,
      size: Math.hypot(item.transform[2] as number, item.transform[3] as number) || item.height,
    }))
    .sort((a, b) => b.y - a.y || a.x0 - b.x0)
  const lines: Line[] = []
  for (const box of boxes) {
    let line = lines.find((l) => Math.abs(l.y - box.y) < 0.4 * l.size)
    if (!line) {
      line = { y: box.y, size: box.size, chars: [] }
      lines.push(line)
    }
    const chars = [...box.text]
    const widths = chars.map(glyphWidth)
    const total = widths.reduce((a, b) => a + b, 0) || 1
    let x = box.x0
    chars.forEach((ch, i) => {
      const w = (widths[i]! / total) * box.width
      line.chars.push({ ch, x0: x, x1: x + w })
      x += w
    })
  }
  for (const line of lines) {
    line.chars.sort((a, b) => a.x0 - b.x0)
    // Gaps between items read as spaces, so the words can be matched.
    const spaced: PlacedChar[] = []
    for (const char of line.chars) {
      const last = spaced.at(-1)
      if (last && char.x0 - last.x1 > 0.15 * line.size) spaced.push({ ch: ' ', x0: last.x1, x1: char.x0 })
      spaced.push(char)
    }
    line.chars = spaced
  }
  return lines
}

const textOf = (line: Line) => line.chars.map((c) => c.ch).join('')

function rectBetween(line: Line, x0: number, x1: number): Rect {
  return [x0, line.y - DESCENT * line.size, x1, line.y + ASCENT * line.size].map(
    (n) => Math.round(n * 100) / 100,
  ) as Rect
}

/** The blank after "Số:" up to the printed "/…" of the notation; none when a number is printed there. */
export function numberPlace(line: Line): FoundPlace | undefined {
  const text = textOf(line)
  const match = /Số\s*:/u.exec(text)
  if (!match) return undefined
  const colon = match.index + match[0].length - 1
  let k = colon + 1
  while (k < line.chars.length && FILLER.test(line.chars[k]!.ch)) k++
  const start = line.chars[colon]!.x1 + 0.5
  const next = line.chars[k]
  if (next && next.ch !== '/') return undefined
  const end = next ? next.x0 - 0.3 : start + 3.5 * line.size
  if (end - start < 1.2 * line.size) return undefined
  return { role: 'number', rect: rectBetween(line, start, end), fontSize: line.size }
}

/** The blanks of "ngày … tháng … năm …": day and month, and the year when it is not printed. */
export function datePlaces(line: Line): FoundPlace[] {
  const text = textOf(line)
  const match = /(ngày)([\s.…_\u00a0]*)(tháng)([\s.…_\u00a0]*)(năm)([\s.…_\u00a0]*)(\d{4})?/iu.exec(text)
  if (!match) return []
  const at = (offset: number) => line.chars[offset]!
  const places: FoundPlace[] = []
  let offset = match.index
  const groups = match.slice(1)
  const starts: number[] = []
  for (const group of groups) {
    starts.push(offset)
    offset += [...(group ?? '')].length
  }
  const blank = (role: NumberFieldRole, wordEnd: number, nextStart: number | undefined, minWidth: number) => {
    const x0 = at(wordEnd).x1 + 0.5
    const x1 = nextStart === undefined ? x0 + minWidth : at(nextStart).x0 - 0.5
    if (x1 - x0 >= Math.min(minWidth, 1.1 * line.size))
      places.push({ role, rect: rectBetween(line, x0, x1), fontSize: line.size })
  }
  const end = (group: number) => starts[group]! + [...(groups[group] ?? '')].length - 1
  if ((groups[1] ?? '').length > 0) blank('day', end(0), starts[2], line.size * 1.3)
  if ((groups[3] ?? '').length > 0) blank('month', end(2), starts[4], line.size * 1.3)
  if (!groups[6]) {
    const following = starts[6]! < line.chars.length ? starts[6] : undefined
    blank('year', end(4), following, line.size * 2.4)
  }
  return places
}

/** Both places on page 1 (only its top half, where ND30 puts them); empty when the layer has none. */
export async function findNumberPlaces(pdf: Uint8Array): Promise<FoundPlace[]> {
  const doc = await openPdf(pdf)
  try {
    const page = await doc.getPage(1)
    const [, y0, , y1] = page.view as Rect
    const content = await page.getTextContent()
    const items = content.items.filter((item): item is TextItem => 'str' in item)
    const top = linesOf(items).filter((line) => line.y > (y0 + y1) / 2)
    const number = top.map(numberPlace).find(Boolean)
    const date = top.map(datePlaces).find((found) => found.length > 0) ?? []
    return [...(number ? [number] : []), ...date]
  } finally {
    await doc.destroy()
  }
}
