import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedOfficeUser, signedInPage, startUiStage, type UiStage } from '../helpers/browser.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { REPO_ROOT, type ServiceProcess } from '../helpers/server-process.ts'

/**
 * Gợi ý on the registration screen, in Chromium: choosing the first file fills the empty register fields
 * from its text, marks them, keeps what the clerk typed and leaves the cursor where it was.
 */
const ADMIN_PASSWORD = 'Quản trị gợi ý văn bản 2026'
const CLERK = {
  username: 'vtgoiy',
  fullName: 'Phan Thị Gợi Ý',
  roles: ['clerk'],
  password: 'Văn thư nhận gợi ý văn bản',
}

let stage: UiStage
let server: ServiceProcess
const clerkPage = () => signedInPage(stage, CLERK, 15_000)

beforeAll(async () => {
  stage = await startUiStage(ADMIN_PASSWORD)
  server = stage.server
  await seedOfficeUser(server, ADMIN_PASSWORD, CLERK)
}, 120_000)

afterAll(async () => stage?.close())

describe('suggestions on the registration screen', () => {
  it('GIVEN a clerk who typed the issuer WHEN they choose a born-digital tờ trình THEN the empty fields are filled and marked, the issuer kept and the cursor stays', async () => {
    const { page, problems } = await clerkPage()
    await page.getByTestId('nav-register').click()
    await page.getByTestId('register-form').waitFor()
    await page.fill('[name="issuer"]', 'Sở Tài chính')
    await page.setInputFiles('input[name="file"]', corpusFile('003.pdf'))
    await page.focus('[name="issuer"]')
    await page.getByTestId('suggestion-result').waitFor()
    expect(await page.getByTestId('suggestion-result').textContent()).toContain('Đã điền sẵn')

    expect(await page.inputValue('[name="issuer"]')).toBe('Sở Tài chính')
    expect(await page.inputValue('[name="numberNotation"]')).toBe('438/TTr-STC')
    expect(await page.inputValue('[name="documentDate"]')).toBe('2024-11-18')
    expect(await page.inputValue('[name="kind"]')).toBe('Tờ trình')
    expect(await page.inputValue('[name="subject"]')).toContain('Về dự toán thu ngân sách nhà nước')
    expect(await page.inputValue('[name="signer"]')).toBe('Ngô Văn Thành')
    expect(await page.inputValue('[name="signerPosition"]')).toBe('GIÁM ĐỐC')
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('issuer')

    const badges = page.getByTestId('suggestion-badge')
    expect(await badges.count()).toBe(6)
    expect(await page.locator('label[for="issuer"] [data-testid="suggestion-badge"]').count()).toBe(0)
    expect(
      await page
        .locator('label[for="numberNotation"] [data-testid="suggestion-badge"]')
        .getAttribute('title'),
    ).toMatch(/độ tin cậy \d+%/)

    // Editing a suggested field makes it the clerk's: its mark goes.
    await page.fill('[name="signer"]', 'Ngô Văn Thành (đã kiểm tra)')
    expect(await page.locator('label[for="signer"] [data-testid="suggestion-badge"]').count()).toBe(0)
    await page.screenshot({
      path: path.join(REPO_ROOT, 'test-results/screenshots/register-suggestions.png'),
      fullPage: true,
    })

    await page.getByTestId('register-submit').click()
    await page.getByText('Đã đăng ký: số đến 1').waitFor()
    expect(problems, 'console errors or CSP violations').toEqual([])
  }, 60_000)
})
