import { describe, expect, it } from 'vitest'
import { parseDocumentFields, vietnamToday } from '../../src/documents/document-fields.ts'
import { findDocumentKind } from '../../src/documents/document-kinds.ts'
import { parseNumberNotation } from '../../src/documents/number-notation.ts'

describe('số, ký hiệu', () => {
  it.each([
    ['15/QĐ-UBND', '15', 'QĐ-UBND'],
    ['5/QĐ-SNV', '05', 'QĐ-SNV'],
    ['4862/UBND-KT', '4862', 'UBND-KT'],
    ['18/2025/QĐ-UBND', '18', '2025/QĐ-UBND'],
    ['45/KH-SGD&ĐT', '45', 'KH-SGD&ĐT'],
    ['12/TTr-UBND', '12', 'TTr-UBND'],
  ])('GIVEN %s WHEN parsed THEN number %s and notation %s', (text, number, notation) => {
    expect(parseNumberNotation(text)).toMatchObject({ codeNumber: number, codeNotation: notation })
  })

  it.each(['QĐ-UBND', '15/', '15/QĐ--UBND', '15 QĐ-UBND', '/QĐ', '15/QĐ-UBND-'])(
    'GIVEN the malformed %s WHEN parsed THEN it is refused',
    (text) => expect(parseNumberNotation(text)).toBeUndefined(),
  )
})

describe('document kinds', () => {
  it('GIVEN a name or an abbreviation in any case WHEN looked up THEN the decree kind is found', () => {
    expect(findDocumentKind('quyết định')).toEqual({ name: 'Quyết định', code: 'QĐ' })
    expect(findDocumentKind('QYĐ')).toEqual({ name: 'Quy định', code: 'QyĐ' })
    expect(findDocumentKind('Công văn')).toEqual({ name: 'Công văn', code: null })
    expect(findDocumentKind('Thư tình')).toBeUndefined()
  })
})

describe('document fields', () => {
  const today = '2026-11-27'

  it('GIVEN complete register fields WHEN parsed THEN they are normalised', () => {
    const result = parseDocumentFields(
      {
        direction: 'incoming',
        kind: 'QĐ',
        numberNotation: '5/QĐ-SNV',
        issuedDate: '2026-03-02',
        issuerName: 'Sở Nội vụ tỉnh Hòa Giang',
        subject: 'Về việc ban hành quy chế',
        urgency: 'Hỏa tốc',
        secrecy: '1',
      },
      today,
    )
    expect(result).toMatchObject({
      ok: true,
      value: { kind: 'Quyết định', kindCode: 'QĐ', codeNumber: '05', codeNotation: 'QĐ-SNV', urgency: 3, secrecy: 1 },
    })
  })

  it('GIVEN bad values WHEN parsed THEN each field gets its own Vietnamese and English error', () => {
    const result = parseDocumentFields(
      {
        direction: 'sideways',
        kind: 'Thư tình',
        numberNotation: 'QĐ 15',
        issuedDate: '2026-12-01',
        arrivalDate: '2026-02-30',
        subject: 'x'.repeat(501),
        urgency: 'rất gấp',
        colour: 'red',
      },
      today,
    )
    expect(result.ok).toBe(false)
    const errors = result.ok ? [] : result.errors
    expect(Object.fromEntries(errors.map((e) => [e.field, e.message]))).toEqual({
      direction: 'Giá trị không hợp lệ.',
      kind: 'Loại văn bản không có trong danh mục.',
      numberNotation: 'Số, ký hiệu không đúng định dạng (ví dụ: 15/QĐ-UBND).',
      issuedDate: 'Ngày không được ở tương lai.',
      arrivalDate: 'Ngày không hợp lệ (định dạng YYYY-MM-DD).',
      subject: 'Quá dài.',
      urgency: 'Giá trị không hợp lệ.',
      colour: 'Giá trị không hợp lệ.',
    })
    expect(errors.every((e) => e.messageEn.length > 0)).toBe(true)
  })

  it('GIVEN no direction WHEN parsed THEN it is required', () => {
    const result = parseDocumentFields({}, today)
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual(['direction'])
  })

  it('GIVEN 23:30 UTC WHEN today is asked in Vietnam THEN it is already the next day', () => {
    expect(vietnamToday(new Date('2026-11-26T23:30:00Z'))).toBe('2026-11-27')
    expect(vietnamToday(new Date('2026-11-26T16:59:59Z'))).toBe('2026-11-26')
  })
})
