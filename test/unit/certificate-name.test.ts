import { describe, expect, it } from 'vitest'
import { certificateNameWarning } from '../../src/signatures/credentials/certificate-name.ts'

describe('whether a signing certificate names its holder', () => {
  const subject = (cn: string, o = 'Ủy ban nhân dân tỉnh Hòa Giang') => `C=VN, O=${o}, CN=${cn}`

  it('GIVEN the holder’s own name, written in capitals, with extra spaces, decomposed, without accents or followed by a title THEN no warning', () => {
    for (const cn of ['Nguyễn Văn An', 'NGUYỄN VĂN AN', 'Nguyễn  Văn An', 'Nguyễn Văn An'.normalize('NFD'), 'Nguyen Van An', 'Nguyễn Văn An - Chủ tịch UBND']) {
      expect(certificateNameWarning(subject(cn), 'Nguyễn Văn An', 'personal'), cn).toBeUndefined()
    }
  })

  it('GIVEN another person’s certificate, or a name that only shares a part THEN a warning naming both, in Vietnamese and English', () => {
    const warning = certificateNameWarning(subject('Trần Văn Minh'), 'Nguyễn Văn An', 'personal')
    expect(warning).toMatchObject({ certificateName: 'Trần Văn Minh', expectedName: 'Nguyễn Văn An' })
    expect(warning!.message).toContain('khác tên tài khoản')
    expect(warning!.messageEn).toContain('not the account')
    expect(certificateNameWarning(subject('Nguyễn Văn Anh'), 'Nguyễn Văn An', 'personal')).toBeDefined()
    expect(certificateNameWarning(subject('Văn An'), 'Nguyễn Văn An', 'personal')).toBeDefined()
  })

  it('GIVEN the seal certificate THEN its CN or O must hold the agency name', () => {
    expect(certificateNameWarning(subject('Ủy ban nhân dân tỉnh Hòa Giang'), 'Ủy ban nhân dân tỉnh Hòa Giang', 'agency-seal')).toBeUndefined()
    expect(certificateNameWarning(subject('Con dấu số'), 'Ủy ban nhân dân tỉnh Hòa Giang', 'agency-seal')).toBeUndefined()
    const warning = certificateNameWarning(subject('Sở Tài chính', 'Sở Tài chính tỉnh Hòa Giang'), 'Ủy ban nhân dân tỉnh Hòa Giang', 'agency-seal')
    expect(warning).toMatchObject({ certificateName: 'Sở Tài chính' })
    expect(warning!.message).toContain('khác tên cơ quan')
  })

  it('GIVEN no expected name THEN no warning (nothing to compare)', () => {
    expect(certificateNameWarning(subject('Ai đó'), undefined, 'personal')).toBeUndefined()
    expect(certificateNameWarning(subject('Ai đó'), '  ', 'personal')).toBeUndefined()
  })
})
