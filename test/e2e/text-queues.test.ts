import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXTRACT_OCR_JOB, EXTRACT_TEXT_JOB } from '../../src/text/text.service.ts'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { pgliteDriver } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

// Queue order is the same SQL on both drivers (pg-boss); PGlite keeps this file inside the CI budget.
describe.each([pgliteDriver])('text extraction queues on $name', (driver) => {
  let t: TestApp
  let org: Organisation

  beforeAll(async () => {
    if (!driver.available) return
    // One OCR job at a time, as the default: a scan in front must not hold a born-digital PDF back.
    t = await startTestApp(driver, { workers: true, env: { OCR_WORKERS: '1', OCR_CONCURRENCY: '1' } })
    org = await seedOrganisation(t.platform, t.app)
  })
  afterAll(async () => t?.close())

  const upload = async (data: Buffer, fileName: string, contentType: string) => {
    const { payload, headers } = multipartBody([
      { name: 'direction', value: 'incoming' },
      { name: 'file', fileName, contentType, data },
    ])
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/documents',
      payload,
      headers: { ...headers, ...org.users.clerk.headers },
    })
    expect(response.statusCode, response.body).toBe(201)
    return response.json() as { document: { id: string }; file: { id: string } }
  }
  const rows = async (sql: string, values: unknown[] = []) =>
    (await t.platform.database.executeSql(sql, values)).rows
  /** When the file's extraction reached `done` (polled), in ms since the test's start. */
  const doneAt = async (fileId: string, since: number) => {
    const deadline = Date.now() + 240_000
    while (Date.now() < deadline) {
      const [row] = await rows('select state from text_extractions where file_id = $1', [fileId])
      if (row?.state === 'done') return Date.now() - since
      if (row?.state === 'failed') throw new Error(`extraction of ${fileId} failed`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error(`extraction of ${fileId} did not finish`)
  }
  const jobOf = async (id: string) =>
    (
      await rows(
        'select name, priority from pgboss.job where id = $1 union all select name, priority from pgboss.archive where id = $1',
        [id],
      )
    )[0]

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN a scan queued first WHEN a born-digital PDF follows THEN its text layer is done long before the OCR', async () => {
      const started = Date.now()
      const scan = await upload(await readFile(corpusFile('002.scan.png')), 'trang-quet.png', 'image/png')
      const pdf = await upload(await readFile(corpusFile('001.pdf')), 'QĐ.pdf', 'application/pdf')
      const [pdfDone, scanDone] = await Promise.all([
        doneAt(pdf.file.id, started),
        doneAt(scan.file.id, started),
      ])
      console.info(`born-digital text done at ${pdfDone} ms, scan OCR done at ${scanDone} ms`)
      expect(pdfDone).toBeLessThan(scanDone)
      const [scanRow] = await rows('select job_id from text_extractions where file_id = $1', [scan.file.id])
      expect((await jobOf(String(scanRow?.job_id)))?.name).toBe(EXTRACT_OCR_JOB)
    }, 300_000)

    it('GIVEN a scanned PDF WHEN its text-layer run meets a page without text THEN it moves to the OCR queue and is read there', async () => {
      const scan = await upload(await readFile(corpusFile('009.scan.pdf')), 'ban-quet.pdf', 'application/pdf')
      const [before] = await rows('select job_id from text_extractions where file_id = $1', [scan.file.id])
      const first = String(before?.job_id)
      expect((await jobOf(first))?.name).toBe(EXTRACT_TEXT_JOB)
      await doneAt(scan.file.id, Date.now())
      const [after] = await rows('select job_id, ocr_pages from text_extractions where file_id = $1', [
        scan.file.id,
      ])
      expect(after?.job_id).not.toBe(first)
      expect((await jobOf(String(after?.job_id)))?.name).toBe(EXTRACT_OCR_JOB)
      expect(Number(after?.ocr_pages)).toBeGreaterThan(0)
      const moved = await t.platform.jobs.get(first)
      expect(moved?.output).toMatchObject({ movedTo: EXTRACT_OCR_JOB, jobId: after?.job_id })
    }, 300_000)

    it('GIVEN an older and a newer registration WHEN queued THEN the newer one has the higher priority', async () => {
      const older = await upload(await readFile(corpusFile('003.pdf')), 'cu.pdf', 'application/pdf')
      await new Promise((resolve) => setTimeout(resolve, 61_000))
      const newer = await upload(await readFile(corpusFile('004.pdf')), 'moi.pdf', 'application/pdf')
      const priorityOf = async (fileId: string) => {
        const [row] = await rows('select job_id from text_extractions where file_id = $1', [fileId])
        return Number((await jobOf(String(row?.job_id)))?.priority)
      }
      expect(await priorityOf(newer.file.id)).toBeGreaterThan(await priorityOf(older.file.id))
    }, 120_000)
  })
})
