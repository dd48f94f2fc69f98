import { readFile } from 'node:fs/promises'
import UTIF from 'utif2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Headers, seedOrganisation } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { pgliteDriver } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

/**
 * `?disposition=inline` lets the app's own pages frame a PDF or an image (the document page's viewer);
 * everything else, and every plain download, keeps the strict page policy. Headers only: PGlite suffices.
 */
const INLINE_POLICY = "default-src 'none'; object-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"

describe('inline file content', () => {
  let t: TestApp
  let clerk: Headers
  let pdf: Buffer
  const contentUrl: Record<'pdf' | 'png' | 'tiff', string> = { pdf: '', png: '', tiff: '' }

  const upload = async (fileName: string, contentType: string, data: Buffer) => {
    const { payload, headers } = multipartBody([
      { name: 'direction', value: 'incoming' },
      { name: 'subject', value: `Xem trực tiếp ${fileName}` },
      { name: 'file', fileName, contentType, data },
    ])
    const response = await t.app.inject({ method: 'POST', url: '/api/documents', payload, headers: { ...headers, ...clerk } })
    if (response.statusCode !== 201) throw new Error(`upload ${fileName}: ${response.statusCode} ${response.body}`)
    const { document, file } = response.json()
    return `/api/documents/${document.id}/files/${file.id}/content`
  }
  const get = (url: string, headers: Headers = {}) => t.app.inject({ url, headers: { ...clerk, ...headers } })

  beforeAll(async () => {
    t = await startTestApp(pgliteDriver)
    clerk = (await seedOrganisation(t.platform, t.app)).users.clerk.headers
    pdf = await readFile(corpusFile('001.pdf'))
    const tiff = Buffer.from(UTIF.encodeImage(new Uint8Array(4 * 4 * 4).fill(255), 4, 4))
    contentUrl.pdf = await upload('Quyết định 2874.pdf', 'application/pdf', pdf)
    contentUrl.png = await upload('Công văn 4862.png', 'image/png', await readFile(corpusFile('002.scan.png')))
    contentUrl.tiff = await upload('Bản quét.tif', 'image/tiff', tiff)
  }, 60_000)
  afterAll(async () => t?.close())

  it('GIVEN a stored PDF WHEN asked inline THEN it is shown in place and only our own pages may frame it', async () => {
    const response = await get(`${contentUrl.pdf}?disposition=inline`)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/pdf')
    expect(response.headers['content-disposition']).toMatch(/^inline; filename="Quyet dinh 2874\.pdf"; filename\*=UTF-8''/)
    expect(response.headers['content-security-policy']).toBe(INLINE_POLICY)
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN')
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect(response.rawPayload.equals(pdf)).toBe(true)
  })

  it('GIVEN a stored PDF WHEN downloaded without a disposition THEN it stays an attachment under the strict policy', async () => {
    const response = await get(contentUrl.pdf)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-disposition']).toMatch(/^attachment; /)
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(response.headers['content-security-policy']).toContain("object-src 'none'")
    const explicit = await get(`${contentUrl.pdf}?disposition=attachment`)
    expect(explicit.headers['content-disposition']).toMatch(/^attachment; /)
  })

  it('GIVEN the inline PDF WHEN the viewer asks for a range or revalidates THEN Range and ETag work as for downloads', async () => {
    const url = `${contentUrl.pdf}?disposition=inline`
    const partial = await get(url, { range: 'bytes=0-1023' })
    expect(partial.statusCode).toBe(206)
    expect(partial.headers['content-range']).toBe(`bytes 0-1023/${pdf.length}`)
    expect(partial.rawPayload.equals(pdf.subarray(0, 1024))).toBe(true)
    expect(partial.headers['content-security-policy']).toBe(INLINE_POLICY)
    expect(partial.headers['accept-ranges']).toBe('bytes')
    const etag = partial.headers.etag as string
    const cached = await get(url, { 'if-none-match': etag })
    expect(cached.statusCode).toBe(304)
  })

  it('GIVEN a stored PNG scan WHEN asked inline THEN it is inline with the framing policy', async () => {
    const response = await get(`${contentUrl.png}?disposition=inline`)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('image/png')
    expect(response.headers['content-disposition']).toMatch(/^inline; /)
    expect(response.headers['content-security-policy']).toBe(INLINE_POLICY)
  })

  it('GIVEN a stored TIFF WHEN asked inline THEN it is still an attachment and may not be framed', async () => {
    const response = await get(`${contentUrl.tiff}?disposition=inline`)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('image/tiff')
    expect(response.headers['content-disposition']).toMatch(/^attachment; /)
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(response.headers['x-content-type-options']).toBe('nosniff')
  })

  it('GIVEN an unknown disposition WHEN asked THEN 400', async () => {
    const response = await get(`${contentUrl.pdf}?disposition=preview`)
    expect(response.statusCode).toBe(400)
  })

  it('GIVEN any page of the app WHEN served THEN it may frame same-origin and blob: previews but nothing else changes', async () => {
    const policy = (await t.app.inject({ url: '/healthz' })).headers['content-security-policy'] as string
    expect(policy).toContain("frame-src 'self' blob:")
    expect(policy).toContain("img-src 'self' data: blob:")
    expect(policy).toContain("object-src 'none'")
    expect(policy).toContain("frame-ancestors 'none'")
    expect(policy).toContain("script-src 'self'")
  })
})
