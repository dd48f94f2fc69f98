import { sql } from 'drizzle-orm'
import {
  boolean,
  customType,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core'
import { documents } from './documents.ts'

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' })

/**
 * Documents whose search index entry is stale. Written in the same transaction as the change (the
 * outbox), drained by the search.sync job, so the index converges after any crash.
 */
export const searchOutbox = pgTable('search_outbox', {
  documentId: uuid('document_id').primaryKey(),
  enqueuedAt: timestamp('enqueued_at', { withTimezone: true, mode: 'date', precision: 3 })
    .notNull()
    .defaultNow(),
})

/**
 * The embedded search engine's index (PostgreSQL full-text search): one row per document with the
 * filterable fields and two vectors of its metadata — exact (diacritics kept) and folded (unaccented),
 * so that `quyet dinh` finds `quyết định` and exact matches rank higher.
 */
export const searchEntries = pgTable(
  'search_entries',
  {
    documentId: uuid('document_id')
      .primaryKey()
      .references(() => documents.id, { onDelete: 'cascade' }),
    agencyId: uuid('agency_id'),
    direction: varchar('direction', { length: 10 }).notNull(),
    status: varchar('status', { length: 32 }).notNull(),
    kind: varchar('kind', { length: 100 }),
    issuerName: varchar('issuer_name', { length: 200 }),
    issuedDate: date('issued_date', { mode: 'string' }),
    arrivalDate: date('arrival_date', { mode: 'string' }),
    registerId: uuid('register_id'),
    departmentIds: uuid('department_ids').array().notNull().default(sql`'{}'::uuid[]`),
    secrecy: smallint('secrecy').notNull().default(0),
    hasSignature: boolean('has_signature').notNull().default(false),
    /** Số và ký hiệu as printed, folded to lower case without diacritics, for exact and trigram match. */
    numberNotation: varchar('number_notation', { length: 64 }),
    exact: tsvector('exact').notNull(),
    folded: tsvector('folded').notNull(),
    indexedAt: timestamp('indexed_at', { withTimezone: true, mode: 'date', precision: 3 })
      .notNull()
      .defaultNow(),
  },
  (t) => [
    index('search_entries_exact_idx').using('gin', t.exact),
    index('search_entries_folded_idx').using('gin', t.folded),
    index('search_entries_notation_trgm_idx').using('gin', sql`${t.numberNotation} gin_trgm_ops`),
    index('search_entries_departments_idx').using('gin', t.departmentIds),
    index('search_entries_issued_idx').on(t.issuedDate),
  ],
)

/** The page texts of the embedded index: hits and snippets carry page numbers. */
export const searchPages = pgTable(
  'search_pages',
  {
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    fileId: uuid('file_id').notNull(),
    pageNumber: integer('page_number').notNull(),
    text: text('text').notNull(),
    exact: tsvector('exact').notNull(),
    folded: tsvector('folded').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.documentId, t.fileId, t.pageNumber] }),
    index('search_pages_exact_idx').using('gin', t.exact),
    index('search_pages_folded_idx').using('gin', t.folded),
  ],
)
