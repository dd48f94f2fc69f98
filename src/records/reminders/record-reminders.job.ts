import type { JobDefinition } from '../../platform/jobs/job-queue.ts'
import type { Platform } from '../../platform/platform.ts'
import { sendRecordReminders } from './record-reminders.service.ts'

export const RECORD_REMINDERS_JOB = 'records.reminders'

/** Daily at 01:00 UTC (08:00 in Vietnam): hồ sơ not closed after year end, nộp lưu due. */
export function recordRemindersJob(platform: Pick<Platform, 'database' | 'config'>): JobDefinition {
  const { transferDueDays, transferNoticeDays } = platform.config.records
  return {
    name: RECORD_REMINDERS_JOB,
    cron: '0 1 * * *',
    retryLimit: 2,
    async handler() {
      return sendRecordReminders(platform, { transferDueDays, transferNoticeDays, actor: `job:${RECORD_REMINDERS_JOB}` })
    },
  }
}
