import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/platform/db/database.ts'
import {
  agencies,
  auditEvents,
  departments,
  documentFiles,
  documents,
  signingSessions,
  users,
} from '../../src/platform/db/schema/index.ts'
import { expireSigningSessions } from '../../src/signatures/sessions/expire-sessions.job.ts'
import { LocalDiskBlobStore } from '../../src/storage/adapters/local-disk.ts'
import { sweepOrphanBlobs } from '../../src/storage/blob-garbage.ts'
import type { BlobStore, StoredBlob } from '../../src/storage/blob-store.ts'
import { DRIVERS, type TestDatabase } from '../helpers/databases.ts'

const MINUTE = 60_000

describe.each(DRIVERS)('expiry of two-step signing sessions on $name', (driver) => {
  let testDb: TestDatabase
  let database: Database
  let store: BlobStore
  let root: string

  beforeAll(async () => {
    if (!driver.available) return
    testDb = await driver.open()
    database = testDb.database
    root = await mkdtemp(path.join(os.tmpdir(), 'vanthu-sessions-'))
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
    return found
  }

  async function seed(tag = '') {
    const db = database.db
    const [agency] = await db
      .insert(agencies)
      .values({ name: 'UBND tỉnh Hòa Giang', abbreviation: 'UBND' })
      .returning()
    const [department] = await db
      .insert(departments)
      .values({ agencyId: agency!.id, name: 'Văn phòng', abbreviation: 'VP' })
      .returning()
    const [leader] = await db
      .insert(users)
      .values({
        agencyId: agency!.id,
        departmentId: department!.id,
        username: `lanhdao${tag}`,
        fullName: 'Lê Văn Lãnh Đạo',
        roles: ['leader'],
        passwordHash: 'x',
      })
      .returning()
    const [document] = await db
      .insert(documents)
      .values({ direction: 'outgoing', status: 'draft', agencyId: agency!.id, createdBy: 'test' })
      .returning()
    const file = async (blob: StoredBlob, role: 'original' | 'signed') => {
      const [row] = await db
        .insert(documentFiles)
        .values({
          documentId: document!.id,
          role,
          fileName: `${role}.pdf`,
          mediaType: 'application/pdf',
          size: blob.size,
          sha256: blob.sha256,
          blobKey: blob.key,
          createdBy: 'test',
        })
        .returning()
      return row!
    }
    const source = await file(await put('%PDF- the draft to sign'), 'original')
    const session = async (blob: StoredBlob, state: 'prepared' | 'completed', expiresAt: Date) => {
      const [row] = await db
        .insert(signingSessions)
        .values({
          documentId: document!.id,
          sourceFileId: source.id,
          userId: leader!.id,
          role: 'personal',
          preparedBlobKey: blob.key,
          fieldName: 'Signature1',
          byteRange: [0, 10, 20, 30],
          contentsOffset: 10,
          contentsLength: 10,
          digestHex: '00',
          state,
          expiresAt,
          ...(state === 'completed' ? { completedAt: new Date() } : {}),
        })
        .returning()
      return row!
    }
    return { document: document!, file, session }
  }

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN an expired prepared session, an open one and a completed one WHEN the job and the sweep run THEN only the expired session is marked and its prepared PDF goes; the signed file stays', async () => {
      const { document, file, session } = await seed()
      const now = new Date()
      const staleBlob = await put('%PDF- prepared, never completed')
      const openBlob = await put('%PDF- prepared, still within its ten minutes')
      const completedPrepared = await put('%PDF- prepared, then completed')
      const signedBlob = await put('%PDF- the signed file')
      const stale = await session(staleBlob, 'prepared', new Date(now.getTime() - MINUTE))
      const open = await session(openBlob, 'prepared', new Date(now.getTime() + 9 * MINUTE))
      const completed = await session(completedPrepared, 'completed', new Date(now.getTime() - 5 * MINUTE))
      await file(signedBlob, 'signed')

      expect(await expireSigningSessions(database, { now })).toEqual({ expired: 1 })
      const states = new Map(
        (await database.db.select().from(signingSessions)).map((row) => [row.id, row.state]),
      )
      expect(states.get(stale.id)).toBe('expired')
      expect(states.get(open.id)).toBe('prepared')
      expect(states.get(completed.id)).toBe('completed')
      const events = await database.db
        .select()
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.action, 'document.signing-session-expired'),
            eq(auditEvents.targetId, document.id),
          ),
        )
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({
        actor: 'job:signatures.expire-sessions',
        details: { sessionId: stale.id, sourceFileId: expect.any(String), role: 'personal' },
      })

      // Run again: nothing left to expire, no second event.
      expect(await expireSigningSessions(database, { now })).toEqual({ expired: 0 })

      const report = await sweepOrphanBlobs(database, store, { graceMinutes: 0, tmpDirs: [] })
      expect(report.deleted).toBe(2)
      const left = await keys()
      expect(left).not.toContain(staleBlob.key)
      expect(left).not.toContain(completedPrepared.key)
      expect(left).toContain(openBlob.key)
      expect(left).toContain(signedBlob.key)
    })

    it('GIVEN more expired sessions than a batch WHEN the job runs THEN all are expired, one event each', async () => {
      const { document, session } = await seed('2')
      const past = new Date(Date.now() - MINUTE)
      for (let i = 0; i < 5; i++) await session(await put(`%PDF- prepared ${i}`), 'prepared', past)
      expect(await expireSigningSessions(database, { batchSize: 2 })).toEqual({ expired: 5 })
      const events = await database.db
        .select()
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.action, 'document.signing-session-expired'),
            eq(auditEvents.targetId, document.id),
          ),
        )
      expect(events).toHaveLength(5)
      expect(new Set(events.map((event) => (event.details as { sessionId: string }).sessionId)).size).toBe(5)
    })
  })
})
