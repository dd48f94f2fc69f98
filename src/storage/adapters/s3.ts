import { rm } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { createRequire } from 'node:module'
import type { Client } from 'minio'
import type { S3StorageConfig } from '../../platform/config.ts'
import {
  assertBlobKey,
  type BlobInfo,
  BlobNotFoundError,
  type BlobProtection,
  type BlobRetention,
  type BlobStore,
  blobKeyFor,
  type ByteRange,
  type StoredBlob,
} from '../blob-store.ts'
import { spoolToTempFile } from '../spool.ts'

const KEY_PREFIX = 'sha256/'
const S3_PART_SIZE = 8 * 1024 * 1024

/**
 * Blobs as objects `sha256/ab/cd/<hash>` in one bucket of any S3 server (MinIO in production).
 *
 * The body is spooled to a local temp file first: the hash (and so the key) is only known at the end of
 * the stream, S3 has no rename, and a known size keeps the minio client off multipart for anything under
 * its part size. A final key therefore only ever names complete, verified bytes.
 */
export class S3BlobStore implements BlobStore, BlobRetention {
  private readonly client: Client
  private readonly bucket: string
  private readonly region: string
  private readonly where: string
  private bucketReady: Promise<void> | undefined
  /** Object Lock: the bucket is created with locking and records get retention and legal holds. */
  readonly retentionSupported: boolean
  private readonly lockMode: 'GOVERNANCE' | 'COMPLIANCE'

  constructor(
    config: S3StorageConfig,
    private readonly tmpDir: string,
  ) {
    // Loaded here, not at import: a server on local disk never pays for the S3 client's start-up.
    const { Client: MinioClient } = createRequire(import.meta.url)('minio') as typeof import('minio')
    this.client = new MinioClient({
      endPoint: config.endPoint,
      port: config.port,
      useSSL: config.useSSL,
      accessKey: config.accessKey,
      secretKey: config.secretKey,
      region: config.region,
      pathStyle: config.pathStyle,
      // The client buffers one part in memory (the whole object when it fits in one part): small parts
      // keep a 100 MB upload from costing 64 MB of heap.
      partSize: S3_PART_SIZE,
    })
    this.bucket = config.bucket
    this.region = config.region
    this.retentionSupported = config.objectLock === true
    this.lockMode = config.objectLockMode ?? 'GOVERNANCE'
    const scheme = config.useSSL ? 'https' : 'http'
    this.where = `${scheme}://${config.endPoint}${config.port ? `:${config.port}` : ''}/${config.bucket}`
  }

  /**
   * Creates the bucket in the configured region when it is missing. Every operation awaits it, so a
   * missing bucket is never mistaken for a missing blob (S3 answers NoSuchBucket to GET and list, but a
   * bare 404 to HEAD). Memoised: one request per process; a failure is forgotten so the next call retries.
   */
  ensureBucket(): Promise<void> {
    this.bucketReady ??= this.createBucketIfMissing().catch((error: unknown) => {
      this.bucketReady = undefined
      throw error
    })
    return this.bucketReady
  }

  async put(body: Readable): Promise<StoredBlob> {
    // Drain the body before touching the network, so a failing client stream never reaches S3.
    const spooled = await spoolToTempFile(body, this.tmpDir)
    const key = blobKeyFor(spooled.sha256)
    const stored = { key, sha256: spooled.sha256, size: spooled.size }
    try {
      if (await this.stat(key)) return { ...stored, created: false }
      await this.client.fPutObject(this.bucket, key, spooled.path, {
        'Content-Type': 'application/octet-stream',
        sha256: spooled.sha256,
      })
      return { ...stored, created: true }
    } finally {
      await rm(spooled.path, { force: true })
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    assertBlobKey(key)
    await this.ensureBucket()
    try {
      if (!range) return await this.client.getObject(this.bucket, key)
      return await this.client.getPartialObject(this.bucket, key, range.start, range.end - range.start + 1)
    } catch (error) {
      if (isNotFound(error)) throw new BlobNotFoundError(key)
      throw error
    }
  }

  async read(key: string): Promise<Buffer> {
    const chunks: Buffer[] = []
    for await (const chunk of await this.get(key)) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks)
  }

  async stat(key: string): Promise<BlobInfo | undefined> {
    assertBlobKey(key)
    await this.ensureBucket()
    try {
      const info = await this.client.statObject(this.bucket, key)
      return { key, size: info.size, modifiedAt: info.lastModified }
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw error
    }
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key)
    await this.ensureBucket()
    // S3 DELETE of an absent key already succeeds (204). On a versioned, locked bucket it only adds a
    // delete marker: retained record versions stay, which is the intent.
    try {
      await this.client.removeObject(this.bucket, key)
    } catch (error) {
      if (!isNotFound(error)) throw error
    }
  }

  async *list(): AsyncIterable<BlobInfo> {
    await this.ensureBucket()
    const items = this.client.listObjectsV2(this.bucket, KEY_PREFIX, true)
    for await (const item of items) {
      // Recursive listing yields objects only; the guard narrows the union type (prefix entries).
      if (item.name === undefined) continue
      yield { key: item.name, size: item.size, modifiedAt: item.lastModified }
    }
  }

  /** Retention is extended only (S3 refuses to shorten a COMPLIANCE lock, and we never want to). */
  async protect(key: string, protection: { retainUntil?: Date | undefined; legalHold?: boolean | undefined }): Promise<void> {
    const versionId = await this.currentVersion(key)
    if (protection.retainUntil) {
      const current = await this.client.getObjectRetention(this.bucket, key, { versionId }).catch(() => null)
      const currentUntil = current?.retainUntilDate ? new Date(current.retainUntilDate) : null
      if (!currentUntil || currentUntil < protection.retainUntil) {
        await this.client.putObjectRetention(this.bucket, key, {
          versionId,
          mode: this.lockMode as never,
          retainUntilDate: protection.retainUntil.toISOString(),
        })
        // A server may accept a date it cannot represent (radosgw wraps dates after 2106 into the past):
        // a lock that did not take must fail loudly, not leave the record unprotected.
        const stored = await this.client.getObjectRetention(this.bucket, key, { versionId }).catch(() => null)
        const storedUntil = stored?.retainUntilDate ? new Date(stored.retainUntilDate).getTime() : Number.NaN
        if (!(Math.abs(storedUntil - protection.retainUntil.getTime()) < 1000)) {
          throw new Error(`S3 did not keep the retention of ${key}: asked ${protection.retainUntil.toISOString()}, stored ${stored?.retainUntilDate ?? 'none'}`)
        }
      }
    }
    if (protection.legalHold !== undefined) {
      await this.client.setObjectLegalHold(this.bucket, key, { versionId, status: (protection.legalHold ? 'ON' : 'OFF') as never })
    }
  }

  async protection(key: string): Promise<BlobProtection> {
    const versionId = await this.currentVersion(key)
    const retention = await this.client.getObjectRetention(this.bucket, key, { versionId }).catch(() => null)
    const hold: unknown = await this.client.getObjectLegalHold(this.bucket, key, { versionId }).catch(() => 'OFF')
    // minio-js answers the parsed <LegalHold> element ({ Status: 'ON' }), typed as the bare status.
    const status = typeof hold === 'object' && hold !== null ? (hold as { Status?: string }).Status : hold
    const retainUntil = retention?.retainUntilDate ? new Date(retention.retainUntilDate) : null
    const legalHold = status === 'ON'
    const mode = retainUntil && (retention?.mode === 'GOVERNANCE' || retention?.mode === 'COMPLIANCE') ? retention.mode : null
    return { retainUntil, legalHold, mode, writeProtected: legalHold || (retainUntil !== null && retainUntil > new Date()) }
  }

  /** Removes every version and delete marker of the key; the server refuses locked versions. */
  async destroy(key: string): Promise<void> {
    assertBlobKey(key)
    await this.ensureBucket()
    const versions: { versionId?: string | null; name?: string }[] = []
    for await (const item of this.client.listObjects(this.bucket, key, true, { IncludeVersion: true })) {
      if ((item as { name?: string }).name === key) versions.push(item as { versionId?: string | null; name?: string })
    }
    if (versions.length === 0) return
    for (const version of versions) {
      await this.client.removeObject(this.bucket, key, version.versionId ? { versionId: version.versionId } : {})
    }
  }

  private async currentVersion(key: string): Promise<string> {
    assertBlobKey(key)
    await this.ensureBucket()
    try {
      const info = await this.client.statObject(this.bucket, key)
      return info.versionId ?? 'null'
    } catch (error) {
      if (isNotFound(error)) throw new BlobNotFoundError(key)
      throw error
    }
  }

  /**
   * Readiness: the bucket answers (and exists, created if needed). No write probe: on a bucket with
   * default object-lock retention every probe object would become an undeletable locked version.
   */
  async check(): Promise<void> {
    try {
      await this.ensureBucket()
    } catch (error) {
      // A dual-stack connect failure is an AggregateError with an empty message; its code still says why.
      const { message, code } = error as { message?: string; code?: string }
      const reason = message || code || String(error)
      throw new Error(`S3 storage unreachable at ${this.where}: ${reason}`, { cause: error })
    }
  }

  private async createBucketIfMissing(): Promise<void> {
    if (await this.client.bucketExists(this.bucket)) return
    try {
      await this.client.makeBucket(this.bucket, this.region, this.retentionSupported ? { ObjectLocking: true } : {})
    } catch (error) {
      // Another instance created it between our check and our request: that is the goal reached.
      if ((error as { code?: string }).code !== 'BucketAlreadyOwnedByYou') throw error
    }
  }
}

/** HEAD answers carry no body, so minio reports a bare `NotFound`; GET answers `NoSuchKey`. */
function isNotFound(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code
  return code === 'NoSuchKey' || code === 'NotFound'
}
