import { editDistance } from '../text/quality.ts'

/**
 * Line-level helpers for reading the text of a page (text layer or OCR) as the lines of an ND30 document.
 * Everything here is pure and works on NFC text.
 */

/** Old-style tone placement (hoà, uỷ) as OCR and older fonts give it → the style the corpus prints (hòa, ủy). */
const TONE_PLACEMENT: Record<string, string> = {
  oà: 'òa',
  oá: 'óa',
  oả: 'ỏa',
  oã: 'õa',
  oạ: 'ọa',
  oè: 'òe',
  oé: 'óe',
  oẻ: 'ỏe',
  oẽ: 'õe',
  oẹ: 'ọe',
  uỳ: 'ùy',
  uý: 'úy',
  uỷ: 'ủy',
  uỹ: 'ũy',
  uỵ: 'ụy',
}
const TONE_PATTERN = new RegExp(`(${Object.keys(TONE_PLACEMENT).join('|')})(?![\\p{L}])`, 'giu')

/** NFC, one space between words, the tone marks where the decree's examples put them. */
export function normaliseLine(line: string): string {
  return line
    .normalize('NFC')
    .replace(/[\u00a0\u2000-\u200b\t]/g, ' ')
    .replace(/[‐‑‒–—]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(TONE_PATTERN, (match) => {
      const lower = match.toLowerCase()
      const replaced = TONE_PLACEMENT[lower] ?? match
      return match === lower ? replaced : match === match.toUpperCase() ? replaced.toUpperCase() : replaced
    })
}

/** Splits page texts into normalised lines; empty lines are kept as '' (paragraph breaks). */
export function pageLines(page: string): string[] {
  return page.split(/\r?\n|\f/).map(normaliseLine)
}

/**
 * One character per character: lower case without diacritics, đ → d. The result has the same length
 * as the input, so a match in the folded text is a match at the same offsets in the original.
 */
export function fold(text: string): string {
  let out = ''
  for (const char of text) {
    const lower = char.toLowerCase()
    const base = lower === 'đ' ? 'd' : (lower.normalize('NFD')[0] ?? lower)
    out += base.length === char.length ? base : char
  }
  return out
}

/** Share of letters that are upper case (0 when there are none). */
export function upperRatio(text: string): number {
  const letters = text.match(/\p{L}/gu) ?? []
  if (letters.length === 0) return 0
  return letters.filter((l) => l === l.toUpperCase() && l !== l.toLowerCase()).length / letters.length
}

export function isUpperLine(text: string, minLetters = 2): boolean {
  const letters = text.match(/\p{L}/gu) ?? []
  return letters.length >= minLetters && upperRatio(text) >= 0.85
}

/** Share of characters carrying a Vietnamese diacritic or đ: a hint how much the text layer or OCR kept. */
export function diacriticShare(text: string): number {
  const letters = [...text].filter((c) => /\p{L}/u.test(c))
  if (letters.length === 0) return 0
  return letters.filter((c) => fold(c) !== c.toLowerCase()).length / letters.length
}

/** Normalised similarity 0..1 of two strings by edit distance. */
export function similarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length)
  return longest === 0 ? 1 : 1 - editDistance(a, b) / longest
}

const MOTTO_STARTS = [
  'cong hoa xa hoi',
  'cong hoa',
  'doc lap',
  'chu nghia viet nam',
  'tu do - hanh phuc',
  'hanh phuc',
]

/**
 * Where the national motto starts in a line (the header's right column), or -1. A two-column header read
 * line by line puts the agency and the motto on one line: the part before this offset is the agency.
 */
export function mottoOffset(line: string): number {
  const folded = fold(line)
  let best = -1
  for (const start of MOTTO_STARTS) {
    const at = folded.indexOf(start)
    if (at >= 0 && (best < 0 || at < best)) best = at
  }
  return best
}

/** Decorative rules under the header's lines (`-----`, `_____`) and lone punctuation left by OCR. */
export function isRule(line: string): boolean {
  return !/[\p{L}\p{N}]/u.test(line)
}
