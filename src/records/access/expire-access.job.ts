import type { JobDefinition } from '../../platform/jobs/job-queue.ts'
import type { Platform } from '../../platform/platform.ts'
import { expireAccess } from './access-requests.service.ts'

export const EXPIRE_ACCESS_JOB = 'records.expire-access'

/** Every minute: access given by approved requests ends when their date has passed. */
export function expireAccessJob(platform: Pick<Platform, 'database' | 'jobs'>): JobDefinition {
  return {
    name: EXPIRE_ACCESS_JOB,
    cron: '* * * * *',
    retryLimit: 1,
    async handler() {
      return { expired: await expireAccess(platform, { actor: `job:${EXPIRE_ACCESS_JOB}` }) }
    },
  }
}
