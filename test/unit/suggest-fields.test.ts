import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { COMPARED_FIELDS, type CorpusMeta, fieldMatches } from '../../src/suggest/field-accuracy.ts'
import { suggestFields } from '../../src/suggest/suggest-fields.ts'
import { corpusFile } from '../helpers/corpus.ts'

/** Below this a suggestion is shown as one to check (the UI's threshold). */
const LOW = 0.6

const truth = (id: string) => readFileSync(corpusFile(`${id}.txt`), 'utf8')
const meta = (id: string): CorpusMeta => JSON.parse(readFileSync(corpusFile(`${id}.meta.json`), 'utf8'))
const values = (text: string | string[]) =>
  Object.fromEntries(
    Object.entries(suggestFields(Array.isArray(text) ? text : [text])).map(([field, s]) => [
      field,
      s?.value ?? null,
    ]),
  )

describe('suggestFields on the corpus truths', () => {
  it('GIVEN a công văn with V/v and KHẨN (002) WHEN read THEN kind Công văn, the V/v subject and the urgency', () => {
    expect(values(truth('002'))).toMatchObject({
      issuer: 'Ủy ban nhân dân tỉnh Hòa Giang',
      parentAgency: null,
      numberNotation: '4862/UBND-KT',
      place: 'Hòa Giang',
      documentDate: '2025-09-15',
      kind: 'Công văn',
      subject: 'V/v đẩy nhanh tiến độ giải ngân vốn đầu tư công năm 2025',
      signer: 'Lê Văn Hùng',
      signerPosition: 'PHÓ CHỦ TỊCH',
      signerAuthority: ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH'],
      urgency: 'Khẩn',
      secrecy: null,
    })
  })

  it('GIVEN a legal normative decision (024) WHEN read THEN the number keeps its year', () => {
    expect(values(truth('024'))).toMatchObject({
      numberNotation: '18/2025/QĐ-UBND',
      kind: 'Quyết định',
      documentDate: '2025-05-20',
    })
  })

  it('GIVEN a tờ trình of a department (003) WHEN read THEN mixed-case TTr, the parent agency and the full issuer name', () => {
    expect(values(truth('003'))).toMatchObject({
      numberNotation: '438/TTr-STC',
      kind: 'Tờ trình',
      issuer: 'Sở Tài chính tỉnh Hòa Giang',
      parentAgency: 'Ủy ban nhân dân tỉnh Hòa Giang',
      signerPosition: 'GIÁM ĐỐC',
      signerAuthority: [],
    })
  })

  it('GIVEN notations with & (014, 015) WHEN read THEN they are kept whole, with Hỏa tốc on 015', () => {
    expect(values(truth('014'))).toMatchObject({
      numberNotation: '45/KH-SGD&ĐT',
      kind: 'Kế hoạch',
      issuer: 'Sở Giáo dục và Đào tạo tỉnh Hòa Giang',
    })
    expect(values(truth('015'))).toMatchObject({
      numberNotation: '1526/SGD&ĐT-VP',
      kind: 'Công văn',
      urgency: 'Hỏa tốc',
    })
  })

  it('GIVEN a secret notice of the Văn phòng (010) WHEN read THEN Mật, the Văn phòng of the parent and TL./KT. lines', () => {
    expect(values(truth('010'))).toMatchObject({
      secrecy: 'Mật',
      urgency: null,
      issuer: 'Văn phòng Ủy ban nhân dân tỉnh Hòa Giang',
      signerAuthority: ['TL. CHỦ TỊCH', 'KT. CHÁNH VĂN PHÒNG'],
      signerPosition: 'PHÓ CHÁNH VĂN PHÒNG',
    })
  })

  it('GIVEN a biên bản with two signer blocks (013, 022) WHEN read THEN the right-hand signer', () => {
    expect(values(truth('013'))).toMatchObject({
      signer: 'Cao Thị Hồng',
      signerPosition: 'CHỦ TỌA',
      kind: 'Biên bản',
    })
    expect(values(truth('022'))).toMatchObject({
      signer: 'Tô Văn Hậu',
      signerPosition: 'CHỦ TỊCH UBND XÃ',
      signerAuthority: ['ĐẠI DIỆN BÊN NHẬN'],
      issuer: 'Ủy ban nhân dân xã Phước Thạnh',
    })
  })

  it('GIVEN every corpus truth WHEN read THEN every field matches its metadata', () => {
    const misses: string[] = []
    for (let n = 1; n <= 24; n++) {
      const id = String(n).padStart(3, '0')
      const fields = suggestFields([truth(id)])
      for (const field of COMPARED_FIELDS)
        if (!fieldMatches(fields, meta(id), field)) misses.push(`${id} ${field}`)
    }
    expect(misses).toEqual([])
  })

  it('GIVEN the first and the last page WHEN the signer is only on the last THEN it is read from there', () => {
    const lines = truth('007').split('\n')
    const cut = lines.findIndex((line) => line.startsWith('II.'))
    const result = values([lines.slice(0, cut).join('\n'), lines.slice(cut).join('\n')])
    expect(result).toMatchObject({
      signer: 'Đỗ Minh Khoa',
      numberNotation: '18/KH-UBND',
      subject: 'Chuyển đổi số tỉnh Hòa Giang năm 2026',
    })
  })

  it('GIVEN any suggestion WHEN read THEN its confidence lies in 0..1', () => {
    for (const suggestion of Object.values(suggestFields([truth('011')]))) {
      if (suggestion) expect(suggestion.confidence).toBeGreaterThanOrEqual(0)
      if (suggestion) expect(suggestion.confidence).toBeLessThanOrEqual(1)
    }
  })
})

/** OCR-like damage made by hand on the header and signer of 003 (a department's tờ trình). */
describe('suggestFields on noisy text', () => {
  const body = truth('003').split('\n').slice(6).join('\n')

  it('GIVEN the two header columns read line by line (agency and motto interleaved) THEN the agencies are still apart from the motto', () => {
    const header = [
      'UBND TỈNH HÒA GIANG',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'SỞ TÀI CHÍNH',
      'Độc lập - Tự do - Hạnh phúc',
      '-------',
      'Số: 438/TTr-STC',
      'Hòa Giang, ngày 18 tháng 11 năm 2024',
    ]
    expect(values(`${header.join('\n')}\n${body}`)).toMatchObject({
      issuer: 'Sở Tài chính tỉnh Hòa Giang',
      parentAgency: 'Ủy ban nhân dân tỉnh Hòa Giang',
      numberNotation: '438/TTr-STC',
      documentDate: '2024-11-18',
    })
  })

  it('GIVEN both columns on one line each, S6: for Số: and extra spaces THEN the same fields', () => {
    const header = [
      'UBND TỈNH HÒA GIANG   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'SỞ TÀI CHÍNH  Độc lập - Tự do - Hạnh phúc',
      'S6:  438 / TTr-STC     Hòa Giang,  ngày18 tháng  11 năm 2024',
    ]
    const result = suggestFields([`${header.join('\n')}\n${body}`])
    expect(result.issuer?.value).toBe('Sở Tài chính tỉnh Hòa Giang')
    expect(result.numberNotation?.value).toBe('438/TTr-STC')
    expect(result.numberNotation?.confidence).toBeLessThan(0.95)
    expect(result.place?.value).toBe('Hòa Giang')
    expect(result.documentDate?.value).toBe('2024-11-18')
  })

  it('GIVEN a wrapped agency name, a date broken over two lines and old-style tones THEN they are joined and normalised', () => {
    const header = [
      'UBND TỈNH HOÀ GIANG',
      'SỞ KHOA HỌC VÀ CÔNG',
      'NGHỆ',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Số: 35/GM-SKHCN',
      'Hoà Giang, ngày 24 tháng 02',
      'năm 2026',
    ]
    expect(values(`${header.join('\n')}\n${truth('009').split('\n').slice(6).join('\n')}`)).toMatchObject({
      issuer: 'Sở Khoa học và Công nghệ tỉnh Hòa Giang',
      parentAgency: 'Ủy ban nhân dân tỉnh Hòa Giang',
      place: 'Hòa Giang',
      documentDate: '2026-02-24',
      kind: 'Giấy mời',
    })
  })

  it('GIVEN a kind line without diacritics and a QD code THEN Quyết định with the decree spelling QĐ, less sure', () => {
    const text = truth('001')
      .replace('QUYẾT ĐỊNH', 'QUYET DINH')
      .replace('Số: 2874/QĐ-UBND', 'Sô: 2874/QD-UBND')
    const result = suggestFields([text])
    expect(result.kind?.value).toBe('Quyết định')
    expect(result.numberNotation?.value).toBe('2874/QĐ-UBND')
    expect(result.kind!.confidence).toBeGreaterThan(0.6)
  })

  it('GIVEN signature and seal noise between the title and the name THEN the signer is still found, less sure', () => {
    const text = truth('003').replace('GIÁM ĐỐC\nNgô Văn Thành', 'GIÁM ĐỐC\n\n~ ốc\nnA/\nNgô Văn Thành')
    const result = suggestFields([text])
    expect(result.signer?.value).toBe('Ngô Văn Thành')
    expect(result.signerPosition?.value).toBe('GIÁM ĐỐC')
    expect(result.signer!.confidence).toBeLessThan(suggestFields([truth('003')]).signer!.confidence)
  })

  it('GIVEN stamps read with slips (THUONG KHAN, TUYÊT MẬT) THEN their labels', () => {
    const text = truth('021').replace('THƯỢNG KHẨN', 'THUONG KHAN\nTUYÊT MẬT')
    expect(values(text)).toMatchObject({ urgency: 'Thượng khẩn', secrecy: 'Tuyệt mật' })
  })

  it('GIVEN seal scraps in the header, a lost slash and lost marks THEN the names are cleaned and the number rebuilt, less sure', () => {
    const header = [
      'UBND TINH HÒA GIANG',
      'SỞ TÀI ind CHÍNH',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      '—x Độc lập ep - - Tự TW do - Hạnh phúc',
      'Số: 438TTr-STC',
      'Hoa Giang, ngày 18 thdng 11 năm 2024',
    ]
    const result = suggestFields([`${header.join('\n')}\n${body}`])
    expect(result.issuer?.value).toBe('Sở Tài chính tỉnh Hòa Giang')
    expect(result.parentAgency?.value).toBe('Ủy ban nhân dân tỉnh Hòa Giang')
    expect(result.numberNotation?.value).toBe('438/TTr-STC')
    expect(result.numberNotation!.confidence).toBeLessThan(LOW)
    expect(result.place?.value).toBe('Hòa Giang')
    expect(result.documentDate?.value).toBe('2024-11-18')
  })

  it('GIVEN printed lines without paragraph breaks THEN the trích yếu stops before the (indented) first body line', () => {
    const text = [
      ...truth('019').split('\n').slice(0, 8),
      'Về tăng cường công tác bảo đảm an toàn thực phẩm dịp Tết',
      'Nguyên đán Bính Ngọ và mùa Lễ hội Xuân năm 2026',
      'Dịp Tết Nguyên đán và mùa Lễ hội Xuân là thời điểm nhu cầu sản xuất, kinh',
      'doanh, tiêu dùng thực phẩm tăng cao; nguy cơ xảy ra ngộ độc thực phẩm, sử dụng',
    ].join('\n')
    expect(suggestFields([text]).subject?.value).toBe(meta('019').subject)
  })

  it('GIVEN a closing block read across both columns, with seal scraps and a title OCR garbled THEN the signer block', () => {
    const closing = [
      'Nơi nhận:',
      'TL. CHỦ TỊCH',
      '- Chủ tịch, các PCT UBND tỉnh;',
      'KT. CHÁNH VĂN PHÒNG',
      '- Các Sở: TC, NNMT, XD; 4 i X A',
      '- Lưu: VT, KT.',
      'PHO CHÁNH VĂN PHÒNG',
      'Vũ Thị Kim Oanh',
    ]
    expect(values(`${truth('010').split('Nơi nhận:')[0]}${closing.join('\n')}`)).toMatchObject({
      signer: 'Vũ Thị Kim Oanh',
      signerPosition: 'PHÓ CHÁNH VĂN PHÒNG',
      signerAuthority: ['TL. CHỦ TỊCH', 'KT. CHÁNH VĂN PHÒNG'],
    })
    const garbled = [
      'Nơi nhận:',
      'TM. ỦY BAN NHÂN DÂN',
      '- Như trên;',
      'HD CHỦ TỊCH',
      '- Lưu: VT, KT.',
      'z/ 7',
      '`>»>- Lê Văn Hùng',
    ]
    const result = suggestFields([`${truth('002').split('Nơi nhận:')[0]}${garbled.join('\n')}`])
    expect(result.signer?.value).toBe('Lê Văn Hùng')
    expect(result.signerPosition?.value).toBe('PHÓ CHỦ TỊCH')
    expect(result.signerAuthority?.value).toEqual(['TM. ỦY BAN NHÂN DÂN'])
    expect(result.signerPosition!.confidence).toBeLessThan(
      suggestFields([truth('002')]).signerPosition!.confidence,
    )
  })

  it('GIVEN a title half hidden by the seal under KT. THEN the deputy title (ký thay) is read, and a lone authority line still gives it', () => {
    const base = truth('006').split('Nơi nhận:')[0]
    const partial = [
      'Nơi nhận:',
      '- Lưu: VT, VTLT.',
      'KT. GIÁM ĐỐC',
      'IÁM ĐỐC',
      'Ấy',
      '4',
      'Trần Thị Minh Nguyệt',
    ]
    const result = suggestFields([`${base}${partial.join('\n')}`])
    expect(result.signerPosition?.value).toBe('PHÓ GIÁM ĐỐC')
    expect(result.signerPosition!.confidence).toBeLessThan(0.75)
    expect(result.signerAuthority?.value).toEqual(['KT. GIÁM ĐỐC'])
    const lost = ['Nơi nhận:', '- Lưu: VT, VTLT.', 'KT. GIÁM ĐỐC', '4', 'Trần Thị Minh Nguyệt']
    expect(suggestFields([`${base}${lost.join('\n')}`]).signerPosition?.value).toBe('PHÓ GIÁM ĐỐC')
    const noName = ['Nơi nhận:', '- Lưu: VT, NC.', 'U TỊCH', 'ơ', '7', 'PhapnrQuéc']
    expect(values(`${base}${noName.join('\n')}`)).toMatchObject({ signer: null, signerPosition: 'CHỦ TỊCH' })
  })

  it('GIVEN no text at all THEN every field is null', () => {
    expect(Object.values(suggestFields([''])).every((field) => field === null)).toBe(true)
    expect(Object.values(suggestFields([])).every((field) => field === null)).toBe(true)
  })
})
