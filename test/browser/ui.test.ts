import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { Browser, BrowserContext, ConsoleMessage, Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { currentTotp } from '../../src/auth/totp.ts'
import { startUiStage, type UiStage, watchPageProblems } from '../helpers/browser.ts'
import { REPO_ROOT, type ServiceProcess } from '../helpers/server-process.ts'

/**
 * The web UI in a real browser against a real server process (embedded PGlite, fresh data directory),
 * serving the dist/web that `npm run build:web` produced. Screenshots land in test-results/screenshots.
 */

const ADMIN_PASSWORD = 'Mật khẩu quản trị thử nghiệm giao diện 2026'
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results/screenshots')

const DEPARTMENT = { name: 'Phòng Hành chính – Tổng hợp', abbreviation: 'HCTH' }
const CLERK = {
  username: 'tranthithuha',
  fullName: 'Trần Thị Thu Hà',
  password: 'Văn thư đăng ký công văn đến',
}
const OFFICER = { username: 'levanduc', fullName: 'Lê Văn Đức', password: 'Chuyên viên xử lý hồ sơ số' }

const WRONG_PASSWORD_MESSAGE = 'Tên đăng nhập hoặc mật khẩu không đúng.'
const WRONG_TOTP_MESSAGE = 'Mã xác thực không đúng hoặc đã hết hạn.'

// Chromium logs "Failed to load resource" for each 4xx; these are the refusals the tests cause on purpose.
const EXPECTED_401 = /\/api\/auth\/(session|login|login\/totp)$/
const expected401 = (message: ConsoleMessage) =>
  message.text().includes('status of 401') && EXPECTED_401.test(message.location().url)

let stage: UiStage
let server: ServiceProcess
let browser: Browser
let context: BrowserContext
let page: Page
let problems: string[]
let clerkCreated = false

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true })
  stage = await startUiStage(ADMIN_PASSWORD)
  server = stage.server
  browser = stage.browser
})

afterAll(async () => stage?.close())

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' })
  context.setDefaultTimeout(10_000)
  page = await context.newPage()
  problems = await watchPageProblems(page, expected401)
})

afterEach(async () => {
  await context.close()
  expect(problems, 'console errors, uncaught exceptions or CSP violations on the pages').toEqual([])
})

const url = (pathname: string) => `${server.baseUrl}${pathname}`
const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true })
const textOf = (testId: string) => () => text(page.getByTestId(testId))
const text = async (locator: Locator) => (await locator.textContent()) ?? ''
// expect.poll gives up after 1 s by default: too short for an argon2 sign-in on a busy two-core machine.
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000 })
/** Screenshots without a hover highlight wherever the last click left the mouse. */
async function shotAtRest(name: string) {
  const viewport = page.viewportSize()
  await page.mouse.move(1, (viewport?.height ?? 900) - 1)
  await shot(name)
}

async function submitPassword(username: string, password: string) {
  await page.goto(url('/login'))
  await page.getByTestId('login-form').waitFor()
  await page.fill('#username', username)
  await page.fill('#password', password)
  await page.getByTestId('login-submit').click()
}

async function signIn(username: string, password: string, fullName: string) {
  await submitPassword(username, password)
  await poll(textOf('current-user')).toContain(fullName)
}

async function api<T>(method: string, pathname: string, body: unknown, bearer?: string): Promise<T> {
  const response = await fetch(url(pathname), {
    method,
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify(body),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${pathname} answered ${response.status}: ${text}`)
  return (text ? JSON.parse(text) : undefined) as T
}

const bearerFor = async (username: string, password: string) =>
  (await api<{ token: string }>('POST', '/api/auth/token', { username, password })).token

async function createUserThroughApi(user: typeof CLERK, roles: string[]) {
  const admin = await bearerFor('admin', ADMIN_PASSWORD)
  await api('POST', '/api/admin/users', { ...user, roles }, admin)
}

/** A six-digit code that is none of the codes the server accepts around now. */
function wrongTotp(secret: string): string {
  const accepted = new Set(
    [-60_000, -30_000, 0, 30_000, 60_000].map((d) => currentTotp(secret, Date.now() + d)),
  )
  let code = 123_456
  while (accepted.has(String(code))) code += 1
  return String(code)
}

describe('web UI in Chromium', () => {
  it('GIVEN the bootstrap admin WHEN they sign in and add a department and a clerk in it THEN the clerk is listed in the users table', async () => {
    await page.goto(url('/login'))
    await page.getByTestId('login-form').waitFor()
    await shot('login.png')
    await signIn('admin', ADMIN_PASSWORD, 'Quản trị hệ thống')

    await page.getByTestId('nav-admin-departments').click()
    await page.getByTestId('department-form').waitFor()
    await page.fill('#department-name', DEPARTMENT.name)
    await page.fill('#department-abbreviation', DEPARTMENT.abbreviation)
    await page.getByTestId('department-submit').click()
    await poll(textOf('departments-success')).toContain(`Đã thêm phòng ban “${DEPARTMENT.name}”.`)
    await page.getByTestId('department-row').filter({ hasText: DEPARTMENT.name }).waitFor()

    await page.getByTestId('nav-admin-users').click()
    await page.getByTestId('users-table').waitFor()
    await page.getByTestId('user-create-open').click()
    await page.getByTestId('user-form').waitFor()
    await page.fill('#user-username', CLERK.username)
    await page.fill('#user-full-name', CLERK.fullName)
    await page.selectOption('#user-department', { label: DEPARTMENT.name })
    await page.check('#user-role-clerk')
    await page.fill('#user-password', CLERK.password)
    await page.getByTestId('user-submit').click()
    await poll(textOf('users-success')).toContain(`Đã tạo người dùng “${CLERK.username}”.`)
    clerkCreated = true
    expect(await page.getByTestId('user-dialog').count()).toBe(0)

    const row = page.locator(`[data-testid="user-row"][data-username="${CLERK.username}"]`)
    await row.waitFor()
    const rowText = await text(row)
    expect(rowText).toContain(CLERK.fullName)
    expect(rowText).toContain(DEPARTMENT.name)
    expect(rowText).toContain('Văn thư')
    await shotAtRest('admin-users.png')

    await page.setViewportSize({ width: 768, height: 1024 })
    await page.getByTestId('users-table').waitFor()
    // Strings, not functions: the root tsconfig (which checks test/) has no DOM types.
    const width = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(
      '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
    )
    await shotAtRest('admin-users-tablet.png')
    expect(width.scrollWidth, 'the users page scrolls sideways at 768 px').toBeLessThanOrEqual(
      width.innerWidth,
    )
  })

  it('GIVEN a clerk account WHEN the clerk signs in THEN the header shows their name and the menu has the clerk entries and no admin entry', async () => {
    if (!clerkCreated) {
      await createUserThroughApi(CLERK, ['clerk']) // this test was run on its own
      clerkCreated = true
    }
    await signIn(CLERK.username, CLERK.password, CLERK.fullName)
    for (const testId of ['nav-incoming', 'nav-outgoing', 'nav-register']) {
      expect(await page.getByTestId(testId).isVisible(), `${testId} visible`).toBe(true)
    }
    expect(await page.getByTestId('nav-admin-users').count()).toBe(0)
    expect(await page.getByTestId('nav-admin-departments').count()).toBe(0)
    const header = await textOf('current-user')()
    expect(header).toContain(CLERK.fullName)
    expect(header).toContain('Văn thư')
    await shotAtRest('shell-clerk.png')
  })

  it('GIVEN the login page WHEN a wrong password is submitted THEN it is refused with the Vietnamese message and the user stays on the login page', async () => {
    await submitPassword('admin', 'không phải mật khẩu này')
    await poll(textOf('login-error')).toContain(WRONG_PASSWORD_MESSAGE)
    expect(await page.getByTestId('login-error').isVisible()).toBe(true)
    expect(new URL(page.url()).pathname).toBe('/login')
    expect(await page.getByTestId('current-user').count()).toBe(0)
    expect(await page.inputValue('#password')).toBe('')
  })

  it('GIVEN a user with two-step verification WHEN a wrong code is entered THEN it is refused, and the right code then signs them in', async () => {
    await createUserThroughApi(OFFICER, ['officer'])
    const bearer = await bearerFor(OFFICER.username, OFFICER.password)
    const { secret } = await api<{ secret: string }>('POST', '/api/me/totp/setup', {}, bearer)
    // Enabling spends the current time step: the sign-in below uses the next one.
    await api('POST', '/api/me/totp/enable', { code: currentTotp(secret) }, bearer)

    await submitPassword(OFFICER.username, OFFICER.password)
    await page.getByTestId('totp-form').waitFor()
    await page.fill('#totp-code', wrongTotp(secret))
    await page.getByTestId('totp-submit').click()
    await poll(textOf('login-error')).toContain(WRONG_TOTP_MESSAGE)
    expect(await page.getByTestId('login-error').isVisible()).toBe(true)
    expect(await page.getByTestId('current-user').count()).toBe(0)

    await page.fill('#totp-code', currentTotp(secret, Date.now() + 30_000))
    await page.getByTestId('totp-submit').click()
    await poll(textOf('current-user')).toContain(OFFICER.fullName)
  })

  it('GIVEN the login page in Vietnamese WHEN English is chosen and then Vietnamese again THEN the labels follow the language', async () => {
    await page.goto(url('/login'))
    await page.getByTestId('login-form').waitFor()
    const labels = async () => ({
      title: await text(page.locator('h1')),
      username: await text(page.locator('label[for="username"]')),
      password: await text(page.locator('label[for="password"]')),
      submit: await text(page.getByTestId('login-submit')),
      lang: await page.locator('html').getAttribute('lang'),
    })
    const vietnamese = {
      title: 'Đăng nhập',
      username: 'Tên đăng nhập',
      password: 'Mật khẩu',
      submit: 'Đăng nhập',
      lang: 'vi',
    }
    const english = {
      title: 'Sign in',
      username: 'Username',
      password: 'Password',
      submit: 'Sign in',
      lang: 'en',
    }
    await poll(labels).toMatchObject(vietnamese)

    await page.getByTestId('lang-en').click()
    await poll(labels).toMatchObject(english)
    expect(await page.getByTestId('lang-en').getAttribute('aria-pressed')).toBe('true')

    await page.getByTestId('lang-vi').click()
    await poll(labels).toMatchObject(vietnamese)
  })
})
