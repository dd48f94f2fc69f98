import { diacriticShare, fold, isUpperLine, similarity } from './text-lines.ts'
import { repairUpperLine } from './upper-words.ts'

/**
 * The signer block at the end of a document (ND30 Phụ lục I, ô 7): authority lines (`TM. ỦY BAN NHÂN DÂN`,
 * `KT. CHỦ TỊCH`, `TL.`, `Q.`, `TUQ.`), the title (chức vụ) and the name (họ tên). On a scan the signature
 * and the seal lie between title and name and come out of OCR as scraps, often on the same lines as the
 * Nơi nhận list beside the block: the block's parts are looked for as the upper-case tail of a line, and
 * the name as the end of a line.
 */
export interface SignerBlock {
  /** Null when the title or authority lines were found but no name under them. */
  name: string | null
  title: string | null
  authority: string[]
  /** 0..1: how cleanly the block was found. */
  confidence: number
  /** 0..1: the name's own, lower when it does not open with a family name or lost its marks. */
  nameConfidence: number
}

/** The commonest Vietnamese family names (not Văn, Thị: far more often middle names): where a name begins in a line that OCR prefixed with scraps. */
const SURNAMES = new Set(
  (
    'nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly cao lam to trinh dinh luu ta ha mai ' +
    'dao luong truong chu kieu doan vuong thai quach tang trieu phung la mac chau tu khong dam diep ton than hua ' +
    'nong luc tong giang khuc lai ninh thach quan kim au son ong'
  ).split(' '),
)

const NAME_WORD = /^\p{Lu}[\p{Ll}]*$/u
const AUTHORITY = /^(tm|kt|q|tl|tuq)\s*[.,]\s*\S|^(dai dien|thay mat)\b/
/** Words that make an upper-case line a chức vụ. */
const TITLE_WORDS =
  /\b(chu tich|giam doc|truong|chanh van phong|chanh thanh tra|thu ky|chu toa|uy vien|tong|pho|thu tuong|bi thu)\b/

/** Title-cases a name word OCR read in capitals (`THỊ` → `Thị`). */
const nameCase = (word: string) => word[0]! + word.slice(1).toLocaleLowerCase('vi')

/**
 * The person's name a line ends with: 2–5 capitalised words, from a family name when there is one
 * (`>>: Tô Văn Hậu` → `Tô Văn Hậu`), else the capitalised words the line ends with.
 */
export function personNameIn(line: string): string | null {
  const words = line
    .replace(/(?<=\p{L})[-_=](?=\p{Lu})/gu, ' ')
    .replace(/[^\p{L}\s]+$/u, '')
    .split(/\s+/)
    .filter(Boolean)
  const tail: string[] = []
  for (let i = words.length - 1; i >= 0 && tail.length < 5; i--) {
    const word = words[i]!
    if (!NAME_WORD.test(word) && !(isUpperLine(word, 2) && tail.length > 0)) break
    tail.unshift(NAME_WORD.test(word) ? word : nameCase(word))
  }
  if (tail.length < 2 || tail.every((word) => word.length > 1 && isUpperLine(word, 2))) return null
  if (tail.every((word) => word === word.toUpperCase())) return null
  const from = tail.findIndex((word) => SURNAMES.has(fold(word)))
  const name = from >= 0 && tail.length - from >= 2 ? tail.slice(from) : tail
  return name.length >= 2 && name.length <= 5 ? name.join(' ') : null
}

/** The upper-case words a line ends with (`- Chủ tịch, các PCT UBND tỉnh; KT. CHỦ TỊCH` → `KT. CHỦ TỊCH`). */
export function upperTail(line: string): string {
  if (isUpperLine(line, 3)) return line
  const words = line.split(' ')
  const tail: string[] = []
  for (let i = words.length - 1; i >= 0; i--) {
    const word = words[i]!.replace(/^[^\p{L}]+/u, '')
    if (!/^[\p{Lu}]+[.,]?$/u.test(word)) break
    tail.unshift(word)
    if (word !== words[i]) break
  }
  return tail.join(' ')
}

export function isAuthorityLine(line: string): boolean {
  return isUpperLine(line) && AUTHORITY.test(fold(line))
}

/** Chức vụ as signer blocks print them: a tail OCR garbled (`HD CHỦ TỊCH`, `IÁM ĐỐC`) is read as the nearest. */
const TITLES = [
  'CHỦ TỊCH',
  'PHÓ CHỦ TỊCH',
  'GIÁM ĐỐC',
  'PHÓ GIÁM ĐỐC',
  'CHÁNH VĂN PHÒNG',
  'PHÓ CHÁNH VĂN PHÒNG',
  'TRƯỞNG BAN',
  'PHÓ TRƯỞNG BAN',
  'TRƯỞNG PHÒNG',
  'PHÓ TRƯỞNG PHÒNG',
  'CHÁNH THANH TRA',
  'CỤC TRƯỞNG',
  'BỘ TRƯỞNG',
  'THỨ TRƯỞNG',
  'HIỆU TRƯỞNG',
  'CHỦ TỌA',
  'THƯ KÝ',
].map((title) => ({ title, key: fold(title) }))
const TITLE_SIMILARITY = 0.75

function titleIn(line: string): { title: string; exact: boolean } | null {
  const tail = upperTail(line)
  if (!isUpperLine(tail, 3) || isAuthorityLine(tail)) return null
  const repaired = repairUpperLine(tail)
  const words = repaired.split(' ')
  for (let from = 0; from < words.length; from++) {
    const key = fold(words.slice(from).join(' '))
    let best: { title: string; score: number } | undefined
    for (const { title, key: titleKey } of TITLES) {
      const score = similarity(key, titleKey)
      if (score >= TITLE_SIMILARITY && (!best || score > best.score)) best = { title, score }
    }
    if (best) return { title: best.title, exact: best.score === 1 && from === 0 }
  }
  if (TITLE_WORDS.test(fold(repaired))) return { title: repaired, exact: repaired === line }
  // The seal or the signature hid the start of the line (`U TỊCH`, `ĐỐC`): the shortest title ending so.
  const key = fold(repaired)
  const ending = TITLES.filter((title) => title.key.endsWith(key) && key.length >= 3)
  return ending.length > 0
    ? { title: ending[ending.length > 1 ? shortest(ending) : 0]!.title, exact: false }
    : null
}

const shortest = (titles: { key: string }[]) =>
  titles.reduce((best, title, i) => (title.key.length < titles[best]!.key.length ? i : best), 0)

/**
 * A deputy signs for the head (`KT. GIÁM ĐỐC`, ND30 Phụ lục I): the title is `PHÓ GIÁM ĐỐC`. A title read
 * inexactly that this explains (`GIÁM ĐỐC` from `IÁM ĐỐC`) is taken for it; a missing one is inferred.
 */
function deputyTitle(authority: string[], title: { title: string; exact: boolean } | null): string | null {
  const head = /^KT\. (.+)$/u.exec(authority.at(-1) ?? '')?.[1]
  if (!head) return title?.title ?? null
  const deputy = `PHÓ ${head}`
  if (!title) return deputy
  return !title.exact && fold(deputy).endsWith(fold(title.title)) ? deputy : title.title
}

/** Last ~lines of a page where a signer block can sit below the body. */
const SEARCH_DEPTH = 14
/** Lines between the title and the name (signature, seal, the Nơi nhận list beside them). */
const TITLE_DEPTH = 12

export function findSignerBlock(lines: string[]): SignerBlock | null {
  const text = lines.map((line) => line.replace(/[.,;:]+$/u, '').trim()).filter((line) => line !== '')
  let nameAt = text.length
  let name: string | null = null
  for (let i = text.length - 1; i >= Math.max(0, text.length - SEARCH_DEPTH) && !name; i--) {
    if (/^[-+•]/.test(text[i]!)) continue
    name = personNameIn(text[i]!)
    if (name) nameAt = i
  }
  const clean = name !== null && text[nameAt] === name
  let confidence = (nameAt >= text.length - 2 ? 0.9 : 0.75) - (clean ? 0 : 0.15)
  for (let i = nameAt - 1; i >= Math.max(0, nameAt - TITLE_DEPTH); i--) {
    const found = titleIn(text[i]!)
    // An authority line before any title: the title itself was lost under the seal.
    const authorityFirst = !found && isAuthorityLine(upperTail(text[i]!))
    if (!found && !authorityFirst) continue
    if (nameAt - i > 1) confidence -= 0.05 * Math.min(nameAt - i - 1, 3)
    if (!found?.exact) confidence -= 0.15
    const authority = authorityAbove(text, found ? i : i + 1).map(repairUpperLine)
    const title = deputyTitle(authority, found)
    if (!name && !title) return null
    return { name, title, authority, confidence, nameConfidence: name ? nameConfidence(name, confidence) : 0 }
  }
  // No title: only a line that is a name and nothing else is taken for the signer's.
  return clean && name
    ? { name, title: null, authority: [], confidence: 0.5, nameConfidence: nameConfidence(name, 0.5) }
    : null
}

/** Lines above the title where authority lines may sit (OCR may interleave them with the Nơi nhận list). */
const AUTHORITY_DEPTH = 14

/**
 * Authority lines above the title, top to bottom. Read line by line across both columns, the closing block
 * interleaves them with the Nơi nhận list: list items and scraps are passed over; an upper-case line that is
 * not an authority (the left block's title in a biên bản), a name or `Nơi nhận` ends the block.
 */
function authorityAbove(text: string[], titleAt: number): string[] {
  const authority: string[] = []
  for (let j = titleAt - 1; j >= Math.max(0, titleAt - AUTHORITY_DEPTH); j--) {
    const line = text[j]!
    const tail = upperTail(line)
    if (isAuthorityLine(tail)) authority.unshift(tail)
    else if (/^noi nhan/.test(fold(line)) || personNameIn(line) === line) break
    else if (isUpperLine(line, 3) && !/^[-+•]/.test(line)) break
  }
  return authority
}

/** A name that does not open with a family name lost a word; one without marks lost its diacritics. */
function nameConfidence(name: string, block: number): number {
  const surname = SURNAMES.has(fold(name.split(' ')[0]!))
  return block - (surname ? 0 : 0.2) - (diacriticShare(name) < 0.1 ? 0.2 : 0)
}
