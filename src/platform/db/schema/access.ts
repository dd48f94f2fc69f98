import { boolean, date, index, integer, jsonb, pgTable, primaryKey, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core'
import { documents } from './documents.ts'
import { departments, users } from './organisation.ts'

/**
 * People and departments on a document's routing path (filled by routing: lead, co-operating,
 * for-information, assignees). Being here makes a document visible to them.
 */
export const documentParticipants = pgTable(
  'document_participants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id),
    departmentId: uuid('department_id').references(() => departments.id),
    /** leader (trình), lead (chủ trì), cooperating (phối hợp), informed (nhận để biết), assignee. */
    role: varchar('role', { length: 30 }).notNull(),
    /** The recipient's own state: unread, read, in_progress, done. */
    state: varchar('state', { length: 20 }).notNull().default('unread'),
    deadline: date('deadline', { mode: 'string' }),
    /** A newer step replaced this participant (forwarded, reassigned, recalled): kept for the record. */
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('document_participants_document_idx').on(t.documentId),
    index('document_participants_user_idx').on(t.userId),
    index('document_participants_department_idx').on(t.departmentId),
  ],
)

/** Explicit grants to read a secret document (Mật, Tối mật, Tuyệt mật), on top of clearance. */
export const documentGrants = pgTable(
  'document_grants',
  {
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    grantedBy: uuid('granted_by').references(() => users.id),
    grantedAt: timestamp('granted_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.userId] })],
)

/**
 * One step of a document's life (registration, trình, chỉ đạo, phân công, xử lý, hoàn thành, trình ký,
 * ký, đóng dấu…), numbered 1, 2, 3… per document: the timeline users read (src/timeline). Each step is
 * written with its audit event in the same transaction.
 */
export const routingSteps = pgTable(
  'routing_steps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    action: varchar('action', { length: 40 }).notNull(),
    fromStatus: varchar('from_status', { length: 32 }).notNull(),
    toStatus: varchar('to_status', { length: 32 }).notNull(),
    actorUserId: uuid('actor_user_id').references(() => users.id),
    actorDepartmentId: uuid('actor_department_id').references(() => departments.id),
    comment: varchar('comment', { length: 2000 }),
    details: jsonb('details').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('routing_steps_document_idx').on(t.documentId, t.seq)],
)
