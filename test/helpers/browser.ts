import { existsSync } from 'node:fs'
import { expect } from 'vitest'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { type Browser, type ConsoleMessage, chromium, type Page } from 'playwright-core'
import {
  freePort,
  migratedDataDir,
  REPO_ROOT,
  type ServiceProcess,
  startService,
  waitForReady,
} from './server-process.ts'

/** Debian's Chromium (`apt-get install chromium`); playwright-core ships no browser of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium'

/** Headless Chromium that never reaches beyond this machine (no updates, sync or stray DNS look-ups). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: apt-get install chromium`)
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
    ],
  })
}

/**
 * Console errors, uncaught exceptions and Content-Security-Policy violations of a page. Chromium logs a
 * "Failed to load resource" error for every 4xx answer; the ones a test provokes on purpose (a wrong
 * password answers 401) are excused by `expectedFailure`.
 */
export async function watchPageProblems(
  page: Page,
  expectedFailure: (message: ConsoleMessage) => boolean = () => false,
): Promise<string[]> {
  const problems: string[] = []
  // Init scripts are injected by the debugger protocol, so the page's CSP does not block this listener.
  // (A string: the root tsconfig has no DOM types.)
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) => {
      console.error('CSP violation: ' + event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline'))
    })`,
  })
  page.on('console', (message) => {
    if (message.type() !== 'error' || expectedFailure(message)) return
    problems.push(`console error at ${message.location().url || page.url()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`uncaught exception on ${page.url()}: ${error.message}`))
  return problems
}

/** The built UI served by a real server process on a fresh data directory, and a Chromium to drive it. */
export interface UiStage {
  server: ServiceProcess
  browser: Browser
  close(): Promise<void>
}

/** `env`: extra environment for the server (e.g. SIGNING_TSA_URL), on top of the stage's own. */
export async function startUiStage(
  adminPassword: string,
  env: Record<string, string> = {},
): Promise<UiStage> {
  if (!existsSync(path.join(REPO_ROOT, 'dist/web/index.html')))
    throw new Error('dist/web/index.html is missing: run npm run build:web first')
  const dataDir = await migratedDataDir('browser')
  const server = startService('server', {
    PORT: String(await freePort()),
    DATA_DIR: dataDir,
    VANTHU_ADMIN_PASSWORD: adminPassword,
    LOG_LEVEL: 'warn',
    ...env,
  })
  const [browser] = await Promise.all([launchChromium(), waitForReady(server)])
  return {
    server,
    browser,
    async close() {
      await browser.close()
      if (!(await server.stop('SIGTERM', 15_000))) {
        server.child.kill('SIGKILL')
        await server.exited
      }
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/** A person the browser tests create and sign in as. */
export interface StageUser {
  username: string
  fullName: string
  roles: string[]
  password: string
}

/** The 401 the shell's session probe answers before sign-in: expected, not a problem. */
export const expectedSession401 = (message: ConsoleMessage) =>
  message.text().includes('status of 401') && /\/api\/auth\/session$/.test(message.location().url)

/** A JSON (or multipart, for FormData) call to the stage's API; a non-2xx answer throws with its body. */
export async function stageApi<T>(
  server: ServiceProcess,
  method: string,
  pathname: string,
  body?: FormData | object,
  bearer?: string,
): Promise<T> {
  const json = body !== undefined && !(body instanceof FormData)
  const response = await fetch(`${server.baseUrl}${pathname}`, {
    method,
    headers: {
      ...(json ? { 'content-type': 'application/json' } : {}),
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
    body: json ? JSON.stringify(body) : body,
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${pathname} answered ${response.status}: ${text}`)
  return JSON.parse(text) as T
}

/** The bootstrap admin makes a Văn phòng department and the user in it; returns the user's API token. */
export async function seedOfficeUser(
  server: ServiceProcess,
  adminPassword: string,
  user: StageUser,
): Promise<string> {
  const tokenOf = async (username: string, password: string) =>
    (await stageApi<{ token: string }>(server, 'POST', '/api/auth/token', { username, password })).token
  const admin = await tokenOf('admin', adminPassword)
  const office = await stageApi<{ id: string }>(
    server,
    'POST',
    '/api/admin/departments',
    { name: 'Văn phòng', abbreviation: 'VP' },
    admin,
  )
  await stageApi(server, 'POST', '/api/admin/users', { ...user, departmentId: office.id }, admin)
  return tokenOf(user.username, user.password)
}

/** A fresh browser context signed in through the login page, with the page's problems collected. */
export async function signedInPage(
  stage: UiStage,
  user: StageUser,
  defaultTimeoutMs = 15_000,
  /** e.g. a browser time zone other than the agency's (`timezoneId`). */
  contextOptions: { timezoneId?: string } = {},
): Promise<{ page: Page; problems: string[] }> {
  const context = await stage.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'vi-VN', ...contextOptions })
  context.setDefaultTimeout(defaultTimeoutMs)
  const page = await context.newPage()
  const problems = await watchPageProblems(page, expectedSession401)
  await page.goto(`${stage.server.baseUrl}/login`)
  await page.fill('#username', user.username)
  await page.fill('#password', user.password)
  await page.getByTestId('login-submit').click()
  await expect
    .poll(async () => (await page.getByTestId('current-user').textContent()) ?? '')
    .toContain(user.fullName)
  return { page, problems }
}
