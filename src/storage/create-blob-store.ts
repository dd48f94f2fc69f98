import type { Config } from '../platform/config.ts'
import { LocalDiskBlobStore } from './adapters/local-disk.ts'
import { S3BlobStore } from './adapters/s3.ts'
import type { BlobStore } from './blob-store.ts'

/** Picks the blob store named by the configuration. */
export function createBlobStore(storage: Config['storage'], tmpDir: string): BlobStore {
  switch (storage.driver) {
    case 'local':
      return new LocalDiskBlobStore(storage.root)
    case 's3':
      return new S3BlobStore(storage, tmpDir)
    default:
      throw new Error(`Unknown storage driver: ${(storage as { driver: string }).driver}`)
  }
}
