import type { JobDefinition } from '../platform/jobs/job-queue.ts'
import type { Platform } from '../platform/platform.ts'
import { isDay } from './follow-up-dates.ts'
import { sendDailyReminders } from './reminders.service.ts'

export const DAILY_REMINDERS_JOB = 'followup.daily-reminders'

/** 01:00 UTC = 08:00 in Vietnam: the morning's đôn đốc for overdue and due-soon documents. */
export function dailyRemindersJob(platform: Pick<Platform, 'database' | 'notificationChannels'>): JobDefinition {
  return {
    name: DAILY_REMINDERS_JOB,
    cron: '0 1 * * *',
    retryLimit: 3,
    expireInSeconds: 3600,
    async handler(payload: { date?: string; days?: number }, context) {
      return sendDailyReminders(platform, {
        today: typeof payload.date === 'string' && isDay(payload.date) ? payload.date : undefined,
        days:
          typeof payload.days === 'number' && payload.days >= 0 && payload.days <= 30
            ? Math.floor(payload.days)
            : undefined,
        channels: platform.notificationChannels,
        onProgress: (done, total) => context.reportProgress(done, total, 'documents'),
      })
    },
  }
}
