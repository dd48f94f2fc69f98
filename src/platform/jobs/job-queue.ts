import { eq, sql } from 'drizzle-orm'
import { randomUUID } from 'node:crypto'
import PgBoss from 'pg-boss'
import type { Database, Executor } from '../db/database.ts'
import { executeRaw } from '../db/database.ts'
import { jobProgress } from '../db/schema/index.ts'
import { isUuid } from '../ids.ts'
import { DEFAULT_LEASE_SETTINGS, JobLeases, type LeaseSettings, type OrphanJob } from './job-leases.ts'

/** What a job handler gets besides its payload. */
export interface JobContext {
  readonly jobId: string
  readonly attempt: number
  /** Records progress readable through GET /api/jobs/:id (e.g. pages done of total). */
  reportProgress(done: number, total?: number, message?: string): Promise<void>
  readonly signal: AbortSignal
}

export interface JobDefinition<Payload extends object = object> {
  name: string
  handler(payload: Payload, context: JobContext): Promise<unknown>
  retryLimit?: number
  retryDelaySeconds?: number
  retryBackoff?: boolean
  expireInSeconds?: number
  /** Cron expression (UTC) for recurring jobs. */
  cron?: string
  /** Jobs of this name taken at once by one process. */
  concurrency?: number
}

export interface JobView {
  id: string
  name: string
  /** The document the job works on, when it works on one (for the access policy). */
  documentId: string | null
  state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed'
  attempts: number
  retryLimit: number
  progress: { done: number; total: number | null; message: string | null } | null
  output: unknown
  createdAt: string
  startedAt: string | null
  completedAt: string | null
}

const SCHEMA = 'pgboss'

/** PostgreSQL's deadlock and unique-violation codes: what two processes creating one queue run into. */
const RACE_CODES = new Set(['40P01', '23505'])

/**
 * pg-boss creates a queue's table partition and row in one statement; two processes starting at the
 * same moment on a fresh database can deadlock there (seen with two API servers). PostgreSQL aborts one
 * of them; trying again finds the queue made by the other.
 */
async function retryWhenStartingTogether(create: () => Promise<unknown>, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await create()
      return
    } catch (error) {
      const code = (error as { code?: string }).code
      if (attempt >= attempts || !code || !RACE_CODES.has(code)) throw error
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt))
    }
  }
}

type SendOptions = NonNullable<Parameters<JobQueue['send']>[2]>

/** Jobs asked for inside one transaction, queued together by `flush` (see JobQueue.batch). */
export interface JobBatch {
  /** As JobQueue.send; the batch's transaction is the executor. */
  send(name: string, payload: object, options?: SendOptions): Promise<string>
  flush(): Promise<void>
}

interface BatchedJob {
  id: string
  name: string
  data: object
  singletonKey?: string
  startAfter?: string
  priority?: number
}

/**
 * The durable job queue: pg-boss over our own database handle, so the same code runs on PGlite and
 * PostgreSQL, and jobs can be sent inside the transaction of the change that calls for them.
 */
export class JobQueue {
  private readonly boss: PgBoss
  private readonly definitions = new Map<string, JobDefinition>()
  private started = false
  private readonly abort = new AbortController()
  private readonly running = new Set<Promise<unknown>>()
  private readonly leases: JobLeases
  private sweep: NodeJS.Timeout | undefined
  private working = false

  /** Where pg-boss reports errors that belong to no request (polling, maintenance). */
  onError: (error: Error) => void = () => {}
  /** Told when jobs held by a dead process were handed back to the queue (for the log). */
  onOrphansRetried: (jobs: OrphanJob[]) => void = () => {}

  constructor(
    private readonly database: Database,
    options: { leases?: Partial<LeaseSettings> } = {},
  ) {
    this.leases = new JobLeases(database, SCHEMA, { ...DEFAULT_LEASE_SETTINGS, ...options.leases })
    this.boss = new PgBoss({
      db: { executeSql: (text, values) => database.executeSql(text, values) },
      schema: SCHEMA,
      // Keep finished jobs readable for a week: dead jobs must stay visible.
      archiveCompletedAfterSeconds: 7 * 24 * 3600,
      archiveFailedAfterSeconds: 30 * 24 * 3600,
      deleteAfterDays: 90,
    })
    this.boss.on('error', (error) => this.onError(error))
  }

  /**
   * Awaited before each job's handler (after its lease is taken): the API process sets it so that jobs
   * running beside the API wait for a lull in write requests (ForegroundActivity).
   */
  giveWay?: (stopping: AbortSignal) => Promise<unknown>

  /** Declares a job type; each name may have exactly one handler. */
  define<Payload extends object>(definition: JobDefinition<Payload>): void {
    if (this.started) throw new Error(`Job ${definition.name} defined after start`)
    if (this.definitions.has(definition.name)) throw new Error(`Job ${definition.name} is defined twice`)
    this.definitions.set(definition.name, definition as unknown as JobDefinition)
  }

  /** Creates queues and schedules; with work=true also starts polling for jobs in this process. */
  async start({ work }: { work: boolean }): Promise<void> {
    await this.boss.start()
    this.started = true
    for (const definition of this.definitions.values()) {
      await retryWhenStartingTogether(() =>
        this.boss.createQueue(definition.name, {
          name: definition.name,
          retryLimit: definition.retryLimit ?? 3,
          retryDelay: definition.retryDelaySeconds ?? 10,
          retryBackoff: definition.retryBackoff ?? true,
          expireInSeconds: definition.expireInSeconds ?? 15 * 60,
        }),
      )
      if (definition.cron) await this.boss.schedule(definition.name, definition.cron, {}, { tz: 'UTC' })
    }
    if (!work) return
    this.working = true
    await this.leases.register()
    // The embedded database is opened by this process alone: every job still active is a dead one's.
    await this.retryOrphans({ everyActive: this.database.kind === 'pglite' })
    if (this.database.kind === 'postgres') {
      this.sweep = setInterval(() => {
        this.retryOrphans().catch((error: Error) => this.onError(error))
      }, this.leases.settings.sweepMs)
      this.sweep.unref()
    }
    for (const definition of this.definitions.values()) await this.startWorker(definition)
  }

  /**
   * Hands jobs held by a dead process back to pg-boss as failed attempts: they are retried after their
   * queue's retry delay (or die when their retries are used up), instead of waiting for their expiry.
   */
  async retryOrphans(options: { everyActive?: boolean } = {}): Promise<OrphanJob[]> {
    const orphans = await this.leases.orphans(options)
    for (const job of orphans) {
      await this.boss.fail(job.name, job.id, { message: 'The process running this job stopped (crash, kill, power loss): retried.' })
    }
    await this.leases.forget(orphans.map((job) => job.id))
    if (orphans.length > 0) this.onOrphansRetried(orphans)
    return orphans
  }

  private async startWorker(definition: JobDefinition): Promise<void> {
    const concurrency = definition.concurrency ?? 1
    for (let i = 0; i < concurrency; i++) {
      await this.boss.work<object>(
        definition.name,
        { pollingIntervalSeconds: 0.5, batchSize: 1, includeMetadata: true },
        async (jobs) => {
          for (const job of jobs) {
            const context: JobContext = {
              jobId: job.id,
              attempt: job.retryCount + 1,
              signal: this.abort.signal,
              reportProgress: (done, total, message) =>
                this.recordProgress(definition.name, job.id, done, total, message),
            }
            return this.track(
              this.runLeased(definition, job.id, async () => {
                await this.giveWay?.(this.abort.signal)
                return definition.handler(job.data, context)
              }),
            )
          }
        },
      )
    }
  }

  /**
   * Queues a job. With `executor` (an open transaction) the job commits or rolls back with the change
   * that asked for it: an outbox without a separate relay.
   */
  async send(
    name: string,
    payload: object,
    options: {
      executor?: Executor
      singletonKey?: string
      startAfterSeconds?: number
      /** Higher is fetched first (pg-boss orders by priority, then age). */
      priority?: number
    } = {},
  ): Promise<string> {
    if (!this.definitions.has(name)) throw new Error(`Unknown job ${name}`)
    const db = options.executor
      ? { executeSql: (text: string, values: unknown[]) => executeRaw(options.executor!, text, values) }
      : undefined
    const id = await this.boss.send(name, payload, {
      ...(db ? { db } : {}),
      ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
      ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
      ...(options.priority ? { priority: options.priority } : {}),
    })
    if (!id) throw new Error(`Job ${name} was not queued`)
    return id
  }

  /**
   * Collects the jobs one transaction asks for and queues them with one statement on `flush` (call it
   * before the commit): a registration queues three or four jobs, and each `send` is a round trip. The
   * batch's `send` answers the id the job will have; a singleton job whose key is already waiting is
   * skipped by the insert as `send` skips it (its id then names no job: callers of singletons ignore it).
   */
  batch(executor: Executor): JobBatch {
    const jobs: BatchedJob[] = []
    return {
      send: async (name, payload, options = {}) => {
        if (!this.definitions.has(name)) throw new Error(`Unknown job ${name}`)
        const id = randomUUID()
        jobs.push({
          id,
          name,
          data: payload,
          ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
          ...(options.startAfterSeconds ? { startAfter: `${options.startAfterSeconds} seconds` } : {}),
          ...(options.priority ? { priority: options.priority } : {}),
        })
        return id
      },
      flush: async () => {
        if (jobs.length === 0) return
        const batch = jobs.splice(0)
        const db = { executeSql: (text: string, values: unknown[]) => executeRaw(executor, text, values) }
        await this.boss.insert(batch as unknown as PgBoss.JobInsert[], { db })
      },
    }
  }

  async get(id: string): Promise<JobView | undefined> {
    if (!isUuid(id)) return undefined
    const located = await this.database.executeSql(
      `select name from ${SCHEMA}.job where id = $1 union all select name from ${SCHEMA}.archive where id = $1 limit 1`,
      [id],
    )
    const name = located.rows[0]?.name as string | undefined
    if (!name) return undefined
    const job = await this.boss.getJobById<object>(name, id, { includeArchive: true })
    if (!job) return undefined
    const [progress] = await this.database.db.select().from(jobProgress).where(eq(jobProgress.jobId, id))
    return toView(job, progress)
  }

  /**
   * Payloads of the queue's jobs still to do (waiting, retrying or running) whose payload has the given
   * top-level string values, e.g. the files of a document that still await a check.
   */
  async unfinishedPayloads(name: string, match: Record<string, string>): Promise<Record<string, unknown>[]> {
    const result = await this.database.executeSql(
      `select data from ${SCHEMA}.job where name = $1 and state in ('created', 'retry', 'active') and data @> $2::jsonb`,
      [name, JSON.stringify(match)],
    )
    return result.rows.map((row) => (typeof row.data === 'string' ? JSON.parse(row.data) : row.data))
  }

  /** How many jobs of these queues are still to do (waiting, retrying or running). */
  async countUnfinished(names: readonly string[]): Promise<number> {
    const result = await this.database.executeSql(
      `select count(*)::int as n from ${SCHEMA}.job where name = any($1::text[]) and state in ('created', 'retry', 'active')`,
      [names],
    )
    return Number(result.rows[0]?.n ?? 0)
  }

  /** Jobs that used up their retries: the dead-letter view for operators. */
  async listFailed(limit = 50): Promise<JobView[]> {
    const result = await this.database.executeSql(
      `select id, name from ${SCHEMA}.job where state = 'failed'
       union all select id, name from ${SCHEMA}.archive where state = 'failed'
       order by id limit $1`,
      [limit],
    )
    const views = await Promise.all(result.rows.map((row) => this.get(String(row.id))))
    return views.filter((view): view is JobView => view !== undefined)
  }

  private async recordProgress(queue: string, jobId: string, done: number, total?: number, message?: string) {
    const values = {
      jobId,
      queue,
      done,
      total: total ?? null,
      message: message ?? null,
      updatedAt: new Date(),
    }
    await this.database.db
      .insert(jobProgress)
      .values(values)
      .onConflictDoUpdate({ target: jobProgress.jobId, set: { ...values, queue: sql`excluded.queue` } })
  }

  private async runLeased<T>(definition: JobDefinition, jobId: string, run: () => Promise<T>): Promise<T> {
    await this.leases.take(jobId, definition.name)
    try {
      return await run()
    } finally {
      await this.leases.release(jobId)
    }
  }

  /** Remembers a running handler until it settles, so close can wait for it before the database goes. */
  private track<T>(running: Promise<T>): Promise<T> {
    this.running.add(running)
    const forget = () => this.running.delete(running)
    running.then(forget, forget)
    return running
  }

  /**
   * Waits (up to timeoutMs) for handlers still running after stop: pg-boss stops waiting at its timeout,
   * but an aborted handler may still be unwinding and about to touch the database.
   */
  async settled(timeoutMs: number): Promise<void> {
    if (this.running.size === 0) return
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs)
    })
    await Promise.race([Promise.allSettled([...this.running]), timeout])
    clearTimeout(timer)
  }

  /** Stops taking jobs, waits for running ones (up to timeoutMs), then closes. */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (!this.started) return
    this.started = false
    // Handlers that honour the signal give up once the grace period is over.
    clearInterval(this.sweep)
    const deadline = setTimeout(() => this.abort.abort(), timeoutMs)
    try {
      await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs })
    } finally {
      clearTimeout(deadline)
      if (this.working) await this.leases.unregister()
    }
  }
}

function toView(
  job: PgBoss.JobWithMetadata<object>,
  progress: typeof jobProgress.$inferSelect | undefined,
): JobView {
  return {
    id: job.id,
    name: job.name,
    documentId:
      typeof (job.data as { documentId?: unknown }).documentId === 'string'
        ? (job.data as { documentId: string }).documentId
        : null,
    state: job.state,
    attempts: job.retryCount + (job.startedOn ? 1 : 0),
    retryLimit: job.retryLimit,
    progress: progress ? { done: progress.done, total: progress.total, message: progress.message } : null,
    output: job.output ?? null,
    createdAt: new Date(job.createdOn).toISOString(),
    startedAt: job.startedOn ? new Date(job.startedOn).toISOString() : null,
    completedAt: job.completedOn ? new Date(job.completedOn).toISOString() : null,
  }
}
