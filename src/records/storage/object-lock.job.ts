import { sql } from 'drizzle-orm'
import { appendAuditEvent } from '../../audit/audit.service.ts'
import type { Executor, Tx } from '../../platform/db/database.ts'
import { resultRows } from '../../platform/db/database.ts'
import type { JobDefinition, JobQueue } from '../../platform/jobs/job-queue.ts'
import type { Platform } from '../../platform/platform.ts'
import { BlobNotFoundError, type BlobProtection, type BlobStore, retentionOf } from '../../storage/blob-store.ts'
import { disposalEligibleFrom } from '../records-policy.ts'

export const OBJECT_LOCK_SYNC_JOB = 'records.object-lock-sync'

/** Queues, in the caller's transaction, the storage lock update of these documents' bytes. */
export async function queueObjectLockSync(tx: Tx, jobs: Pick<JobQueue, 'send'>, documentIds: string[]): Promise<void> {
  for (let i = 0; i < documentIds.length; i += 500) {
    await jobs.send(OBJECT_LOCK_SYNC_JOB, { documentIds: documentIds.slice(i, i + 500) }, { executor: tx })
  }
}

/**
 * The latest retain-until asked of storage. Ceph radosgw keeps the date in 32-bit unsigned seconds: a
 * date after 2106-02-07 wraps around into the past (2126 is stored as 1990 — no lock at all), which a
 * test against radosgw showed for Vĩnh viễn records locked 100 years ahead.
 */
export const LATEST_RETAIN_UNTIL = new Date('2106-01-01T00:00:00Z')

export interface DesiredLock {
  blobKey: string
  retainUntil: Date | undefined
  legalHold: boolean
  /** The documents with these bytes, and the closed or transferred hồ sơ holding them (for the audit). */
  documentIds: string[]
  recordFileIds: string[]
}

/**
 * What storage should enforce for each blob of these documents, from the records rules: retained until
 * the first day it may be destroyed for every closed or transferred hồ sơ holding a document with these
 * bytes (Vĩnh viễn: `permanentLockYears` from now), and under legal hold while an active hold covers
 * any such document. Identical bytes are stored once, so the strongest rule over all their documents wins.
 * A retention whose day has already come is no retention: S3 refuses a retain-until in the past.
 * Dates are capped at LATEST_RETAIN_UNTIL.
 */
export async function desiredLocks(db: Executor, documentIds: string[], permanentLockYears: number, now = new Date()): Promise<DesiredLock[]> {
  if (documentIds.length === 0) return []
  const rows = resultRows<{ blob_key: string; document_id: string; record_file_id: string | null; permanent: boolean | null; retention_years: number | null; end_date: string | null; held: boolean }>(
    await db.execute(sql`
      with keys as (
        select distinct blob_key from document_files
         where document_id in (${sql.join(documentIds.map((id) => sql`${id}::uuid`), sql`, `)}) and destroyed_at is null
      ), docs as (
        select distinct k.blob_key, f.document_id from keys k join document_files f on f.blob_key = k.blob_key
      )
      select d.blob_key, d.document_id::text as document_id, r.id::text as record_file_id, r.permanent, r.retention_years, r.end_date::text as end_date,
        exists (select 1 from legal_hold_items i join legal_holds h on h.id = i.hold_id
          where h.status = 'active' and (i.document_id = d.document_id or i.record_file_id in
            (select record_file_id from record_file_documents where document_id = d.document_id))) as held
      from docs d
      left join record_file_documents rd on rd.document_id = d.document_id
      left join record_files r on r.id = rd.record_file_id and r.status in ('closed', 'transferred')`),
  )
  const byKey = new Map<string, DesiredLock>()
  const permanentUntil = new Date(Math.min(now.getTime() + permanentLockYears * 365.25 * 86_400_000, LATEST_RETAIN_UNTIL.getTime()))
  for (const row of rows) {
    const lock = byKey.get(row.blob_key) ?? { blobKey: row.blob_key, retainUntil: undefined, legalHold: false, documentIds: [], recordFileIds: [] }
    lock.legalHold ||= row.held
    if (!lock.documentIds.includes(row.document_id)) lock.documentIds.push(row.document_id)
    if (row.permanent !== null && row.end_date) {
      if (row.record_file_id && !lock.recordFileIds.includes(row.record_file_id)) lock.recordFileIds.push(row.record_file_id)
      const from = disposalEligibleFrom({ permanent: row.permanent, years: row.retention_years }, row.end_date)
      const until = from ? new Date(Math.min(new Date(`${from}T00:00:00+07:00`).getTime(), LATEST_RETAIN_UNTIL.getTime())) : permanentUntil
      if (until > now && (!lock.retainUntil || until > lock.retainUntil)) lock.retainUntil = until
    }
    byKey.set(row.blob_key, lock)
  }
  return [...byKey.values()]
}

/** A blob whose protection in storage changed, as the store reports it before and after. */
export interface LockChange {
  lock: DesiredLock
  before: BlobProtection
  after: BlobProtection
}

const sameProtection = (a: BlobProtection, b: BlobProtection) =>
  a.legalHold === b.legalHold && a.mode === b.mode && a.writeProtected === b.writeProtected && a.retainUntil?.getTime() === b.retainUntil?.getTime()

/**
 * Applies the desired locks to a store that can lock and returns what changed: a second run over the
 * same records changes nothing (retention only ever extends; holds are set to what the records say).
 * A blob missing from storage is skipped (the fixity check reports it).
 */
export async function applyLocks(store: BlobStore, locks: DesiredLock[]): Promise<{ changes: LockChange[]; missing: string[] }> {
  const retention = retentionOf(store)
  const changes: LockChange[] = []
  const missing: string[] = []
  if (!retention) return { changes, missing }
  for (const lock of locks) {
    try {
      const before = await retention.protection(lock.blobKey)
      // Nothing to keep: only a legal hold set earlier may need clearing.
      if (!lock.retainUntil && !lock.legalHold && !before.legalHold) continue
      await retention.protect(lock.blobKey, { retainUntil: lock.retainUntil, legalHold: lock.legalHold })
      const after = await retention.protection(lock.blobKey)
      if (!sameProtection(before, after)) changes.push({ lock, before, after })
    } catch (error) {
      if (!(error instanceof BlobNotFoundError)) throw error
      missing.push(lock.blobKey)
    }
  }
  return { changes, missing }
}

const iso = (date: Date | null) => date?.toISOString() ?? null

/**
 * After a hồ sơ closes or transfers and after holds change: storage catches up with the records rules.
 * Storage first, then one transaction with an audit event `blob.locked` for each blob whose protection
 * changed (a retry re-reads storage, so a lock applied before a crash is simply found in place).
 */
export function objectLockSyncJob(platform: Pick<Platform, 'database' | 'blobStore' | 'config'>): JobDefinition<{ documentIds: string[] }> {
  return {
    name: OBJECT_LOCK_SYNC_JOB,
    retryLimit: 10,
    retryBackoff: true,
    async handler({ documentIds }) {
      const locks = await desiredLocks(platform.database.db, documentIds, platform.config.records.permanentLockYears)
      const { changes, missing } = await applyLocks(platform.blobStore, locks)
      if (changes.length > 0) {
        await platform.database.db.transaction(async (tx) => {
          for (const { lock, before, after } of changes) {
            await appendAuditEvent(tx, { actor: `job:${OBJECT_LOCK_SYNC_JOB}` }, {
              action: 'blob.locked',
              targetType: 'blob',
              targetId: lock.blobKey.slice(-64),
              details: {
                blobKey: lock.blobKey,
                mode: after.mode,
                retainUntil: iso(after.retainUntil),
                legalHold: after.legalHold,
                writeProtected: after.writeProtected,
                before: { mode: before.mode, retainUntil: iso(before.retainUntil), legalHold: before.legalHold, writeProtected: before.writeProtected },
                documentIds: lock.documentIds,
                recordFileIds: lock.recordFileIds,
              },
            })
          }
        })
      }
      return { blobs: locks.length, changed: changes.length, missing }
    },
  }
}
