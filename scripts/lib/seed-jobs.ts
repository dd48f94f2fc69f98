/**
 * The work the demo's documents queued — text extraction (OCR of the scans), signature checks, file
 * inspection, search indexing, notifications — done before the seed ends, so the first screens show
 * read text and verdicts. Progress is printed while it runs.
 */
import { INSPECT_FILE_JOB } from '../../src/documents/documents.service.ts'
import { DELIVER_NOTIFICATIONS_JOB } from '../../src/followup/notification-delivery.ts'
import type { Platform } from '../../src/platform/platform.ts'
import { SEARCH_SYNC_JOB } from '../../src/search/search-outbox.ts'
import { SIGNATURE_VERIFY_JOB } from '../../src/signatures/verify/verify.service.ts'
import { EXTRACT_TEXT_JOB } from '../../src/text/text.service.ts'

const DEMO_JOBS = [EXTRACT_TEXT_JOB, SIGNATURE_VERIFY_JOB, INSPECT_FILE_JOB, SEARCH_SYNC_JOB, DELIVER_NOTIFICATIONS_JOB]
const LIMIT_MS = 15 * 60_000

export async function waitForDemoJobs(platform: Platform, say: (line: string) => void): Promise<void> {
  const started = Date.now()
  let lastSaid = 0
  for (;;) {
    const left = await platform.jobs.countUnfinished(DEMO_JOBS)
    if (left === 0) break
    if (Date.now() - started > LIMIT_MS) {
      say(`${left} jobs still queued after ${LIMIT_MS / 60_000} minutes: the server finishes them when it starts.`)
      return
    }
    if (Date.now() - lastSaid >= 10_000) {
      say(`Reading the documents (text, OCR of the scans, signature checks): ${left} jobs to go…`)
      lastSaid = Date.now()
    }
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  say(`Documents read (text, OCR, signature checks) in ${Math.round((Date.now() - started) / 1000)} s.`)
}
