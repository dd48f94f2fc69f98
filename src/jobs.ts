import { dailyRemindersJob } from './followup/daily-reminders.job.ts'
import { deliverNotificationsJob } from './followup/notification-delivery.ts'
import { inspectFileJob } from './documents/inspect-file.job.ts'
import type { Platform } from './platform/platform.ts'
import { searchSyncJob } from './search/search-sync.job.ts'
import { blobSweepJob } from './storage/blob-sweep.job.ts'
import { extractOcrJob, extractTextJob } from './text/extract-text.job.ts'
import { verifySignaturesJob } from './signatures/verify/verify-signatures.job.ts'
import { expireSessionsJob } from './signatures/sessions/expire-sessions.job.ts'
import { renewDueJob } from './signatures/archive/renew-due.job.ts'
import { signingPolicy } from './signatures/signing/pades-level.ts'
import { defineRecordsJobs } from './records/records.jobs.ts'
import { emailDeliveryJob } from './outgoing/email-delivery.job.ts'
import { checkpointJob } from './audit/checkpoints/checkpoint.job.ts'

/** Every job type of the service, in one place: the API and worker processes define the same set. */
export function defineJobs(platform: Platform): void {
  platform.jobs.define(inspectFileJob(platform))
  platform.jobs.define(blobSweepJob(platform))
  platform.jobs.define(searchSyncJob(platform))
  platform.jobs.define(dailyRemindersJob(platform))
  platform.jobs.define(deliverNotificationsJob(platform))
  platform.jobs.define(verifySignaturesJob(platform))
  platform.jobs.define(expireSessionsJob(platform))
  const { database, blobStore, jobs, ocr, config } = platform
  jobs.define(
    renewDueJob(
      { database, blobStore, jobs, policy: signingPolicy(config.signing) },
      config.signing.renewBeforeDays,
    ),
  )
  defineRecordsJobs(platform)
  jobs.define(checkpointJob(platform))
  jobs.define(emailDeliveryJob({ ...platform, email: config.email }))
  const textDeps = { database, blobStore, jobs, ocr, concurrency: platform.config.ocr.concurrency }
  jobs.define(extractTextJob(textDeps))
  jobs.define(extractOcrJob(textDeps))
}
