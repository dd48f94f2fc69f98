import { sql } from 'drizzle-orm'
import {
  bigint,
  check,
  date,
  index,
  integer,
  pgTable,
  smallint,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core'
import { agencies, departments } from './organisation.ts'
import { registers } from './registers.ts'

/**
 * A văn bản (official document), incoming or outgoing. Column lengths follow the input-data standard
 * of ND30 Phụ lục VI (spec §7); urgency and secrecy are kept apart and merged only on export.
 */
export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    direction: varchar('direction', { length: 10 }).notNull(),
    status: varchar('status', { length: 32 }).notNull(),
    /** Tên loại văn bản (TypeName), e.g. "Quyết định". */
    kind: varchar('kind', { length: 100 }),
    /** Abbreviation of the kind per ND30 Phụ lục III ("QĐ", "TTr"); null for Công văn. */
    kindCode: varchar('kind_code', { length: 10 }),
    /** Số (CodeNumber) as printed, zero-padded below 10. */
    codeNumber: varchar('code_number', { length: 11 }),
    /** Ký hiệu (CodeNotation), e.g. "QĐ-UBND" or "2020/NĐ-CP" for legal normative documents. */
    codeNotation: varchar('code_notation', { length: 30 }),
    issuedDate: date('issued_date', { mode: 'string' }),
    /** Cơ quan ban hành (OrganName). */
    issuerName: varchar('issuer_name', { length: 200 }),
    /** Trích yếu (Subject). */
    subject: varchar('subject', { length: 500 }),
    language: varchar('language', { length: 30 }).notNull().default('vi'),
    pageCount: integer('page_count'),
    description: varchar('description', { length: 500 }),
    signerName: varchar('signer_name', { length: 50 }),
    signerPosition: varchar('signer_position', { length: 100 }),
    /** Độ khẩn: 0 thường, 1 Khẩn, 2 Thượng khẩn, 3 Hỏa tốc. */
    urgency: smallint('urgency').notNull().default(0),
    /** Độ mật: 0 none, 1 Mật, 2 Tối mật, 3 Tuyệt mật. */
    secrecy: smallint('secrecy').notNull().default(0),
    /** Thời hạn giải quyết (incoming) or reply deadline (outgoing). */
    dueDate: date('due_date', { mode: 'string' }),
    /** Incoming only: ngày đến and số đến. */
    arrivalDate: date('arrival_date', { mode: 'string' }),
    arrivalNumber: bigint('arrival_number', { mode: 'number' }),
    /** Đơn vị / người nhận (ToPlaces). */
    toPlaces: varchar('to_places', { length: 1000 }),
    /** The register (sổ) the document is numbered in, and the year of its number. */
    registerId: uuid('register_id').references(() => registers.id),
    registerYear: smallint('register_year'),
    /** The agency whose register holds the document. */
    agencyId: uuid('agency_id').references(() => agencies.id),
    /** The registering (incoming) or issuing (outgoing) department: its clerks see the document. */
    ownerDepartmentId: uuid('owner_department_id').references(() => departments.id),
    createdBy: varchar('created_by', { length: 100 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('documents_owner_idx').on(t.agencyId, t.ownerDepartmentId),
    // Belt and braces for the counter: one số đến per register and year.
    uniqueIndex('documents_register_number_idx')
      .on(t.registerId, t.registerYear, t.arrivalNumber)
      .where(sql`${t.arrivalNumber} is not null`),
    index('documents_duplicate_idx').on(t.agencyId, t.codeNumber, t.codeNotation, t.issuedDate),
    check('documents_direction_check', sql`${t.direction} in ('incoming', 'outgoing')`),
    check('documents_urgency_check', sql`${t.urgency} between 0 and 3`),
    check('documents_secrecy_check', sql`${t.secrecy} between 0 and 3`),
    index('documents_created_idx').on(t.createdAt.desc(), t.id.desc()),
    index('documents_direction_created_idx').on(t.direction, t.createdAt.desc(), t.id.desc()),
    index('documents_number_idx').on(t.codeNumber, t.codeNotation),
    // Số + ký hiệu of outgoing documents are unique within the year (ND30 Điều 15).
    uniqueIndex('documents_outgoing_number_idx')
      .on(t.agencyId, t.registerYear, t.codeNumber, t.codeNotation)
      .where(sql`${t.direction} = 'outgoing' and ${t.registerYear} is not null`),
  ],
)

/** Roles of a file within its document. */
/** `source`: the editable file a draft PDF was made from (a DOCX), kept for the next version. */
export const FILE_ROLES = ['original', 'attachment', 'searchable', 'signed', 'source'] as const
export type FileRole = (typeof FILE_ROLES)[number]

/**
 * One stored file of a document: the original, its OCR rendition, each signed version. The bytes live in
 * the blob store under a content address; a row only points at them and bytes are never rewritten.
 */
export const documentFiles = pgTable(
  'document_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'restrict' }),
    role: varchar('role', { length: 20 }).notNull(),
    /** The file this one was derived from (OCR rendition of, signed version of). */
    derivedFromId: uuid('derived_from_id'),
    fileName: varchar('file_name', { length: 255 }).notNull(),
    mediaType: varchar('media_type', { length: 100 }).notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: varchar('sha256', { length: 64 }).notNull(),
    blobKey: varchar('blob_key', { length: 200 }).notNull(),
    pageCount: integer('page_count'),
    /** Digital signatures found in a PDF (signature dictionaries with a /ByteRange); verified later. */
    signatureCount: integer('signature_count').notNull().default(0),
    createdBy: varchar('created_by', { length: 100 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
    /** Set when a disposition destroyed the bytes: the row stays as part of the tombstone (src/records). */
    destroyedAt: timestamp('destroyed_at', { withTimezone: true, mode: 'date', precision: 3 }),
  },
  (t) => [
    check('document_files_role_check', sql`${t.role} in ('original', 'attachment', 'searchable', 'signed', 'source')`),
    check('document_files_size_check', sql`${t.size} > 0`),
    index('document_files_document_idx').on(t.documentId, t.createdAt),
    index('document_files_blob_idx').on(t.blobKey),
    index('document_files_sha256_idx').on(t.sha256),
  ],
)

