import { readFile } from 'node:fs/promises'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { imagesToPdf } from '../../src/documents/images-to-pdf.ts'
import type { DocumentTextView } from '../../src/text/text.routes.ts'
import { type Organisation, seedOrganisation, sha256 } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

type FileText = DocumentTextView['files'][number]

/** Words of a truth text a reader would look for: long enough not to match by chance. */
function wordsOf(truth: string, count: number): string[] {
  const words =
    truth
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]{5,}/gu) ?? []
  return [...new Set(words)].slice(0, count)
}

function shareFound(words: string[], text: string): number {
  const haystack = text.normalize('NFC').toLowerCase()
  return words.filter((word) => haystack.includes(word)).length / words.length
}

/** The top share of a PNG page, as a PNG of the full width. */
function topOf(png: Buffer, share: number): Buffer {
  const page = PNG.sync.read(png)
  const height = Math.round(page.height * share)
  const top = new PNG({ width: page.width, height })
  page.data.copy(top.data, 0, 0, page.width * height * 4)
  return PNG.sync.write(top, { colorType: 0 })
}

describe.each(DRIVERS)('text extraction on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let pdf: Buffer
  let scanPng: Buffer

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver, { workers: true, env: { OCR_WORKERS: '1' } })
    org = await seedOrganisation(t.platform, t.app)
    pdf = await readFile(corpusFile('001.pdf'))
    scanPng = await readFile(corpusFile('002.scan.png'))
  })
  afterAll(async () => t?.close())

  const clerk = () => org.users.clerk.headers
  const upload = async (data: Buffer, fileName: string, contentType: string) => {
    const { payload, headers } = multipartBody([
      { name: 'direction', value: 'incoming' },
      { name: 'file', fileName, contentType, data },
    ])
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/documents',
      payload,
      headers: { ...headers, ...clerk() },
    })
    expect(response.statusCode, response.body).toBe(201)
    return response.json() as {
      document: { id: string; files: { id: string; text?: unknown }[] }
      file: { id: string }
    }
  }
  const textOf = async (documentId: string, headers = clerk()) =>
    t.app.inject({ url: `/api/documents/${documentId}/text`, headers })
  /** Polls the text endpoint as the UI does until every file is done or failed. */
  const settled = async (documentId: string, timeoutMs = 90_000): Promise<FileText[]> => {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const response = await textOf(documentId)
      expect(response.statusCode, response.body).toBe(200)
      const files = response.json().files as FileText[]
      if (files.length > 0 && files.every((f) => f.state === 'done' || f.state === 'failed')) return files
      if (Date.now() > deadline) throw new Error(`extraction did not settle: ${response.body}`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  const finished = async (jobId: string) => {
    for (let i = 0; i < 900; i++) {
      const job = await t.platform.jobs.get(jobId)
      if (job?.state === 'completed' || job?.state === 'failed') return job
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error(`job ${jobId} did not finish`)
  }
  /** How long the job itself ran (taken from the queue, not from the test's polling). */
  const ranFor = async (jobId: string) => {
    const job = await finished(jobId)
    return new Date(job.completedAt!).getTime() - new Date(job.startedAt!).getTime()
  }
  const rows = async (sql: string, values: unknown[] = []) =>
    (await t.platform.database.executeSql(sql, values)).rows
  const filesOf = (documentId: string) =>
    rows(
      'select id, role, derived_from_id, page_count, sha256, media_type from document_files where document_id = $1 order by created_at',
      [documentId],
    )

  describe.skipIf(!driver.available)('(needs the database)', () => {
    let bornDigital: { documentId: string; fileId: string }

    it('GIVEN a born-digital PDF WHEN uploaded THEN its text job is queued in the same transaction, pending', async () => {
      const created = await upload(pdf, 'QĐ 2874.pdf', 'application/pdf')
      bornDigital = { documentId: created.document.id, fileId: created.file.id }
      expect(created.document.files[0]!.text).toMatchObject({
        state: 'pending',
        pagesDone: 0,
        jobId: expect.any(String),
      })
      const [extraction] = await rows('select state, job_id from text_extractions where file_id = $1', [
        created.file.id,
      ])
      expect(extraction?.job_id).toBe((created.document.files[0]!.text as { jobId: string }).jobId)
    })

    it('GIVEN that upload WHEN the job has run THEN every page is stored from the text layer, with the words of the document', async () => {
      const [file] = await settled(bornDigital.documentId)
      console.info(
        `text.extract of 001.pdf (${driver.name}, ${file!.pagesTotal} text-layer pages): ${await ranFor(file!.jobId!)} ms`,
      )
      expect(file).toMatchObject({
        fileId: bornDigital.fileId,
        state: 'done',
        ocrPages: 0,
        meanConfidence: null,
        errorCode: null,
      })
      expect(file!.pagesTotal).toBeGreaterThanOrEqual(1)
      expect(file!.pagesDone).toBe(file!.pagesTotal)
      expect(file!.pages.map((p) => p.pageNumber)).toEqual(
        Array.from({ length: file!.pagesTotal! }, (_, i) => i + 1),
      )
      expect(file!.pages.every((p) => p.engine === 'text-layer' && p.confidence === null)).toBe(true)
      const truth = await readFile(corpusFile('001.txt'), 'utf8')
      expect(
        shareFound(wordsOf(truth, 60), file!.pages.map((p) => p.text).join('\n')),
      ).toBeGreaterThanOrEqual(0.9)

      const job = (await t.app.inject({ url: `/api/jobs/${file!.jobId}`, headers: clerk() })).json()
      expect(job).toMatchObject({
        name: 'text.extract',
        state: 'completed',
        progress: { done: file!.pagesTotal, total: file!.pagesTotal, message: 'pages' },
      })
      const view = (
        await t.app.inject({ url: `/api/documents/${bornDigital.documentId}`, headers: clerk() })
      ).json()
      expect(view.files[0].text).toEqual({
        state: 'done',
        pagesDone: file!.pagesTotal,
        pagesTotal: file!.pagesTotal,
        jobId: file!.jobId,
      })
    })

    it('GIVEN the extracted document THEN search finds it by its page text, the audit event names the counts, and no rendition was made', async () => {
      // The outbox row and a search.sync job commit with the pages; the in-process worker drains them.
      const deadline = Date.now() + 30_000
      let hit:
        | { document: { id: string }; snippets: { fileId: string | null; pageNumber: number | null }[] }
        | undefined
      while (!hit && Date.now() < deadline) {
        const found = await t.app.inject({
          url: `/api/search?q=${encodeURIComponent('kế hoạch đầu tư công')}`,
          headers: clerk(),
        })
        expect(found.statusCode, found.body).toBe(200)
        hit = found
          .json()
          .hits.find((h: { document: { id: string } }) => h.document.id === bornDigital.documentId)
        if (!hit) await new Promise((resolve) => setTimeout(resolve, 200))
      }
      expect(hit?.snippets.some((s) => s.fileId === bornDigital.fileId && s.pageNumber !== null)).toBe(true)
      const events = await rows(
        "select actor, details from audit_events where action = 'document.text-extracted' and target_id = $1",
        [bornDigital.documentId],
      )
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({
        actor: 'job:text.extract',
        details: { fileId: bornDigital.fileId, ocrPages: 0 },
      })
      expect((await filesOf(bornDigital.documentId)).map((f) => f.role)).toEqual(['original'])
    })

    it('GIVEN the job sent again WHEN it runs THEN the pages are replaced, not added', async () => {
      const before = await rows('select count(*)::int as n from document_pages where file_id = $1', [
        bornDigital.fileId,
      ])
      const jobId = await t.platform.jobs.send('text.extract', bornDigital)
      expect((await finished(jobId)).state).toBe('completed')
      expect(
        await rows('select count(*)::int as n from document_pages where file_id = $1', [bornDigital.fileId]),
      ).toEqual(before)
      expect((await filesOf(bornDigital.documentId)).map((f) => f.role)).toEqual(['original'])
    })

    it('GIVEN a draft and a registration through /api/incoming WHEN saved THEN each file is read too', async () => {
      const ids: string[] = []
      for (const [tag, extra] of [
        ['draft', [{ name: 'draft', value: 'true' }]],
        ['registered', []],
      ] as const) {
        const { payload, headers } = multipartBody([
          { name: 'kind', value: 'Quyết định' },
          ...extra,
          {
            name: 'file',
            fileName: `${tag}.pdf`,
            contentType: 'application/pdf',
            data: Buffer.concat([pdf, Buffer.from(`\n% ${tag}\n`)]),
          },
        ])
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/incoming',
          payload,
          headers: { ...headers, ...clerk() },
        })
        expect(response.statusCode, response.body).toBe(201)
        expect(response.json().document.files[0].text).toMatchObject({
          state: 'pending',
          jobId: expect.any(String),
        })
        ids.push(response.json().id)
      }
      for (const id of ids) expect((await settled(id)).map((f) => f.state)).toEqual(['done'])
    })

    it('GIVEN the text WHEN asked for by someone who may not open the document THEN 404, as for its files', async () => {
      expect((await textOf(bornDigital.documentId, org.users.clerkEconomy.headers)).statusCode).toBe(404)
      // Admins see metadata only: the text is content.
      expect((await textOf(bornDigital.documentId, org.admin)).statusCode).toBe(404)
      expect((await textOf('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404)
      expect((await textOf('not-a-uuid')).statusCode).toBe(404)
      expect((await textOf(bornDigital.documentId, org.users.leader.headers)).statusCode).toBe(200)
    })

    it('GIVEN a corrupt PDF WHEN uploaded THEN its extraction fails with a code, without retries, and the next upload is still read', async () => {
      const corrupt = Buffer.concat([
        Buffer.from('%PDF-1.7\n'),
        Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)),
      ])
      const broken = await upload(corrupt, 'hong.pdf', 'application/pdf')
      const healthy = await upload(
        Buffer.concat([pdf, Buffer.from('\n% another copy\n')]),
        'ban-sao.pdf',
        'application/pdf',
      )
      const [failed] = await settled(broken.document.id)
      expect(failed).toMatchObject({ state: 'failed', errorCode: 'unreadable-file', pages: [] })
      expect(failed!.errorMessage?.length).toBeGreaterThan(0)
      const job = await t.platform.jobs.get(failed!.jobId!)
      expect(job).toMatchObject({
        state: 'completed',
        attempts: 1,
        output: { state: 'failed', errorCode: 'unreadable-file' },
      })
      const events = await rows(
        "select details from audit_events where action = 'document.text-extraction-failed' and target_id = $1",
        [broken.document.id],
      )
      expect(events.map((e) => e.details)).toEqual([{ fileId: broken.file.id, errorCode: 'unreadable-file' }])
      const [ok] = await settled(healthy.document.id)
      expect(ok!.state).toBe('done')
      expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200)
      const view = (
        await t.app.inject({ url: `/api/documents/${broken.document.id}`, headers: clerk() })
      ).json()
      expect(view.files[0].text.state).toBe('failed')
    })

    // OCR is the same on both drivers (~15 s a run); the rendition's storage is the upload path tested above.
    it.runIf(driver.name === 'pglite')(
      'GIVEN one scanned page as a PNG WHEN uploaded THEN OCR reads it and a searchable PDF of one page is stored beside it',
      async () => {
        const created = await upload(scanPng, 'Công văn 4862.png', 'image/png')
        const [file] = await settled(created.document.id)
        console.info(
          `text.extract of one PNG page (${driver.name}, OCR worker start included): ${await ranFor(file!.jobId!)} ms`,
        )
        expect(file).toMatchObject({ state: 'done', pagesTotal: 1, pagesDone: 1, ocrPages: 1 })
        expect(file!.pages).toHaveLength(1)
        expect(file!.pages[0]).toMatchObject({ pageNumber: 1, engine: 'ocr', confidence: expect.any(Number) })
        expect(file!.meanConfidence).toBeGreaterThan(50)
        const truth = await readFile(corpusFile('002.txt'), 'utf8')
        expect(shareFound(wordsOf(truth, 30), file!.pages[0]!.text)).toBeGreaterThanOrEqual(0.6)

        const stored = await filesOf(created.document.id)
        expect(stored.map((f) => f.role)).toEqual(['original', 'searchable'])
        expect(stored[1]).toMatchObject({
          derived_from_id: created.file.id,
          page_count: 1,
          media_type: 'application/pdf',
        })
        expect(stored[0]!.sha256).toBe(sha256(scanPng))
        const view = (
          await t.app.inject({ url: `/api/documents/${created.document.id}`, headers: clerk() })
        ).json()
        const rendition = view.files.find((f: { role: string }) => f.role === 'searchable')
        expect(rendition).toMatchObject({ derivedFromId: created.file.id, pageCount: 1, text: null })
        const bytes = (await t.app.inject({ url: rendition.contentUrl, headers: clerk() })).rawPayload
        expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
        const [event] = await rows(
          "select details from audit_events where action = 'document.text-extracted' and target_id = $1",
          [created.document.id],
        )
        expect(event?.details).toMatchObject({ ocrPages: 1, pages: 1, searchableFileId: rendition.id })
      },
    )

    it.runIf(driver.name === 'pglite')(
      'GIVEN the scan read again (a retry) WHEN the job runs THEN its pages are replaced and no second rendition is stored',
      async () => {
        const [document] = await rows(
          "select document_id, id from document_files where role = 'original' and media_type = 'image/png'",
        )
        const payload = { fileId: String(document!.id), documentId: String(document!.document_id) }
        const jobId = await t.platform.jobs.send('text.extract-ocr', payload)
        const job = await finished(jobId)
        expect(job).toMatchObject({
          state: 'completed',
          output: { state: 'done', ocrPages: 1, searchableFileId: null },
        })
        const stored = await filesOf(payload.documentId)
        expect(stored.map((f) => f.role)).toEqual(['original', 'searchable'])
        expect(
          await rows('select page_number from document_pages where file_id = $1', [payload.fileId]),
        ).toEqual([{ page_number: 1 }])
      },
    )

    // OCR and rendering do not depend on the driver: once is enough.
    it.runIf(driver.name === 'pglite')(
      'GIVEN a signed one-page scan WHEN read THEN its OCR text is kept but its bytes stay the only PDF: no searchable rendition',
      async () => {
        // The top quarter of the page (the header block): the case is about the rendition rule, not OCR.
        const scanPdf = await imagesToPdf([{ bytes: topOf(scanPng, 0.25), mediaType: 'image/png' }])
        const signed = Buffer.concat([
          Buffer.from(scanPdf.bytes),
          Buffer.from('\n% /Type /Sig /ByteRange [0 10 20 30]\n'),
        ])
        const created = await upload(signed, 'da-ky.pdf', 'application/pdf')
        const [file] = await settled(created.document.id)
        console.info(
          `text.extract of a one-page scanned PDF (${driver.name}, 300-dpi render + OCR): ${await ranFor(file!.jobId!)} ms`,
        )
        expect(file).toMatchObject({ state: 'done', ocrPages: 1 })
        expect(file!.pages[0]!.engine).toBe('ocr')
        const stored = await filesOf(created.document.id)
        expect(stored.map((f) => f.role)).toEqual(['original'])
        expect(stored[0]!.sha256).toBe(sha256(signed))
        const [row] = await rows('select signature_count from document_files where id = $1', [
          created.file.id,
        ])
        expect(row?.signature_count).toBeGreaterThan(0)
      },
    )
  })
})
