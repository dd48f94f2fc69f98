import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'

/**
 * The text layer of chosen PDF pages as lines in reading order. Rows are items sharing a baseline; a row is
 * cut where a wide gap separates two columns, and a run of two-column rows (the header grid, the closing
 * block: Nơi nhận on the left, the signer on the right) is read column by column. A vertical gap wider than
 * a line and a half becomes an empty line (a paragraph break), so trích yếu and body stay apart.
 */

interface Segment {
  x: number
  end: number
  text: string
}
interface Row {
  y: number
  size: number
  segments: Segment[]
}

export interface TextLayer {
  pageCount: number
  /** Text of the requested pages, in the order asked (1-based page numbers). */
  pages: { pageNumber: number; text: string }[]
}

export async function readPdfTextLayer(
  data: Uint8Array,
  pageNumbers: (count: number) => number[],
): Promise<TextLayer> {
  const task = getDocument({
    data,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  })
  const pdf = await task.promise
  try {
    const pages: TextLayer['pages'] = []
    for (const pageNumber of pageNumbers(pdf.numPages)) {
      const page = await pdf.getPage(pageNumber)
      const width = page.view[2]! - page.view[0]!
      const content = await page.getTextContent()
      const items = content.items.flatMap((item) =>
        'str' in item && item.str.trim() !== ''
          ? [
              {
                text: item.str,
                x: item.transform[4] as number,
                y: item.transform[5] as number,
                width: item.width,
                size: Math.abs(item.transform[3] as number) || 10,
              },
            ]
          : [],
      )
      pages.push({ pageNumber, text: layoutText(items, width) })
      page.cleanup()
    }
    return { pageCount: pdf.numPages, pages }
  } finally {
    await task.destroy()
  }
}

type Item = { text: string; x: number; y: number; width: number; size: number }

export function layoutText(items: Item[], pageWidth: number): string {
  const rows: Row[] = []
  for (const item of [...items].sort((a, b) => b.y - a.y || a.x - b.x)) {
    const row = rows.find((r) => Math.abs(r.y - item.y) < Math.max(r.size, item.size) * 0.4)
    const segment = { x: item.x, end: item.x + item.width, text: item.text }
    if (row) row.segments.push(segment)
    else rows.push({ y: item.y, size: item.size, segments: [segment] })
  }
  rows.sort((a, b) => b.y - a.y)
  for (const row of rows) row.segments = mergeSegments(row.segments, row.size)
  const out: string[] = []
  let run: Row[] = []
  const flush = () => {
    if (run.length === 0) return
    const columns = run.some((r) => r.segments.length > 1)
    if (!columns) for (const r of run) out.push(r.segments.map((s) => s.text).join(' '))
    else {
      const middle = pageWidth * 0.45
      const left = run.flatMap((r) => r.segments.filter((s) => s.x < middle))
      const right = run.flatMap((r) => r.segments.filter((s) => s.x >= middle))
      out.push(...left.map((s) => s.text), ...right.map((s) => s.text))
    }
    run = []
  }
  let previous: Row | undefined
  for (const row of rows) {
    const gap = previous ? previous.y - row.y : 0
    // A line crossing the middle of the page (body text, centred titles) is outside any two-column run.
    const wide =
      row.segments.length === 1 &&
      row.segments[0]!.x < pageWidth * 0.45 &&
      row.segments[0]!.end > pageWidth * 0.55
    if (previous && gap > row.size * 1.5) {
      flush()
      out.push('')
    } else if (wide || (run.length > 0 && !run.some((r) => r.segments.length > 1) && row.segments.length > 1))
      flush()
    run.push(row)
    if (wide) flush()
    previous = row
  }
  flush()
  return out.join('\n').replace(/\n{3,}/g, '\n\n')
}

/** Joins a row's items into segments; items further apart than the font size belong to different columns. */
function mergeSegments(segments: Segment[], size: number): Segment[] {
  const sorted = [...segments].sort((a, b) => a.x - b.x)
  const merged: Segment[] = []
  for (const segment of sorted) {
    const last = merged[merged.length - 1]
    if (last && segment.x - last.end < size * 1.5) {
      last.text = `${last.text}${segment.x - last.end > size * 0.15 && !last.text.endsWith(' ') ? ' ' : ''}${segment.text}`
      last.end = segment.end
    } else merged.push({ ...segment })
  }
  return merged.map((s) => ({ ...s, text: s.text.replace(/\s+/g, ' ').trim() }))
}
