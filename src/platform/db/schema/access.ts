import { index, pgTable, primaryKey, timestamp, uuid, varchar } from 'drizzle-orm/pg-core'
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
    role: varchar('role', { length: 30 }).notNull(),
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
