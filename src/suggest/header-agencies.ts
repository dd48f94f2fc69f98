import {
  agencyNameCase,
  fullIssuerName,
  splitLocality,
  startsWithBodyKind,
  startsWithLevel,
} from './agency-name.ts'
import { type Found, readKindLine, readMark, readNumberNotation } from './header-fields.ts'
import { diacriticShare, fold, isRule, isUpperLine, mottoOffset } from './text-lines.ts'
import { repairUpperLine } from './upper-words.ts'

/** The issuing agency and its parent, as register values with one confidence for both. */
export interface Agencies {
  issuer: Found<string> | null
  parentAgency: Found<string> | null
}

/**
 * Agency lines of the header's left column, with the motto (right column) cut away when a line holds both.
 * A line starts a new name when it opens with a kind of body (`SỞ`, `UBND` …) or is long; a line opening
 * with an administrative level (`TỈNH HÒA GIANG`) continues the name above, and so does any other short line
 * right under it (a wrapped tail: `NGHỆ`). ND30 prints at most the parent agency and the issuer, so a third
 * name is a wrapped tail too. The last name is the issuer, the one before the parent.
 */
export function headerAgencyLines(lines: string[]): string[] {
  const agencies: string[] = []
  let continues = false
  let adjacent = false
  for (const raw of lines) {
    const motto = mottoOffset(raw)
    const cut = withoutNoise((motto >= 0 ? raw.slice(0, motto) : raw).trim())
    if (readNumberNotation(cut) || readKindLine(cut) || readMark(cut)) break
    const line = isUpperLine(cut, 3) ? repairUpperLine(cut) : cut
    if (line === '' || isRule(line) || !isUpperLine(line, 3)) {
      if (motto < 0 && agencies.length > 0 && line !== '' && !isRule(line)) break
      adjacent = false
      continue
    }
    const last = agencies.length - 1
    const starts = startsWithBodyKind(line) || (line.split(' ').length >= 3 && !startsWithLevel(line))
    const tail = continues || /^(và|VÀ)(\s|$)/u.test(line) || (!starts && adjacent)
    if (last >= 0 && (startsWithLevel(line) || tail)) agencies[last] += ` ${line}`
    else if (starts || last < 0) agencies.push(line)
    else continue
    continues = /(^|\s)(VÀ|và)$/u.test(line)
    adjacent = motto < 0
  }
  while (agencies.length > 2) agencies.splice(-2, 2, `${agencies.at(-2)} ${agencies.at(-1)}`)
  // Phrases cut by a wrapped line (`… VÀ MOI` / `TRƯỜNG`) are whole again.
  return agencies.map(repairUpperLine)
}

/**
 * A mostly upper-case line without the lower-case scraps a seal or a rule leaves in OCR output
 * (`SỞ TÀI ind CHÍNH`, `HUYỆN co TÂN Ga hi PHƯỚC`).
 */
function withoutNoise(line: string): string {
  const words = line.split(' ')
  const kept = words.filter((word) => isUpperLine(word, 1) || /^[&-]$/.test(word))
  const dropped = words.filter((word) => !kept.includes(word))
  if (kept.length < 2 || dropped.length === 0 || kept.length / words.length < 0.5) return line
  if (dropped.some((word) => (word.match(/\p{L}/gu) ?? []).length > 3)) return line
  return kept.filter((word) => !/[^\p{L}&.,-]/u.test(word)).join(' ')
}

/**
 * The issuer (last header name) and parent agency (the one before) in normal case, the issuer's name
 * completed from its parent (`Sở Tài chính tỉnh Hòa Giang`); `place`, the date line's, may restore the marks
 * OCR took from the locality.
 */
export function readAgencies(lines: string[], place: string | undefined, penalty: number): Agencies {
  if (lines.length === 0) return { issuer: null, parentAgency: null }
  const names = lines.map((line) => withPlaceSpelling(agencyNameCase(line), place))
  const parent = names.length > 1 ? names[0]! : null
  const issuer = fullIssuerName(names[names.length - 1]!, parent)
  const confidence = 0.85 - penalty - (issuer.length < 6 ? 0.3 : 0)
  return {
    issuer: { value: issuer, confidence },
    parentAgency: parent ? { value: parent, confidence } : null,
  }
}

/** `Ủy ban nhân dân tỉnh Hòa Giang` → its body, level words (`tỉnh`, `thành phố`) and place name. */
function localityOf(name: string): { body: string; level: string; place: string } | null {
  const { body, locality } = splitLocality(name)
  if (!locality) return null
  const words = locality.split(' ')
  const levelWords = words.length > 2 && ['thành', 'thị'].includes(words[0]!) ? 2 : 1
  return { body, level: words.slice(0, levelWords).join(' '), place: words.slice(levelWords).join(' ') }
}

const sameName = (a: string, b: string) => fold(a) === fold(b)

/** The date line's place as the header's locality spells it, when that kept more of its marks. */
export function placeSpelling(place: Found<string> | null, agencyLines: string[]): Found<string> | null {
  if (!place) return null
  for (const line of agencyLines) {
    const header = localityOf(agencyNameCase(line))?.place
    if (header && sameName(header, place.value) && diacriticShare(header) > diacriticShare(place.value)) {
      return { value: header, confidence: place.confidence - 0.1 }
    }
  }
  return place
}

/** The header's locality as the date line spells it, when that kept more of its marks. */
function withPlaceSpelling(name: string, place: string | undefined): string {
  const locality = localityOf(name)
  if (!locality || !place || !sameName(locality.place, place)) return name
  if (diacriticShare(place) <= diacriticShare(locality.place)) return name
  return `${locality.body} ${locality.level} ${place}`
}
