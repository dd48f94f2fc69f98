import { readFile } from 'node:fs/promises'
import { PDFDocument } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { pgliteDriver } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'
import { bilevelWithSquare, buildTiff, greyRamp } from '../helpers/tiff-fixtures.ts'

const PT_PER_INCH = 72
const A4_WIDTH_PT = 595.28

// A fax-style bilevel page at 200 dpi and a grey page at 300 dpi, of different shapes, so order shows.
const twoPageScan = () =>
  buildTiff([
    {
      width: 340,
      height: 480,
      bits: 1,
      photometric: 0,
      samples: bilevelWithSquare(340, 480, { x: 40, y: 40, size: 60 }),
      compression: 'packbits',
      dpi: 200,
    },
    {
      width: 600,
      height: 300,
      bits: 8,
      photometric: 1,
      samples: greyRamp(600, 300, (x, y) => (x + y) % 256),
      compression: 'deflate',
      dpi: 300,
    },
  ])

// Within the CI budget: PGlite only; the same SQL runs on PostgreSQL in the other e2e files.
describe.each([pgliteDriver])('scanned images at registration on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let png: Buffer

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
    png = await readFile(corpusFile('002.scan.png'))
  })
  afterAll(async () => t?.close())

  const register = (files: { data: Buffer; fileName: string; contentType: string }[]) => {
    const { payload, headers } = multipartBody([
      { name: 'kind', value: 'Công văn' },
      ...files.map((f) => ({ name: 'file', ...f })),
    ])
    return t.app.inject({
      method: 'POST',
      url: '/api/incoming',
      payload,
      headers: { ...headers, ...org.users.clerk.headers },
    })
  }
  const tiff = (data: Buffer, fileName = 'ban-quet.tif') => ({ data, fileName, contentType: 'image/tiff' })
  const counts = async () => {
    const { rows } = await t.platform.database.executeSql(
      'select (select count(*) from documents)::int as documents, (select count(*) from document_files)::int as files',
    )
    let blobs = 0
    for await (const _ of t.platform.blobStore.list()) blobs++
    return { ...rows[0], blobs }
  }

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN a two-page TIFF and a PNG WHEN registered THEN one three-page PDF, pages in upload order at their sizes', async () => {
      const response = await register([
        tiff(twoPageScan()),
        { data: png, fileName: 'trang-3.png', contentType: 'image/png' },
      ])
      expect(response.statusCode, response.body).toBe(201)
      const { files } = response.json().document
      expect(files).toHaveLength(1)
      expect(files[0]).toMatchObject({
        mediaType: 'application/pdf',
        pageCount: 3,
        fileName: 'ban-quet.pdf',
        role: 'original',
      })
      const stored = (await t.app.inject({ url: files[0].contentUrl, headers: org.users.clerk.headers }))
        .rawPayload
      const pdf = await PDFDocument.load(stored)
      const sizes = pdf.getPages().map((page) => page.getSize())
      expect(sizes).toHaveLength(3)
      expect(sizes[0]!.width).toBeCloseTo((340 * PT_PER_INCH) / 200, 2)
      expect(sizes[0]!.height).toBeCloseTo((480 * PT_PER_INCH) / 200, 2)
      expect(sizes[1]!.width).toBeCloseTo((600 * PT_PER_INCH) / 300, 2)
      expect(sizes[1]!.height).toBeCloseTo((300 * PT_PER_INCH) / 300, 2)
      // The PNG states no resolution: A4 width, its own proportions (IHDR width and height).
      expect(sizes[2]!.width).toBeCloseTo(A4_WIDTH_PT, 2)
      expect(sizes[2]!.height / sizes[2]!.width).toBeCloseTo(png.readUInt32BE(20) / png.readUInt32BE(16), 3)
    })

    it('GIVEN a cut-off TIFF with a good PNG WHEN registered THEN 422 in Vietnamese and English, nothing stored', async () => {
      const before = await counts()
      const scan = twoPageScan()
      const response = await register([
        { data: png, fileName: 'trang-1.png', contentType: 'image/png' },
        tiff(scan.subarray(0, scan.length - 2000), 'hong.tif'),
      ])
      expect(response.statusCode, response.body).toBe(422)
      expect(response.json()).toMatchObject({
        code: 'unreadable-image',
        title: expect.stringContaining('Không đọc được ảnh quét'),
        titleEn: expect.stringContaining('cannot be read'),
      })
      expect(await counts()).toEqual(before)
    })
  })
})
