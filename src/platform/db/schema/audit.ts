import { bigint, index, jsonb, pgTable, smallint, text, timestamp, varchar } from 'drizzle-orm/pg-core'

/**
 * The audit trail: an append-only hash chain. hash = SHA-256(canonical(event) + prevHash), so changing,
 * deleting or reordering a stored event breaks the chain at that event.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull(),
    actor: varchar('actor', { length: 100 }).notNull(),
    action: varchar('action', { length: 100 }).notNull(),
    targetType: varchar('target_type', { length: 50 }).notNull(),
    targetId: varchar('target_id', { length: 100 }),
    details: jsonb('details').notNull(),
    prevHash: varchar('prev_hash', { length: 64 }).notNull(),
    hash: varchar('hash', { length: 64 }).notNull(),
  },
  (t) => [index('audit_events_target_idx').on(t.targetType, t.targetId, t.seq)],
)

/**
 * The chain head, updated in the same transaction as each append. Its row lock serialises writers (no
 * forks) and it lets verification notice events cut off the end of the chain.
 */
export const auditHead = pgTable('audit_head', {
  id: smallint('id').primaryKey(),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
  lastHash: varchar('last_hash', { length: 64 }).notNull(),
  note: text('note'),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})
