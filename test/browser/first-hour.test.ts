import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectedSession401, type StageUser, stageApi, startUiStage, type UiStage, watchPageProblems } from '../helpers/browser.ts'
import { safeFileName } from '../../src/documents/documents.service.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { REPO_ROOT } from '../helpers/server-process.ts'

/**
 * Issue 11's defects 7, 8, 9 and 14 as a new agency meets them, in Chromium: the direction form at
 * 1366×768, outgoing labels and the seal image message, the lists on a 768 px tablet, a 460-character
 * file name on the document page.
 */
const ADMIN_PASSWORD = 'Quản trị giờ đầu tiên 2026 thử nghiệm'
const PASSWORD = 'Mật khẩu giờ đầu tiên của cơ quan'
const person = (username: string, fullName: string, roles: string[]): StageUser => ({ username, fullName, roles, password: PASSWORD })
const CLERK = person('vtgiodau', 'Nguyễn Thị Văn Thư', ['clerk'])
const LEADER = person('ldgiodau', 'Trần Văn Lãnh Đạo', ['leader'])
const ARCHIVIST = person('lugiodau', 'Phạm Văn Lưu Trữ', ['archivist'])
// A long name: the old multi-select cut it at the select's edge.
const OFFICER = person('cvkinhte', 'Tôn Nữ Thị Hoàng Phương Thảo Nguyên Khánh Linh', ['officer'])
const OFFICER_2 = person('cvkinhte2', 'Đỗ Minh Tuấn', ['officer'])
const OFFICER_TH = person('cvtonghop', 'Hoàng Thị Lan', ['officer'])
const LONG_FILE_NAME = `${'Cong van so 1562 ve viec trien khai thuc hien ke hoach chuyen doi so nam 2026 cua UBND tinh Hoa Giang '.repeat(5).slice(0, 456)}.pdf`

let stage: UiStage
const ids: Record<string, string> = {}
let documentId = ''
let outgoingId = ''
const problems: string[] = []

const tokenOf = async (user: { username: string; password: string }) =>
  (await stageApi<{ token: string }>(stage.server, 'POST', '/api/auth/token', user)).token

async function open(user: StageUser, viewport: { width: number; height: number }, pathname: string): Promise<Page> {
  const context = await stage.browser.newContext({ viewport, locale: 'vi-VN' })
  context.setDefaultTimeout(15_000)
  const page = await context.newPage()
  const seen = await watchPageProblems(page, expectedSession401)
  page.on('close', () => problems.push(...seen))
  await page.goto(`${stage.server.baseUrl}/login`)
  await page.fill('#username', user.username)
  await page.fill('#password', user.password)
  await page.getByTestId('login-submit').click()
  await expect.poll(async () => (await page.getByTestId('current-user').textContent()) ?? '').toContain(user.fullName)
  await page.goto(`${stage.server.baseUrl}${pathname}`)
  return page
}
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(REPO_ROOT, 'test-results/screenshots', name) })
// Page-side code as strings: the test's TypeScript has no DOM types.
/** Elements (not inside a sideways-scrolling box) whose right edge lies past the screen's. */
const WIDER_THAN_SCREEN = `[...document.querySelectorAll('body *')]
  .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
  .filter((el) => !el.parentElement?.closest('.app-nav, .table-wrap'))
  .map((el) => el.tagName.toLowerCase() + '.' + el.className)`
/** Whether the element lies wholly inside the viewport (seen without scrolling anything). */
type View = { innerWidth: number; innerHeight: number; getComputedStyle(el: unknown, pseudo?: string): { content: string; backgroundImage: string } }
const inViewport = (page: Page, selector: string) =>
  page.locator(selector).evaluate((el) => {
    const view = el.ownerDocument.defaultView as unknown as View
    const box = el.getBoundingClientRect()
    return box.top >= 0 && box.left >= 0 && box.bottom <= view.innerHeight && box.right <= view.innerWidth
  })

beforeAll(async () => {
  stage = await startUiStage(ADMIN_PASSWORD)
  const admin = await tokenOf({ username: 'admin', password: ADMIN_PASSWORD })
  const unit = async (name: string, abbreviation: string) =>
    (await stageApi<{ id: string }>(stage.server, 'POST', '/api/admin/departments', { name, abbreviation }, admin)).id
  ids.office = await unit('Văn phòng', 'VP')
  ids.economy = await unit('Phòng Kinh tế – Hạ tầng và Phát triển đô thị', 'KT')
  ids.general = await unit('Phòng Tổng hợp', 'TH')
  const add = async (user: StageUser, departmentId: string) => {
    ids[user.username] = (await stageApi<{ id: string }>(stage.server, 'POST', '/api/admin/users', { ...user, departmentId }, admin)).id
  }
  for (const user of [CLERK, LEADER, ARCHIVIST]) await add(user, ids.office)
  for (const user of [OFFICER, OFFICER_2]) await add(user, ids.economy)
  await add(OFFICER_TH, ids.general)

  // An incoming document with a 460-character file name, put before the leader.
  const clerk = await tokenOf(CLERK)
  const form = new FormData()
  form.set('kind', 'Công văn')
  form.set('subject', 'Về việc triển khai kế hoạch chuyển đổi số năm 2026')
  form.set('file', new Blob([await readFile(corpusFile('012.pdf'))], { type: 'application/pdf' }), LONG_FILE_NAME)
  documentId = (await stageApi<{ id: string }>(stage.server, 'POST', '/api/incoming', form, clerk)).id
  await stageApi(stage.server, 'POST', `/api/documents/${documentId}/routing/submit`, { leaderId: ids[LEADER.username], comment: 'Kính trình.' }, clerk)

  // An outgoing draft of the officer.
  const draft = new FormData()
  draft.set('kind', 'Công văn')
  draft.set('subject', 'Về việc báo cáo tiến độ chuyển đổi số')
  draft.set('signerId', ids[LEADER.username]!)
  draft.set('file', new Blob([await readFile(corpusFile('007.pdf'))], { type: 'application/pdf' }), 'du-thao.pdf')
  const officer = await tokenOf(OFFICER)
  outgoingId = (await stageApi<{ document: { id: string } }>(stage.server, 'POST', '/api/outgoing', draft, officer)).document.id
  await stageApi(stage.server, 'POST', `/api/outgoing/${outgoingId}/submit`, { comment: 'Kính trình ký.' }, officer)
}, 180_000)

afterAll(async () => stage?.close())

describe('the first hour of a new agency, in Chromium', () => {
  it('GIVEN a document awaiting direction WHEN the leader directs it at 1366×768 THEN the lead person lists only the chosen unit, names are whole, the comment and button are in view, and who leads is said', async () => {
    const page = await open(LEADER, { width: 1366, height: 768 }, `/documents/${documentId}`)
    await page.getByTestId('routing-direct').click()
    await page.getByTestId('routing-dialog').waitFor()
    await shot(page, 'direction-dialog.png')

    // Comment and submit in view, the dialog body not scrolled and not needing to be for them.
    expect(await inViewport(page, '#routing-comment')).toBe(true)
    expect(await inViewport(page, '[data-testid="routing-confirm"]')).toBe(true)

    // Before a unit: people who handle documents, never the admin, the clerk, the archivist or the leader himself.
    const leadOptions = async () =>
      (await page.locator('#routing-lead-user option').allTextContents()).filter((o) => !o.startsWith('—'))
    const everyone = await leadOptions()
    expect(everyone.join('\n')).toContain(OFFICER_TH.fullName)
    for (const absent of [CLERK.fullName, ARCHIVIST.fullName, LEADER.fullName, 'Quản trị']) expect(everyone.join('\n')).not.toContain(absent)

    // A unit: only its people.
    await page.selectOption('#routing-lead-department', ids.economy!)
    expect((await leadOptions()).map((o) => o.split(' — ')[0]).sort()).toEqual([OFFICER_2.fullName, OFFICER.fullName].sort())
    expect(await page.getByTestId('routing-lead-summary').textContent()).toContain('Chủ trì: Phòng Kinh tế – Hạ tầng và Phát triển đô thị')

    // No Ctrl-click selects: checkable lists whose long names are whole (wrapped, not cut).
    expect(await page.locator('.dialog select[multiple]').count()).toBe(0)
    const cooperating = page.getByTestId('routing-cooperating')
    const longName = cooperating.locator('label', { hasText: OFFICER.fullName })
    expect(await longName.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)
    await cooperating.getByRole('checkbox', { name: 'Phòng Tổng hợp', exact: true }).check()

    // A unit and a person: the sentence says the person leads, directly.
    await page.selectOption('#routing-lead-user', ids[OFFICER.username]!)
    const summary = (await page.getByTestId('routing-lead-summary').textContent()) ?? ''
    expect(summary).toContain(`Người chủ trì: ${OFFICER.fullName} (Phòng Kinh tế – Hạ tầng và Phát triển đô thị)`)
    expect(summary).toContain('giao thẳng cho người này')
    // Choosing another unit drops a person who is not in it.
    await page.selectOption('#routing-lead-department', ids.general!)
    expect(await page.inputValue('#routing-lead-user')).toBe('')
    await page.selectOption('#routing-lead-department', ids.economy!)
    await page.selectOption('#routing-lead-user', ids[OFFICER.username]!)

    await page.fill('#routing-comment', 'Đồng chí Thảo chủ trì, Phòng Tổng hợp phối hợp.')
    expect(await inViewport(page, '[data-testid="routing-confirm"]')).toBe(true)
    await page.getByTestId('routing-confirm').click()
    await expect.poll(async () => page.getByTestId('routing-status').textContent()).toContain('Đã giao')
    const participants = await stageApi<{ participants: { role: string; userId: string | null; departmentId: string | null }[] }>(
      stage.server, 'GET', `/api/documents/${documentId}/routing`, undefined, await tokenOf(LEADER))
    expect(participants.participants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'lead', userId: ids[OFFICER.username] }),
        expect.objectContaining({ role: 'cooperating', departmentId: ids.general }),
      ]),
    )
    await page.close()
  })

  it('GIVEN a 460-character file name WHEN the document page opens THEN the name is shortened in the middle with the whole name on hover, and nothing overflows', async () => {
    const page = await open(CLERK, { width: 1366, height: 768 }, `/documents/${documentId}`)
    const title = page.getByTestId('viewer-title')
    await title.waitFor()
    // Stored cut after a whole word with its extension kept (255 characters at most), shown shorter still.
    const stored = safeFileName(LONG_FILE_NAME)
    expect(stored.endsWith('….pdf')).toBe(true)
    expect(await title.getAttribute('title')).toBe(stored)
    const shown = (await title.locator('[aria-hidden="true"]').textContent()) ?? ''
    expect(shown.length).toBeLessThan(80)
    expect(shown.endsWith('.pdf')).toBe(true)
    // The shown start ends with a whole word of the name.
    const start = shown.slice(0, shown.indexOf('…'))
    expect(stored.startsWith(start)).toBe(true)
    expect(stored[start.length]).toBe(' ')
    expect(await page.getByTestId('file-name').first().getAttribute('title')).toBe(stored)
    expect(await page.evaluate(WIDER_THAN_SCREEN), 'elements reaching past the right edge').toEqual([])
    await shot(page, 'long-file-name.png')
    await page.close()
  })

  it('GIVEN an outgoing draft awaiting signature WHEN its list and page open THEN they use outgoing labels and its status, never the incoming ones', async () => {
    const page = await open(LEADER, { width: 1366, height: 768 }, '/outgoing')
    const table = page.getByTestId('documents-table')
    await table.waitFor()
    const headers = await table.locator('thead th').allTextContents()
    expect(headers).toEqual(expect.arrayContaining(['Số, ký hiệu', 'Ngày ban hành', 'Nơi nhận', 'Trạng thái']))
    for (const incoming of ['Số đến', 'Ngày đến', 'Cơ quan ban hành']) expect(headers).not.toContain(incoming)
    const row = page.locator(`[data-testid="document-row"][data-id="${outgoingId}"]`)
    expect(await row.getByTestId('document-link').textContent()).toBe('Chưa cấp số')
    expect(await row.getByTestId('document-status').textContent()).toBe('Chờ ký')

    await page.goto(`${stage.server.baseUrl}/documents/${outgoingId}`)
    const meta = page.getByTestId('document-metadata')
    await meta.waitFor()
    const labels = await meta.locator('dt').allTextContents()
    expect(labels).toEqual(expect.arrayContaining(['Số, ký hiệu', 'Ngày ban hành', 'Nơi nhận']))
    for (const incoming of ['Số đến', 'Ngày đến', 'Cơ quan ban hành']) expect(labels).not.toContain(incoming)
    await page.close()
  })

  it('GIVEN the admin WHEN they upload the seal image THEN the message speaks of the seal image, not the signature image', async () => {
    const admin = person('admin', 'Quản trị hệ thống', ['admin'])
    admin.password = ADMIN_PASSWORD
    const page = await open(admin, { width: 1366, height: 768 }, '/admin/signing')
    await page.setInputFiles('#seal-image-file', path.join(REPO_ROOT, 'src/signatures/appearance/assets/demo-seal.png'))
    await page.getByTestId('seal-image-upload').click()
    expect(await page.getByTestId('seal-image-success').textContent()).toContain('Đã cập nhật hình con dấu.')
    await page.close()
  })

  it('GIVEN a 768 px tablet WHEN the incoming and outgoing lists open THEN every column is seen without scrolling sideways and the header is compact', async () => {
    for (const [user, pathname] of [[CLERK, '/incoming'], [LEADER, '/outgoing']] as const) {
      const page = await open(user, { width: 768, height: 1024 }, pathname)
      const table = page.getByTestId('documents-table')
      await table.waitFor()
      await shot(page, `tablet${pathname.replace('/', '-')}.png`)
      expect(await page.evaluate(WIDER_THAN_SCREEN), 'elements reaching past the right edge').toEqual([])
      expect(await page.locator('.table-wrap').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)
      // Each cell of the first row, with its column's name, inside the screen.
      const cells = page.getByTestId('document-row').first().locator('td')
      const count = await cells.count()
      expect(count).toBeGreaterThanOrEqual(6)
      for (let i = 0; i < count; i++) {
        const cell = cells.nth(i)
        const box = await cell.boundingBox()
        expect(box && box.x >= 0 && box.x + box.width <= 768, `cell ${i} within 768 px`).toBe(true)
        expect(await cell.getAttribute('data-label')).toBeTruthy()
        expect(await cell.evaluate((el) => (el.ownerDocument.defaultView as unknown as View).getComputedStyle(el, '::before').content)).not.toBe('none')
      }
      for (const label of ['Trạng thái', 'Hạn xử lý']) expect(await page.getByTestId('document-row').first().locator(`td[data-label="${label}"]`).isVisible()).toBe(true)
      // Header and menu together leave the page its screen: the title starts within 200 px of the top.
      const titleTop = await page.locator('.page-header__title').evaluate((el) => el.getBoundingClientRect().top)
      expect(titleTop).toBeLessThanOrEqual(200)
      await page.close()
    }
    expect(problems, 'console errors or CSP violations').toEqual([])
  })

  it('GIVEN a 768 px tablet WHEN the one-line menu is wider than the screen THEN a shadow says more links lie that way and the current page is scrolled into view', async () => {
    const page = await open(CLERK, { width: 768, height: 1024 }, '/incoming')
    const nav = page.getByTestId('main-nav')
    await nav.waitFor()
    const overflow = await nav.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }))
    expect(overflow.scroll, 'the clerk\'s menu is wider than a tablet').toBeGreaterThan(overflow.client)
    const backgroundImage = await nav.evaluate((el) => (el.ownerDocument.defaultView as unknown as View).getComputedStyle(el).backgroundImage)
    expect(backgroundImage).toContain('radial-gradient')
    // The last link of the menu: opening its page scrolls the row so that its link is seen.
    const lastHref = await nav.locator('a').last().getAttribute('href')
    expect(lastHref).toBeTruthy()
    await page.goto(`${stage.server.baseUrl}${lastHref}`)
    const current = nav.locator('a[aria-current="page"]')
    await current.waitFor()
    await expect.poll(async () => {
      const [linkBox, navBox] = [await current.boundingBox(), await nav.boundingBox()]
      return !!linkBox && !!navBox && linkBox.x >= navBox.x && linkBox.x + linkBox.width <= navBox.x + navBox.width + 1
    }).toBe(true)
    expect(await nav.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0)
    await page.close()
  })
})
