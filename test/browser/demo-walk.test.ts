import { spawn } from 'node:child_process'
import { readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PEOPLE } from '../../scripts/lib/demo-agency.ts'
import { expectedSession401, launchChromium, stageApi, watchPageProblems } from '../helpers/browser.ts'
import { freePort, migratedDataDir, REPO_ROOT, type ServiceProcess, startService, waitForReady } from '../helpers/server-process.ts'

/**
 * Issue 11's living demo: `npm run seed:demo` (the script itself, as the README says to run it) on a fresh
 * data directory, then the server, then each demo role signs in in Chromium and finds work waiting. The
 * README's demo section is read too: the accounts and the PIN it promises are the ones that work.
 */
const ENV = {
  VANTHU_ADMIN_PASSWORD: 'Quản trị Hòa Giang 2026',
  VANTHU_DEMO_PASSWORD: 'Mật khẩu dùng thử 2026',
  VANTHU_DEMO_PIN: '246810',
}
const ROLES = ['clerk', 'leader', 'officer', 'archivist'] as const

let dataDir: string
let server: ServiceProcess
let browser: Browser
const problems: string[] = []

/** Runs `npm run seed:demo`'s script with only the environment the README gives it. */
function seedDemo(dir: string): Promise<string> {
  const child = spawn(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), ['scripts/seed-demo.ts', '--no-wait'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dir, LOG_LEVEL: 'warn', ...ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  return new Promise((resolve, reject) =>
    child.once('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`seed:demo exited ${code}:\n${output}`)))),
  )
}

async function signedIn(role: (typeof ROLES)[number]): Promise<Page> {
  const person = DEMO_PEOPLE[role]
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' })
  // The server reads the demo's scans (OCR) meanwhile: on a busy two-core box pages can take a while.
  context.setDefaultTimeout(30_000)
  context.setDefaultNavigationTimeout(60_000)
  const page = await context.newPage()
  const seen = await watchPageProblems(page, expectedSession401)
  page.on('close', () => problems.push(...seen))
  await page.goto(server.baseUrl)
  await page.fill('#username', person.username)
  await page.fill('#password', ENV.VANTHU_DEMO_PASSWORD)
  await page.getByTestId('login-submit').click()
  await expect.poll(async () => (await page.getByTestId('current-user').textContent()) ?? '', { timeout: 30_000 }).toContain(person.fullName)
  return page
}
const statuses = (page: Page) => page.getByTestId('document-status').allTextContents()

beforeAll(async () => {
  dataDir = await migratedDataDir('demo')
  const output = await seedDemo(dataDir)
  expect(output).toContain('Incoming documents: 18 registered')
  // Offline, as an air-gapped agency runs: the demo's CRLs must be enough for a valid verdict.
  server = startService('server', { PORT: String(await freePort()), DATA_DIR: dataDir, LOG_LEVEL: 'warn', SIGNING_VERIFY_ONLINE: 'false' })
  ;[browser] = await Promise.all([launchChromium(), waitForReady(server)])
}, 600_000)

afterAll(async () => {
  await browser?.close()
  if (server && !(await server.stop('SIGTERM', 15_000))) {
    server.child.kill('SIGKILL')
    await server.exited
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('the seeded demo agency, role by role, in Chromium', () => {
  it('GIVEN the README WHEN its demo section is read THEN it names the four demo accounts, the PIN variable and what each finds', async () => {
    const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('### Demo data'), readme.indexOf('\n## ', readme.indexOf('### Demo data')))
    for (const role of ROLES) expect(section).toContain(`| \`${DEMO_PEOPLE[role].username}\` |`)
    expect(section).toContain('VANTHU_DEMO_PIN')
    expect(section).toContain('npm run seed:demo')
  })

  it('GIVEN the văn thư WHEN she signs in THEN documents wait to be put before the leader and a signed one waits for its number', async () => {
    const page = await signedIn('clerk')
    await page.getByTestId('nav-incoming').click()
    await page.getByTestId('documents-table').waitFor()
    expect(await statuses(page)).toContain('Đã đăng ký')
    await page.getByTestId('nav-outgoing').click()
    await expect.poll(() => statuses(page)).toContain('Đã ký, chờ cấp số')
    // Outgoing labels only, every status in words.
    const headers = await page.locator('[data-testid="documents-table"] thead th').allTextContents()
    expect(headers).not.toContain('Số đến')
    for (const status of await statuses(page)) expect(status).not.toMatch(/^[a-z_]+$/)
    await page.close()
  }, 180_000)

  it('GIVEN the lãnh đạo WHEN he signs in THEN documents await his direction and drafts await his signature, which the demo PIN signs', async () => {
    const page = await signedIn('leader')
    await page.getByTestId('nav-awaiting-direction').click()
    await page.getByTestId('documents-table').waitFor()
    expect((await statuses(page)).filter((s) => s === 'Chờ chỉ đạo').length).toBeGreaterThanOrEqual(1)
    await page.getByTestId('nav-awaiting-signature').click()
    await expect.poll(() => page.getByTestId('queue-item').count()).toBeGreaterThanOrEqual(2)
    const before = await page.getByTestId('queue-item').count()

    // He signs the first one as a leader would: select it, "Ký số", the demo PIN, Enter.
    const { token } = await stageApi<{ token: string }>(server, 'POST', '/api/auth/token', { username: DEMO_PEOPLE.leader.username, password: ENV.VANTHU_DEMO_PASSWORD })
    const queue = await stageApi<{ items: { document: { id: string; subject?: string } }[] }>(server, 'GET', '/api/signature-requests?scope=mine&state=pending', undefined, token)
    await page.getByTestId('queue-item').first().click()
    await page.getByTestId('queue-sign').click()
    await page.getByTestId('sign-dialog').waitFor()
    await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.id')).toBe('sign-pin')
    await page.keyboard.type(ENV.VANTHU_DEMO_PIN)
    await page.keyboard.press('Enter')
    const result = page.getByTestId('sign-result')
    await expect.poll(() => result.count(), { timeout: 90_000 }).toBe(1)
    expect(await result.getAttribute('data-ok')).toBe('true')
    await page.getByTestId('sign-done').click()
    await expect.poll(() => page.getByTestId('queue-item').count()).toBe(before - 1)
    await page.close()

    // Which one he signed: the request that is no longer pending.
    const after = await stageApi<{ items: { document: { id: string } }[] }>(server, 'GET', '/api/signature-requests?scope=mine&state=pending', undefined, token)
    const pendingNow = new Set(after.items.map((item) => item.document.id))
    const id = queue.items.map((item) => item.document.id).find((documentId) => !pendingNow.has(documentId))
    expect(id).toBeTruthy()
    const document = await stageApi<{ files: { id: string; role: string; createdAt: string }[] }>(server, 'GET', `/api/documents/${id}`, undefined, token)
    const signed = document.files.filter((file) => file.role === 'signed').at(-1)
    expect(signed).toBeTruthy()
    // The server's check of the new signature, offline with the demo's CRLs: valid, not revocation-unknown.
    const verdictOf = async () => {
      const reports = await stageApi<{ items: { fileId: string; documentVerdict: string | null; verdict: string }[] }>(
        server, 'GET', `/api/documents/${id}/signature-reports?latest=true`, undefined, token)
      return reports.items.find((report) => report.fileId === signed?.id)?.documentVerdict ?? 'not yet'
    }
    await expect.poll(verdictOf, { timeout: 90_000, interval: 1_000 }).toBe('valid')
  }, 300_000)

  it('GIVEN the chuyên viên WHEN she signs in THEN documents are assigned to her, one of them overdue', async () => {
    const page = await signedIn('officer')
    await page.getByTestId('nav-assigned').click()
    await page.getByTestId('documents-table').waitFor()
    expect(await page.getByTestId('document-row').count()).toBeGreaterThanOrEqual(2)
    expect(await page.getByTestId('overdue').count()).toBeGreaterThanOrEqual(1)
    await page.close()
  }, 180_000)

  it('GIVEN the lưu trữ WHEN he signs in THEN hồ sơ are due for disposal review', async () => {
    const page = await signedIn('archivist')
    await page.getByTestId('nav-records').click()
    await page.getByTestId('records-tab-disposition').click()
    await expect.poll(() => page.locator('[data-testid="records-disposition"] tbody tr').count()).toBeGreaterThanOrEqual(1)
    await page.close()
    expect(problems, 'console errors or CSP violations').toEqual([])
  }, 180_000)
})
