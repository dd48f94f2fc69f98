import type { JobDefinition } from '../../platform/jobs/job-queue.ts'
import type { Platform } from '../../platform/platform.ts'
import { type CheckpointDeps, createCheckpoint } from './checkpoints.service.ts'

export const CHECKPOINT_JOB = 'audit.checkpoint'

export function checkpointDeps(platform: Pick<Platform, 'database' | 'secretBox' | 'config'>): CheckpointDeps {
  const { tsaUrl, tsaTimeoutMs } = platform.config.signing
  return {
    database: platform.database,
    secretBox: platform.secretBox,
    tsa: tsaUrl ? { url: tsaUrl, timeoutMs: tsaTimeoutMs } : undefined,
  }
}

/**
 * The scheduled checkpoint (AUDIT_CHECKPOINT_CRON, hourly by default): skipped when nothing but the last
 * checkpoint happened since. With `off`, a schedule left from before finds the job disabled.
 */
export function checkpointJob(platform: Pick<Platform, 'database' | 'secretBox' | 'config'>): JobDefinition {
  const cron = platform.config.audit.checkpointCron
  return {
    name: CHECKPOINT_JOB,
    ...(cron ? { cron } : {}),
    retryLimit: 2,
    retryDelaySeconds: 60,
    expireInSeconds: 10 * 60,
    async handler() {
      if (!cron) return { skipped: 'disabled' }
      const result = await createCheckpoint(checkpointDeps(platform), { actor: `job:${CHECKPOINT_JOB}` }, { onlyIfChanged: true })
      return 'created' in result
        ? { checkpointId: result.created.id, chainSeq: result.created.chainSeq, timestampError: result.timestampError }
        : result
    },
  }
}
