import { describe, expect, it } from 'vitest'
import { contentDisposition, parseRange } from '../../src/documents/download-headers.ts'
import { declaredMediaType, sniffMediaType } from '../../src/documents/media-types.ts'
import { safeFileName } from '../../src/documents/documents.service.ts'
import { canonicalJson } from '../../src/audit/canonical-json.ts'

describe('Content-Disposition', () => {
  it('GIVEN a Vietnamese file name WHEN encoded THEN an ASCII fallback and the exact UTF-8 name are sent', () => {
    expect(contentDisposition('Quyết định số 15 (đợt 1).pdf', 'attachment')).toBe(
      `attachment; filename="Quyet dinh so 15 (dot 1).pdf"; filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%20s%E1%BB%91%2015%20%28%C4%91%E1%BB%A3t%201%29.pdf`,
    )
  })

  it('GIVEN quotes and percent signs WHEN encoded THEN the header cannot be broken out of', () => {
    const header = contentDisposition('a"b%c\\.pdf', 'inline')
    expect(header.startsWith('inline; filename="a_b_c_.pdf"')).toBe(true)
  })

  it('GIVEN a path or control characters in an uploaded name WHEN cleaned THEN only the base name remains', () => {
    expect(safeFileName('C:\\Users\\vt\\Công văn.pdf')).toBe('Công văn.pdf')
    expect(safeFileName('../../etc/passwd')).toBe('passwd')
    expect(safeFileName('a\r\nb.pdf')).toBe('ab.pdf')
    expect(safeFileName('')).toBe('tai-lieu')
  })

  it('GIVEN a 460-character name WHEN cleaned THEN it is cut after a whole word, marked with "…", and keeps its extension', () => {
    const long = `${'Công văn số 1562 về việc triển khai kế hoạch chuyển đổi số năm 2026 '.repeat(7).slice(0, 456)}.pdf`
    const name = safeFileName(long)
    expect(name.length).toBeLessThanOrEqual(255)
    expect(name.endsWith('….pdf')).toBe(true)
    expect(long.startsWith(name.slice(0, -5))).toBe(true)
    // The cut falls at a word's end: the character after it in the original is a space.
    expect(long[name.length - 5]).toBe(' ')
  })

  it('GIVEN a name stored with a right-to-left override before uploads were cleaned WHEN served THEN the header carries none', () => {
    const header = contentDisposition('invoice\u202efdp.exe', 'attachment')
    expect(header).toBe(`attachment; filename="invoicefdp.exe"; filename*=UTF-8''invoicefdp.exe`)
    expect(safeFileName('\u202e\u2067')).toBe('tai-lieu')
  })
})

describe('Range', () => {
  it.each([
    ['bytes=0-99', { start: 0, end: 99 }],
    ['bytes=100-', { start: 100, end: 999 }],
    ['bytes=-100', { start: 900, end: 999 }],
    ['bytes=990-5000', { start: 990, end: 999 }],
  ])('GIVEN %s of a 1000-byte file WHEN parsed THEN the range is %o', (header, range) => {
    expect(parseRange(header, 1000)).toEqual({ kind: 'range', range })
  })

  it('GIVEN a range past the end WHEN parsed THEN it is unsatisfiable', () => {
    expect(parseRange('bytes=1000-', 1000)).toEqual({ kind: 'unsatisfiable' })
    expect(parseRange('bytes=-0', 1000)).toEqual({ kind: 'unsatisfiable' })
  })

  it('GIVEN several ranges or another unit WHEN parsed THEN the whole file is sent', () => {
    expect(parseRange('bytes=0-1,5-6', 1000)).toEqual({ kind: 'none' })
    expect(parseRange('pages=1-2', 1000)).toEqual({ kind: 'none' })
  })
})

describe('media types', () => {
  it('GIVEN magic bytes WHEN sniffed THEN the type is recognised', () => {
    expect(sniffMediaType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf')
    expect(sniffMediaType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('image/png')
    expect(sniffMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg')
    expect(sniffMediaType(Buffer.from([0x4d, 0x4d, 0x00, 0x2a]))).toBe('image/tiff')
    expect(sniffMediaType(Buffer.from('PK\x03\x04'))).toBeUndefined()
  })

  it('GIVEN a generic declared type WHEN resolved THEN the extension decides, and unknown ones are refused', () => {
    expect(declaredMediaType('application/octet-stream', 'scan.TIF')).toBe('image/tiff')
    expect(declaredMediaType(undefined, 'no-extension')).toBeUndefined()
    expect(() => declaredMediaType('application/msword', 'x.doc')).toThrow(/Unsupported file type/)
    expect(() => declaredMediaType('application/octet-stream', 'x.docx')).toThrow(/Unsupported file type/)
  })
})

describe('canonical JSON', () => {
  it('GIVEN the same value with keys in another order WHEN serialised THEN the bytes are identical', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'đ' } })).toBe(
      canonicalJson({ a: { c: 'đ', d: [1, { y: 2, z: 1 }] }, b: 1 }),
    )
    expect(canonicalJson({ b: undefined, a: null })).toBe('{"a":null}')
  })
})
