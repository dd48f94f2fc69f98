import { fold, type QueryTerm } from './search-text.ts'
import { escapeHtml } from '../platform/html.ts'

/**
 * The text folded character by character, with where each folded character came from: Vietnamese
 * letters fold one to one, but a few characters (ligatures) fold to two, so offsets are mapped, not assumed.
 */
function foldWithOffsets(text: string): { folded: string; origin: number[] } {
  let folded = ''
  const origin: number[] = []
  for (let i = 0; i < text.length; i++) {
    const piece = foldChar(text[i]!)
    folded += piece
    for (let k = 0; k < piece.length; k++) origin.push(i)
  }
  origin.push(text.length)
  return { folded, origin }
}

/**
 * fold() of one character, remembered: a page of snippets is folded character by character, and two
 * Unicode normalisations per character cost more than the whole database side of a search (a page of
 * 20 hits folded ~40 pages). Texts use a few hundred distinct characters; the memory is bounded anyway.
 */
const foldedChars = new Map<string, string>()
function foldChar(char: string): string {
  let folded = foldedChars.get(char)
  if (folded === undefined) {
    folded = fold(char)
    if (foldedChars.size < 20_000) foldedChars.set(char, folded)
  }
  return folded
}

type Range = [start: number, end: number]

/** Where the terms occur in the text (offsets into the original text), in order, not overlapping. */
export function matchRanges(text: string, terms: QueryTerm[]): Range[] {
  const { folded, origin } = foldWithOffsets(text)
  const ranges: Range[] = []
  const words = [...folded.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({
    word: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }))
  for (const term of terms) {
    if (term.kind === 'word') {
      for (const w of words) {
        if (w.word === term.folded || (term.prefix && w.word.startsWith(term.folded)))
          ranges.push([w.start, w.end])
      }
    } else if (term.kind === 'phrase') {
      for (let i = 0; i + term.words.length <= words.length; i++) {
        if (term.words.every((word, k) => words[i + k]!.word === word)) {
          ranges.push([words[i]!.start, words[i + term.words.length - 1]!.end])
        }
      }
    } else {
      let from = folded.indexOf(term.folded)
      while (from >= 0) {
        const end = from + term.folded.length
        const boundedLeft = from === 0 || !/[\p{L}\p{N}]/u.test(folded[from - 1]!)
        const boundedRight = end === folded.length || !/[\p{L}\p{N}]/u.test(folded[end]!)
        if (boundedLeft && boundedRight) ranges.push([from, end])
        from = folded.indexOf(term.folded, end)
      }
    }
  }
  return merge(ranges.map(([start, end]) => [origin[start]!, origin[end]!] as Range))
}

function merge(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || b[1] - a[1])
  const merged: Range[] = []
  for (const range of sorted) {
    const last = merged.at(-1)
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1])
    else merged.push([...range])
  }
  return merged
}

const WINDOW = 220

/**
 * A fragment of a page around its densest cluster of matches, HTML-escaped, with `<mark>` around each
 * match; undefined when nothing on the page matches.
 */
export function highlight(text: string, terms: QueryTerm[], window = WINDOW): string | undefined {
  const clean = text.replace(/\s+/g, ' ').trim()
  const ranges = matchRanges(clean, terms)
  if (ranges.length === 0) return undefined
  let best = 0
  let bestCount = 0
  for (let i = 0; i < ranges.length; i++) {
    let count = 0
    const distinct = new Set<string>()
    for (let k = i; k < ranges.length && ranges[k]![1] - ranges[i]![0] <= window; k++) {
      count++
      distinct.add(fold(clean.slice(ranges[k]![0], ranges[k]![1])))
    }
    const weight = distinct.size * 10 + count
    if (weight > bestCount) {
      bestCount = weight
      best = i
    }
  }
  const first = ranges[best]!
  const lead = Math.max(0, Math.floor((window - (first[1] - first[0])) / 4))
  let start = Math.max(0, first[0] - lead)
  if (start > 0) start = wordStartAfter(clean, start, first[0])
  let end = Math.min(clean.length, start + window)
  if (end < clean.length) end = wordEndBefore(clean, end, first[1])
  let html = start > 0 ? '…' : ''
  let at = start
  for (const [from, to] of ranges) {
    if (to <= start || from >= end) continue
    const a = Math.max(from, start)
    const b = Math.min(to, end)
    html += `${escapeHtml(clean.slice(at, a))}<mark>${escapeHtml(clean.slice(a, b))}</mark>`
    at = b
  }
  html += escapeHtml(clean.slice(at, end))
  if (end < clean.length) html += '…'
  return html
}

function wordStartAfter(text: string, index: number, atMost: number): number {
  const space = text.indexOf(' ', index)
  return space >= 0 && space + 1 <= atMost ? space + 1 : index
}

function wordEndBefore(text: string, index: number, atLeast: number): number {
  const space = text.lastIndexOf(' ', index)
  return space > atLeast ? space : index
}
