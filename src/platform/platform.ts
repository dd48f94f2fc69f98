import path from 'node:path'
import { loadSecretKey, SecretBox } from '../auth/secrets.ts'
import { type NotificationChannel, notificationChannels } from '../followup/notification-channel.ts'
import { createSearchEngine } from '../search/create-search-engine.ts'
import type { SearchEngine } from '../search/search-engine.ts'
import { createBlobStore } from '../storage/create-blob-store.ts'
import { LazyOcrPool } from '../text/text-ocr.ts'
import type { BlobStore } from '../storage/blob-store.ts'
import type { Config } from './config.ts'
import { type Database, openDatabase } from './db/database.ts'
import { JobQueue } from './jobs/job-queue.ts'
import { shutdownStage } from './shutdown.ts'

/** The infrastructure every capability uses: one per process, closed in dependency order. */
export interface Platform {
  readonly config: Config
  readonly database: Database
  readonly blobStore: BlobStore
  readonly jobs: JobQueue
  /** The search index (PostgreSQL full-text search, or Meilisearch when configured). */
  readonly search: SearchEngine
  /** Seals secrets at rest (TOTP secrets, signing keys) with the server key. */
  readonly secretBox: SecretBox
  /** Directories where in-flight uploads are spooled (swept when stale). */
  readonly tmpDirs: string[]
  /** Where notifications go besides the in-app list (e-mail when configured). */
  readonly notificationChannels: readonly NotificationChannel[]
  /** The process's OCR workers, started by the first page that needs OCR. */
  readonly ocr: LazyOcrPool
  close(): Promise<void>
}

const JOB_STOP_GRACE_MS = 10_000
const JOB_UNWIND_MS = 5_000

export interface PlatformOverrides {
  database?: Database
  blobStore?: BlobStore
}

export async function openPlatform(config: Config, overrides: PlatformOverrides = {}): Promise<Platform> {
  const tmpDir = path.join(config.dataDir, 'tmp')
  const database =
    overrides.database ??
    (await openDatabase({
      url: config.databaseUrl,
      dataDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pg'),
      poolSize: config.databasePoolSize,
      preparedStatements: config.databasePreparedStatements,
      pgliteSharedBuffers: config.pgliteSharedBuffers,
    }))
  const blobStore = overrides.blobStore ?? createBlobStore(config.storage, tmpDir)
  const jobs = new JobQueue(database)
  const search = createSearchEngine(config, database)
  const ocr = new LazyOcrPool(config.ocr)
  const secretBox = new SecretBox(await loadSecretKey(config.auth.secretKey, config.dataDir))
  const tmpDirs = [
    tmpDir,
    ...(config.storage.driver === 'local' ? [path.join(config.storage.root, 'tmp')] : []),
  ]
  let closed = false
  return {
    config,
    database,
    blobStore,
    jobs,
    search,
    secretBox,
    tmpDirs,
    notificationChannels: notificationChannels(config),
    ocr,
    async close() {
      if (closed) return
      closed = true
      // Running jobs get a grace period; what is cut off is retried by another worker (jobs are idempotent).
      shutdownStage('stopping jobs')
      await jobs.stop(JOB_STOP_GRACE_MS)
      shutdownStage('closing the OCR pool')
      await ocr.close()
      // A handler cut off at the deadline (its OCR now refused) unwinds before its connection closes.
      await jobs.settled(JOB_UNWIND_MS)
      shutdownStage('closing the database')
      if (!overrides.database) await database.close()
      shutdownStage('closed')
    },
  }
}
