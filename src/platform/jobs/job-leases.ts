import { randomBytes } from 'node:crypto'
import os from 'node:os'
import { and, eq, lt, sql } from 'drizzle-orm'
import type { Database } from '../db/database.ts'
import { jobLeases, jobWorkers } from '../db/schema/index.ts'

/**
 * Who holds which running job, so work held by a dead process goes back to the queue within a minute.
 * pg-boss alone frees an active job only when its expiry passes (an hour for text extraction), and a
 * shorter expiry would cut long OCR runs off. Instead each job-running process beats a heartbeat and
 * records a lease per running job; a job is an orphan when it is active and no process with a fresh
 * heartbeat holds it. Orphans are failed through pg-boss, which retries them (or lets them die when
 * their retries are used up), so every rule of the queue still applies.
 */
export interface LeaseSettings {
  /** How often this process beats (default 10 s). */
  heartbeatMs: number
  /** A holder whose last beat is older than this is dead (default 30 s). */
  staleAfterMs: number
  /** How often orphans are looked for (default 15 s; PostgreSQL only). */
  sweepMs: number
  /** An active job without any lease is left alone this long (its lease is on its way). */
  graceMs: number
}

export const DEFAULT_LEASE_SETTINGS: LeaseSettings = { heartbeatMs: 10_000, staleAfterMs: 30_000, sweepMs: 15_000, graceMs: 20_000 }

export interface OrphanJob {
  id: string
  name: string
}

export class JobLeases {
  readonly workerId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
  private beat: NodeJS.Timeout | undefined

  constructor(
    private readonly database: Database,
    private readonly schema: string,
    readonly settings: LeaseSettings = DEFAULT_LEASE_SETTINGS,
  ) {}

  /** Registers this process and starts its heartbeat. */
  async register(): Promise<void> {
    await this.database.db
      .insert(jobWorkers)
      .values({ id: this.workerId, host: os.hostname(), pid: process.pid })
      .onConflictDoUpdate({ target: jobWorkers.id, set: { beatAt: sql`now()` } })
    this.beat = setInterval(() => {
      this.database.db
        .update(jobWorkers)
        .set({ beatAt: sql`now()` })
        .where(eq(jobWorkers.id, this.workerId))
        .catch(() => {})
    }, this.settings.heartbeatMs)
    this.beat.unref()
  }

  async take(jobId: string, queue: string): Promise<void> {
    await this.database.db
      .insert(jobLeases)
      .values({ jobId, queue, workerId: this.workerId })
      .onConflictDoUpdate({ target: jobLeases.jobId, set: { workerId: this.workerId, takenAt: sql`now()` } })
  }

  async release(jobId: string): Promise<void> {
    await this.database.db
      .delete(jobLeases)
      .where(and(eq(jobLeases.jobId, jobId), eq(jobLeases.workerId, this.workerId)))
      .catch(() => {})
  }

  /** Stops beating and says goodbye: whatever this process still held is free at once. */
  async unregister(): Promise<void> {
    clearInterval(this.beat)
    this.beat = undefined
    await this.database.db.delete(jobLeases).where(eq(jobLeases.workerId, this.workerId)).catch(() => {})
    await this.database.db.delete(jobWorkers).where(eq(jobWorkers.id, this.workerId)).catch(() => {})
  }

  /**
   * Active jobs no live process holds. `everyActive` (an embedded database, which one process alone
   * opens, before its workers start) counts every active job as an orphan: whoever held it is gone.
   * Holders on this host whose pid is no longer running are dead at once, without waiting for their
   * heartbeat to go stale (a restart finds its predecessor's work immediately).
   */
  async orphans({ everyActive = false }: { everyActive?: boolean } = {}): Promise<OrphanJob[]> {
    if (everyActive) {
      const result = await this.database.executeSql(`select id, name from ${this.schema}.job where state = 'active'`)
      return result.rows.map((row) => ({ id: String(row.id), name: String(row.name) }))
    }
    const deadHere = await this.deadWorkersOnThisHost()
    const result = await this.database.executeSql(
      `select j.id, j.name from ${this.schema}.job j
        where j.state = 'active' and j.started_on < now() - make_interval(secs => $1)
          and not exists (
            select 1 from job_leases l join job_workers w on w.id = l.worker_id
             where l.job_id = j.id and w.beat_at > now() - make_interval(secs => $2) and not (w.id = any($3::text[])))`,
      [this.settings.graceMs / 1000, this.settings.staleAfterMs / 1000, `{${deadHere.map((id) => `"${id}"`).join(',')}}`],
    )
    return result.rows.map((row) => ({ id: String(row.id), name: String(row.name) }))
  }

  /** Forgets the leases of jobs handed back, and workers silent for a day. */
  async forget(jobIds: string[]): Promise<void> {
    for (const jobId of jobIds) await this.database.db.delete(jobLeases).where(eq(jobLeases.jobId, jobId))
    await this.database.db.delete(jobWorkers).where(lt(jobWorkers.beatAt, sql`now() - interval '1 day'`))
  }

  private async deadWorkersOnThisHost(): Promise<string[]> {
    const rows = await this.database.db
      .select({ id: jobWorkers.id, pid: jobWorkers.pid })
      .from(jobWorkers)
      .where(eq(jobWorkers.host, os.hostname()))
    return rows.filter((row) => row.id !== this.workerId && !isAlive(row.pid)).map((row) => row.id)
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
