import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalDiskBlobStore } from '../../src/storage/adapters/local-disk.ts'
import type { ByteRange } from '../../src/storage/blob-store.ts'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { pgliteDriver } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

/** The real disk store, whose next reads of one key fail: storage briefly unreachable. */
class FlakyReadStore extends LocalDiskBlobStore {
  failing: { key: string; reads: number } | undefined
  override async get(key: string, range?: ByteRange): Promise<Readable> {
    if (this.failing && key === this.failing.key && this.failing.reads-- > 0) {
      throw new Error('storage unreachable (injected)')
    }
    return super.get(key, range)
  }
}

/**
 * A transient failure (the storage, not the file) is recorded on the file as pending and retried by
 * the queue; the retry reads the text. One driver: the behaviour is the queue's, and the wait is the
 * retry delay (10 s).
 */
describe('text extraction after a transient failure', () => {
  let t: TestApp
  let org: Organisation
  let store: FlakyReadStore
  let blobRoot: string

  beforeAll(async () => {
    blobRoot = await mkdtemp(path.join(os.tmpdir(), 'vanthu-flaky-'))
    store = new FlakyReadStore(blobRoot)
    t = await startTestApp(pgliteDriver, { workers: true, blobStore: store })
    org = await seedOrganisation(t.platform, t.app)
  })
  afterAll(async () => {
    await t?.close()
    await rm(blobRoot, { recursive: true, force: true })
  })

  it('GIVEN the storage fails the first read WHEN the text job runs THEN it is retried and the pages arrive', async () => {
    const pdf = await readFile(corpusFile('003.pdf'))
    const hex = createHash('sha256').update(pdf).digest('hex')
    // The file is read twice, by the page-count inspection and by the text job: both fail once.
    store.failing = { key: `sha256/${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex}`, reads: 2 }
    const { payload, headers } = multipartBody([
      { name: 'direction', value: 'incoming' },
      { name: 'file', fileName: 'to-trinh.pdf', contentType: 'application/pdf', data: pdf },
    ])
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/documents',
      payload,
      headers: { ...headers, ...org.users.clerk.headers },
    })
    expect(response.statusCode, response.body).toBe(201)
    const fileId = response.json().file.id as string
    const state = async () =>
      (await t.platform.database.executeSql('select * from text_extractions where file_id = $1', [fileId]))
        .rows[0]!
    const seen = new Set<string>()
    for (let i = 0; i < 600; i++) {
      const row = await state()
      seen.add(`${row.state}:${row.error_code ?? ''}`)
      if (row.state === 'done' || row.state === 'failed') break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const row = await state()
    expect(row).toMatchObject({ state: 'done', error_code: null, error_message: null })
    expect(row.pages_done).toBeGreaterThan(0)
    const job = await t.platform.jobs.get(String(row.job_id))
    expect(seen).toContain('pending:extraction-error')
    expect(job).toMatchObject({ state: 'completed', attempts: 2 })
  }, 90_000)
})
