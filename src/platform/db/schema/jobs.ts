import { index, integer, pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core'

/** Progress reported by a running job (pages done of total); the job itself lives in pg-boss's tables. */
export const jobProgress = pgTable('job_progress', {
  jobId: uuid('job_id').primaryKey(),
  queue: text('queue').notNull(),
  done: integer('done').notNull().default(0),
  total: integer('total'),
  message: text('message'),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})

/**
 * Processes that run jobs, with their heartbeat (issue 13). A job taken by a process whose heartbeat
 * stopped (kill -9, power cut, a container gone) is handed back to the queue within a minute instead
 * of waiting for its expiry (an hour for text extraction).
 */
export const jobWorkers = pgTable('job_workers', {
  id: varchar('id', { length: 120 }).primaryKey(),
  host: varchar('host', { length: 255 }).notNull(),
  pid: integer('pid').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  beatAt: timestamp('beat_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})

/** Which process holds which running job: written when a handler starts, removed when it settles. */
export const jobLeases = pgTable(
  'job_leases',
  {
    jobId: uuid('job_id').primaryKey(),
    queue: varchar('queue', { length: 100 }).notNull(),
    workerId: varchar('worker_id', { length: 120 }).notNull(),
    takenAt: timestamp('taken_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('job_leases_worker_idx').on(t.workerId)],
)
