import type { TextItem } from 'pdfjs-dist/types/src/display/api.js'
import { openPdf } from '../../text/pdf-document.ts'
import type { Rect } from '../../pades/pdf/index.ts'

/** One printed line in page space (points, y up): baseline `y`, font size `size`. */
export interface TextLine {
  text: string
  x0: number
  x1: number
  y: number
  size: number
}

export interface SignerBlock {
  pageIndex: number
  /** The last title line (chức vụ, e.g. "PHÓ CHỦ TỊCH") and the printed name below the blank space. */
  title: TextLine
  name: TextLine
  /** The blank space between them, as wide as the wider of the two lines. */
  gap: Rect
}

// Glyph extent around the baseline, as fractions of the font size (serif fonts; diacritics above caps fit in 0.95).
const ASCENT = 0.95
const DESCENT = 0.25
// The signature space is several lines high; less is ordinary line spacing.
const MIN_GAP_LINES = 2.5

const top = (line: TextLine) => line.y + ASCENT * line.size
const bottom = (line: TextLine) => line.y - DESCENT * line.size
const centre = (line: TextLine) => (line.x0 + line.x1) / 2
const isUpper = (text: string) => /\p{Lu}/u.test(text) && text === text.toLocaleUpperCase('vi')
const hasLower = (text: string) => /\p{Ll}/u.test(text)

/** Text lines of a page: items on one baseline and close together are joined. */
export function pageLines(items: readonly TextItem[]): TextLine[] {
  const boxes = items
    .filter((item) => item.str.trim() !== '')
    .map((item) => {
      const size = Math.hypot(item.transform[2] as number, item.transform[3] as number) || item.height
      const x0 = item.transform[4] as number
      return {
        text: item.str.normalize('NFC'),
        x0,
        x1: x0 + item.width,
        y: item.transform[5] as number,
        size,
      }
    })
    .sort((a, b) => b.y - a.y || a.x0 - b.x0)
  const lines: TextLine[] = []
  for (const box of boxes) {
    const line = lines.find(
      (l) => Math.abs(l.y - box.y) < 0.4 * l.size && box.x0 - l.x1 < 1.5 * l.size && box.x0 >= l.x0,
    )
    if (!line) {
      lines.push({ ...box })
      continue
    }
    line.text += (box.x0 - line.x1 > 0.15 * line.size ? ' ' : '') + box.text
    line.x1 = Math.max(line.x1, box.x1)
  }
  return lines
}

/**
 * The signature block at the bottom right of a page: an upper-case title line in the right half,
 * then a blank space several lines high, then the name (mixed case) centred under it. The lowest such
 * pair wins. Undefined when the page has none (a scan, or an unusual layout: pass a placement then).
 */
export function findSignerBlockOnPage(
  lines: readonly TextLine[],
  pageBox: Rect,
): Omit<SignerBlock, 'pageIndex'> | undefined {
  const middle = (pageBox[0] + pageBox[2]) / 2
  const right = lines.filter((line) => centre(line) > middle).sort((a, b) => b.y - a.y)
  for (let i = right.length - 2; i >= 0; i--) {
    const title = right[i]!
    const name = right[i + 1]!
    const gap = bottom(title) - top(name)
    const aligned =
      Math.abs(centre(title) - centre(name)) < Math.max(title.x1 - title.x0, name.x1 - name.x0) / 2
    if (gap < MIN_GAP_LINES * title.size || !aligned || !isUpper(title.text) || !hasLower(name.text)) continue
    const x0 = Math.min(title.x0, name.x0)
    const x1 = Math.max(title.x1, name.x1)
    return { title, name, gap: [x0, top(name), x1, bottom(title)] }
  }
  return undefined
}

/** Looks for the signer block on the last page (where ND30 puts it). */
export async function findSignerBlock(pdfBytes: Uint8Array): Promise<SignerBlock | undefined> {
  const doc = await openPdf(pdfBytes)
  try {
    const pageIndex = doc.numPages - 1
    const page = await doc.getPage(pageIndex + 1)
    const content = await page.getTextContent()
    const items = content.items.filter((item): item is TextItem => 'str' in item)
    const found = findSignerBlockOnPage(pageLines(items), page.view as Rect)
    return found && { pageIndex, ...found }
  } finally {
    await doc.destroy()
  }
}

/** Size of a page (its crop box as pdfjs sees it), for placing stamps. */
export async function pageBox(pdfBytes: Uint8Array, pageIndex: number): Promise<Rect> {
  const doc = await openPdf(pdfBytes)
  try {
    return (await doc.getPage(pageIndex + 1)).view as Rect
  } finally {
    await doc.destroy()
  }
}
