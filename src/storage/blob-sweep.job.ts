import type { JobDefinition } from '../platform/jobs/job-queue.ts'
import type { Platform } from '../platform/platform.ts'
import { sweepOrphanBlobs } from './blob-garbage.ts'

export const BLOB_SWEEP_JOB = 'storage.sweep-orphan-blobs'

/** Hourly: removes blobs no row points at and stale temporary upload files. */
export function blobSweepJob(platform: Pick<Platform, 'config' | 'database' | 'blobStore' | 'tmpDirs'>): JobDefinition {
  return {
    name: BLOB_SWEEP_JOB,
    cron: '17 * * * *',
    retryLimit: 1,
    expireInSeconds: 3600,
    async handler(payload: { graceMinutes?: number }, context) {
      return sweepOrphanBlobs(platform.database, platform.blobStore, {
        graceMinutes: payload.graceMinutes ?? platform.config.blobSweepGraceMinutes,
        tmpDirs: platform.tmpDirs,
        onProgress: (scanned) => context.reportProgress(scanned, undefined, 'scanning'),
      })
    },
  }
}
