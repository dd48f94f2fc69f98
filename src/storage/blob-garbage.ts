import { readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Database } from '../platform/db/database.ts'
import { isBlobReferenced, lockBlobKey } from './blob-references.ts'
import type { BlobStore } from './blob-store.ts'

/** Deletes a blob unless a row points at it; returns whether it was deleted. */
export async function discardBlobIfUnreferenced(database: Database, store: BlobStore, key: string): Promise<boolean> {
  return database.db.transaction(async (tx) => {
    await lockBlobKey(tx, key)
    if (await isBlobReferenced(tx, key)) return false
    await store.delete(key)
    return true
  })
}

export interface SweepReport {
  scanned: number
  deleted: number
  tempFilesDeleted: number
}

/**
 * Removes blobs no row points at (left by a crash between storing the bytes and committing the row,
 * or by a failed request) and stale temporary files. Anything younger than the grace period is kept:
 * it may belong to an upload still in flight.
 */
export async function sweepOrphanBlobs(
  database: Database,
  store: BlobStore,
  options: { graceMinutes: number; tmpDirs: string[]; onProgress?: (scanned: number) => Promise<void> },
): Promise<SweepReport> {
  const cutoff = Date.now() - options.graceMinutes * 60_000
  const report: SweepReport = { scanned: 0, deleted: 0, tempFilesDeleted: 0 }
  for await (const blob of store.list()) {
    report.scanned++
    if (blob.modifiedAt.getTime() <= cutoff && (await discardBlobIfUnreferenced(database, store, blob.key))) {
      report.deleted++
    }
    if (report.scanned % 500 === 0) await options.onProgress?.(report.scanned)
  }
  for (const dir of options.tmpDirs) {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const file = path.join(dir, name)
      const info = await stat(file).catch(() => undefined)
      if (info?.isFile() && info.mtimeMs <= cutoff) {
        await rm(file, { force: true })
        report.tempFilesDeleted++
      }
    }
  }
  return report
}
