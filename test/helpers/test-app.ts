import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.ts'
import { defineJobs } from '../../src/jobs.ts'
import { loadConfig } from '../../src/platform/config.ts'
import { openPlatform, type Platform } from '../../src/platform/platform.ts'
import type { BlobStore } from '../../src/storage/blob-store.ts'
import type { TestDatabase, TestDriver } from './databases.ts'

export interface TestApp {
  app: FastifyInstance
  platform: Platform
  dataDir: string
  testDatabase: TestDatabase
  close(): Promise<void>
}

/**
 * A real app on a fresh database of the given driver, with blobs on a temporary disk directory
 * (or the given store). Job workers run in process when `workers` is set.
 */
export async function startTestApp(
  driver: TestDriver,
  options: { env?: Record<string, string>; blobStore?: BlobStore; workers?: boolean } = {},
): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-app-'))
  // No hourly audit checkpoint unless a test asks: one landing at hh:00 would add events mid-test.
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', AUDIT_CHECKPOINT_CRON: 'off', ...options.env })
  const testDatabase = await driver.open()
  const platform = await openPlatform(config, {
    database: testDatabase.database,
    ...(options.blobStore ? { blobStore: options.blobStore } : {}),
  })
  defineJobs(platform)
  await platform.jobs.start({ work: options.workers ?? false })
  const app = await buildApp({ platform, logger: process.env.VANTHU_TEST_LOG === "1" })
  await app.ready()
  return {
    app,
    platform,
    dataDir,
    testDatabase,
    async close() {
      await app.close()
      await testDatabase.dispose()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
