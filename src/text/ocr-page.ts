import { readingOrder, type TextBox } from './layout.ts'
import type { OcrPageResult, OcrWord } from './ocr-pool.ts'

/**
 * The page's text from OCR words, in the corpus reading order: tesseract reads the two-column header
 * and closing block line by line across both columns, so its words are laid out again (layout.ts) on
 * deskewed coordinates.
 */
export function ocrReadingOrder(result: OcrPageResult, pageIndex: number): string {
  return readingOrder(ocrBoxes(result).boxes, { dropPageNumber: pageIndex > 0 })
}

/** The words worth laying out, as boxes on deskewed coordinates; box ids index `words`. */
export function ocrBoxes(result: OcrPageResult): { words: OcrWord[]; boxes: TextBox[] } {
  const words = result.words.filter(isText)
  const boxes = words.map((word, id): TextBox => {
    const middle = (word.x0 + word.x1) / 2
    // Small-angle rotation: lines that are level on paper get one y across both columns.
    const y = word.baseline - result.skew * middle
    return { text: `${word.text} `, x0: word.x0, x1: word.x1, y, height: word.lineHeight, ids: [id] }
  })
  return { words, boxes }
}

/** Mean word confidence on a 0–1 scale; null when tesseract found no words. */
export function ocrConfidence(result: OcrPageResult): number | null {
  if (result.words.length === 0) return null
  const sum = result.words.reduce((total, word) => total + word.confidence, 0)
  return Math.round((sum / result.words.length) * 10) / 1000
}

// Below this tesseract is mostly reading a signature, a seal or specks: measured on the corpus scans,
// dropping such words lowers CER (they are insertions) more than it loses real words.
const MIN_WORD_CONFIDENCE = 40
// Tokens without letters or digits that documents do print on their own.
// ('=', '+', '*' are left out: in the corpus they only ever come from signatures and seals.)
const PUNCTUATION = new Set(['-', '–', '—', ':', ';', ',', '/', '(', ')', '...', '…', './.', '&', '%'])

function isText(word: OcrWord): boolean {
  if (word.confidence < MIN_WORD_CONFIDENCE) return false
  return /[\p{L}\p{N}]/u.test(word.text) || PUNCTUATION.has(word.text)
}
