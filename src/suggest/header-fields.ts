import { DOCUMENT_KINDS, type DocumentKind } from '../documents/document-kinds.ts'
import { parseNumberNotation } from '../documents/number-notation.ts'
import { fold, isUpperLine, similarity } from './text-lines.ts'

/**
 * Readers for the parts of an ND30 first page (Phụ lục I): số và ký hiệu, địa danh và thời gian, tên loại,
 * độ khẩn/độ mật. Each works on one normalised line and tolerates what OCR does to it.
 */

export interface Found<T> {
  value: T
  confidence: number
}

/** `Số:` as OCR reads it: `S6:`, `Sô:`, `So :`, `Sá;` … — an S, up to two characters, then : ; or . */
const NUMBER_LABEL = /(?:^|[\s(])S[\p{L}\p{N}]{0,2}\s?[:;.,]\s*/u
const NUMBER_BODY =
  /^([0-9OoIl|]{1,6})\s*\/\s*(?:(\d{4})\s*\/\s*)?([\p{L}\p{N}&]+(?:\s?-\s?[\p{L}\p{N}&]+)*)/u

const CODES = DOCUMENT_KINDS.flatMap((kind) => (kind.code ? [kind.code] : []))

/**
 * Type codes OCR loses the Đ or the mixed case of (QD → QĐ, TTR → TTr): the decree's own spelling, when only
 * one code fits (HD stays: it is Hướng dẫn, not Hợp đồng HĐ).
 */
function repairTypeCode(notation: string): string {
  const [first, ...rest] = notation.split('-')
  if (rest.length === 0 || CODES.includes(first!)) return notation
  const byCase = CODES.filter((code) => code.toUpperCase() === first!.toUpperCase())
  const byFold = CODES.filter((code) => fold(code) === fold(first!))
  const code = byCase.length === 1 ? byCase[0] : byFold.length === 1 ? byFold[0] : undefined
  return code ? [code, ...rest].join('-') : notation
}

export function readNumberNotation(line: string): Found<string> | null {
  const label = NUMBER_LABEL.exec(line)
  if (!label) return null
  const exactLabel = /S(ố|ô|o)\s?:/iu.test(label[0])
  const rest = line.slice(label.index + label[0].length)
  // OCR may lose the slash after the number (`35GM-SKHCN`): put it back before the type code.
  const body =
    NUMBER_BODY.exec(rest) ?? NUMBER_BODY.exec(rest.replace(/^(\d{1,6})(?=\p{Lu}[\p{L}&]*-)/u, '$1/'))
  if (!body) return null
  const slashLost = !NUMBER_BODY.exec(rest)
  const number = body[1]!.replace(/[Oo]/g, '0').replace(/[Il|]/g, '1')
  const notation = repairTypeCode(body[3]!.replace(/\s/g, ''))
  const value = `${number}/${body[2] ? `${body[2]}/` : ''}${notation}`
  if (!parseNumberNotation(value)) return null
  const cleanDigits = number === body[1]
  const confidence = exactLabel && cleanDigits ? 0.95 : cleanDigits ? 0.8 : 0.65
  return { value, confidence: slashLost ? Math.min(confidence, 0.55) : confidence }
}

// `ngày 12 tháng 3 năm 2025`, folded; OCR garbles the words (`thdng`, `nam`) more than the digits.
const DATE =
  /\bng[^\s\d]{1,3}\s*([0-9OoIl]{1,2})\s*th[^\s\d]{1,4}\s*([0-9OoIl]{1,2})\s*n[^\s\d]{1,3}\s*([0-9OoIl]{4})\b/u
const digits = (text: string) => Number(text.replace(/[Oo]/g, '0').replace(/[Il]/g, '1'))

export interface DateLine {
  date: Found<string>
  place: Found<string> | null
}

/** `Hòa Giang, ngày 12 tháng 3 năm 2025` → place and ISO date; the place may end the line above. */
export function readDateLine(line: string, previous: string | undefined): DateLine | null {
  const folded = fold(line)
  const match = DATE.exec(folded)
  if (!match) return null
  const [day, month, year] = [digits(match[1]!), digits(match[2]!), digits(match[3]!)]
  const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
  const valid = new Date(`${iso}T00:00:00Z`).toISOString().startsWith(iso) && year >= 1945 && year <= 2100
  if (!valid) return null
  const clean =
    /^\d+$/.test(match[1]! + match[2]! + match[3]!) && /ngay\s*\d+\s*thang\s*\d+\s*nam/.test(match[0])
  const date = { value: iso, confidence: clean ? 0.95 : 0.75 }
  let place = placeBefore(line.slice(0, match.index))
  if (!place && previous && /,\s*$/.test(previous)) place = placeBefore(previous.replace(/,\s*$/, ''))
  return { date, place: place ? { value: place, confidence: 0.85 } : null }
}

/** The run of capitalised words just before the date (a header read across columns may precede it). */
function placeBefore(text: string): string | null {
  const words = text
    .replace(/[,;.\s]+$/u, '')
    .split(' ')
    .filter(Boolean)
  const taken: string[] = []
  for (let i = words.length - 1; i >= 0 && taken.length < 4; i--) {
    if (!/^\p{Lu}[\p{Ll}]+$/u.test(words[i]!)) break
    taken.unshift(words[i]!)
  }
  return taken.length > 0 ? taken.join(' ') : null
}

const kindNames = DOCUMENT_KINDS.map((kind) => ({ kind, key: fold(kind.name).replace(/\s/g, '') }))

/** The tên loại line (`QUYẾT ĐỊNH`, `TỜ TRÌNH` …): the whole line is a kind's name, in upper case. */
export function readKindLine(line: string): Found<DocumentKind> | null {
  if (!isUpperLine(line, 4) || line.length > 24) return null
  const key = fold(line).replace(/[^a-z]/g, '')
  for (const { kind, key: name } of kindNames) {
    if (key === name) {
      const exact = line.toLocaleLowerCase('vi').replace(/\s+/g, ' ') === kind.name.toLocaleLowerCase('vi')
      return { value: kind, confidence: exact ? 0.95 : 0.85 }
    }
  }
  for (const { kind, key: name } of kindNames) {
    if (name.length >= 6 && similarity(key, name) >= 0.8) return { value: kind, confidence: 0.65 }
  }
  return null
}

/** The kind a ký hiệu names by its type code (`438/TTr-STC` → Tờ trình); công văn codes name no kind. */
export function kindOfNotation(numberNotation: string): DocumentKind | undefined {
  const parsed = parseNumberNotation(numberNotation)
  if (!parsed) return undefined
  const code = parsed.codeNotation.replace(/^\d{4}\//, '').split('-')[0]!
  return DOCUMENT_KINDS.find((kind) => kind.code === code)
}

/** `V/v …` (về việc) opening the trích yếu of a công văn; OCR gives `V/V`, `Vlv`, `V/ v`. */
export const SUBJECT_VV = /^V\s?[/|lI1]\s?v\b\.?\s*/iu

const URGENCY = [
  { key: 'thuongkhan', label: 'Thượng khẩn' },
  { key: 'hoatoc', label: 'Hỏa tốc' },
  { key: 'khan', label: 'Khẩn' },
] as const
const SECRECY = [
  { key: 'tuyetmat', label: 'Tuyệt mật' },
  { key: 'toimat', label: 'Tối mật' },
  { key: 'mat', label: 'Mật' },
] as const

export interface Mark {
  field: 'urgency' | 'secrecy'
  label: string
  confidence: number
}

/** A stamp line of độ khẩn or độ mật (`KHẨN`, `THƯỢNG KHẨN`, `HỎA TỐC`, `MẬT`, `TỐI MẬT`, `TUYỆT MẬT`). */
export function readMark(line: string): Mark | null {
  if (!isUpperLine(line, 3) || line.length > 16) return null
  const key = fold(line).replace(/[^a-z]/g, '')
  for (const [field, marks] of [
    ['urgency', URGENCY],
    ['secrecy', SECRECY],
  ] as const) {
    for (const mark of marks) {
      if (key === mark.key)
        return { field, label: mark.label, confidence: line === mark.label.toUpperCase() ? 0.9 : 0.8 }
      if (mark.key.length >= 6 && similarity(key, mark.key) >= 0.8)
        return { field, label: mark.label, confidence: 0.6 }
    }
  }
  return null
}
