import type { JobDefinition } from '../../platform/jobs/job-queue.ts'
import type { Platform } from '../../platform/platform.ts'
import { runFixity } from './fixity.service.ts'

export const FIXITY_JOB = 'records.fixity'

/** Runs per day of a cron whose minute field is `*​/N` (else hourly at most once): sizes each run's share. */
export function runsPerDayOf(cron: string): number {
  const [minute = '0', hour = '*'] = cron.trim().split(/\s+/)
  const perHour = /^\*\/(\d+)$/.test(minute) ? Math.floor(60 / Number(minute.slice(2))) : minute === '*' ? 60 : minute.split(',').length
  const hours = hour === '*' ? 24 : /^\*\/(\d+)$/.test(hour) ? Math.floor(24 / Number(hour.slice(2))) : hour.split(',').length
  return Math.max(1, perHour * hours)
}

/** The rolling fixity check (FIXITY_CRON, FIXITY_CYCLE_DAYS, FIXITY_MAX_MB_PER_SECOND). */
export function fixityJob(platform: Pick<Platform, 'database' | 'blobStore' | 'config'>): JobDefinition {
  const { fixityCron, fixityCycleDays, fixityMaxMbPerSecond } = platform.config.records
  return {
    name: FIXITY_JOB,
    cron: fixityCron,
    retryLimit: 0,
    expireInSeconds: 3600,
    async handler() {
      return runFixity(platform, { cycleDays: fixityCycleDays, runsPerDay: runsPerDayOf(fixityCron), maxMbPerSecond: fixityMaxMbPerSecond })
    },
  }
}
