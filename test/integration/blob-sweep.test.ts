import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/platform/db/database.ts'
import { documentFiles, documents } from '../../src/platform/db/schema/index.ts'
import { LocalDiskBlobStore } from '../../src/storage/adapters/local-disk.ts'
import { sweepOrphanBlobs } from '../../src/storage/blob-garbage.ts'
import type { BlobStore } from '../../src/storage/blob-store.ts'
import { DRIVERS, type TestDatabase } from '../helpers/databases.ts'

describe.each(DRIVERS)('orphan blob sweep on $name', (driver) => {
  let testDb: TestDatabase
  let database: Database
  let store: BlobStore
  let root: string

  beforeAll(async () => {
    if (!driver.available) return
    testDb = await driver.open()
    database = testDb.database
    root = await mkdtemp(path.join(os.tmpdir(), 'vanthu-sweep-'))
    store = new LocalDiskBlobStore(path.join(root, 'blobs'))
  })
  afterAll(async () => {
    await testDb?.dispose()
    if (root) await rm(root, { recursive: true, force: true })
  })

  const put = (text: string) => store.put(Readable.from([Buffer.from(text)]))
  const keys = async () => {
    const found: string[] = []
    for await (const blob of store.list()) found.push(blob.key)
    return found.sort()
  }

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN a referenced blob, an old orphan and a fresh orphan WHEN swept THEN only the old orphan goes', async () => {
      const referenced = await put('%PDF- referenced')
      const oldOrphan = await put('%PDF- crashed before its row committed')
      const freshOrphan = await put('%PDF- upload still in flight')
      const [document] = await database.db
        .insert(documents)
        .values({ direction: 'incoming', status: 'received', createdBy: 'test' })
        .returning()
      await database.db.insert(documentFiles).values({
        documentId: document!.id,
        role: 'original',
        fileName: 'a.pdf',
        mediaType: 'application/pdf',
        size: referenced.size,
        sha256: referenced.sha256,
        blobKey: referenced.key,
        createdBy: 'test',
      })
      const hourAgo = new Date(Date.now() - 3600_000)
      for (const blob of [referenced, oldOrphan]) {
        await utimes(path.join(root, 'blobs', blob.key), hourAgo, hourAgo)
      }
      const tmpDir = path.join(root, 'tmp')
      await mkdir(tmpDir, { recursive: true })
      await writeFile(path.join(tmpDir, 'stale.part'), 'half an upload')
      await utimes(path.join(tmpDir, 'stale.part'), hourAgo, hourAgo)
      await writeFile(path.join(tmpDir, 'live.part'), 'an upload in progress')

      const report = await sweepOrphanBlobs(database, store, { graceMinutes: 30, tmpDirs: [tmpDir] })

      expect(report).toEqual({ scanned: 3, deleted: 1, tempFilesDeleted: 1 })
      expect(await keys()).toEqual([referenced.key, freshOrphan.key].sort())
      expect(await readdir(tmpDir)).toEqual(['live.part'])
    })

    it('GIVEN no grace period WHEN swept again THEN the remaining orphan goes and the referenced blob stays', async () => {
      const report = await sweepOrphanBlobs(database, store, { graceMinutes: 0, tmpDirs: [] })
      expect(report).toMatchObject({ scanned: 2, deleted: 1 })
      expect((await keys()).length).toBe(1)
    })
  })
})
