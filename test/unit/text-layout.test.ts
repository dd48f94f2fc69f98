import { describe, expect, it } from 'vitest'
import { readingOrder, type TextBox, twoColumnRegions } from '../../src/text/layout.ts'
import { ocrReadingOrder } from '../../src/text/ocr-page.ts'
import type { OcrWord } from '../../src/text/ocr-pool.ts'
import {
  characterErrorRate,
  editDistance,
  normaliseForComparison,
  wordRecall,
} from '../../src/text/quality.ts'

// Coordinates as on an A4 page in points, y downwards (baseline), 13 pt type.
const box = (text: string, x0: number, x1: number, y: number, height = 13): TextBox => ({
  text,
  x0,
  x1,
  y,
  height,
})

describe('reading order of a page (layout)', () => {
  it('GIVEN the two-column header WHEN read THEN agency, motto, Số, date, V/v and stamp come row by row', () => {
    const boxes = [
      box('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 279, 550, 83),
      box('ỦY BAN NHÂN DÂN', 107, 229, 83),
      box('TỈNH HÒA GIANG', 111, 225, 98),
      box('Độc lập - Tự do - Hạnh phúc', 335, 494, 98),
      box('Số: 4862/UBND-KT', 114, 222, 122),
      box('Hòa Giang, ngày 15 tháng 9 năm 2025', 312, 516, 122),
      box('V/v đẩy nhanh tiến độ giải ngân vốn', 81, 256, 139, 12),
      box('đầu tư công năm 2025', 115, 222, 153, 12),
      box('KHẨN', 149, 188, 177),
      box('Kính gửi: - Các sở, ban, ngành tỉnh;', 167, 355, 213),
    ]
    expect(readingOrder(boxes).split('\n')).toEqual([
      'ỦY BAN NHÂN DÂN',
      'TỈNH HÒA GIANG',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Số: 4862/UBND-KT',
      'Hòa Giang, ngày 15 tháng 9 năm 2025',
      'V/v đẩy nhanh tiến độ giải ngân vốn',
      'đầu tư công năm 2025',
      'KHẨN',
      'Kính gửi: - Các sở, ban, ngành tỉnh;',
    ])
  })

  it('GIVEN a closing block WHEN read THEN the whole Nơi nhận list comes before the signer block', () => {
    const boxes = [
      box('định này./.', 91, 145, 299),
      box('Nơi nhận:', 87, 138, 329, 12),
      box('TM. ỦY BAN NHÂN DÂN', 347, 497, 330),
      box('- Như Điều 3;', 87, 148, 342, 11),
      box('CHỦ TỊCH', 389, 454, 345),
      box('- Bộ Tài chính;', 87, 154, 355, 11),
      box('- Lưu: VT, KT.', 87, 155, 367, 11),
      box('Phạm Quốc Thắng', 365, 478, 434, 14),
    ]
    expect(readingOrder(boxes).split('\n')).toEqual([
      'định này./.',
      'Nơi nhận:',
      '- Như Điều 3;',
      '- Bộ Tài chính;',
      '- Lưu: VT, KT.',
      'TM. ỦY BAN NHÂN DÂN',
      'CHỦ TỊCH',
      'Phạm Quốc Thắng',
    ])
  })

  it('GIVEN a biên bản with two signer blocks WHEN read THEN left titles, right titles, left name, right name', () => {
    const boxes = [
      box('ĐẠI DIỆN BÊN GIAO', 123, 250, 299),
      box('ĐẠI DIỆN BÊN NHẬN', 354, 485, 299),
      box('NGUYÊN CHỦ TỊCH UBND XÃ', 93, 280, 315),
      box('CHỦ TỊCH UBND XÃ', 356, 484, 315),
      box('PHƯỚC HÒA', 146, 227, 330),
      box('Lâm Văn Tới', 146, 227, 419, 14),
      box('Tô Văn Hậu', 383, 457, 419, 14),
    ]
    expect(readingOrder(boxes).split('\n')).toEqual([
      'ĐẠI DIỆN BÊN GIAO',
      'NGUYÊN CHỦ TỊCH UBND XÃ',
      'PHƯỚC HÒA',
      'ĐẠI DIỆN BÊN NHẬN',
      'CHỦ TỊCH UBND XÃ',
      'Lâm Văn Tới',
      'Tô Văn Hậu',
    ])
  })

  it('GIVEN page 2 WHEN its top line is a lone number THEN it is dropped as a page number', () => {
    const boxes = [box('2', 317, 324, 31), box('Điều 3. Quyết định này có hiệu lực', 119, 400, 97)]
    expect(readingOrder(boxes, { dropPageNumber: true })).toBe('Điều 3. Quyết định này có hiệu lực')
    expect(readingOrder(boxes)).toBe('2\nĐiều 3. Quyết định này có hiệu lực')
  })

  it('GIVEN pieces of one word split by a style change WHEN joined THEN no space is inserted without a gap', () => {
    const boxes = [
      box('Điều 1.', 119, 159.5, 100),
      box(' ', 159.5, 164.1, 100),
      box('Giao chi tiết', 164.1, 250, 100),
    ]
    expect(readingOrder(boxes)).toBe('Điều 1. Giao chi tiết')
    expect(readingOrder([box('Hòa', 100, 120, 50), box('Giang', 124, 150, 50)])).toBe('Hòa Giang')
  })
})

describe('reading order of OCR words', () => {
  // A 300-dpi scan turned by about 0.6°: the right column sits 10 px lower per 1000 px.
  const skew = 0.01
  const word = (text: string, x0: number, x1: number, line: number, confidence = 95): OcrWord => ({
    text,
    x0,
    x1,
    baseline: line + skew * ((x0 + x1) / 2),
    lineHeight: 50,
    confidence,
    y0: line - 40,
    y1: line + 10,
  })
  const page = (words: OcrWord[]) => ({ text: '', confidence: 90, words, skew, pdf: null })

  it('GIVEN a skewed closing block with signature specks WHEN ordered THEN the list precedes the signer, specks dropped', () => {
    const words = [
      word('Nơi', 360, 435, 1377),
      word('nhận:', 450, 570, 1377),
      word('TM.', 1440, 1540, 1380),
      word('ỦY', 1560, 1630, 1380),
      word('BAN', 1650, 1760, 1380),
      word('-', 360, 373, 1434),
      word('Như', 387, 468, 1434),
      word('Điều', 480, 566, 1434),
      word('3;', 580, 610, 1434),
      word('p<', 1415, 1570, 1432, 30),
      word('CHỦ', 1640, 1740, 1432),
      word('TỊCH', 1754, 1890, 1432),
      word('°\\', 1700, 1764, 1486, 63),
      word('-', 360, 373, 1486),
      word('Lưu:', 388, 471, 1486),
      word('VT.', 487, 557, 1486),
      word('Phạm', 1523, 1656, 1816),
      word('Thắng', 1695, 1814, 1816),
    ]
    expect(ocrReadingOrder(page(words), 1).split('\n')).toEqual([
      'Nơi nhận:',
      '- Như Điều 3;',
      '- Lưu: VT.',
      'TM. ỦY BAN',
      'CHỦ TỊCH',
      'Phạm Thắng',
    ])
  })

  it('GIVEN boxes with ids WHEN two-column regions are asked for THEN each column lists its ids', () => {
    const boxes = [
      { ...box('Nơi nhận:', 87, 138, 329), ids: [0] },
      { ...box('TM. ỦY BAN NHÂN DÂN', 347, 497, 330), ids: [1] },
      { ...box('- Lưu: VT.', 87, 148, 342), ids: [2] },
      { ...box('Phạm Quốc Thắng', 365, 478, 434), ids: [3] },
    ]
    expect(twoColumnRegions(boxes)).toEqual([{ left: [0, 2], right: [1, 3] }])
  })
})

describe('text quality measures', () => {
  it('GIVEN texts differing in whitespace and Unicode form WHEN normalised THEN they are equal', () => {
    expect(normaliseForComparison('Ho\u0300a  Giang\n\tngày ')).toBe('Hòa Giang ngày')
    expect(characterErrorRate('Hòa Giang\nngày', 'Hòa   Giang ngày')).toBe(0)
  })

  it('GIVEN edits WHEN measured THEN CER is Levenshtein distance over the truth length', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(editDistance('', 'abc')).toBe(3)
    expect(characterErrorRate('Hoa Giang', 'Hòa Giang')).toBeCloseTo(1 / 9)
    expect(characterErrorRate('', '')).toBe(0)
  })

  it('GIVEN repeated and reordered words WHEN word recall is measured THEN it counts each occurrence once', () => {
    expect(wordRecall('Giang Hòa', 'Hòa Giang')).toBe(1)
    expect(wordRecall('các sở', 'các sở các xã')).toBe(0.5)
  })
})
