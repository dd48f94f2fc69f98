import { createHash, randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { buffer } from 'node:stream/consumers'
import { Client } from 'minio'
import S3rver from 's3rver'
import { afterAll, beforeAll, describe, expect, it, it as itAlways } from 'vitest'
import type { S3StorageConfig } from '../../src/platform/config.ts'
import { LocalDiskBlobStore } from '../../src/storage/adapters/local-disk.ts'
import { S3BlobStore } from '../../src/storage/adapters/s3.ts'
import { BlobNotFoundError, type BlobStore, blobKeyFor } from '../../src/storage/blob-store.ts'
import { type Radosgw, radosgwAvailable, startRadosgw } from '../helpers/radosgw.ts'

const PDF_PATH = path.resolve(import.meta.dirname, '../../../shared/corpus/docs/001.pdf')

/** A store with nothing in it, and the directory where it spools uploads. */
interface Subject {
  store: BlobStore
  tmpDir: string
}

const scratchDirs: string[] = []
async function scratchDir(label: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `vanthu-blob-${label}-`))
  scratchDirs.push(dir)
  return dir
}

// One s3rver for the file; every S3 subject gets its own bucket, so tests cannot see each other's blobs.
let s3rver: S3rver | undefined
let s3Port = 0

function s3Config(bucket: string, port = s3Port): S3StorageConfig {
  return {
    driver: 's3',
    endPoint: '127.0.0.1',
    port,
    useSSL: false,
    // s3rver's fixed credentials; it does not verify SigV4, so authentication is not under test here.
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    bucket,
    region: 'us-east-1',
    pathStyle: true,
  }
}

const uniqueBucket = () => `vanthu-test-${randomUUID().slice(0, 8)}`

// One real S3 gateway for the whole file (it takes ~15 s to start): Ceph radosgw on loopback, which
// checks SigV4 and supports versioning and Object Lock. Without Debian's Ceph its cases say skipped.
let radosgw: Radosgw | undefined

function radosgwConfig(bucket: string, extra: Partial<S3StorageConfig> = {}): S3StorageConfig {
  if (!radosgw) throw new Error('radosgw is not running')
  return {
    driver: 's3',
    endPoint: radosgw.endPoint,
    port: radosgw.port,
    useSSL: false,
    accessKey: radosgw.accessKey,
    secretKey: radosgw.secretKey,
    bucket,
    region: 'us-east-1',
    pathStyle: true,
    objectLock: true,
    ...extra,
  }
}

beforeAll(async () => {
  s3rver = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: await scratchDir('s3rver') })
  s3Port = (await s3rver.run()).port
  if (radosgwAvailable) radosgw = await startRadosgw()
}, 180_000)

afterAll(async () => {
  await radosgw?.stop()
  await s3rver?.close()
  await Promise.all(scratchDirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

const implementations: { name: string; fresh: () => Promise<Subject>; available?: boolean }[] = [
  {
    name: 'LocalDiskBlobStore',
    fresh: async () => {
      const root = await scratchDir('disk')
      return { store: new LocalDiskBlobStore(root), tmpDir: path.join(root, 'tmp') }
    },
  },
  {
    name: 'S3BlobStore on s3rver',
    fresh: async () => {
      const tmpDir = await scratchDir('s3-spool')
      return { store: new S3BlobStore(s3Config(uniqueBucket()), tmpDir), tmpDir }
    },
  },
  {
    name: 'S3BlobStore on Ceph radosgw (versioned, Object Lock)',
    available: radosgwAvailable,
    fresh: async () => {
      const tmpDir = await scratchDir('rgw-spool')
      return { store: new S3BlobStore(radosgwConfig(uniqueBucket()), tmpDir), tmpDir }
    },
  },
]

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

async function listAll(store: BlobStore) {
  const items = []
  for await (const item of store.list()) items.push(item)
  return items
}

async function filesIn(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => [])
}

/** Emits the first bytes, then fails like a client that disconnects mid-upload. */
function streamFailingAfter(firstBytes: Buffer, failure: Error): Readable {
  let sent = false
  return new Readable({
    read() {
      if (sent) return this.destroy(failure)
      sent = true
      this.push(firstBytes)
    },
  })
}

describe.each(implementations)('BlobStore contract: $name', ({ fresh, available = true }) => {
  const it = available ? itAlways : itAlways.skip
  let pdf: Buffer
  beforeAll(async () => {
    pdf = await readFile(PDF_PATH)
  })

  it('GIVEN a real PDF WHEN it is put THEN key, size and SHA-256 are those of its bytes', async () => {
    const { store } = await fresh()
    const stored = await store.put(createReadStream(PDF_PATH))
    const expectedHash = sha256(pdf)
    expect(stored).toEqual({
      key: blobKeyFor(expectedHash),
      sha256: expectedHash,
      size: pdf.length,
      created: true,
    })
    expect(stored.key).toMatch(/^sha256\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/)
  })

  it('GIVEN stored bytes WHEN the same bytes are put again THEN nothing new is stored', async () => {
    const { store } = await fresh()
    const first = await store.put(createReadStream(PDF_PATH))
    const second = await store.put(Readable.from([pdf]))
    expect(second).toEqual({ ...first, created: false })
    const listed = await listAll(store)
    expect(listed.map(({ key, size }) => ({ key, size }))).toEqual([{ key: first.key, size: pdf.length }])
    expect(listed[0]?.modifiedAt).toBeInstanceOf(Date)
  })

  it('GIVEN a stored PDF WHEN it is read THEN the bytes are identical', async () => {
    const { store } = await fresh()
    const { key } = await store.put(createReadStream(PDF_PATH))
    expect((await buffer(await store.get(key))).equals(pdf)).toBe(true)
  })

  it('GIVEN a stored PDF WHEN it is read whole into memory THEN the bytes are identical', async () => {
    const { store } = await fresh()
    const { key } = await store.put(createReadStream(PDF_PATH))
    expect((await store.read(key)).equals(pdf)).toBe(true)
  })

  it('GIVEN a stored PDF WHEN a byte range is read THEN exactly that slice comes back', async () => {
    const { store } = await fresh()
    const { key } = await store.put(createReadStream(PDF_PATH))
    const slice = await buffer(await store.get(key, { start: 100, end: 1123 }))
    expect(slice.equals(pdf.subarray(100, 1124))).toBe(true)
    const lastByte = await buffer(await store.get(key, { start: pdf.length - 1, end: pdf.length - 1 }))
    expect(lastByte.equals(pdf.subarray(-1))).toBe(true)
  })

  it('GIVEN a stored PDF WHEN it is stat-ed THEN its size and a time come back', async () => {
    const { store } = await fresh()
    const { key } = await store.put(createReadStream(PDF_PATH))
    const info = await store.stat(key)
    expect(info).toMatchObject({ key, size: pdf.length })
    expect(info?.modifiedAt).toBeInstanceOf(Date)
  })

  it('GIVEN an absent key WHEN it is stat-ed THEN the answer is undefined', async () => {
    const { store } = await fresh()
    expect(await store.stat(blobKeyFor(sha256(Buffer.from('never stored'))))).toBeUndefined()
  })

  it('GIVEN an absent key WHEN it is read THEN BlobNotFoundError is thrown', async () => {
    const { store } = await fresh()
    const key = blobKeyFor(sha256(Buffer.from('never stored')))
    await expect(store.get(key)).rejects.toBeInstanceOf(BlobNotFoundError)
    await expect(store.get(key, { start: 0, end: 9 })).rejects.toBeInstanceOf(BlobNotFoundError)
    await expect(store.read(key)).rejects.toBeInstanceOf(BlobNotFoundError)
  })

  it('GIVEN a key that is not a content address WHEN it is used THEN it is refused', async () => {
    const { store } = await fresh()
    await expect(store.get('sha256/../../etc/passwd')).rejects.toThrow(/Not a blob key/)
    await expect(store.stat('other/key')).rejects.toThrow(/Not a blob key/)
  })

  it('GIVEN a stored PDF WHEN it is deleted twice THEN it is gone and the second delete is quiet', async () => {
    const { store } = await fresh()
    const { key } = await store.put(createReadStream(PDF_PATH))
    await store.delete(key)
    expect(await store.stat(key)).toBeUndefined()
    await expect(store.get(key)).rejects.toBeInstanceOf(BlobNotFoundError)
    expect(await listAll(store)).toEqual([])
    await expect(store.delete(key)).resolves.toBeUndefined()
  })

  it('GIVEN a stream that fails midway WHEN it is put THEN its error is rethrown and nothing is left', async () => {
    const { store, tmpDir } = await fresh()
    const failure = new Error('client went away')
    await expect(store.put(streamFailingAfter(pdf.subarray(0, 4096), failure))).rejects.toBe(failure)
    expect(await listAll(store)).toEqual([])
    expect(await filesIn(tmpDir)).toEqual([])
  })

  it('GIVEN a successful put WHEN it returns THEN no temporary file remains', async () => {
    const { store, tmpDir } = await fresh()
    await store.put(createReadStream(PDF_PATH))
    await store.put(createReadStream(PDF_PATH))
    expect(await filesIn(tmpDir)).toEqual([])
  })

  it('GIVEN an empty stream WHEN it is put THEN an empty blob is stored under the empty SHA-256', async () => {
    const { store } = await fresh()
    const empty = Buffer.alloc(0)
    const stored = await store.put(Readable.from([]))
    expect(stored).toEqual({ key: blobKeyFor(sha256(empty)), sha256: sha256(empty), size: 0, created: true })
    expect((await buffer(await store.get(stored.key))).length).toBe(0)
    expect(await store.stat(stored.key)).toMatchObject({ size: 0 })
  })

  it('GIVEN a reachable store WHEN it is checked THEN the check passes', async () => {
    const { store } = await fresh()
    await expect(store.check()).resolves.toBeUndefined()
  })
})

describe('S3BlobStore against s3rver', () => {
  it('GIVEN a bucket that does not exist WHEN the store is checked THEN the bucket is created', async () => {
    const bucket = uniqueBucket()
    const admin = new Client(s3Config(bucket))
    expect(await admin.bucketExists(bucket)).toBe(false)
    const store = new S3BlobStore(s3Config(bucket), await scratchDir('s3-spool'))
    await store.check()
    expect(await admin.bucketExists(bucket)).toBe(true)
    // Second call reuses the memoised creation; still fine.
    await expect(store.check()).resolves.toBeUndefined()
  })

  it('GIVEN a bucket that does not exist WHEN a blob is put THEN the bucket is created first', async () => {
    const store = new S3BlobStore(s3Config(uniqueBucket()), await scratchDir('s3-spool'))
    const stored = await store.put(Readable.from([Buffer.from('%PDF-1.7 tiny')]))
    expect(stored.created).toBe(true)
    expect(await store.stat(stored.key)).toMatchObject({ size: 13 })
  })

  it('GIVEN a blob put through S3 WHEN its object is inspected THEN it carries its SHA-256 and a neutral type', async () => {
    const bucket = uniqueBucket()
    const store = new S3BlobStore(s3Config(bucket), await scratchDir('s3-spool'))
    const stored = await store.put(createReadStream(PDF_PATH))
    const { metaData } = await new Client(s3Config(bucket)).statObject(bucket, stored.key)
    expect(metaData).toMatchObject({ 'content-type': 'application/octet-stream', sha256: stored.sha256 })
  })

  it('GIVEN no server on the port WHEN the store is checked THEN it rejects saying it is unreachable', async () => {
    const store = new S3BlobStore(s3Config(uniqueBucket(), await unusedPort()), await scratchDir('s3-spool'))
    await expect(store.check()).rejects.toThrow(/S3 storage unreachable at http:\/\/127\.0\.0\.1:\d+\//)
  })
})

/** A port that was free a moment ago: bind to 0, read it, release it. */
async function unusedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
  return port
}

describe.skipIf(!radosgwAvailable)('S3BlobStore against Ceph radosgw: SigV4, versioning, Object Lock', () => {
  const pdfBytes = () => readFile(PDF_PATH)

  it('GIVEN a wrong secret key WHEN the store is checked THEN the server refuses the signature', async () => {
    const store = new S3BlobStore(radosgwConfig(uniqueBucket(), { secretKey: 'not-the-secret-key-at-all-000000' }), await scratchDir('rgw-spool'))
    await expect(store.check()).rejects.toThrow(/SignatureDoesNotMatch|S3 storage unreachable/)
  })

  it('GIVEN a record locked until a time WHEN it is destroyed before then THEN the server refuses; after then every version goes', async () => {
    const bucket = uniqueBucket()
    const store = new S3BlobStore(radosgwConfig(bucket), await scratchDir('rgw-spool'))
    const { key } = await store.put(Readable.from([await pdfBytes()]))
    const until = new Date(Date.now() + 4000)
    await store.protect(key, { retainUntil: until })
    const protection = await store.protection(key)
    expect(Math.abs(protection.retainUntil!.getTime() - until.getTime())).toBeLessThan(1000)
    // A shorter date is never written over a longer one.
    await store.protect(key, { retainUntil: new Date(Date.now() + 1000) })
    expect((await store.protection(key)).retainUntil!.getTime()).toBeGreaterThanOrEqual(protection.retainUntil!.getTime())
    await expect(store.destroy(key)).rejects.toThrow(/AccessDenied|Forbidden|locked|retention/i)
    // An ordinary delete only hides it behind a delete marker: the locked version is still there.
    await store.delete(key)
    expect(await store.stat(key)).toBeUndefined()
    const client = new Client(radosgwConfig(bucket))
    const versions = async () => {
      const found: unknown[] = []
      for await (const item of client.listObjects(bucket, key, true, { IncludeVersion: true })) found.push(item)
      return found
    }
    expect((await versions()).length).toBe(2)
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, until.getTime() - Date.now() + 1500)))
    await store.destroy(key)
    expect(await versions()).toEqual([])
  })

  it('GIVEN a legal hold WHEN the bytes are destroyed THEN refused until the hold is lifted', async () => {
    const store = new S3BlobStore(radosgwConfig(uniqueBucket()), await scratchDir('rgw-spool'))
    const { key } = await store.put(Readable.from([Buffer.from(`%PDF-1.4 held ${randomUUID()}`)]))
    await store.protect(key, { legalHold: true })
    expect((await store.protection(key)).legalHold).toBe(true)
    await expect(store.destroy(key)).rejects.toThrow()
    expect(await store.stat(key)).toMatchObject({ key })
    await store.protect(key, { legalHold: false })
    await store.destroy(key)
    expect(await store.stat(key)).toBeUndefined()
  })

  it('GIVEN a bucket made by the store WHEN its lock configuration is read THEN Object Lock is enabled (and so versioning)', async () => {
    const bucket = uniqueBucket()
    await new S3BlobStore(radosgwConfig(bucket), await scratchDir('rgw-spool')).check()
    const client = new Client(radosgwConfig(bucket))
    expect(await client.getObjectLockConfig(bucket)).toMatchObject({ objectLockEnabled: 'Enabled' })
    expect(await client.getBucketVersioning(bucket)).toMatchObject({ Status: 'Enabled' })
  })
})
