import { sql } from 'drizzle-orm'
import { date, index, pgTable, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core'
import { documents } from './documents.ts'
import { users } from './organisation.ts'
import { recordFiles } from './records.ts'

/**
 * A thông báo for one user (a deadline reminder, later routing events). The text is stored as written at
 * the time (Vietnamese), so a later change of the document does not rewrite what the user was told.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** e.g. `deadline.overdue`, `deadline.due-soon`. */
    kind: varchar('kind', { length: 40 }).notNull(),
    documentId: uuid('document_id').references(() => documents.id, { onDelete: 'cascade' }),
    /** The hồ sơ a records notification is about (reminders, transfer, access and disposition steps). */
    recordFileId: uuid('record_file_id').references(() => recordFiles.id, { onDelete: 'set null' }),
    title: varchar('title', { length: 300 }).notNull(),
    body: varchar('body', { length: 2000 }).notNull(),
    /**
     * The day (Vietnam time) a reminder is about: with user, document and kind it is the idempotency key,
     * so a retried or repeated daily run creates nothing new. Null for one-off notifications.
     */
    dedupDate: date('dedup_date', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date', precision: 3 })
      .notNull()
      .defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true, mode: 'date', precision: 3 }),
  },
  (t) => [
    index('notifications_user_created_idx').on(t.userId, t.createdAt.desc(), t.id.desc()),
    index('notifications_user_unread_idx').on(t.userId).where(sql`${t.readAt} is null`),
    uniqueIndex('notifications_daily_key_idx')
      .on(t.userId, t.documentId, t.kind, t.dedupDate)
      .where(sql`${t.dedupDate} is not null`),
  ],
)
