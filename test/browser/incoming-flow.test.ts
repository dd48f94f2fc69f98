import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Browser, ConsoleMessage, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startUiStage, type UiStage, watchPageProblems } from '../helpers/browser.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { REPO_ROOT, type ServiceProcess } from '../helpers/server-process.ts'

/**
 * Issue 4's walk-through in a real browser: a clerk registers a scanned PDF from the corpus and submits
 * it, the leader directs it with a deadline, the officer completes it; the timeline shows each step and
 * the audit chain verifies.
 */
const ADMIN_PASSWORD = 'Quản trị luồng văn bản đến 2026'
const PEOPLE = {
  clerk: { username: 'vtvanphong', fullName: 'Nguyễn Thị Văn Phòng', roles: ['clerk'], password: 'Văn thư tiếp nhận văn bản' },
  leader: { username: 'ldchutich', fullName: 'Trần Văn Chủ Tịch', roles: ['leader'], password: 'Lãnh đạo chỉ đạo văn bản' },
  officer: { username: 'cvkinhte', fullName: 'Lê Thị Kinh Tế', roles: ['officer'], password: 'Chuyên viên xử lý văn bản' },
}
const EXPECTED_401 = /\/api\/auth\/session$/
const expected401 = (message: ConsoleMessage) => message.text().includes('status of 401') && EXPECTED_401.test(message.location().url)

let stage: UiStage
let server: ServiceProcess
let browser: Browser
const problems: string[] = []

const url = (pathname: string) => `${server.baseUrl}${pathname}`
async function api<T>(method: string, pathname: string, body: unknown, bearer?: string): Promise<T> {
  const response = await fetch(url(pathname), {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${pathname} answered ${response.status}: ${text}`)
  return (text ? JSON.parse(text) : undefined) as T
}
const bearerFor = async (username: string, password: string) =>
  (await api<{ token: string }>('POST', '/api/auth/token', { username, password })).token

/** A new browser context signed in as the person. */
async function signedIn(person: (typeof PEOPLE)[keyof typeof PEOPLE]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' })
  context.setDefaultTimeout(15_000)
  const page = await context.newPage()
  const seen = await watchPageProblems(page, expected401)
  page.on('close', () => problems.push(...seen))
  await page.goto(url('/login'))
  await page.fill('#username', person.username)
  await page.fill('#password', person.password)
  await page.getByTestId('login-submit').click()
  await expect.poll(async () => (await page.getByTestId('current-user').textContent()) ?? '', { timeout: 15_000 }).toContain(person.fullName)
  return page
}

beforeAll(async () => {
  stage = await startUiStage(ADMIN_PASSWORD)
  server = stage.server
  browser = stage.browser
  const admin = await bearerFor('admin', ADMIN_PASSWORD)
  const office = await api<{ id: string }>('POST', '/api/admin/departments', { name: 'Văn phòng', abbreviation: 'VP' }, admin)
  const economy = await api<{ id: string }>('POST', '/api/admin/departments', { name: 'Phòng Kinh tế', abbreviation: 'KT' }, admin)
  await api('POST', '/api/admin/users', { ...PEOPLE.clerk, departmentId: office.id }, admin)
  await api('POST', '/api/admin/users', { ...PEOPLE.leader, departmentId: office.id }, admin)
  await api('POST', '/api/admin/users', { ...PEOPLE.officer, departmentId: economy.id }, admin)
}, 120_000)

afterAll(async () => stage?.close())

describe('an incoming document from registration to completion, in Chromium', () => {
  it('GIVEN a scanned PDF WHEN the clerk registers and submits it, the leader directs it and the officer completes it THEN the timeline shows every step and the audit chain verifies', async () => {
    const meta = JSON.parse(await readFile(corpusFile('003.meta.json'), 'utf8')) as Record<string, string>

    // Văn thư: register the scan and submit it to the leader.
    const clerk = await signedIn(PEOPLE.clerk)
    await clerk.getByTestId('nav-register').click()
    await clerk.getByTestId('register-form').waitFor()
    await clerk.setInputFiles('input[name="file"]', corpusFile('003.scan.pdf'))
    await clerk.getByTestId('file-item').first().waitFor()
    await clerk.fill('[name="issuer"]', meta.issuer!)
    await clerk.fill('[name="numberNotation"]', meta.number_notation!)
    await clerk.fill('[name="documentDate"]', meta.issued_date!)
    await clerk.selectOption('[name="kind"]', { label: meta.kind! })
    await clerk.fill('[name="subject"]', meta.subject!)
    await clerk.getByTestId('register-submit').click()
    await clerk.getByText('Đã đăng ký: số đến 1').waitFor()
    await clerk.getByTestId('register-open').click()
    await clerk.getByTestId('page-document').waitFor()
    const documentUrl = new URL(clerk.url()).pathname
    await clerk.getByTestId('routing-submit').click()
    const leaderOption = clerk.locator('#routing-leader-id option', { hasText: PEOPLE.leader.fullName })
    await clerk.selectOption('#routing-leader-id', (await leaderOption.getAttribute('value')) ?? '')
    await clerk.fill('#routing-comment', 'Kính trình đồng chí Chủ tịch cho ý kiến chỉ đạo.')
    await clerk.getByTestId('routing-confirm').click()
    await expect.poll(async () => clerk.getByTestId('routing-status').textContent()).toContain('Chờ chỉ đạo')
    await clerk.close()

    // Lãnh đạo: direct Phòng Kinh tế to lead, with a deadline.
    const leader = await signedIn(PEOPLE.leader)
    await leader.goto(url(documentUrl))
    await leader.getByTestId('routing-direct').click()
    await leader.selectOption('#routing-lead-department', { label: 'Phòng Kinh tế' })
    await leader.fill('#routing-deadline', '2026-12-31')
    await leader.fill('#routing-comment', 'Giao Phòng Kinh tế chủ trì, tham mưu trả lời.')
    await leader.getByTestId('routing-confirm').click()
    await expect.poll(async () => leader.getByTestId('routing-status').textContent()).toContain('Đã giao')
    await leader.close()

    // Chuyên viên of Phòng Kinh tế: complete it with a result note.
    const officer = await signedIn(PEOPLE.officer)
    await officer.goto(url(documentUrl))
    await officer.getByTestId('routing-complete').click()
    await officer.fill('#routing-comment', 'Đã tham mưu văn bản trả lời.')
    await officer.getByTestId('routing-confirm').click()
    await expect.poll(async () => officer.getByTestId('routing-status').textContent()).toContain('Hoàn thành')
    const steps = officer.getByTestId('timeline-step')
    await expect.poll(() => steps.count()).toBe(4)
    const timeline = (await officer.getByTestId('timeline').textContent()) ?? ''
    for (const label of ['Vào sổ văn bản đến', 'Số đến', 'Trình lãnh đạo', 'Ý kiến chỉ đạo, phân công', 'Hoàn thành', PEOPLE.clerk.fullName, PEOPLE.leader.fullName, PEOPLE.officer.fullName]) {
      expect(timeline).toContain(label)
    }
    await officer.screenshot({ path: path.join(REPO_ROOT, 'test-results/screenshots/document-timeline.png'), fullPage: true })
    await officer.close()

    const admin = await bearerFor('admin', ADMIN_PASSWORD)
    expect(await api('GET', '/api/audit/verify', undefined, admin)).toMatchObject({ ok: true })
    expect(problems, 'console errors or CSP violations').toEqual([])
  }, 120_000)
})
