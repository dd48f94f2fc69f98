import { sql } from 'drizzle-orm'
import {
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core'
import { documentFiles, documents } from './documents.ts'

/** Where a page's text came from: the PDF's own text layer, or OCR of the page image. */
export const TEXT_ENGINES = ['text-layer', 'ocr'] as const
export type TextEngine = (typeof TEXT_ENGINES)[number]

/**
 * The text of one page of one file, as extracted: what search indexes, what the document page shows
 * beside the PDF, what metadata suggestions read. Re-extraction replaces a file's pages as a whole.
 */
export const documentPages = pgTable(
  'document_pages',
  {
    fileId: uuid('file_id')
      .notNull()
      .references(() => documentFiles.id, { onDelete: 'cascade' }),
    pageNumber: integer('page_number').notNull(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    engine: varchar('engine', { length: 16 }).notNull(),
    /** Mean word confidence of the OCR engine, 0–100; null for a text layer. */
    confidence: real('confidence'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date', precision: 3 })
      .notNull()
      .defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.fileId, t.pageNumber] }),
    index('document_pages_document_idx').on(t.documentId, t.fileId, t.pageNumber),
    check('document_pages_engine_check', sql`${t.engine} in ('text-layer', 'ocr')`),
    check('document_pages_page_check', sql`${t.pageNumber} >= 1`),
  ],
)

export const EXTRACTION_STATES = ['pending', 'running', 'done', 'failed'] as const
export type ExtractionState = (typeof EXTRACTION_STATES)[number]

/** One text extraction run per file: its state, the job doing it and a summary once done. */
export const textExtractions = pgTable(
  'text_extractions',
  {
    fileId: uuid('file_id')
      .primaryKey()
      .references(() => documentFiles.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    state: varchar('state', { length: 16 }).notNull().default('pending'),
    jobId: uuid('job_id'),
    pagesTotal: integer('pages_total'),
    pagesDone: integer('pages_done').notNull().default(0),
    ocrPages: integer('ocr_pages').notNull().default(0),
    meanConfidence: real('mean_confidence'),
    /** Stable code and message of the last failure, shown to the clerk. */
    errorCode: varchar('error_code', { length: 64 }),
    errorMessage: varchar('error_message', { length: 500 }),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date', precision: 3 })
      .notNull()
      .defaultNow(),
  },
  (t) => [
    index('text_extractions_document_idx').on(t.documentId),
    check('text_extractions_state_check', sql`${t.state} in ('pending', 'running', 'done', 'failed')`),
  ],
)
