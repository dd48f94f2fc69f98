/**
 * Số, ký hiệu as printed after "Số:" (spec §2): `15/QĐ-UBND`, `05/BNV-VP`, `30/2020/NĐ-CP`, `45/KH-SGD&ĐT`.
 * Groups are letters, digits or `&`, joined by `-`; legal normative documents carry the year.
 */
const NUMBER_NOTATION = /^(\d{1,6})(?:\/(\d{4}))?\/([\p{L}\p{N}&]+(?:-[\p{L}\p{N}&]+)*)$/u

export interface NumberNotation {
  /** The number as printed (zero-padded below 10). */
  codeNumber: string
  /** Everything after the first slash, e.g. `QĐ-UBND` or `2020/NĐ-CP`. */
  codeNotation: string
  year: number | undefined
}

export function parseNumberNotation(text: string): NumberNotation | undefined {
  const match = NUMBER_NOTATION.exec(text.normalize('NFC').replace(/\s+/g, ''))
  if (!match) return undefined
  const [, number, year, notation] = match
  return {
    codeNumber: padNumber(number!),
    codeNotation: year ? `${year}/${notation}` : notation!,
    year: year ? Number(year) : undefined,
  }
}

/** ND30: Arabic numbers below 10 are written with a leading zero (01…09). */
export function padNumber(number: string): string {
  const value = String(Number(number))
  return value.length === 1 ? `0${value}` : value
}

export function formatNumberNotation(codeNumber: string, codeNotation: string): string {
  return `${codeNumber}/${codeNotation}`
}
