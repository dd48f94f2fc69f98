import { sql } from 'drizzle-orm'
import type { Executor, Tx } from '../../platform/db/database.ts'
import { resultRows } from '../../platform/db/database.ts'
import type { JobDefinition, JobQueue } from '../../platform/jobs/job-queue.ts'
import type { Platform } from '../../platform/platform.ts'
import { type BlobStore, retentionOf } from '../../storage/blob-store.ts'
import { disposalEligibleFrom } from '../records-policy.ts'

export const OBJECT_LOCK_SYNC_JOB = 'records.object-lock-sync'

/** Queues, in the caller's transaction, the storage lock update of these documents' bytes. */
export async function queueObjectLockSync(tx: Tx, jobs: Pick<JobQueue, 'send'>, documentIds: string[]): Promise<void> {
  for (let i = 0; i < documentIds.length; i += 500) {
    await jobs.send(OBJECT_LOCK_SYNC_JOB, { documentIds: documentIds.slice(i, i + 500) }, { executor: tx })
  }
}

export interface DesiredLock {
  blobKey: string
  retainUntil: Date | undefined
  legalHold: boolean
}

/**
 * What storage should enforce for each blob of these documents, from the records rules: retained until
 * the first day it may be destroyed for every closed or transferred hồ sơ holding a document with these
 * bytes (Vĩnh viễn: `permanentLockYears` from now), and under legal hold while an active hold covers
 * any such document. Identical bytes are stored once, so the strongest rule over all their documents wins.
 */
export async function desiredLocks(db: Executor, documentIds: string[], permanentLockYears: number, now = new Date()): Promise<DesiredLock[]> {
  if (documentIds.length === 0) return []
  const rows = resultRows<{ blob_key: string; permanent: boolean | null; retention_years: number | null; end_date: string | null; held: boolean }>(
    await db.execute(sql`
      with keys as (
        select distinct blob_key from document_files
         where document_id in (${sql.join(documentIds.map((id) => sql`${id}::uuid`), sql`, `)}) and destroyed_at is null
      ), docs as (
        select k.blob_key, f.document_id from keys k join document_files f on f.blob_key = k.blob_key
      )
      select d.blob_key, r.permanent, r.retention_years, r.end_date::text as end_date,
        exists (select 1 from legal_hold_items i join legal_holds h on h.id = i.hold_id
          where h.status = 'active' and (i.document_id = d.document_id or i.record_file_id in
            (select record_file_id from record_file_documents where document_id = d.document_id))) as held
      from docs d
      left join record_file_documents rd on rd.document_id = d.document_id
      left join record_files r on r.id = rd.record_file_id and r.status in ('closed', 'transferred')`),
  )
  const byKey = new Map<string, DesiredLock>()
  const permanentUntil = new Date(now.getTime() + permanentLockYears * 365.25 * 86_400_000)
  for (const row of rows) {
    const lock = byKey.get(row.blob_key) ?? { blobKey: row.blob_key, retainUntil: undefined, legalHold: false }
    lock.legalHold ||= row.held
    if (row.permanent !== null && row.end_date) {
      const from = disposalEligibleFrom({ permanent: row.permanent, years: row.retention_years }, row.end_date)
      const until = from ? new Date(`${from}T00:00:00+07:00`) : permanentUntil
      if (!lock.retainUntil || until > lock.retainUntil) lock.retainUntil = until
    }
    byKey.set(row.blob_key, lock)
  }
  return [...byKey.values()]
}

/** Applies the desired locks to a store that can lock; returns how many blobs were touched. */
export async function applyLocks(store: BlobStore, locks: DesiredLock[]): Promise<number> {
  const retention = retentionOf(store)
  if (!retention) return 0
  let applied = 0
  for (const lock of locks) {
    if (!lock.retainUntil && !lock.legalHold) {
      // Nothing to keep: only a legal hold set earlier may need clearing.
      const current = await retention.protection(lock.blobKey).catch(() => undefined)
      if (current?.legalHold) await retention.protect(lock.blobKey, { legalHold: false })
      continue
    }
    await retention.protect(lock.blobKey, { retainUntil: lock.retainUntil, legalHold: lock.legalHold })
    applied++
  }
  return applied
}

/** After a hồ sơ closes or transfers and after holds change: storage catches up with the records rules. */
export function objectLockSyncJob(platform: Pick<Platform, 'database' | 'blobStore' | 'config'>): JobDefinition<{ documentIds: string[] }> {
  return {
    name: OBJECT_LOCK_SYNC_JOB,
    retryLimit: 10,
    retryBackoff: true,
    async handler({ documentIds }) {
      const locks = await desiredLocks(platform.database.db, documentIds, platform.config.records.permanentLockYears)
      return { blobs: locks.length, applied: await applyLocks(platform.blobStore, locks) }
    },
  }
}


