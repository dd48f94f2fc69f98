import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../helpers/databases.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'
import { type Headers, seedOrganisation } from '../helpers/accounts.ts'

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

/**
 * A small greyscale PNG: these cases are about types and storage, and the text job each scan queues
 * (which counts() waits for) should not spend seconds on OCR of a full A4 page.
 */
function smallScanPng(): Buffer {
  const image = new PNG({ width: 320, height: 120 })
  image.data.fill(255)
  for (let y = 40; y < 80; y++)
    for (let x = 40; x < 280; x++) image.data.fill(0, (y * 320 + x) * 4, (y * 320 + x) * 4 + 3)
  return PNG.sync.write(image)
}

describe.each(DRIVERS)('documents API on $name', (driver) => {
  let t: TestApp
  let pdf: Buffer
  let png: Buffer
  let clerk: Headers
  let admin: Headers

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver, { env: { UPLOAD_MAX_MB: '2' }, workers: true })
    const org = await seedOrganisation(t.platform, t.app)
    clerk = org.users.clerk.headers
    admin = org.admin
    pdf = await readFile(corpusFile('001.pdf'))
    png = smallScanPng()
  })
  afterAll(async () => t?.close())

  const upload = (parts: Parameters<typeof multipartBody>[0]) => {
    const { payload, headers } = multipartBody(parts)
    return t.app.inject({ method: 'POST', url: '/api/documents', payload, headers: { ...headers, ...clerk } })
  }
  const pdfPart = (data = pdf, fileName = 'Quyết định 2874.pdf', contentType = 'application/pdf') => ({
    name: 'file',
    fileName,
    contentType,
    data,
  })
  /**
   * Inspection and text jobs of earlier uploads append audit events (and OCR a searchable file): let
   * them finish before counting. OCR of the PNG scan takes seconds on a busy CI machine.
   */
  const waitForIdleJobs = async () => {
    for (let i = 0; i < 900; i++) {
      const { rows } = await t.platform.database.executeSql(
        "select count(*)::int as busy from pgboss.job where state in ('created', 'retry', 'active')",
      )
      if (rows[0]?.busy === 0) return
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error('jobs did not settle')
  }
  const counts = async () => {
    await waitForIdleJobs()
    const { rows } = await t.platform.database.executeSql(
      "select (select count(*) from documents)::int as documents, (select count(*) from document_files)::int as files, (select count(*) from audit_events where action <> 'document.content-viewed')::int as events",
    )
    let blobs = 0
    for await (const _ of t.platform.blobStore.list()) blobs++
    return { ...(rows[0] as { documents: number; files: number; events: number }), blobs }
  }
  const waitForJob = async (id: string) => {
    for (let i = 0; i < 100; i++) {
      const job = (await t.app.inject({ url: `/api/jobs/${id}`, headers: clerk })).json()
      if (job.state === 'completed' || job.state === 'failed') return job
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error(`job ${id} did not finish`)
  }

  describe.skipIf(!driver.available)('(needs the database)', () => {
    let documentId: string
    let fileId: string

    it('GIVEN a corpus PDF with register fields WHEN uploaded THEN 201 with the document and its sha256', async () => {
      const response = await upload([
        { name: 'direction', value: 'incoming' },
        { name: 'kind', value: 'Quyết định' },
        { name: 'numberNotation', value: '2874/QĐ-UBND' },
        { name: 'issuedDate', value: '2024-07-22' },
        { name: 'issuerName', value: 'Ủy ban nhân dân tỉnh Hòa Giang' },
        { name: 'subject', value: 'Về việc phê duyệt kế hoạch' },
        { name: 'urgency', value: 'Khẩn' },
        pdfPart(),
      ])
      expect(response.statusCode).toBe(201)
      const body = response.json()
      expect(body.file).toMatchObject({
        sha256: sha256(pdf),
        size: pdf.length,
        mediaType: 'application/pdf',
        role: 'original',
      })
      expect(body.document).toMatchObject({
        direction: 'incoming',
        status: 'received',
        kindCode: 'QĐ',
        numberNotation: '2874/QĐ-UBND',
        issuerName: 'Ủy ban nhân dân tỉnh Hòa Giang',
        urgency: 1,
        secrecy: 0,
      })
      documentId = body.document.id
      fileId = body.file.id
      const job = await waitForJob(body.inspectJobId)
      expect(job).toMatchObject({
        state: 'completed',
        name: 'document-file.inspect',
        progress: { done: 1, total: 1 },
      })
      const document = (await t.app.inject({ url: `/api/documents/${documentId}`, headers: clerk })).json()
      expect(document.pageCount).toBe(2)
      expect(document.files[0].pageCount).toBe(2)
    })

    it('GIVEN the stored file WHEN downloaded THEN the bytes are identical, typed, named and tagged', async () => {
      const response = await t.app.inject({
        url: `/api/documents/${documentId}/files/${fileId}/content`,
        headers: clerk,
      })
      expect(response.statusCode).toBe(200)
      expect(sha256(response.rawPayload)).toBe(sha256(pdf))
      expect(response.headers['content-type']).toBe('application/pdf')
      expect(response.headers.etag).toBe(`"${sha256(pdf)}"`)
      expect(response.headers['content-disposition']).toContain(
        "filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%202874.pdf",
      )
    })

    it('GIVEN a Range header WHEN downloaded THEN 206 with exactly those bytes', async () => {
      const url = `/api/documents/${documentId}/files/${fileId}/content`
      const partial = await t.app.inject({ url, headers: { ...clerk, range: 'bytes=100-1099' } })
      expect(partial.statusCode).toBe(206)
      expect(partial.headers['content-range']).toBe(`bytes 100-1099/${pdf.length}`)
      expect(partial.rawPayload.equals(pdf.subarray(100, 1100))).toBe(true)
      const tail = await t.app.inject({ url, headers: { ...clerk, range: 'bytes=-10' } })
      expect(tail.rawPayload.equals(pdf.subarray(pdf.length - 10))).toBe(true)
      const beyond = await t.app.inject({ url, headers: { ...clerk, range: `bytes=${pdf.length}-` } })
      expect(beyond.statusCode).toBe(416)
      expect(beyond.headers['content-type']).toContain('application/problem+json')
      expect(beyond.headers['content-range']).toBe(`bytes */${pdf.length}`)
      const cached = await t.app.inject({ url, headers: { ...clerk, 'if-none-match': `"${sha256(pdf)}"` } })
      expect(cached.statusCode).toBe(304)
    })

    it('GIVEN identical bytes uploaded again WHEN stored THEN a second document points at the one blob', async () => {
      const before = await counts()
      const response = await upload([{ name: 'direction', value: 'outgoing' }, pdfPart()])
      expect(response.statusCode).toBe(201)
      expect(response.json().document.status).toBe('draft')
      const after = await counts()
      expect(after).toMatchObject({
        documents: before.documents + 1,
        files: before.files + 1,
        blobs: before.blobs,
      })
    })

    it('GIVEN a PNG scan sent as application/octet-stream WHEN uploaded THEN its type comes from its name and bytes', async () => {
      const response = await upload([
        { name: 'direction', value: 'incoming' },
        { name: 'file', fileName: 'scan.png', data: png },
      ])
      expect(response.statusCode).toBe(201)
      expect(response.json().file).toMatchObject({
        mediaType: 'image/png',
        pageCount: 1,
        sha256: sha256(png),
      })
      expect(response.json().inspectJobId).toBeNull()
    })

    const badUploads: [string, number, string, () => Parameters<typeof multipartBody>[0]][] = [
      [
        'an empty file',
        400,
        'upload-empty',
        () => [{ name: 'direction', value: 'incoming' }, pdfPart(Buffer.alloc(0))],
      ],
      [
        'a file over the limit',
        413,
        'upload-too-large',
        () => [
          { name: 'direction', value: 'incoming' },
          pdfPart(Buffer.concat([pdf, Buffer.alloc(3 * 1024 * 1024, 32)]), 'big.pdf'),
        ],
      ],
      [
        'an unsupported type',
        415,
        'upload-unsupported-type',
        () => [
          { name: 'direction', value: 'incoming' },
          pdfPart(
            Buffer.from('PK\x03\x04 docx'),
            'cv.docx',
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          ),
        ],
      ],
      [
        'PNG bytes declared as PDF',
        422,
        'upload-type-mismatch',
        () => [{ name: 'direction', value: 'incoming' }, pdfPart(png, 'fake.pdf', 'application/pdf')],
      ],
      [
        'text bytes named .pdf',
        422,
        'upload-type-mismatch',
        () => [
          { name: 'direction', value: 'incoming' },
          pdfPart(Buffer.from('hello, not a pdf at all'), 'x.pdf', 'application/octet-stream'),
        ],
      ],
      ['no file part', 400, 'upload-missing-file', () => [{ name: 'direction', value: 'incoming' }]],
      [
        'a valid file with invalid fields',
        400,
        'validation-failed',
        () => [
          pdfPart(Buffer.concat([pdf, Buffer.from('\n% unique tail')])),
          { name: 'numberNotation', value: 'not a number' },
        ],
      ],
    ]

    it.each(badUploads)(
      'GIVEN %s WHEN uploaded THEN %i %s and nothing is left behind',
      async (_name, status, code, parts) => {
        const before = await counts()
        const response = await upload(parts())
        expect(response.statusCode).toBe(status)
        expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8')
        const problem = response.json()
        expect(problem).toMatchObject({ code, status, type: expect.stringContaining(code) })
        expect(problem.title).toMatch(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i)
        expect(problem.titleEn.length).toBeGreaterThan(0)
        expect(await counts()).toEqual(before)
      },
    )

    it('GIVEN invalid fields WHEN refused THEN each field error is listed in Vietnamese and English', async () => {
      const response = await upload([
        { name: 'direction', value: 'incoming' },
        { name: 'issuedDate', value: '2999-01-01' },
        pdfPart(),
      ])
      expect(response.json().errors).toEqual([
        {
          field: 'issuedDate',
          message: 'Ngày không được ở tương lai.',
          messageEn: 'The date cannot be in the future.',
        },
      ])
    })

    it('GIVEN a JSON body WHEN posted as an upload THEN 415 problem+json', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/documents',
        payload: { direction: 'incoming' },
        headers: clerk,
      })
      expect(response.statusCode).toBe(415)
      expect(response.json().code).toBe('unsupported-media-type')
    })

    it('GIVEN unknown or malformed ids WHEN fetched THEN 404 problem+json', async () => {
      for (const url of [
        '/api/documents/00000000-0000-4000-8000-000000000000',
        '/api/documents/not-a-uuid',
        `/api/documents/${documentId}/files/00000000-0000-4000-8000-000000000000/content`,
        '/api/jobs/00000000-0000-4000-8000-000000000000',
      ]) {
        const response = await t.app.inject({ url, headers: clerk })
        expect(response.statusCode, url).toBe(404)
        expect(response.json().code).toBe('not-found')
      }
    })

    it('GIVEN several documents WHEN listed with a limit THEN cursor pages cover each exactly once', async () => {
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const query: string = cursor ? `limit=2&cursor=${cursor}` : 'limit=2'
        const page = (await t.app.inject({ url: `/api/documents?${query}`, headers: clerk })).json()
        expect(page.items.length).toBeLessThanOrEqual(2)
        seen.push(...page.items.map((item: { id: string }) => item.id))
        cursor = page.nextCursor
      } while (cursor)
      const total = (await counts()).documents
      expect(seen.length).toBe(total)
      expect(new Set(seen).size).toBe(total)
      const incoming = (
        await t.app.inject({ url: '/api/documents?direction=incoming', headers: clerk })
      ).json()
      expect(incoming.items.every((item: { direction: string }) => item.direction === 'incoming')).toBe(true)
      const bad = await t.app.inject({ url: '/api/documents?limit=0', headers: clerk })
      expect(bad.statusCode).toBe(400)
      expect(bad.json().errors[0].field).toBe('limit')
    })

    it('GIVEN all of the above WHEN the audit chain is verified THEN it is intact and counts every change', async () => {
      const verdict = (await t.app.inject({ url: '/api/audit/verify', headers: admin })).json()
      expect(verdict).toMatchObject({ ok: true, firstBrokenSeq: null })
      const forDocument = (
        await t.app.inject({
          url: `/api/audit/events?targetType=document&targetId=${documentId}`,
          headers: admin,
        })
      ).json()
      const actions = forDocument.items
        .map((e: { action: string }) => e.action)
        .filter((a: string) => a !== 'document.content-viewed')
      // The inspection and text jobs run side by side: their events come in either order.
      expect(actions.slice(0, 2).sort()).toEqual(['document-file.inspected', 'document.text-extracted'])
      expect(actions.slice(2)).toEqual(['document.created'])
      const views = forDocument.items.filter(
        (e: { action: string }) => e.action === 'document.content-viewed',
      )
      expect(views.length).toBeGreaterThan(0)
    })
  })
})
