import { existsSync } from 'node:fs'
import { type Browser, type ConsoleMessage, chromium, type Page } from 'playwright-core'

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
