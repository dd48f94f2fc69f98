import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedOfficeUser, signedInPage, stageApi, startUiStage, type UiStage } from '../helpers/browser.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { REPO_ROOT, type ServiceProcess } from '../helpers/server-process.ts'

/**
 * Tra cứu in Chromium against a real server whose in-process workers extract the PDFs' text and feed
 * the search index: words typed without diacritics find a page, facets narrow the list, a snippet
 * opens the document at its page.
 */
const ADMIN_PASSWORD = 'Quản trị tra cứu văn bản 2026'
const CLERK = {
  username: 'vttracuu',
  fullName: 'Lê Thị Tra Cứu',
  roles: ['clerk'],
  password: 'Văn thư tra cứu văn bản',
}
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results/screenshots')

interface CorpusMeta {
  kind: string
  number_notation: string
  issued_date: string
  issuer: string
  subject: string
  signer_name: string
  urgency: string | null
}

let stage: UiStage
let server: ServiceProcess
let clerkToken: string
/** Corpus number → document id. */
const documents = new Map<string, string>()

const url = (pathname: string) => `${server.baseUrl}${pathname}`
const api = <T>(method: string, pathname: string, body?: FormData | object, bearer?: string) =>
  stageApi<T>(server, method, pathname, body, bearer)

/** Registers a born-digital corpus PDF with the register fields of its meta.json. */
async function registerCorpus(id: string): Promise<string> {
  const meta = JSON.parse(await readFile(corpusFile(`${id}.meta.json`), 'utf8')) as CorpusMeta
  const form = new FormData()
  form.append('direction', 'incoming')
  form.append('kind', meta.kind)
  form.append('numberNotation', meta.number_notation)
  form.append('issuedDate', meta.issued_date)
  form.append('issuerName', meta.issuer)
  form.append('subject', meta.subject)
  form.append('signerName', meta.signer_name)
  if (meta.urgency) form.append('urgency', meta.urgency)
  form.append(
    'file',
    new Blob([await readFile(corpusFile(`${id}.pdf`))], { type: 'application/pdf' }),
    `${id}.pdf`,
  )
  return (await api<{ document: { id: string } }>('POST', '/api/documents', form, clerkToken)).document.id
}

const searchTotal = async (q: string) =>
  (await api<{ total: number }>('GET', `/api/search?q=${encodeURIComponent(q)}`, undefined, clerkToken)).total

const clerkPage = () => signedInPage(stage, CLERK, 20_000)

const totalText = (page: Page) => page.getByTestId('search-total').textContent()

beforeAll(async () => {
  stage = await startUiStage(ADMIN_PASSWORD)
  server = stage.server
  clerkToken = await seedOfficeUser(server, ADMIN_PASSWORD, CLERK)
  for (const id of ['001', '002', '003']) documents.set(id, await registerCorpus(id))
  // "giải ngân" is in 002's trích yếu but only in the page text of 001 and 003; "cải cách tiền lương"
  // only on page 2 of 003 ("tiền" and "lương" alone also match 002's tiến độ, khối lượng). Both counts
  // are right once extraction and the search sync have run for every file.
  const deadline = Date.now() + 90_000
  let totals: number[] = []
  while (totals.join() !== '3,1') {
    if (Date.now() > deadline) throw new Error(`the corpus was not searchable in time: ${totals.join()}`)
    await new Promise((resolve) => setTimeout(resolve, 500))
    totals = [await searchTotal('giai ngan'), await searchTotal('cai cach tien luong')]
  }
}, 150_000)

afterAll(async () => stage?.close())

describe('the search page, in Chromium', () => {
  it('GIVEN indexed PDFs WHEN "/" is pressed and words are typed without diacritics THEN the hit shows a marked snippet of its page, which opens the document at that page', async () => {
    const { page, problems } = await clerkPage()
    await page.locator('body').press('/')
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement
            .id,
      ),
    ).toBe('header-search-q')
    await page.keyboard.type('cai cach tien luong')
    await page.keyboard.press('Enter')
    await page.getByTestId('page-search').waitFor()
    expect(new URL(page.url()).searchParams.get('q')).toBe('cai cach tien luong')
    await expect.poll(() => totalText(page)).toBe('Tìm thấy 1 văn bản')
    expect(await page.inputValue('#search-q')).toBe('cai cach tien luong')

    const hit = page.getByTestId('search-hit')
    expect(await hit.count()).toBe(1)
    expect(await hit.getAttribute('data-id')).toBe(documents.get('003'))
    expect(await hit.getByTestId('search-hit-link').textContent()).toBe('438/TTr-STC')
    expect(await hit.getByTestId('search-hit-subject').textContent()).toContain(
      'dự toán thu ngân sách nhà nước',
    )
    const snippet = hit.getByTestId('search-snippet').first()
    expect(await snippet.getAttribute('data-page')).toBe('2')
    expect((await snippet.textContent())?.startsWith('Trang 2:')).toBe(true)
    const marks = await snippet.locator('mark').allTextContents()
    expect(marks.map((m) => m.toLowerCase())).toContain('tiền')
    expect(marks.map((m) => m.toLowerCase())).toContain('lương')
    await page.screenshot({ path: path.join(SCREENSHOTS, 'search-results.png') })

    // ↓ from the box walks the result links; Enter on the snippet opens the document at page 2.
    await page.focus('#search-q')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(
      await snippet.evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement),
    ).toBe(true)
    await page.keyboard.press('Enter')
    await page.getByTestId('page-document').waitFor()
    const opened = new URL(page.url())
    expect(opened.pathname).toBe(`/documents/${documents.get('003')}`)
    expect(opened.searchParams.get('page')).toBe('2')
    const frame = page.getByTestId('viewer-frame')
    await expect.poll(() => frame.getAttribute('src')).toMatch(/#page=2$/)
    await expect.poll(() => page.getByTestId('pdf-viewer').getAttribute('aria-busy')).toBeNull()
    await page.waitForTimeout(1500) // the built-in viewer paints after the frame's load event
    await page.screenshot({ path: path.join(SCREENSHOTS, 'search-document-page.png') })

    // Back returns to the same search, from the URL.
    await page.goBack()
    await expect.poll(() => totalText(page)).toBe('Tìm thấy 1 văn bản')
    expect(problems, 'console errors or CSP violations').toEqual([])
    await page.context().close()
  }, 90_000)

  it('GIVEN a search with three hits WHEN a kind facet is clicked, then its chip removed THEN the count narrows to one and comes back; sorting by date orders them', async () => {
    const { page, problems } = await clerkPage()
    await page.getByTestId('nav-search').click()
    await page.getByTestId('page-search').waitFor()
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement
            .id,
      ),
    ).toBe('search-q')
    await page.fill('#search-q', 'giai ngan')
    await page.keyboard.press('Enter')
    await expect.poll(() => totalText(page)).toBe('Tìm thấy 3 văn bản')
    // The facets come in their own request, after (or before) the hits.
    const kinds = page.getByTestId('facet-kind').getByTestId('facet-value')
    await expect
      .poll(async () => (await kinds.allTextContents()).sort())
      .toEqual(['Công văn1', 'Quyết định1', 'Tờ trình1'])

    const congVan = kinds.filter({ hasText: 'Công văn' })
    await congVan.click()
    await expect.poll(() => totalText(page)).toBe('Tìm thấy 1 văn bản')
    expect(new URL(page.url()).searchParams.get('kind')).toBe('Công văn')
    expect(await page.getByTestId('search-hit').getAttribute('data-id')).toBe(documents.get('002'))
    expect(await page.getByTestId('search-hit-urgency').textContent()).toBe('Khẩn')
    await expect.poll(() => congVan.getAttribute('aria-pressed')).toBe('true')
    const chip = page.getByTestId('search-chip')
    expect(await chip.textContent()).toContain('Loại văn bản: Công văn')
    await page.screenshot({ path: path.join(SCREENSHOTS, 'search-facet.png') })

    await chip.click()
    await expect.poll(() => totalText(page)).toBe('Tìm thấy 3 văn bản')
    expect(await page.getByTestId('search-chip').count()).toBe(0)
    // Back brings the filter back: the search is the URL.
    await page.goBack()
    await expect.poll(() => totalText(page)).toBe('Tìm thấy 1 văn bản')
    await page.goForward()
    await expect.poll(() => totalText(page)).toBe('Tìm thấy 3 văn bản')

    await page.selectOption('#search-sort', 'date-desc')
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('date-desc')
    await expect
      .poll(() =>
        page.getByTestId('search-hit').evaluateAll((els) => els.map((el) => el.getAttribute('data-id'))),
      )
      .toEqual(['001', '002', '003'].map((id) => documents.get(id)))
    // Narrow screens: the facets move above the results…
    await page.setViewportSize({ width: 800, height: 1000 })
    const [facetsBox, resultsBox] = await Promise.all([
      page.getByTestId('search-facets').boundingBox(),
      page.getByTestId('search-results').boundingBox(),
    ])
    expect(resultsBox!.y).toBeGreaterThan(facetsBox!.y + facetsBox!.height - 1)
    // …folded behind one button, so the results stay near the box.
    expect(await page.getByTestId('facet-kind').isVisible()).toBe(false)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'search-narrow.png') })
    await page.getByTestId('search-facets-toggle').click()
    expect(await page.getByTestId('facet-kind').isVisible()).toBe(true)
    expect(problems, 'console errors or CSP violations').toEqual([])
    await page.context().close()
  }, 60_000)

  it('GIVEN the search page WHEN words are typed without Enter while the facets answer slowly THEN one search runs after the pause and its hits show before the facets', async () => {
    const { page, problems } = await clerkPage()
    const searched: string[] = []
    page.on('request', (request) => {
      const asked = new URL(request.url())
      if (asked.pathname === '/api/search' && asked.searchParams.get('view') === 'hits')
        searched.push(asked.searchParams.get('q') ?? '')
    })
    // The facets are held back until the test lets them go: the hits must not wait for them.
    let releaseFacets = () => {}
    const facetsHeld = new Promise<void>((resolve) => {
      releaseFacets = resolve
    })
    await page.route('**/api/search?*', async (route) => {
      if (new URL(route.request().url()).searchParams.get('view') === 'facets') await facetsHeld
      await route.continue().catch(() => {}) // a request the page cancelled meanwhile
    })
    await page.getByTestId('nav-search').click()
    await page.getByTestId('page-search').waitFor()
    await page.keyboard.type('giai ngan', { delay: 30 })
    // The empty search lists the same three documents, newest first: the typed one is told by its URL
    // and by the words marked in its snippets.
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('giai ngan')
    await expect.poll(() => page.getByTestId('search-snippet').locator('mark').count()).toBeGreaterThan(0)
    expect(await totalText(page)).toBe('Tìm thấy 3 văn bản')
    expect(await page.inputValue('#search-q')).toBe('giai ngan')
    expect(await page.getByTestId('search-hit').count()).toBe(3)
    expect(await page.getByTestId('facet-value').count(), 'facets still held back').toBe(0)
    // One search per pause in typing, not one per key (a slow machine may pause once mid-word).
    const typedSearches = searched.filter((q) => q !== '')
    expect(typedSearches.length).toBeLessThanOrEqual(2)
    expect(typedSearches.at(-1)).toBe('giai ngan')

    releaseFacets()
    const kinds = page.getByTestId('facet-kind').getByTestId('facet-value')
    await expect.poll(() => kinds.count()).toBe(3)
    // Typing replaces the URL instead of pushing one entry per pause: Back leaves the search page.
    await page.goBack()
    await expect.poll(() => new URL(page.url()).pathname).not.toBe('/search')
    expect(problems, 'console errors or CSP violations').toEqual([])
    await page.context().close()
  }, 60_000)

  it('GIVEN words no document has WHEN searched THEN the page says so and suggests what to try', async () => {
    const { page, problems } = await clerkPage()
    await page.goto(url('/search?q=khong%20co%20van%20ban%20nao%20xyzw'))
    const empty = page.getByTestId('search-empty')
    await empty.waitFor()
    expect(await empty.textContent()).toContain('Không tìm thấy văn bản phù hợp')
    expect(await empty.textContent()).toContain('Thử gõ không dấu')
    await page.screenshot({ path: path.join(SCREENSHOTS, 'search-empty.png') })
    expect(problems, 'console errors or CSP violations').toEqual([])
    await page.context().close()
  }, 60_000)
})
