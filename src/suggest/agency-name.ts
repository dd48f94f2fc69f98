import { fold } from './text-lines.ts'

/**
 * Tên cơ quan as printed in the header (upper case, possibly abbreviated, over one or two lines) → the name in
 * normal case as the register writes it (ND30 Phụ lục II: capitals for the kind of body, the first word of its
 * field of work, and proper names of places): `UBND TỈNH HÒA GIANG` → `Ủy ban nhân dân tỉnh Hòa Giang`,
 * `SỞ KHOA HỌC VÀ CÔNG NGHỆ` → `Sở Khoa học và Công nghệ`.
 */

const ABBREVIATIONS: [RegExp, string][] = [
  [/^UBND\b/u, 'ỦY BAN NHÂN DÂN'],
  [/^HĐND\b/u, 'HỘI ĐỒNG NHÂN DÂN'],
  [/^UBMTTQ\b/u, 'ỦY BAN MẶT TRẬN TỔ QUỐC'],
]

/** Kinds of bodies, longest first; the words after one are its field of work or its name. */
const BODY_KINDS = [
  'ủy ban nhân dân',
  'hội đồng nhân dân',
  'ủy ban mặt trận tổ quốc việt nam',
  'ủy ban mặt trận tổ quốc',
  'ủy ban kiểm tra',
  'ban quản lý dự án',
  'tổng công ty',
  'công ty',
  'bảo hiểm xã hội',
  'viện kiểm sát',
  'tòa án',
  'đại học',
  'học viện',
  'ngân hàng',
  'chi nhánh',
  'tỉnh ủy',
  'thành ủy',
  'huyện ủy',
  'đảng ủy',
  'bộ chỉ huy',
  'liên đoàn',
  'viện',
  'hội',
  'ban quản lý',
  'kho bạc nhà nước',
  'văn phòng',
  'chi cục',
  'tổng cục',
  'trung tâm',
  'bệnh viện',
  'hội đồng',
  'công an',
  'thanh tra',
  'trường',
  'phòng',
  'cục',
  'sở',
  'bộ',
  'ban',
  'vụ',
]

/** Administrative levels: the words after one are a place name (every word capitalised). */
const LEVELS = ['thành phố', 'thị xã', 'thị trấn', 'tỉnh', 'huyện', 'quận', 'xã', 'phường', 'đặc khu']

const foldedLevels = LEVELS.map((level) => fold(level))

const foldedKinds = BODY_KINDS.map((kind) => fold(kind))
const foldedAbbreviations = ['ubnd', 'hdnd', 'ubmttq']

/** True when the line begins with a kind of body (`SỞ`, `UBND`, `VĂN PHÒNG` …): it starts an agency's name. */
export function startsWithBodyKind(line: string): boolean {
  const folded = fold(line)
  return [...foldedKinds, ...foldedAbbreviations].some(
    (kind) => folded === kind || folded.startsWith(`${kind} `),
  )
}

/** True when the line begins with an administrative level (`TỈNH HÒA GIANG`): it continues the line above. */
export function startsWithLevel(line: string): boolean {
  const folded = fold(line)
  return foldedLevels.some((level) => folded === level || folded.startsWith(`${level} `))
}

const capitalise = (word: string) => (word ? word[0]!.toLocaleUpperCase('vi') + word.slice(1) : word)

/** Splits `… tỉnh Hòa Giang` into the body and the locality (with its level word), by the last level word. */
export function splitLocality(name: string): { body: string; locality: string | null } {
  const words = name.split(' ')
  for (let i = words.length - 2; i >= 1; i--) {
    const two = fold(`${words[i]} ${words[i + 1]}`)
    const one = fold(words[i]!)
    if (foldedLevels.includes(two) && i + 2 < words.length) {
      return { body: words.slice(0, i).join(' '), locality: words.slice(i).join(' ') }
    }
    if (foldedLevels.includes(one))
      return { body: words.slice(0, i).join(' '), locality: words.slice(i).join(' ') }
  }
  return { body: name, locality: null }
}

/** Normal-case name of a body from its printed (upper-case) form. */
export function agencyNameCase(printed: string): string {
  let text = printed.normalize('NFC').replace(/\s+/g, ' ').trim()
  for (const [pattern, full] of ABBREVIATIONS) text = text.replace(pattern, full)
  const lower = text.toLocaleLowerCase('vi')
  const words = lower.split(' ')
  const out: string[] = []
  let i = 0
  let capitaliseNext = true
  let inPlace = false
  while (i < words.length) {
    const rest = words.slice(i).join(' ')
    const level = !inPlace && i > 0 ? LEVELS.find((l) => rest === l || rest.startsWith(`${l} `)) : undefined
    if (level) {
      out.push(level)
      i += level.split(' ').length
      inPlace = true
      continue
    }
    const kind = i === 0 ? BODY_KINDS.find((k) => rest === k || rest.startsWith(`${k} `)) : undefined
    if (kind) {
      out.push(capitalise(kind))
      i += kind.split(' ').length
      capitaliseNext = true
      continue
    }
    const word = words[i]!
    if (inPlace) out.push(word.split('-').map(capitalise).join('-'))
    else if (word === 'và') {
      out.push(word)
      capitaliseNext = true
      i++
      continue
    } else out.push(capitaliseNext ? capitalise(word) : word)
    capitaliseNext = false
    i++
  }
  return out.join(' ')
}

/**
 * The issuing agency's full name: a unit printed under its parent (`SỞ TÀI CHÍNH` under `UBND TỈNH HÒA GIANG`)
 * takes the parent's locality (`Sở Tài chính tỉnh Hòa Giang`); the parent's own Văn phòng takes the parent's
 * whole name (`Văn phòng Ủy ban nhân dân tỉnh Hòa Giang`).
 */
export function fullIssuerName(unit: string, parent: string | null): string {
  if (!parent) return unit
  const { locality } = splitLocality(unit)
  if (locality) return unit
  if (fold(unit) === 'van phong') return `${unit} ${parent}`
  const parentLocality = splitLocality(parent).locality
  return parentLocality ? `${unit} ${parentLocality}` : unit
}
