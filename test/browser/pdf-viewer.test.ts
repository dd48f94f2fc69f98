import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Browser, ConsoleMessage, Page, Response } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startUiStage, type UiStage, watchPageProblems } from '../helpers/browser.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { REPO_ROOT, type ServiceProcess } from '../helpers/server-process.ts'

/**
 * The PDF inside the app: the document page frames the stored file (served inline under its own
 * policy), and the registration screen previews a chosen file from an object URL before upload.
 */
const ADMIN_PASSWORD = 'Quản trị xem văn bản 2026'
const CLERK = { username: 'vtxemtep', fullName: 'Đỗ Thị Xem Tệp', roles: ['clerk'], password: 'Văn thư xem tệp văn bản' }
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results/screenshots')
const expected401 = (message: ConsoleMessage) =>
  message.text().includes('status of 401') && /\/api\/auth\/session$/.test(message.location().url)

let stage: UiStage
let server: ServiceProcess
let browser: Browser
let documentId: string
let fileId: string

const url = (pathname: string) => `${server.baseUrl}${pathname}`
async function api<T>(method: string, pathname: string, body: FormData | object, bearer?: string): Promise<T> {
  const json = !(body instanceof FormData)
  const response = await fetch(url(pathname), {
    method,
    headers: { ...(json ? { 'content-type': 'application/json' } : {}), ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: json ? JSON.stringify(body) : body,
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${pathname} answered ${response.status}: ${text}`)
  return JSON.parse(text) as T
}

/** A signed-in clerk's page, with its console errors and CSP violations collected into `problems`. */
async function clerkPage(): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'vi-VN' })
  context.setDefaultTimeout(15_000)
  const page = await context.newPage()
  const problems = await watchPageProblems(page, expected401)
  await page.goto(url('/login'))
  await page.fill('#username', CLERK.username)
  await page.fill('#password', CLERK.password)
  await page.getByTestId('login-submit').click()
  await expect.poll(async () => (await page.getByTestId('current-user').textContent()) ?? '').toContain(CLERK.fullName)
  return { page, problems }
}

beforeAll(async () => {
  stage = await startUiStage(ADMIN_PASSWORD)
  server = stage.server
  browser = stage.browser
  const admin = (await api<{ token: string }>('POST', '/api/auth/token', { username: 'admin', password: ADMIN_PASSWORD })).token
  const office = await api<{ id: string }>('POST', '/api/admin/departments', { name: 'Văn phòng', abbreviation: 'VP' }, admin)
  await api('POST', '/api/admin/users', { ...CLERK, departmentId: office.id }, admin)
  const clerk = (await api<{ token: string }>('POST', '/api/auth/token', { username: CLERK.username, password: CLERK.password })).token
  const form = new FormData()
  form.append('direction', 'incoming')
  form.append('numberNotation', '2874/QĐ-UBND')
  form.append('subject', 'Về việc giao chi tiết kế hoạch đầu tư công năm 2026')
  form.append('file', new Blob([await readFile(corpusFile('001.pdf'))], { type: 'application/pdf' }), 'Quyết định 2874.pdf')
  const created = await api<{ document: { id: string }; file: { id: string } }>('POST', '/api/documents', form, clerk)
  documentId = created.document.id
  fileId = created.file.id
}, 120_000)

afterAll(async () => stage?.close())

describe('the PDF viewer, in Chromium', () => {
  it('GIVEN a registered corpus PDF WHEN its document page opens THEN the frame loads the inline PDF unblocked and shows it', async () => {
    const { page, problems } = await clerkPage()
    const contentPath = `/api/documents/${documentId}/files/${fileId}/content`
    const inline = page.waitForResponse((r: Response) => new URL(r.url()).pathname === contentPath && r.request().resourceType() === 'document')
    await page.goto(url(`/documents/${documentId}`))
    const response = await inline
    expect(response.status()).toBe(200)
    expect(response.headers()['content-type']).toBe('application/pdf')
    expect(response.headers()['content-disposition']).toMatch(/^inline; /)
    expect(new URL(response.url()).searchParams.get('disposition')).toBe('inline')

    const viewer = page.getByTestId('pdf-viewer')
    await expect.poll(() => viewer.getAttribute('aria-busy')).toBeNull()
    expect(await page.getByTestId('viewer-title').textContent()).toBe('Quyết định 2874.pdf')
    const frame = page.getByTestId('viewer-frame')
    expect(await frame.getAttribute('title')).toBe('Nội dung tệp Quyết định 2874.pdf')
    expect(await frame.getAttribute('src')).toBe(`${contentPath}?disposition=inline`)
    expect(await page.getByTestId('viewer-open').getAttribute('href')).toBe(`${contentPath}?disposition=inline`)
    expect(await page.getByTestId('viewer-download').getAttribute('href')).toBe(contentPath)
    // The framed document is the PDF itself, not Chromium's error page for a blocked frame.
    const pdfFrame = page.frames().find((f) => new URL(f.url()).pathname === contentPath)
    expect(pdfFrame, 'the PDF frame').toBeDefined()
    expect(page.frames().some((f) => f.url().startsWith('chrome-error:'))).toBe(false)
    await page.waitForTimeout(1500) // the built-in viewer paints after the frame's load event
    await page.screenshot({ path: path.join(SCREENSHOTS, 'pdf-viewer-document.png') })
    // Narrow screens stack the viewer above the register fields.
    await page.setViewportSize({ width: 800, height: 900 })
    const [viewerBox, metadataBox] = await Promise.all([
      page.getByTestId('document-viewer').boundingBox(),
      page.getByTestId('document-metadata').boundingBox(),
    ])
    expect(metadataBox!.y).toBeGreaterThan(viewerBox!.y + viewerBox!.height - 1)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'pdf-viewer-document-narrow.png') })
    expect(problems, 'console errors or CSP violations').toEqual([])
    await page.context().close()
  }, 60_000)

  it('GIVEN the registration screen WHEN a PDF and then a PNG are chosen THEN each is previewed from a blob: URL beside the form', async () => {
    const { page, problems } = await clerkPage()
    await page.getByTestId('nav-register').click()
    await page.getByTestId('register-form').waitFor()
    expect(await page.getByTestId('register-preview').count()).toBe(0)
    await page.setInputFiles('input[name="file"]', [corpusFile('001.pdf'), corpusFile('002.scan.png')])
    const preview = page.getByTestId('register-preview')
    await preview.waitFor()
    const frame = preview.getByTestId('viewer-frame')
    expect(await frame.getAttribute('src')).toMatch(/^blob:/)
    await expect.poll(() => preview.getAttribute('aria-busy')).toBeNull()
    expect(await preview.getByTestId('viewer-title').textContent()).toBe('001.pdf')
    expect(await preview.getByTestId('viewer-download').count()).toBe(0)
    await page.waitForTimeout(1500)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'pdf-viewer-register.png') })

    await page.getByTestId('file-preview').nth(1).click()
    const image = preview.getByTestId('viewer-image')
    await image.waitFor()
    expect(await image.getAttribute('src')).toMatch(/^blob:/)
    await expect.poll(() => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0)
    expect(await preview.getByTestId('viewer-title').textContent()).toBe('002.scan.png')

    // Removing every file removes the preview (and its object URL).
    await page.getByTestId('file-remove').first().click()
    await page.getByTestId('file-remove').first().click()
    await page.getByTestId('file-list-empty').waitFor()
    expect(await page.getByTestId('register-preview').count()).toBe(0)
    expect(problems, 'console errors or CSP violations').toEqual([])
    await page.context().close()
  }, 60_000)
})
