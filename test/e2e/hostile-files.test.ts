import { readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HOSTILE_FILES, writeHostileFiles } from '../../scripts/lib/hostile-files.ts'
import type { DocumentTextView } from '../../src/text/text.routes.ts'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

type FileText = DocumentTextView['files'][number]

// Bombs take seconds to deflate: built once per machine, reused by later runs and the drill.
const CORPUS_DIR = path.join(os.tmpdir(), 'vanthu-hostile-files')
const PDFS = HOSTILE_FILES.filter((file) => file.mediaType === 'application/pdf')
const IMAGES = HOSTILE_FILES.filter((file) => file.mediaType !== 'application/pdf')

describe.each(DRIVERS)('hostile files on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let paths: Map<string, string>

  beforeAll(async () => {
    if (!driver.available) return
    paths = await writeHostileFiles(CORPUS_DIR)
    t = await startTestApp(driver, { workers: true, env: { OCR_WORKERS: '1' } })
    org = await seedOrganisation(t.platform, t.app)
  }, 300_000)
  afterAll(async () => t?.close())

  const clerk = () => org.users.clerk.headers
  const post = (
    url: string,
    fields: { name: string; value: string }[],
    file: { data: Buffer; fileName: string; contentType: string },
  ) => {
    const { payload, headers } = multipartBody([...fields, { name: 'file', ...file }])
    return t.app.inject({ method: 'POST', url, payload, headers: { ...headers, ...clerk() } })
  }
  const settled = async (documentId: string): Promise<FileText> => {
    const deadline = Date.now() + 120_000
    for (;;) {
      const response = await t.app.inject({ url: `/api/documents/${documentId}/text`, headers: clerk() })
      expect(response.statusCode, response.body).toBe(200)
      const [file] = response.json().files as FileText[]
      if (file && (file.state === 'done' || file.state === 'failed')) return file
      if (Date.now() > deadline) throw new Error(`extraction did not settle: ${response.body}`)
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
  const finished = async (jobId: string) => {
    for (let i = 0; i < 1200; i++) {
      const job = await t.platform.jobs.get(jobId)
      if (job?.state === 'completed' || job?.state === 'failed') return job
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error(`job ${jobId} did not finish`)
  }
  const rows = async (sql: string, values: unknown[] = []) =>
    (await t.platform.database.executeSql(sql, values)).rows
  const counts = async () => {
    const [row] = await rows(
      'select (select count(*) from documents)::int as documents, (select count(*) from document_files)::int as files',
    )
    let blobs = 0
    for await (const _ of t.platform.blobStore.list()) blobs++
    return { ...row, blobs }
  }

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it.each(PDFS.map((file) => [file.name, file] as const))(
      'GIVEN the hostile PDF %s WHEN uploaded THEN its jobs end with the budget named, the document stays readable and the API answers',
      async (_name, hostile) => {
        const data = await readFile(paths.get(hostile.name)!)
        const response = await post('/api/documents', [{ name: 'direction', value: 'incoming' }], {
          data,
          fileName: hostile.fileName,
          contentType: hostile.mediaType,
        })
        expect(response.statusCode, response.body).toBe(201)
        const { document, file: stored, inspectJobId } = response.json()
        const text = await settled(document.id)
        if (hostile.expectedError) {
          expect(text).toMatchObject({ state: 'failed', errorCode: hostile.expectedError })
          const [row] = await rows('select error_message from text_extractions where file_id = $1', [
            stored.id,
          ])
          expect(String(row?.error_message)).not.toBe('')
        }
        const inspect = await finished(inspectJobId)
        expect(inspect.state).toBe('completed')
        if (hostile.expectedError && hostile.expectedError !== 'encrypted') {
          expect(inspect.output).toMatchObject({ refused: hostile.expectedError })
          const [audit] = await rows(
            "select details from audit_events where action = 'document-file.over-budget' and target_id = $1",
            [document.id],
          )
          expect(audit?.details).toMatchObject({ fileId: stored.id, errorCode: hostile.expectedError })
        }
        // The document and its bytes stay usable, and the API answers other requests.
        const view = await t.app.inject({ url: `/api/documents/${document.id}`, headers: clerk() })
        expect(view.statusCode, view.body).toBe(200)
        const bytes = await t.app.inject({
          url: `/api/documents/${document.id}/files/${stored.id}/content`,
          headers: clerk(),
        })
        expect(bytes.statusCode).toBe(200)
        expect(bytes.rawPayload.length).toBe(data.length)
        expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200)
      },
      180_000,
    )

    it.each(IMAGES.map((file) => [file.name, file] as const))(
      'GIVEN the hostile image %s WHEN registered at /api/incoming THEN 422 problem+json in Vietnamese and English, nothing stored',
      async (_name, hostile) => {
        const before = await counts()
        const response = await post('/api/incoming', [{ name: 'kind', value: 'Công văn' }], {
          data: await readFile(paths.get(hostile.name)!),
          fileName: hostile.fileName,
          contentType: hostile.mediaType,
        })
        expect(response.statusCode, response.body).toBe(hostile.uploadStatus)
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
        const problem = response.json()
        expect(problem.title).toMatch(/ảnh/i)
        expect(problem.titleEn).toMatch(/image/i)
        expect(await counts()).toEqual(before)
      },
    )

    it.each([
      ['flate-bomb', 'unreadable-image'],
      ['pixel-flood-pdf', 'image-too-large'],
      ['pixel-flood-png', 'image-too-large'],
    ] as const)(
      'GIVEN the hostile file %s WHEN suggestions are asked THEN 422 %s, before any decoder runs',
      async (name, code) => {
        const hostile = HOSTILE_FILES.find((file) => file.name === name)!
        const response = await post('/api/incoming/suggestions', [], {
          data: await readFile(paths.get(name)!),
          fileName: hostile.fileName,
          contentType: hostile.mediaType,
        })
        expect(response.statusCode, response.body).toBe(422)
        expect(response.json()).toMatchObject({ code })
      },
    )

    it('GIVEN a real scan PNG WHEN registered THEN the budgets let it through (201)', async () => {
      const response = await post('/api/incoming', [{ name: 'kind', value: 'Công văn' }], {
        data: await readFile(corpusFile('002.scan.png')),
        fileName: 'trang-1.png',
        contentType: 'image/png',
      })
      expect(response.statusCode, response.body).toBe(201)
    })
  })
})
