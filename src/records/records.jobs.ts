import type { Platform } from '../platform/platform.ts'
import { expireAccessJob } from './access/expire-access.job.ts'
import { fixityJob } from './fixity/fixity.job.ts'
import { recordRemindersJob } from './reminders/record-reminders.job.ts'
import { objectLockSyncJob } from './storage/object-lock.job.ts'

/** Every job of the records capability (listed once in src/jobs.ts). */
export function defineRecordsJobs(platform: Platform): void {
  platform.jobs.define(objectLockSyncJob(platform))
  platform.jobs.define(expireAccessJob(platform))
  platform.jobs.define(fixityJob(platform))
  platform.jobs.define(recordRemindersJob(platform))
}
