/**
 * Reading order for one page of an administrative document (Nghị định 30/2020 layout), from positioned
 * pieces of text: PDF text items or OCR lines. Coordinates are page units with y growing downwards;
 * `y` is the baseline and `height` the font (or glyph box) height.
 *
 * Lines are built by baseline, split into segments at wide horizontal gaps, and the two-column regions
 * (header: agency | motto, Số | date; closing: Nơi nhận | signer) are read as blocks: each column is
 * cut into blocks at vertical gaps, and blocks are read top-down, left before right when they start
 * together. That yields the corpus reading order: the header row by row, the Nơi nhận list before the
 * signer block, and a biên bản's titles before its names.
 */
export interface TextBox {
  text: string
  x0: number
  x1: number
  y: number
  height: number
  /** Caller's identifiers of the pieces a box was merged from (OCR word indices). */
  ids?: number[]
}

export interface LayoutOptions {
  /** Page 2 and later: a lone number on the top line is a page number, not text. */
  dropPageNumber?: boolean
}

interface Row {
  y: number
  height: number
  segments: TextBox[]
}

// A horizontal gap wider than this many line heights separates two columns.
const COLUMN_GAP = 2
// Consecutive lines of one column further apart than this many line heights start a new block.
const BLOCK_GAP = 1.6
// Header lines that are always a cell of their own (ND30: số, ký hiệu; a công văn's trích yếu).
// Not \b: it only knows ASCII letters, and "Số" ends in one it does not.
const OWN_BLOCK = /^(Số|V\/v)(?![\p{L}\p{N}])/u
const PAGE_NUMBER = /^[-–\s]*\d{1,4}[-–\s]*$/u

/** The page's text in reading order, one line per printed line. */
export function readingOrder(boxes: readonly TextBox[], options: LayoutOptions = {}): string {
  const lines: string[] = []
  for (const region of pageRegions(boxes, options)) {
    if (region.columns) lines.push(...readColumns(region.rows, region.columns))
    else for (const row of region.rows) lines.push(row.segments.map((s) => s.text).join(' '))
  }
  return lines.join('\n')
}

function pageRegions(boxes: readonly TextBox[], options: LayoutOptions): Region[] {
  let rows = buildRows(boxes.filter((box) => box.text.trim() !== ''))
  const top = rows[0]?.segments
  if (options.dropPageNumber && top?.length === 1 && PAGE_NUMBER.test(top[0]!.text)) rows = rows.slice(1)
  return splitRegions(rows)
}

/**
 * The two-column regions of a page (header, closing block), each as the ids of the boxes in its left and
 * right column: OCR reads each column again on its own, away from the other column's lines.
 */
export function twoColumnRegions(boxes: readonly TextBox[], options: LayoutOptions = {}) {
  return pageRegions(boxes, options).flatMap((region) => {
    const columns = region.columns
    if (!columns) return []
    const sides = { left: [] as number[], right: [] as number[] }
    for (const row of region.rows) {
      for (const segment of row.segments) sides[sideIn(segment, columns)].push(...(segment.ids ?? []))
    }
    return [sides]
  })
}

/** Groups boxes into rows by baseline, then splits each row at column-wide gaps. */
export function buildRows(boxes: readonly TextBox[]): Row[] {
  const sorted = [...boxes].sort((a, b) => a.y - b.y || a.x0 - b.x0)
  const groups: TextBox[][] = []
  for (const box of sorted) {
    const last = groups.at(-1)
    const ref = last?.[0]
    if (ref && Math.abs(box.y - ref.y) <= Math.min(ref.height, box.height) * 0.5) last.push(box)
    else groups.push([box])
  }
  return groups.map((group) => {
    const height = median(group.map((b) => b.height))
    return { y: group[0]!.y, height, segments: segmentsOf(group, height) }
  })
}

function segmentsOf(group: TextBox[], height: number): TextBox[] {
  const byX = [...group].sort((a, b) => a.x0 - b.x0)
  const segments: TextBox[] = []
  for (const box of byX) {
    const last = segments.at(-1)
    if (last && box.x0 - last.x1 <= height * COLUMN_GAP) {
      last.text = joinPieces(last.text, box.text, box.x0 - last.x1, height)
      last.x1 = Math.max(last.x1, box.x1)
      last.height = Math.max(last.height, box.height)
      if (box.ids) last.ids = [...(last.ids ?? []), ...box.ids]
    } else {
      segments.push({ ...box, text: box.text, ...(box.ids ? { ids: [...box.ids] } : {}) })
    }
  }
  for (const s of segments) s.text = s.text.replace(/\s+/gu, ' ').trim()
  return segments.filter((s) => s.text !== '')
}

// PDF items split words at style changes (bold "Điều 1." then the rest): only a visible gap is a space.
function joinPieces(left: string, right: string, gap: number, height: number): string {
  if (/\s$/u.test(left) || /^\s/u.test(right) || gap < height * 0.15) return left + right
  return `${left} ${right}`
}

interface Region {
  rows: Row[]
  /** Where the left column ends and the right one starts, for two-column regions. */
  columns?: { leftEnd: number; rightStart: number }
}

/**
 * Cuts the page into full-width runs and two-column regions. A region grows from rows with exactly two
 * segments to the neighbouring rows that fit in one column: downwards without limit (a signature leaves
 * a tall gap above the signer's name), upwards only across a normal line gap.
 */
export function splitRegions(rows: readonly Row[]): Region[] {
  const columnsAt = rows.map((row) =>
    row.segments.length === 2 ? { leftEnd: row.segments[0]!.x1, rightStart: row.segments[1]!.x0 } : undefined,
  )
  const regionOf = new Array<number>(rows.length).fill(-1)
  const regions: Region[] = []
  for (let i = 0; i < rows.length; i++) {
    const seed = columnsAt[i]
    if (!seed || regionOf[i] !== -1) continue
    const columns = { ...seed }
    const members = [i]
    // A row continues the region when none of its pieces straddles the column gap (OCR adds stray
    // pieces from a signature or seal, so a row may have more than two).
    const fits = (row: Row) => row.segments.every((segment) => sideOf(segment, columns) !== undefined)
    for (let j = i + 1; j < rows.length; j++) {
      const two = columnsAt[j]
      if (two) {
        columns.leftEnd = Math.max(columns.leftEnd, two.leftEnd)
        columns.rightStart = Math.min(columns.rightStart, two.rightStart)
      } else if (!fits(rows[j]!)) break
      members.push(j)
    }
    for (let j = i - 1; j >= 0 && regionOf[j] === -1; j--) {
      const below = rows[members[0]!]!
      if (!fits(rows[j]!) || below.y - rows[j]!.y > below.height * 1.6) break
      members.unshift(j)
    }
    const index = regions.length
    for (const m of members) regionOf[m] = index
    regions.push({ rows: members.map((m) => rows[m]!), columns })
  }
  const ordered: Region[] = []
  let current = -2
  for (const [i, row] of rows.entries()) {
    const index = regionOf[i]!
    if (index === -1) ordered.push({ rows: [row] })
    else if (index !== current) ordered.push(regions[index]!)
    current = index
  }
  return ordered
}

function sideOf(
  box: TextBox,
  columns: { leftEnd: number; rightStart: number },
): 'left' | 'right' | undefined {
  const split = (columns.leftEnd + columns.rightStart) / 2
  const centre = (box.x0 + box.x1) / 2
  const slack = box.height
  if (centre < split && box.x1 <= columns.rightStart + slack) return 'left'
  if (centre >= split && box.x0 >= columns.leftEnd - slack) return 'right'
  return undefined
}

function sideIn(box: TextBox, columns: { leftEnd: number; rightStart: number }): 'left' | 'right' {
  return sideOf(box, columns) ?? (box.x0 < columns.rightStart ? 'left' : 'right')
}

interface Block {
  side: 'left' | 'right'
  top: number
  lines: TextBox[]
}

/** Reads a two-column region as blocks, top-down; a left block goes first when both start together. */
function readColumns(rows: readonly Row[], columns: { leftEnd: number; rightStart: number }): string[] {
  const blocks: Block[] = []
  const open: Partial<Record<'left' | 'right', Block>> = {}
  for (const row of rows) {
    // The Số line and the date beside it are a grid row of the header: both start a new cell.
    const gridRow = row.segments.some((segment) => OWN_BLOCK.test(segment.text))
    for (const segment of row.segments) {
      const side = sideIn(segment, columns)
      const block = open[side]
      const previous = block?.lines.at(-1)
      const height = Math.max(segment.height, previous?.height ?? 0)
      const sameBlock =
        previous !== undefined &&
        !gridRow &&
        segment.y - previous.y <= height * BLOCK_GAP &&
        !OWN_BLOCK.test(segment.text) &&
        !OWN_BLOCK.test(previous.text)
      if (block && sameBlock) block.lines.push(segment)
      else {
        const created: Block = { side, top: segment.y - segment.height, lines: [segment] }
        blocks.push(created)
        open[side] = created
      }
    }
  }
  const together = (a: Block, b: Block) =>
    Math.abs(a.top - b.top) <= Math.max(a.lines[0]!.height, b.lines[0]!.height)
  blocks.sort((a, b) => {
    if (together(a, b)) return a.side === b.side ? a.top - b.top : a.side === 'left' ? -1 : 1
    return a.top - b.top
  })
  return blocks.flatMap((block) => block.lines.map((line) => line.text))
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}
