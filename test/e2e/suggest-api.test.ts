import { readdir, readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COMPARED_FIELDS, type CorpusMeta, fieldMatches } from '../../src/suggest/field-accuracy.ts'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { pgliteDriver } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

type Part = Parameters<typeof multipartBody>[0][number]

// Suggestions read the file and store nothing: the database driver plays no part, so PGlite only.
describe.each([pgliteDriver])('metadata suggestions on $name', (driver) => {
  let t: TestApp

  let org: Organisation

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
  })
  afterAll(async () => t?.close())

  const suggest = (parts: Part[], headers = org.users.clerk.headers) => {
    const { payload, headers: multipart } = multipartBody(parts)
    return t.app.inject({
      method: 'POST',
      url: '/api/incoming/suggestions',
      payload,
      headers: { ...multipart, ...headers },
    })
  }
  const file = (data: Buffer, fileName = 'van-ban.pdf', contentType = 'application/pdf'): Part => ({
    name: 'file',
    fileName,
    contentType,
    data,
  })
  /** Rows and blob files: a suggestion must leave both unchanged. */
  const stored = async () => {
    const { rows } = await t.platform.database.executeSql(
      'select (select count(*) from documents)::int as documents, (select count(*) from document_files)::int as files',
    )
    const entries = await readdir(t.dataDir, { recursive: true, withFileTypes: true })
    return { ...rows[0], blobFiles: entries.filter((entry) => entry.isFile()).length }
  }
  const meta = async (id: string): Promise<CorpusMeta> =>
    JSON.parse(await readFile(corpusFile(`${id}.meta.json`), 'utf8'))

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it.each(['002', '014', '024'])(
      'GIVEN born-digital corpus PDF %s WHEN a clerk asks for suggestions THEN every field equals the registration metadata and nothing is stored',
      async (id) => {
        const before = await stored()
        const response = await suggest([file(await readFile(corpusFile(`${id}.pdf`)), `${id}.pdf`)])
        expect(response.statusCode, response.body).toBe(200)
        const body = response.json()
        expect(body.source).toBe('text-layer')
        const truth = await meta(id)
        const wrong = COMPARED_FIELDS.filter((field) => !fieldMatches(body.fields, truth, field))
        expect(wrong, JSON.stringify(body.fields, null, 1)).toEqual([])
        expect(body.fields.numberNotation.value).toBe(truth.number_notation)
        expect(body.pageCount).toBe(truth.pages)
        expect(await stored()).toEqual(before)
      },
    )

    // OCR is slow: one page.
    it.skipIf(driver !== pgliteDriver)(
      'GIVEN a scanned page as a PNG (002) WHEN suggestions are asked THEN the header fields are read by OCR and nothing is stored',
      async () => {
        const before = await stored()
        const response = await suggest([
          file(await readFile(corpusFile('002.scan.png')), '002.png', 'image/png'),
        ])
        expect(response.statusCode, response.body).toBe(200)
        const body = response.json()
        expect(body.source).toBe('ocr')
        const truth = await meta('002')
        for (const field of ['numberNotation', 'documentDate', 'kind', 'urgency', 'parentAgency'] as const) {
          expect(
            fieldMatches(body.fields, truth, field),
            `${field}: ${JSON.stringify(body.fields[field])}`,
          ).toBe(true)
        }
        expect(await stored()).toEqual(before)
      },
      120_000,
    )

    it('GIVEN a damaged PDF WHEN suggestions are asked THEN 422 problem+json (unreadable) and nothing is stored', async () => {
      const before = await stored()
      const response = await suggest([file(Buffer.from('%PDF-1.7\n1 0 obj garbage\n%%EOF\n'), 'hong.pdf')])
      expect(response.statusCode).toBe(422)
      expect(response.headers['content-type']).toContain('application/problem+json')
      expect(response.json()).toMatchObject({ code: 'unreadable-image', status: 422 })
      expect(await stored()).toEqual(before)
    })

    it('GIVEN a text file sent as a PDF WHEN suggestions are asked THEN 422 problem+json and nothing is stored', async () => {
      const before = await stored()
      const response = await suggest([file(Buffer.from('not a pdf at all, just words'), 'gia.pdf')])
      expect(response.statusCode).toBe(422)
      expect(response.headers['content-type']).toContain('application/problem+json')
      expect(response.json()).toMatchObject({ code: 'upload-type-mismatch', status: 422 })
      expect(await stored()).toEqual(before)
    })

    it('GIVEN a file type vanthu does not take WHEN suggestions are asked THEN 415 problem+json', async () => {
      const response = await suggest([file(Buffer.from('hello'), 'ghi-chu.txt', 'text/plain')])
      expect(response.statusCode).toBe(415)
      expect(response.json()).toMatchObject({ code: 'upload-unsupported-type' })
    })

    it('GIVEN no file part WHEN suggestions are asked THEN 400 problem+json', async () => {
      const response = await suggest([{ name: 'note', value: 'x' }])
      expect(response.statusCode).toBe(400)
      expect(response.json()).toMatchObject({ code: 'upload-missing-file' })
    })

    it('GIVEN a reader without document.create WHEN suggestions are asked THEN 403', async () => {
      const pdf = await readFile(corpusFile('002.pdf'))
      const response = await suggest([file(pdf)], org.users.officer.headers)
      expect(response.statusCode).toBe(403)
    })
  })
})
