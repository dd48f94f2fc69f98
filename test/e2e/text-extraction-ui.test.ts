import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedOfficeUser, signedInPage, stageApi, startUiStage, type UiStage } from '../helpers/browser.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { REPO_ROOT, type ServiceProcess } from '../helpers/server-process.ts'

/**
 * Văn bản nhận dạng on the document page, in Chromium against a real server whose in-process workers
 * extract the text: the pages of a born-digital PDF with their headings, and a damaged file's failure.
 */
const ADMIN_PASSWORD = 'Quản trị văn bản nhận dạng 2026'
const CLERK = {
  username: 'vtnhandang',
  fullName: 'Vũ Thị Nhận Dạng',
  roles: ['clerk'],
  password: 'Văn thư đọc chữ văn bản',
}
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results/screenshots')

let stage: UiStage
let server: ServiceProcess
let clerkToken: string

const url = (pathname: string) => `${server.baseUrl}${pathname}`
const api = <T>(method: string, pathname: string, body?: FormData | object, bearer?: string) =>
  stageApi<T>(server, method, pathname, body, bearer)

async function uploadDocument(bytes: Buffer, fileName: string): Promise<string> {
  const form = new FormData()
  form.append('direction', 'incoming')
  form.append('file', new Blob([bytes], { type: 'application/pdf' }), fileName)
  return (await api<{ document: { id: string } }>('POST', '/api/documents', form, clerkToken)).document.id
}

const clerkPage = () => signedInPage(stage, CLERK, 20_000)

beforeAll(async () => {
  stage = await startUiStage(ADMIN_PASSWORD)
  server = stage.server
  clerkToken = await seedOfficeUser(server, ADMIN_PASSWORD, CLERK)
}, 120_000)

afterAll(async () => stage?.close())

describe('recognised text on the document page, in Chromium', () => {
  it('GIVEN a born-digital PDF WHEN its page is opened THEN the panel shows each page under "Trang n" with its source', async () => {
    const documentId = await uploadDocument(await readFile(corpusFile('001.pdf')), 'Quyết định 2874.pdf')
    const { page, problems } = await clerkPage()
    await page.goto(url(`/documents/${documentId}`))
    const panel = page.getByTestId('document-text')
    await expect.poll(() => panel.getByTestId('text-page').count(), { timeout: 30_000 }).toBe(2)
    expect(await panel.getByRole('heading', { level: 2 }).textContent()).toBe('Văn bản nhận dạng')
    const headings = await panel.getByRole('heading', { level: 4 }).allTextContents()
    expect(headings.map((h) => h.replace(/\s+/g, ' ').trim())).toEqual([
      'Trang 1 lớp chữ của PDF',
      'Trang 2 lớp chữ của PDF',
    ])
    expect(await panel.getByTestId('text-page').first().textContent()).toContain('QUYẾT ĐỊNH')
    expect(await panel.getByTestId('text-progress').count()).toBe(0)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'text-panel-document.png') })
    await panel.screenshot({ path: path.join(SCREENSHOTS, 'text-panel.png') })
    expect(problems, 'console errors or CSP violations').toEqual([])
    await page.context().close()
  }, 60_000)

  it('GIVEN a damaged PDF WHEN its page is opened THEN the panel says in Vietnamese that its text could not be read', async () => {
    const garbage = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 31) % 251))
    const documentId = await uploadDocument(Buffer.concat([Buffer.from('%PDF-1.7\n'), garbage]), 'hong.pdf')
    const { page, problems } = await clerkPage()
    await page.goto(url(`/documents/${documentId}`))
    const failed = page.getByTestId('text-failed')
    await failed.waitFor({ timeout: 30_000 })
    expect(await failed.textContent()).toContain('Tệp bị hỏng, được đặt mật khẩu hoặc không đọc được.')
    expect(await page.getByTestId('text-file').getAttribute('data-state')).toBe('failed')
    await page
      .getByTestId('document-text')
      .screenshot({ path: path.join(SCREENSHOTS, 'text-panel-failed.png') })
    expect(problems, 'console errors or CSP violations').toEqual([])
    await page.context().close()
  }, 60_000)
})
