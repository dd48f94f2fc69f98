import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** Progress reported by a running job (pages done of total); the job itself lives in pg-boss's tables. */
export const jobProgress = pgTable('job_progress', {
  jobId: uuid('job_id').primaryKey(),
  queue: text('queue').notNull(),
  done: integer('done').notNull().default(0),
  total: integer('total'),
  message: text('message'),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})
