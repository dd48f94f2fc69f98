/**
 * Text quality measures against a ground truth, compared as the corpus README says: NFC and whitespace
 * folded to single spaces.
 */
export function normaliseForComparison(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim()
}

/** Levenshtein distance over code points, in O(min(n, m)) memory. */
export function editDistance(a: string, b: string): number {
  let [long, short] = [Array.from(a), Array.from(b)]
  if (short.length > long.length) [long, short] = [short, long]
  let previous = new Uint32Array(short.length + 1)
  let current = new Uint32Array(short.length + 1)
  for (let j = 0; j <= short.length; j++) previous[j] = j
  for (let i = 1; i <= long.length; i++) {
    current[0] = i
    const char = long[i - 1]
    for (let j = 1; j <= short.length; j++) {
      const substitution = previous[j - 1]! + (short[j - 1] === char ? 0 : 1)
      current[j] = Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1)
    }
    ;[previous, current] = [current, previous]
  }
  return previous[short.length]!
}

/** Character error rate: edit distance over the truth's length (can exceed 1 for runaway output). */
export function characterErrorRate(text: string, truth: string): number {
  const expected = normaliseForComparison(truth)
  const actual = normaliseForComparison(text)
  if (expected.length === 0) return actual.length === 0 ? 0 : 1
  return editDistance(actual, expected) / Array.from(expected).length
}

/** Share of the truth's words found in the text, order-free, each occurrence counted once (multiset). */
export function wordRecall(text: string, truth: string): number {
  const expected = words(truth)
  if (expected.length === 0) return 1
  const available = new Map<string, number>()
  for (const word of words(text)) available.set(word, (available.get(word) ?? 0) + 1)
  let found = 0
  for (const word of expected) {
    const left = available.get(word) ?? 0
    if (left > 0) {
      found++
      available.set(word, left - 1)
    }
  }
  return found / expected.length
}

function words(text: string): string[] {
  const folded = normaliseForComparison(text)
  return folded === '' ? [] : folded.split(' ')
}
