import { describe, expect, it } from 'vitest'
import { pdftotext } from '../helpers/pdf-peers.ts'
import { renderIncomingRegisterPdf } from '../../src/registers/register-export.pdf.ts'
import type { RegisterLine } from '../../src/registers/register-sheet.ts'

/**
 * Issue 11 defect 13: the printed register cut "1562/QĐ-UBND" inside a token ("1562/QĐ-UBN" + "D").
 * Rendered for real and read back with poppler's pdftotext.
 */
describe('register PDF: số, ký hiệu in a narrow column', () => {
  it('GIVEN "1562/QĐ-UBND" wider than the Số, ký hiệu column WHEN the register is printed THEN it breaks only after "/" or "-"', async () => {
    const line: RegisterLine = ['07/12/2026', '1', 'UBND tỉnh Hòa Giang', '1562/QĐ-UBND', '05/12/2026', 'Quyết định về việc phê duyệt kế hoạch', 'Phòng Kinh tế', '', '', '']
    const pdf = await renderIncomingRegisterPdf({ agencyName: 'Ủy ban nhân dân tỉnh Hòa Giang', from: '2026-12-01', to: '2026-12-07', lines: [line] })
    const text = pdftotext(pdf)
    const words = text.split(/\s+/).filter(Boolean)
    // Too wide for one line: "1562/QĐ-" then "UBND" below it, never "1562/QĐ-UBN" and a lone "D".
    expect(words).toContain('1562/QĐ-')
    expect(words.filter((w) => w === 'UBND').length).toBeGreaterThanOrEqual(1)
    expect(words).not.toContain('1562/QĐ-UBN')
    expect(words).not.toContain('D')
  })
})
