/**
 * Trích sao: the pages a clerk types, as the copies API takes them (1-based, each once):
 * "1, 3-4" → [1, 3, 4]; null when it is not a list of pages.
 */
export function parsePages(text: string): number[] | null {
  const pages: number[] = []
  for (const part of text.split(/[,;\s]+/).filter(Boolean)) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part)
    if (!range) return null
    const from = Number(range[1])
    const to = Number(range[2] ?? range[1])
    if (from < 1 || to < from || to - from > 1000) return null
    for (let page = from; page <= to; page++) pages.push(page)
  }
  return pages.length > 0 ? [...new Set(pages)] : null
}
