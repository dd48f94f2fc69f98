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
    /**
     * The whole document: metadata and every indexed page, folded, then the same with its diacritics
     * (lower case), so that "every word somewhere in the document", with or without the diacritics typed,
     * is one GIN lookup — for texts up to LONG_TEXT_CHARS characters (see long_text).
     */
    body: tsvector('body').notNull().default(sql`''::tsvector`),
    /**
     * Longer than `body` holds (it keeps the first LONG_TEXT_CHARS characters, within tsvector's
     * positions and size): such a document is matched on its metadata and pages (search_pages.long_text).
     */
    longText: boolean('long_text').notNull().default(false),
    /** The document date (issued, else arrived; 0001-01-01 when neither): date sorts and filters. */
    sortDate: date('sort_date', { mode: 'string' }).notNull().default('0001-01-01'),
    /**
     * Who may see the document, as keys (migration 0015 `vanthu_visibility_keys`). Written by the
     * database only: triggers keep it in the transaction of every change to documents, participants
     * and grants. Compare with access/policy.ts documentVisibilityKeys.
     */
    visibilityKeys: text('visibility_keys').array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [
    // Words and visibility in one index: both are index conditions; the keys alone use any (migration 0017).
    index('search_entries_exact_visibility_idx').using('gin', t.exact, t.visibilityKeys),
    index('search_entries_folded_visibility_idx').using('gin', t.folded, t.visibilityKeys),
    index('search_entries_notation_trgm_idx').using('gin', sql`${t.numberNotation} gin_trgm_ops`),
    index('search_entries_departments_idx').using('gin', t.departmentIds),
    index('search_entries_issued_idx').on(t.issuedDate),
    index('search_entries_body_visibility_idx').using('gin', t.body, t.visibilityKeys),
    index('search_entries_sort_idx').on(t.sortDate, t.documentId),
    index('search_entries_notation_idx').on(t.numberNotation),
    index('search_entries_number_idx').using('btree', sql`split_part(${t.numberNotation}, '/', 1)`),
    index('search_entries_long_idx').on(t.documentId).where(sql`${t.longText}`),
  ],
)

/**
 * The page texts of the embedded index, read only for the page of results being returned: which pages
 * matched, their snippets and page numbers (and phrases in texts too long for `body`'s positions).
 */
export const searchPages = pgTable(
  'search_pages',
  {
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    fileId: uuid('file_id').notNull(),
    pageNumber: integer('page_number').notNull(),
    text: text('text').notNull(),
    folded: tsvector('folded').notNull(),
    /** A page of a document too long for search_entries.body: matched here, through its own index. */
    longText: boolean('long_text').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.documentId, t.fileId, t.pageNumber] }),
    index('search_pages_long_folded_idx').using('gin', t.folded).where(sql`${t.longText}`),
  ],
)
