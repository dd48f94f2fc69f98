import { type Agencies, headerAgencyLines, placeSpelling, readAgencies } from './header-agencies.ts'
import {
  type Found,
  kindOfNotation,
  readDateLine,
  readKindLine,
  readMark,
  readNumberNotation,
  SUBJECT_VV,
} from './header-fields.ts'
import { findSignerBlock } from './signer-block.ts'
import { diacriticShare, fold, isRule, isUpperLine, pageLines } from './text-lines.ts'

/** One proposed value and how sure the reader is of it (0..1; below 0.6 the clerk should check it). */
export interface FieldSuggestion<T = string> {
  value: T
  confidence: number
}

/**
 * Register fields proposed from a document's text, named as POST /api/incoming takes them (issuer,
 * numberNotation, documentDate as YYYY-MM-DD, kind as the name in document-kinds, subject, signer,
 * signerPosition, urgency / secrecy as their labels), plus what the clerk may want to see (parent agency,
 * place, authority lines). null: nothing found (for urgency and secrecy: no stamp, i.e. Thường).
 */
export interface FieldSuggestions {
  issuer: FieldSuggestion | null
  parentAgency: FieldSuggestion | null
  numberNotation: FieldSuggestion | null
  place: FieldSuggestion | null
  documentDate: FieldSuggestion | null
  kind: FieldSuggestion | null
  subject: FieldSuggestion | null
  signer: FieldSuggestion | null
  signerPosition: FieldSuggestion | null
  signerAuthority: FieldSuggestion<string[]> | null
  urgency: FieldSuggestion | null
  secrecy: FieldSuggestion | null
}

/** How far down the first page the header (up to the tên loại and trích yếu) is looked for. */
const HEADER_DEPTH = 40
/** Lines that open the body, after the trích yếu. */
const BODY_START = /^(kinh gui|can cu|thuc hien|theo|thoi gian|dia diem|ngay \d|nam \d|hom nay)\b/
const MAX_SUBJECT_LINES = 4

const round = (n: number) => Math.round(Math.max(0, Math.min(1, n)) * 100) / 100
const found = (value: string, confidence: number): FieldSuggestion => ({
  value,
  confidence: round(confidence),
})

/**
 * Proposes the register fields from the text of a document's pages (text layer or OCR, in reading order).
 * The header fields come from the first page, the signer from the last page that has a signer block.
 */
export function suggestFields(pages: string[]): FieldSuggestions {
  const first = pageLines(pages[0] ?? '')
  const lines = first.slice(0, HEADER_DEPTH)
  const header = readHeader(lines)
  const signer = readSigner(pages)
  const accents = diacriticShare(first.join(' '))
  // Text without (most of) its diacritics is OCR gone wrong: names read from it are less certain.
  const textPenalty = accents < 0.15 ? 0.25 : 0
  return {
    ...header.agencies(textPenalty),
    numberNotation: header.number ? found(header.number.value, header.number.confidence) : null,
    place: header.place ? found(header.place.value, header.place.confidence - textPenalty) : null,
    documentDate: header.date ? found(header.date.value, header.date.confidence) : null,
    kind: header.kind,
    subject: header.subject ? found(header.subject.value, header.subject.confidence - textPenalty) : null,
    signer: signer?.name ? found(signer.name, signer.nameConfidence - textPenalty) : null,
    signerPosition: signer?.title ? found(signer.title, signer.confidence - textPenalty) : null,
    signerAuthority: signer
      ? { value: signer.authority, confidence: round(signer.confidence - textPenalty) }
      : null,
    urgency: header.urgency,
    secrecy: header.secrecy,
  }
}

interface Header {
  number: Found<string> | null
  date: Found<string> | null
  place: Found<string> | null
  kind: FieldSuggestion | null
  subject: Found<string> | null
  urgency: FieldSuggestion | null
  secrecy: FieldSuggestion | null
  agencies: (penalty: number) => Pick<FieldSuggestions, 'issuer' | 'parentAgency'>
}

function readHeader(lines: string[]): Header {
  let number: Found<string> | null = null
  let numberAt = -1
  let dateLine: ReturnType<typeof readDateLine> = null
  let dateAt = -1
  let kindAt = -1
  let kindLine: ReturnType<typeof readKindLine> = null
  let vvAt = -1
  const marks: Record<'urgency' | 'secrecy', FieldSuggestion | null> = { urgency: null, secrecy: null }
  for (const [i, line] of lines.entries()) {
    if (!number) {
      number = readNumberNotation(line)
      if (number) numberAt = i
    }
    if (!dateLine) {
      // OCR may break the date line after `ngày` or `tháng`: try it joined with the next line.
      dateLine =
        readDateLine(line, lines[i - 1]) ??
        (/ngay/.test(fold(line)) ? readDateLine(`${line} ${lines[i + 1] ?? ''}`, lines[i - 1]) : null)
      if (dateLine) dateAt = i
    }
    if (kindAt < 0 && vvAt < 0) {
      kindLine = readKindLine(line)
      if (kindLine) kindAt = i
      else if (SUBJECT_VV.test(line)) vvAt = i
    }
    const mark = kindAt < 0 || i < kindAt ? readMark(line) : null
    if (mark && !marks[mark.field]) marks[mark.field] = { value: mark.label, confidence: mark.confidence }
  }
  const ends = [numberAt, dateAt, kindAt, vvAt].filter((i) => i >= 0)
  const agencyLines = headerAgencyLines(lines.slice(0, ends.length > 0 ? Math.min(...ends) + 1 : 8))
  const place = placeSpelling(dateLine?.place ?? null, agencyLines)
  return {
    number,
    date: dateLine?.date ?? null,
    place,
    kind: kindOf(kindLine, vvAt >= 0, number),
    subject: readSubject(lines, vvAt >= 0 ? vvAt : kindAt, vvAt >= 0),
    ...marks,
    agencies: (penalty) => roundAgencies(readAgencies(agencyLines, place?.value, penalty)),
  }
}

function kindOf(
  line: Found<{ name: string }> | null,
  vv: boolean,
  number: Found<string> | null,
): FieldSuggestion | null {
  const byCode = number ? kindOfNotation(number.value) : undefined
  if (vv) return found('Công văn', byCode ? 0.6 : 0.9)
  if (line) {
    const agrees = byCode?.name === line.value.name
    return found(
      line.value.name,
      agrees ? Math.max(line.confidence, 0.95) : byCode ? line.confidence - 0.2 : line.confidence,
    )
  }
  return byCode ? found(byCode.name, 0.7) : null
}

/**
 * The trích yếu: the line(s) after the tên loại, or the `V/v …` line(s) of a công văn. Extracted text keeps
 * the printed lines, without paragraph breaks: a centred bold trích yếu goes on to the next line only when
 * its line is long (it wrapped) and the next one is not as long as a justified body line, nor opens or
 * announces the body.
 */
function readSubject(lines: string[], at: number, vv: boolean): Found<string> | null {
  if (at < 0) return null
  const parts: string[] = vv ? [lines[at]!.replace(SUBJECT_VV, 'V/v ')] : []
  let i = at + 1
  if (!vv) while (i < lines.length && lines[i] === '') i++
  for (; i < lines.length && parts.length < MAX_SUBJECT_LINES; i++) {
    const line = lines[i]!
    if (parts.length > 0 && !continuesSubject(parts.at(-1)!, line, vv)) break
    if (line === '' || isRule(line) || BODY_START.test(fold(line)) || readMark(line)) break
    if (isUpperLine(line) && !(parts.length === 0 && !vv)) break
    if (
      /^[-+•]\s/.test(line) ||
      /^\d+\.\s/.test(line) ||
      readNumberNotation(line) ||
      readDateLine(line, undefined)
    )
      break
    parts.push(line)
  }
  if (parts.length === 0) return null
  const value = parts.join(' ').replace(/\s+/g, ' ').trim()
  return { value, confidence: parts.length > 2 ? 0.7 : 0.85 }
}

/**
 * In characters, for A4 in 13–14 pt (ND30 Phụ lục I): a trích yếu line that wrapped is at least this long (a
 * bold centred line holds ~55–66), a justified body line (even indented) at least that long.
 */
const WRAPPED_SUBJECT = 52
const BODY_LINE = 68

function continuesSubject(previous: string, line: string, vv: boolean): boolean {
  if (/[:;]$/.test(line) || line.length >= BODY_LINE) return false
  // The V/v of a công văn sits in the narrow left column: its lines are short even when it wraps.
  return vv || previous.length >= WRAPPED_SUBJECT
}

function roundAgencies({
  issuer,
  parentAgency,
}: Agencies): Pick<FieldSuggestions, 'issuer' | 'parentAgency'> {
  return {
    issuer: issuer ? found(issuer.value, issuer.confidence) : null,
    parentAgency: parentAgency ? found(parentAgency.value, parentAgency.confidence) : null,
  }
}

function readSigner(pages: string[]) {
  for (let p = pages.length - 1; p >= 0; p--) {
    const block = findSignerBlock(pageLines(pages[p]!))
    if (block) return block
  }
  return null
}
