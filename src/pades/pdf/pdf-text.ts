import { PDFHexString, PDFString } from 'pdf-lib'

// Printable ASCII without the characters that literal strings must escape.
const PLAIN_ASCII = /^[\x20-\x27\x2a-\x5b\x5d-\x7e]*$/

/**
 * A PDF text string: plain ASCII stays a literal string; anything else (Vietnamese diacritics)
 * becomes UTF-16BE with a byte-order mark, which every reader decodes (PDFDocEncoding cannot hold it).
 */
export function pdfTextString(text: string): PDFString | PDFHexString {
  return PLAIN_ASCII.test(text) ? PDFString.of(text) : PDFHexString.fromText(text)
}

const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000

/** `D:YYYYMMDDHHmmss+07'00'`: Vietnam has no daylight saving, so the offset is constant. */
export function pdfDateVietnam(date: Date): string {
  const local = new Date(date.getTime() + VIETNAM_OFFSET_MS)
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  const stamp =
    pad(local.getUTCFullYear(), 4) +
    pad(local.getUTCMonth() + 1) +
    pad(local.getUTCDate()) +
    pad(local.getUTCHours()) +
    pad(local.getUTCMinutes()) +
    pad(local.getUTCSeconds())
  return `D:${stamp}+07'00'`
}
