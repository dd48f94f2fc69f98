import { createHash, randomUUID } from 'node:crypto'
import { buffer } from 'node:stream/consumers'
import { and, eq, inArray } from 'drizzle-orm'
import { Client } from 'minio'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { auditEvents, documentFiles, documents } from '../../src/platform/db/schema/index.ts'
import { LATEST_RETAIN_UNTIL, OBJECT_LOCK_SYNC_JOB } from '../../src/records/storage/object-lock.job.ts'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { DRIVERS, pgliteDriver, type TestDriver } from '../helpers/databases.ts'
import { type Radosgw, radosgwAvailable, startRadosgw } from '../helpers/radosgw.ts'
import { incomingRegistrar } from '../helpers/routing-steps.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

// Each case waits for real jobs against a real gateway: on a loaded 2-core machine a minute is not enough.
vi.setConfig({ testTimeout: 240_000 })

// One Ceph radosgw (checks SigV4, versioning, Object Lock) for the file; each app gets its own bucket.
let radosgw: Radosgw | undefined
beforeAll(async () => {
  if (radosgwAvailable) radosgw = await startRadosgw()
}, 180_000)
afterAll(async () => radosgw?.stop())

/** The app on radosgw with locking on, its job workers running, and an S3 client on the same bucket. */
async function startOnRadosgw(driver: TestDriver, mode: 'GOVERNANCE' | 'COMPLIANCE') {
  const bucket = `vanthu-lock-${randomUUID().slice(0, 8)}`
  const env = {
    STORAGE_DRIVER: 's3',
    S3_ENDPOINT: `http://${radosgw!.endPoint}:${radosgw!.port}`,
    S3_ACCESS_KEY: radosgw!.accessKey,
    S3_SECRET_KEY: radosgw!.secretKey,
    S3_BUCKET: bucket,
    S3_OBJECT_LOCK: 'true',
    RECORDS_OBJECT_LOCK_MODE: mode,
  }
  const t = await startTestApp(driver, { env, workers: true })
  const s3 = new Client({ endPoint: radosgw!.endPoint, port: radosgw!.port, useSSL: false, accessKey: radosgw!.accessKey, secretKey: radosgw!.secretKey, region: 'us-east-1', pathStyle: true })
  return { t, s3, bucket }
}

/** Waits until no object-lock job is left to do, and fails the test if one failed. */
async function lockJobsDone(t: TestApp): Promise<void> {
  const deadline = Date.now() + 60_000
  while ((await t.platform.jobs.countUnfinished([OBJECT_LOCK_SYNC_JOB])) > 0) {
    if (Date.now() > deadline) throw new Error('object-lock jobs still unfinished after 60 s')
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  const failed = (await t.platform.jobs.listFailed()).filter((job) => job.name === OBJECT_LOCK_SYNC_JOB)
  expect(failed).toEqual([])
}

const blobKeysOf = async (t: TestApp, documentIds: string[]) =>
  [...new Set((await t.platform.database.db.select({ key: documentFiles.blobKey }).from(documentFiles).where(inArray(documentFiles.documentId, documentIds))).map((row) => row.key))]

type LockEvent = { actor: string; targetId: string | null; details: Record<string, unknown> & { before?: Record<string, unknown> } }
const lockEvents = async (t: TestApp, targetId?: string): Promise<LockEvent[]> =>
  (await t.platform.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'blob.locked'), targetId ? eq(auditEvents.targetId, targetId) : undefined))
    .orderBy(auditEvents.seq)) as LockEvent[]

describe.each(DRIVERS)('Records: Object Lock on Ceph radosgw through the app on $name', (driver) => {
  const available = driver.available && radosgwAvailable
  let t: TestApp
  let s3: Client
  let bucket: string
  let org: Organisation
  let register: () => Promise<string>
  let n = 0
  const api = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object) =>
    t.app.inject({ method, url: `/api/records${url}`, headers, ...(payload ? { payload } : {}) })

  beforeAll(async () => {
    if (!available) return
    ;({ t, s3, bucket } = await startOnRadosgw(driver, 'GOVERNANCE'))
    org = await seedOrganisation(t.platform, t.app)
    register = await incomingRegistrar(t.app, org.users.clerk.headers)
  }, 120_000)
  afterAll(async () => t?.close())

  /** A hồ sơ of `year` kept `years` years (or permanently), holding two new documents dated in that year; closed when asked. */
  const fileWithDocuments = async (year: number, years: number | 'permanent', close: boolean) => {
    const notation = `${String(++n).padStart(2, '0')}.VP`
    const retention = years === 'permanent' ? { permanent: true } : { permanent: false, retentionYears: years }
    const created = await api('POST', '/files', org.users.clerk.headers, { year, notation, title: `Hồ sơ ${notation}`, ...retention, retentionReason: 'Thử khóa lưu trữ' })
    expect(created.statusCode, created.body).toBe(201)
    const file = created.json() as { id: string }
    const documentIds = [await register(), await register()]
    await t.platform.database.db.update(documents).set({ issuedDate: `${year}-03-01` }).where(inArray(documents.id, documentIds))
    const filed = await api('POST', `/files/${file.id}/documents`, org.users.clerk.headers, { documentIds })
    expect(filed.statusCode, filed.body).toBe(200)
    if (close) {
      const closed = await api('POST', `/files/${file.id}/close`, org.users.clerk.headers)
      expect(closed.statusCode, closed.body).toBe(200)
    }
    return { id: file.id, documentIds, blobKeys: await blobKeysOf(t, documentIds) }
  }

  it.skipIf(!available)('GIVEN a hồ sơ closed with a 10-year retention WHEN the lock job has run THEN every blob version is under GOVERNANCE retention until 1 Jan of end year + 11 (+07:00), audited once, and an open hồ sơ stays unlocked', async () => {
    const open = await fileWithDocuments(2026, 10, false)
    const closed = await fileWithDocuments(2026, 10, true)
    await lockJobsDone(t)
    const until = new Date('2037-01-01T00:00:00+07:00')
    for (const key of closed.blobKeys) {
      const { versionId } = await s3.statObject(bucket, key)
      const retention = await s3.getObjectRetention(bucket, key, { versionId: versionId! })
      expect(retention).toMatchObject({ mode: 'GOVERNANCE' })
      expect(new Date(retention!.retainUntilDate!).getTime()).toBe(until.getTime())
    }
    for (const key of open.blobKeys) {
      const { versionId } = await s3.statObject(bucket, key)
      await expect(s3.getObjectRetention(bucket, key, { versionId: versionId! })).rejects.toThrow()
    }
    const events = (await lockEvents(t)).filter((event) => closed.blobKeys.includes(String(event.details.blobKey)))
    expect(events).toHaveLength(closed.blobKeys.length)
    for (const event of events) {
      expect(event.actor).toBe(`job:${OBJECT_LOCK_SYNC_JOB}`)
      expect(event.details).toMatchObject({ mode: 'GOVERNANCE', retainUntil: until.toISOString(), legalHold: false, writeProtected: true, recordFileIds: [closed.id] })
      expect(event.details.before).toMatchObject({ retainUntil: null, writeProtected: false })
    }
    expect((await lockEvents(t)).some((event) => open.blobKeys.includes(String(event.details.blobKey)))).toBe(false)
  })

  it.skipIf(!available)('GIVEN locked record bytes WHEN they are deleted, overwritten or their retention shortened directly on the server THEN the locked version survives unchanged', async () => {
    const closed = await fileWithDocuments(2026, 10, true)
    await lockJobsDone(t)
    const key = closed.blobKeys[0]!
    const { versionId } = await s3.statObject(bucket, key)
    const original = await buffer(await s3.getObject(bucket, key))
    expect(createHash('sha256').update(original).digest('hex')).toBe(key.slice(-64))
    // Deleting the locked version: refused by the server.
    await expect(s3.removeObject(bucket, key, { versionId: versionId! })).rejects.toThrow(/AccessDenied|Forbidden/i)
    // Shortening its retention, GOVERNANCE without the bypass permission being used: refused.
    await expect(s3.putObjectRetention(bucket, key, { versionId: versionId!, mode: 'GOVERNANCE' as never, retainUntilDate: new Date(Date.now() + 86_400_000).toISOString() })).rejects.toThrow()
    // An overwrite only stacks a new version on top; the locked one keeps its bytes and its date.
    await s3.putObject(bucket, key, Buffer.from('%PDF-1.4 overwritten'))
    const locked = await buffer(await s3.getObject(bucket, key, { versionId: versionId! }))
    expect(locked.equals(original)).toBe(true)
    const retention = await s3.getObjectRetention(bucket, key, { versionId: versionId! })
    expect(new Date(retention!.retainUntilDate!).getTime()).toBe(new Date('2037-01-01T00:00:00+07:00').getTime())
    // So does the app's own destruction path (every version): refused while the lock holds.
    const current = (await s3.statObject(bucket, key)).versionId
    await s3.removeObject(bucket, key, { versionId: current! })
    await expect(s3.removeObject(bucket, key, { versionId: versionId! })).rejects.toThrow(/AccessDenied|Forbidden/i)
    expect((await buffer(await s3.getObject(bucket, key))).equals(original)).toBe(true)
  })

  it.skipIf(!available)('GIVEN locked blobs WHEN the job runs again for the same documents THEN nothing changes and no audit event is added', async () => {
    const closed = await fileWithDocuments(2025, 20, true)
    await lockJobsDone(t)
    const eventsBefore = (await lockEvents(t)).length
    const retentionBefore = await Promise.all(closed.blobKeys.map((key) => s3.getObjectRetention(bucket, key)))
    await t.platform.jobs.send(OBJECT_LOCK_SYNC_JOB, { documentIds: closed.documentIds })
    await t.platform.jobs.send(OBJECT_LOCK_SYNC_JOB, { documentIds: closed.documentIds })
    await lockJobsDone(t)
    expect((await lockEvents(t)).length).toBe(eventsBefore)
    expect(await Promise.all(closed.blobKeys.map((key) => s3.getObjectRetention(bucket, key)))).toEqual(retentionBefore)
    expect(retentionBefore.map((r) => new Date(r!.retainUntilDate!).toISOString())).toEqual(closed.blobKeys.map(() => new Date('2046-01-01T00:00:00+07:00').toISOString()))
  })

  it.skipIf(!available)('GIVEN a hold placed then lifted on a closed hồ sơ WHEN the jobs have run THEN the S3 legal hold follows it, each change audited', async () => {
    const closed = await fileWithDocuments(2026, 'permanent', true)
    await lockJobsDone(t)
    const placed = await api('POST', '/holds', org.users.admin.headers, { title: 'Thanh tra', reason: 'Yêu cầu của Thanh tra tỉnh', legalBasis: 'Công văn 7/TTr', recordFileIds: [closed.id] })
    expect(placed.statusCode, placed.body).toBe(201)
    await lockJobsDone(t)
    const holdOf = async (key: string) => s3.getObjectLegalHold(bucket, key) as unknown as Promise<{ Status?: string } | string>
    for (const key of closed.blobKeys) expect(await holdOf(key)).toMatchObject({ Status: 'ON' })
    const lifted = await api('POST', `/holds/${placed.json().id}/lift`, org.users.admin.headers, { reason: 'Kết thúc thanh tra' })
    expect(lifted.statusCode, lifted.body).toBe(200)
    await lockJobsDone(t)
    for (const key of closed.blobKeys) expect(await holdOf(key)).toMatchObject({ Status: 'OFF' })
    const events = await lockEvents(t, closed.blobKeys[0]!.slice(-64))
    // Vĩnh viễn: locked for RECORDS_PERMANENT_LOCK_YEARS (100) from now, capped where radosgw's dates end
    // (asked for 2126, radosgw kept 1990: no lock at all); then the hold on, then off.
    expect(events.map((event) => [event.details.legalHold, event.details.mode, event.details.retainUntil])).toEqual([
      [false, 'GOVERNANCE', LATEST_RETAIN_UNTIL.toISOString()],
      [true, 'GOVERNANCE', LATEST_RETAIN_UNTIL.toISOString()],
      [false, 'GOVERNANCE', LATEST_RETAIN_UNTIL.toISOString()],
    ])
    expect(events[0]!.details.writeProtected).toBe(true)
  })

  it.skipIf(!available)('GIVEN a closed hồ sơ whose retention has already run out WHEN the lock job runs THEN it completes without locking, so disposition stays possible', async () => {
    const old = await fileWithDocuments(2015, 5, true)
    await lockJobsDone(t)
    for (const key of old.blobKeys) await expect(s3.getObjectRetention(bucket, key)).rejects.toThrow()
    expect((await lockEvents(t)).some((event) => old.blobKeys.includes(String(event.details.blobKey)))).toBe(false)
  })
})

describe('Records: Object Lock in COMPLIANCE mode on Ceph radosgw', () => {
  const available = pgliteDriver.available && radosgwAvailable
  it.skipIf(!available)('GIVEN RECORDS_OBJECT_LOCK_MODE=COMPLIANCE WHEN a closed hồ sơ is locked THEN its versions are COMPLIANCE and even a governance bypass cannot delete them', async () => {
    const { t, s3, bucket } = await startOnRadosgw(pgliteDriver, 'COMPLIANCE')
    try {
      const org = await seedOrganisation(t.platform, t.app)
      const register = await incomingRegistrar(t.app, org.users.clerk.headers)
      const file = (await t.app.inject({ method: 'POST', url: '/api/records/files', headers: org.users.clerk.headers, payload: { year: 2026, notation: '01.VP', title: 'Hồ sơ mật', permanent: false, retentionYears: 10, retentionReason: 'Thử' } })).json()
      const documentId = await register()
      await t.app.inject({ method: 'POST', url: `/api/records/files/${file.id}/documents`, headers: org.users.clerk.headers, payload: { documentIds: [documentId] } })
      expect((await t.app.inject({ method: 'POST', url: `/api/records/files/${file.id}/close`, headers: org.users.clerk.headers })).statusCode).toBe(200)
      await lockJobsDone(t)
      const [key] = await blobKeysOf(t, [documentId])
      const { versionId } = await s3.statObject(bucket, key!)
      expect(await s3.getObjectRetention(bucket, key!, { versionId: versionId! })).toMatchObject({ mode: 'COMPLIANCE' })
      await expect(s3.removeObject(bucket, key!, { versionId: versionId!, governanceBypass: true })).rejects.toThrow(/AccessDenied|Forbidden/i)
      const [event] = await lockEvents(t)
      expect(event!.details).toMatchObject({ mode: 'COMPLIANCE', recordFileIds: [file.id], documentIds: [documentId] })
    } finally {
      await t.close()
    }
  })
})
