import { fold, type QueryTerm } from './search-text.ts'
import { escapeHtml } from '../platform/html.ts'

/**
 * fold() of each UTF-16 code unit, remembered for the process: 0 = not asked yet, n > 0 = folds to the
 * single code unit n - 1, -1 = folds to another length (combining marks to nothing, a few compatibility
 * ideographs to a surrogate pair), kept in `foldedOther`. A page is folded code unit by code unit so that
 * each folded unit knows the original unit it came from: a highlight then never splits a surrogate pair
 * and keeps a letter's combining marks (OCR of scans may give NFD text).
 */
const foldedUnit = new Int32Array(0x10000)
const foldedOther = new Map<number, string>()

function foldUnit(code: number): number {
  let folded = foldedUnit[code]!
  if (folded === 0) {
    const piece = fold(String.fromCharCode(code))
    folded = piece.length === 1 ? piece.charCodeAt(0) + 1 : -1
    if (folded === -1) foldedOther.set(code, piece)
    foldedUnit[code] = folded
  }
  return folded
}

/** text[from, to) folded, and for each folded unit (and its end) the offset in `text` it came from. */
function foldWithOffsets(text: string, from: number, to: number): { folded: string; origin: Int32Array } {
  let units = new Uint16Array(to - from)
  let origin = new Int32Array(to - from + 1)
  let length = 0
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i)
    const unit = foldUnit(code)
    const piece = unit > 0 ? undefined : foldedOther.get(code)!
    const needed = length + (piece === undefined ? 1 : piece.length)
    if (needed > units.length) {
      units = grow(units, needed * 2)
      origin = grow(origin, needed * 2 + 1)
    }
    if (piece === undefined) {
      units[length] = unit - 1
      origin[length++] = i
    } else {
      for (let k = 0; k < piece.length; k++) {
        units[length] = piece.charCodeAt(k)
        origin[length++] = i
      }
    }
  }
  origin[length] = to
  // A lone surrogate (never in text read from PostgreSQL) decodes to U+FFFD: one unit, not a letter either.
  return { folded: utf16.decode(units.subarray(0, length)), origin }
}

const utf16 = new TextDecoder('utf-16le')

function grow<T extends Uint16Array | Int32Array>(array: T, size: number): T {
  const grown = new (array.constructor as new (size: number) => T)(size)
  grown.set(array)
  return grown
}

const WORD_CHAR = /[\p{L}\p{N}]/u

/** Whether the code point starting at `at` is a letter or digit (what the words of a text are made of). */
function wordAt(text: string, at: number): boolean {
  if (at >= text.length) return false
  const code = text.charCodeAt(at)
  if (code < 0x80)
    return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a)
  return WORD_CHAR.test(String.fromCodePoint(text.codePointAt(at)!))
}

/** Whether the code point ending just before `at` is a letter or digit. */
function wordBefore(text: string, at: number): boolean {
  if (at <= 0) return false
  const low = text.charCodeAt(at - 1)
  const pair = low >= 0xdc00 && low <= 0xdfff && at >= 2 && (text.charCodeAt(at - 2) & 0xfc00) === 0xd800
  return wordAt(text, pair ? at - 2 : at - 1)
}

function wordEnd(text: string, at: number): number {
  let end = at
  while (wordAt(text, end)) end += text.codePointAt(end)! > 0xffff ? 2 : 1
  return end
}

const ALL_WORD = /^[\p{L}\p{N}]+$/u

/** A term that is not all letters and digits never equals a word of a text. */
const isWord = (folded: string) => ALL_WORD.test(folded)

/**
 * Matches a page may have per term: enough for every cluster on an ordinary page, and a bound on the
 * work for a page that repeats a common word thousands of times.
 */
const MAX_MATCHES_PER_TERM = 100

type Range = [start: number, end: number]

/**
 * Where the terms occur in text[from, to) (offsets into `text`), in order, not overlapping. `from` and
 * `to` must not cut a word: the text's ends or next to a space.
 */
export function matchRanges(text: string, terms: QueryTerm[], from = 0, to = text.length): Range[] {
  const { folded, origin } = foldWithOffsets(text, from, to)
  const ranges: Range[] = []
  for (const term of terms) {
    const found = term.kind === 'compound' ? compoundMatches(folded, term.folded) : wordMatches(folded, term)
    for (const [start, end] of found) ranges.push([origin[start]!, origin[end]!])
  }
  return merge(ranges)
}

/** Whole words (a word term, its prefix when typed last, or a phrase's words in order) in folded text. */
function wordMatches(folded: string, term: Exclude<QueryTerm, { kind: 'compound' }>): Range[] {
  const words = term.kind === 'phrase' ? term.words : [term.folded]
  const prefix = term.kind === 'word' && term.prefix
  const ranges: Range[] = []
  if (!words.every(isWord)) return ranges
  for (
    let at = folded.indexOf(words[0]!);
    at >= 0 && ranges.length < MAX_MATCHES_PER_TERM;
    at = folded.indexOf(words[0]!, at + 1)
  ) {
    if (wordBefore(folded, at)) continue
    let end = at + words[0]!.length
    if (prefix) end = wordEnd(folded, end)
    else if (wordAt(folded, end)) continue
    let ok = true
    for (let k = 1; k < words.length && ok; k++) {
      while (end < folded.length && !wordAt(folded, end)) end++
      ok = folded.startsWith(words[k]!, end) && !wordAt(folded, end + words[k]!.length)
      end += words[k]!.length
    }
    if (ok) ranges.push([at, end])
  }
  return ranges
}

/** A compound (số/ký hiệu) anywhere in folded text, not inside a longer word. */
function compoundMatches(folded: string, needle: string): Range[] {
  const ranges: Range[] = []
  if (needle === '') return ranges
  for (let at = folded.indexOf(needle); at >= 0 && ranges.length < MAX_MATCHES_PER_TERM; ) {
    const end = at + needle.length
    if (!wordBefore(folded, at) && !wordAt(folded, end)) ranges.push([at, end])
    at = folded.indexOf(needle, end)
  }
  return ranges
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
 * A page is searched this many characters at a time, until a part with a match: an ordinary page (a few
 * thousand characters) in one part, so its snippet is chosen among all its matches; a long page costs
 * the part with its first match (and the window after it), not the whole text.
 */
const SEGMENT = 20_000
/** Consecutive parts overlap by this much, so that a phrase across their border is still found. */
const OVERLAP = 1_000

/** The matches in the first part of `text` that has any, with the window after that part. */
function firstMatches(text: string, terms: QueryTerm[], window: number): Range[] {
  for (let from = 0; from < text.length; ) {
    const to = spaceAtOrAfter(text, from + SEGMENT)
    const ranges = matchRanges(text, terms, from, to)
    if (ranges.length > 0)
      return to < text.length ? matchRanges(text, terms, from, spaceAtOrAfter(text, to + window)) : ranges
    if (to >= text.length) break
    const next = text.lastIndexOf(' ', to - OVERLAP) + 1
    from = next > from ? next : to + 1
  }
  return []
}

function spaceAtOrAfter(text: string, index: number): number {
  if (index >= text.length) return text.length
  const space = text.indexOf(' ', index)
  return space < 0 ? text.length : space
}

/**
 * A fragment of a page around its densest cluster of matches, HTML-escaped, with `<mark>` around each
 * match; undefined when nothing on the page matches.
 */
export function highlight(text: string, terms: QueryTerm[], window = WINDOW): string | undefined {
  // Each run of white space as one space; a lone space (most of them) is left as it is, not replaced.
  const clean = text.replace(/\s{2,}|[^\S ]/g, ' ').trim()
  const ranges = firstMatches(clean, terms, window)
  if (ranges.length === 0) return undefined
  const first = ranges[densestCluster(clean, ranges, window)]!
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

/** The first match of the window with the most distinct matched words (then the most matches). */
function densestCluster(text: string, ranges: Range[], window: number): number {
  const keys = new Map<string, string>()
  const keyOf = ranges.map(([from, to]) => {
    const matched = text.slice(from, to)
    let key = keys.get(matched)
    if (key === undefined) {
      key = fold(matched)
      keys.set(matched, key)
    }
    return key
  })
  let best = 0
  let bestWeight = 0
  for (let i = 0; i < ranges.length; i++) {
    let count = 0
    const distinct = new Set<string>()
    for (let k = i; k < ranges.length && ranges[k]![1] - ranges[i]![0] <= window; k++) {
      count++
      distinct.add(keyOf[k]!)
    }
    const weight = distinct.size * 10 + count
    if (weight > bestWeight) {
      bestWeight = weight
      best = i
    }
  }
  return best
}

function wordStartAfter(text: string, index: number, atMost: number): number {
  const space = text.indexOf(' ', index)
  return space >= 0 && space + 1 <= atMost ? space + 1 : index
}

function wordEndBefore(text: string, index: number, atLeast: number): number {
  const space = text.lastIndexOf(' ', index)
  return space > atLeast ? space : index
}
