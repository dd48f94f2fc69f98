import { createReadStream } from 'node:fs'
import { chmod, mkdir, open, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Readable } from 'node:stream'
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

/**
 * Blobs as files under root/sha256/ab/cd/<hash>. A blob is written to root/tmp, fsynced, then renamed
 * into place and its directory fsynced: a final key never names a half-written file, even after a crash.
 */
export class LocalDiskBlobStore implements BlobStore, BlobRetention {
  private readonly tmpDir: string
  readonly retentionSupported = true

  constructor(private readonly root: string) {
    this.tmpDir = path.join(root, 'tmp')
  }

  async put(body: Readable): Promise<StoredBlob> {
    const spooled = await spoolToTempFile(body, this.tmpDir)
    const key = blobKeyFor(spooled.sha256)
    const finalPath = this.pathOf(key)
    try {
      if (await exists(finalPath)) {
        await unlink(spooled.path)
        return { key, sha256: spooled.sha256, size: spooled.size, created: false }
      }
      await mkdir(path.dirname(finalPath), { recursive: true })
      await rename(spooled.path, finalPath)
      await fsyncDir(path.dirname(finalPath))
    } catch (error) {
      await rm(spooled.path, { force: true })
      throw error
    }
    return { key, sha256: spooled.sha256, size: spooled.size, created: true }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathOf(key)
    if (!(await exists(file))) throw new BlobNotFoundError(key)
    return createReadStream(file, range ? { start: range.start, end: range.end } : {})
  }

  async read(key: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(key))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFoundError(key)
      throw error
    }
  }

  async stat(key: string): Promise<BlobInfo | undefined> {
    try {
      const info = await stat(this.pathOf(key))
      return { key, size: info.size, modifiedAt: info.mtime }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true })
  }

  /**
   * A disk cannot lock a file against its owner: records are made read-only (mode 0444) so no write
   * by mistake can change them, and the service's rules (the records guard, the disposition path) keep
   * them from deletion. Retention dates live in the database, not here.
   */
  async protect(key: string, protection: { retainUntil?: Date | undefined; legalHold?: boolean | undefined }): Promise<void> {
    if (!(await this.stat(key))) throw new BlobNotFoundError(key)
    if (protection.retainUntil || protection.legalHold) await chmod(this.pathOf(key), 0o444)
  }

  async protection(key: string): Promise<BlobProtection> {
    const info = await stat(this.pathOf(key)).catch(() => undefined)
    if (!info) throw new BlobNotFoundError(key)
    // The disk keeps no dates: a protected record is a file without write permission.
    return { retainUntil: null, legalHold: false, mode: null, writeProtected: (info.mode & 0o222) === 0 }
  }

  async destroy(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true })
    await fsyncDir(path.dirname(this.pathOf(key))).catch(() => {})
  }

  async *list(): AsyncIterable<BlobInfo> {
    const base = path.join(this.root, 'sha256')
    for (const a of await readdirOrEmpty(base)) {
      for (const b of await readdirOrEmpty(path.join(base, a))) {
        for (const name of await readdirOrEmpty(path.join(base, a, b))) {
          const key = `sha256/${a}/${b}/${name}`
          const info = await this.stat(key).catch(() => undefined)
          if (info) yield info
        }
      }
    }
  }

  async check(): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true })
    const probe = path.join(this.tmpDir, `.probe-${process.pid}`)
    await writeFile(probe, 'ok')
    await unlink(probe)
  }

  private pathOf(key: string): string {
    return path.join(this.root, assertBlobKey(key))
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file)
    return true
  } catch {
    return false
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch {
    return []
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
