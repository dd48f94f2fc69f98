import { fold, isUpperLine } from './text-lines.ts'

/**
 * The signer block at the end of a document (ND30 Phụ lục I, ô 7): authority lines (`TM. ỦY BAN NHÂN DÂN`,
 * `KT. CHỦ TỊCH`, `TL.`, `Q.`, `TUQ.`), the title (chức vụ) and the name (họ tên). On a scan the signature
 * and the seal lie between title and name and come out of OCR as a few lines of noise.
 */
export interface SignerBlock {
  name: string
  title: string | null
  authority: string[]
  /** 0..1: how cleanly the block was found. */
  confidence: number
}

const NAME_WORD = /^\p{Lu}\p{Ll}*$/u
const AUTHORITY = /^(tm|kt|q|tl|tuq)\s*[.,]\s*\S|^(dai dien|thay mat)\b/

/** A person's name as printed under a signature: 2–6 capitalised words, not all upper case. */
export function isPersonName(line: string): boolean {
  const words = line.split(' ')
  if (words.length < 2 || words.length > 6) return false
  if (!words.every((word) => NAME_WORD.test(word))) return false
  return words.some((word) => word.length > 1 && word !== word.toUpperCase())
}

export function isAuthorityLine(line: string): boolean {
  return isUpperLine(line) && AUTHORITY.test(fold(line))
}

/** Last ~lines of a page where a signer block can sit below the body. */
const SEARCH_DEPTH = 14
/** Lines of noise (signature, seal) tolerated between the title and the name. */
const MAX_NOISE = 5

export function findSignerBlock(lines: string[]): SignerBlock | null {
  const text = lines.map((line) => line.replace(/[.,;:]+$/u, '').trim()).filter((line) => line !== '')
  const from = Math.max(0, text.length - SEARCH_DEPTH)
  let nameAt = -1
  for (let i = text.length - 1; i >= from; i--) {
    if (isPersonName(text[i]!)) {
      nameAt = i
      break
    }
  }
  if (nameAt < 0) return null
  let confidence = nameAt >= text.length - 2 ? 0.9 : 0.75
  let i = nameAt - 1
  let skipped = 0
  while (i >= 0 && !isUpperLine(text[i]!, 3) && skipped < MAX_NOISE) {
    i--
    skipped++
  }
  if (i < 0 || !isUpperLine(text[i]!, 3) || isAuthorityLine(text[i]!) || /^[-+•]/.test(text[i]!)) {
    return { name: text[nameAt]!, title: null, authority: [], confidence: 0.5 }
  }
  if (skipped > 0) confidence -= 0.05 * Math.min(skipped, 3)
  const title = text[i]!
  const authority: string[] = []
  for (let j = i - 1; j >= 0 && isAuthorityLine(text[j]!); j--) authority.unshift(text[j]!)
  return { name: text[nameAt]!, title, authority, confidence }
}
