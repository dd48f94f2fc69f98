import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { type Browser, type ConsoleMessage, chromium, type Page } from 'playwright-core'
import { freePort, REPO_ROOT, type ServiceProcess, startService, waitForReady } from './server-process.ts'

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

export async function startUiStage(adminPassword: string): Promise<UiStage> {
  if (!existsSync(path.join(REPO_ROOT, 'dist/web/index.html'))) throw new Error('dist/web/index.html is missing: run npm run build:web first')
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-browser-'))
  const server = startService('src/server.ts', {
    PORT: String(await freePort()),
    DATA_DIR: dataDir,
    VANTHU_ADMIN_PASSWORD: adminPassword,
    LOG_LEVEL: 'warn',
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
