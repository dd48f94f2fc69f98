/**
 * How the embedded engine reads text: folding (what `vanthu_fold` does in SQL, done here for highlights),
 * the số/ký hiệu tokens PostgreSQL's parser keeps whole, and the user's query split into terms.
 */

/** Lower case, diacritics removed, đ→d: the TypeScript twin of SQL `vanthu_fold` (unaccent + lower). */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().normalize('NFC')
}

/**
 * A number and notation as printed (`15/QĐ-UBND`, `18/2025/QĐ-UBND`, `45/KH-SGD&ĐT`) or another compound
 * token (`QĐ-UBND`, `SGD&ĐT`): letters and digits joined by `/`, `-`, `&`.
 */
const COMPOUND = /[\p{L}\p{N}]+(?:[/\-&][\p{L}\p{N}]+)+/gu
const NOTATION_IN_TEXT = /[\p{L}\p{N}]+(?:[/\-&][\p{L}\p{N}]+)*\/[\p{L}\p{N}]+(?:[/\-&][\p{L}\p{N}]+)*/gu

/**
 * Extra words indexed after a text: the parts of each number and notation in it. PostgreSQL's default
 * parser reads `1874/qd-ubnd` as one token (a file path), so without these `QĐ-UBND`, `UBND` or the bare
 * number `1874` would not find a document that cites `1874/QĐ-UBND`.
 */
export function notationParts(text: string): string {
  const parts: string[] = []
  for (const match of text.matchAll(NOTATION_IN_TEXT)) {
    if (!/\p{L}/u.test(match[0])) continue
    parts.push(match[0].split('/').join(' '))
  }
  return parts.join(' ; ')
}

/**
 * The compound tokens of a text as single words: every run of two or more adjacent segments of each
 * compound (`45/KH-SGD&ĐT` → `45kh`, `45khsgd`, `45khsgddt`, `khsgd`, `khsgddt`, `sgddt`), folded
 * (or only lower-cased with `exact`). PostgreSQL's parser splits `SGD&ĐT` into two words, which only a
 * phrase query (checked row by row) could find again; indexed whole, a typed số/ký hiệu is one lexeme
 * that the GIN index answers exactly.
 */
export function compoundTokens(text: string, options: { exact?: boolean } = {}): string {
  const tokens = new Set<string>()
  for (const match of text.matchAll(COMPOUND)) {
    const segments = (options.exact ? match[0].toLowerCase() : fold(match[0])).match(WORD) ?? []
    // A long run (a URL, a table row) is not a số/ký hiệu: its first few segments are enough.
    const usable = segments.slice(0, MAX_COMPOUND_SEGMENTS)
    for (let from = 0; from < usable.length - 1; from++)
      for (let to = from + 2; to <= usable.length; to++) tokens.add(usable.slice(from, to).join(''))
  }
  return [...tokens].join(' ')
}

const MAX_COMPOUND_SEGMENTS = 6

/** A compound term as the single word compoundTokens indexes (folded, or lower-cased with `exact`). */
export function squashCompound(term: { exact: string }, options: { exact?: boolean } = {}): string {
  return ((options.exact ? term.exact.toLowerCase() : fold(term.exact)).match(WORD) ?? []).join('')
}

export type QueryTerm =
  /** One word, folded; `prefix` for the last word of the query (search as you type). */
  | { kind: 'word'; folded: string; exact: string; prefix: boolean }
  /** Words in this order (typed in quotes). */
  | { kind: 'phrase'; folded: string; exact: string; words: string[] }
  /**
   * A số/ký hiệu or another compound token, e.g. `15/QĐ-UBND`, `QĐ-UBND`, `SGD&ĐT`; `prefix` when typed
   * last (so `15/QĐ-UBN` finds `15/QĐ-UBND` as the user types).
   */
  | { kind: 'compound'; folded: string; exact: string; words: string[]; prefix: boolean }

const WORD = /[\p{L}\p{N}]+/gu
/** Words shorter than this are not prefix-matched: `y` must not find every word starting with y. */
const MIN_PREFIX_LENGTH = 3
const MAX_TERMS = 12

/** Splits what the user typed into terms; every term must match (in the metadata or on a page). */
export function parseQuery(input: string): QueryTerm[] {
  const text = input.normalize('NFC').slice(0, 500)
  const terms: QueryTerm[] = []
  const rest = text.replace(/"([^"]*)"/g, (_all, phrase: string) => {
    const words = fold(phrase).match(WORD) ?? []
    if (words.length > 0) {
      terms.push({ kind: 'phrase', folded: words.join(' '), exact: wordsOf(phrase).join(' '), words })
    }
    return ' '
  })
  const tail = rest.replace(COMPOUND, (compound, offset: number) => {
    terms.push({
      kind: 'compound',
      folded: fold(compound),
      exact: compound.toLowerCase(),
      words: fold(compound).match(WORD) ?? [],
      // Typed last, with nothing after it (not even a space): the user may still be typing it.
      prefix: rest.slice(offset + compound.length) === '',
    })
    return ' '
  })
  const words = wordsOf(tail)
  const lastWordAtEnd = /[\p{L}\p{N}]$/u.test(tail.trimEnd()) && tail.trimEnd().length === tail.length
  words.forEach((word, index) => {
    const folded = fold(word)
    const isLast = index === words.length - 1 && lastWordAtEnd && !/"$/.test(text.trimEnd())
    terms.push({ kind: 'word', folded, exact: word, prefix: isLast && folded.length >= MIN_PREFIX_LENGTH })
  })
  return dedupe(terms).slice(0, MAX_TERMS)
}

function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []).filter((word) => word.length > 0)
}

function dedupe(terms: QueryTerm[]): QueryTerm[] {
  const seen = new Set<string>()
  return terms.filter((term) => {
    const key = `${term.kind}:${term.exact}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** Whether the user typed any diacritic (then exact-diacritic matches rank first). */
export function hasDiacritics(terms: QueryTerm[]): boolean {
  return terms.some((term) => fold(term.exact) !== term.exact.toLowerCase())
}
