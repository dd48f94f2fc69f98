import { boolean, integer, pgTable, primaryKey, smallint, timestamp, uuid, varchar } from 'drizzle-orm/pg-core'
import { agencies } from './organisation.ts'

/**
 * A sổ văn bản (register). Incoming documents are numbered in one yearly series per register (paper and
 * electronic together); secret documents have a register of their own (ND30 Điều 22).
 */
export const registers = pgTable('registers', {
  id: uuid('id').primaryKey().defaultRandom(),
  agencyId: uuid('agency_id')
    .notNull()
    .references(() => agencies.id),
  direction: varchar('direction', { length: 10 }).notNull(),
  name: varchar('name', { length: 200 }).notNull(),
  /** Holds documents with độ mật ≥ 1 (and only those). */
  secret: boolean('secret').notNull().default(false),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})

/**
 * The last number given in a register for a year. Incremented inside the registering transaction: the
 * row lock serialises registrations and a rollback takes its number back, so numbers have no gaps.
 */
export const registerCounters = pgTable(
  'register_counters',
  {
    registerId: uuid('register_id')
      .notNull()
      .references(() => registers.id),
    year: smallint('year').notNull(),
    lastNumber: integer('last_number').notNull(),
  },
  (t) => [primaryKey({ columns: [t.registerId, t.year] })],
)

/**
 * Issuing agencies (cơ quan ban hành) seen in registrations: the directory that grows as clerks register
 * and feeds the suggestions while they type.
 */
export const issuingAgencies = pgTable(
  'issuing_agencies',
  {
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    name: varchar('name', { length: 200 }).notNull(),
    uses: integer('uses').notNull().default(1),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.agencyId, t.name] })],
)
