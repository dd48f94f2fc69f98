import { sql } from 'drizzle-orm'
import { boolean, check, integer, pgTable, primaryKey, smallint, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core'
import { agencies } from './organisation.ts'

/** Series of outgoing number books (ND30 Điều 15): which documents a book numbers. */
export const BOOK_SERIES = ['administrative', 'legal-normative', 'advisory', 'copies'] as const
export type BookSeries = (typeof BOOK_SERIES)[number]

/**
 * A sổ văn bản (register). Incoming documents are numbered in one yearly series per register (paper and
 * electronic together); secret documents have a register of their own (ND30 Điều 22). Outgoing registers
 * are the number books (sổ văn bản đi, ND30 Điều 15): a series, the kinds it numbers, how its notation
 * reads.
 */
export const registers = pgTable(
  'registers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    direction: varchar('direction', { length: 10 }).notNull(),
    name: varchar('name', { length: 200 }).notNull(),
    /** Holds documents with độ mật ≥ 1 (and only those). */
    secret: boolean('secret').notNull().default(false),
    active: boolean('active').notNull().default(true),
    /** Outgoing books: administrative (the default), legal-normative (one per kind), advisory bodies, copies. */
    series: varchar('series', { length: 20 }).notNull().default('administrative'),
    /** Kind abbreviations this book numbers (a legal-normative book: its one kind); empty = any kind. */
    kindCodes: text('kind_codes').array().notNull().default(sql`'{}'::text[]`),
    /** Issuer abbreviation in its notations (an advisory body's, e.g. HĐTĐ); null = the agency's. */
    notationIssuer: varchar('notation_issuer', { length: 30 }),
    /**
     * Appended to the notation (`05/QĐ-UBND-M`): keeps a separate series (the secret book) from printing
     * the same số/ký hiệu as the open one, which must be unique in the year.
     */
    notationSuffix: varchar('notation_suffix', { length: 10 }),
    /** Legal-normative notations carry the year: 12/2026/QĐ-UBND. */
    notationWithYear: boolean('notation_with_year').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    check('registers_series_check', sql`${t.series} in ('administrative', 'legal-normative', 'advisory', 'copies')`),
  ],
)

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
