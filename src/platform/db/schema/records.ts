import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core'
import { documents } from './documents.ts'
import { agencies, departments, users } from './organisation.ts'

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 })

/**
 * The retention schedule (bảng thời hạn bảo quản) as data: the common schedule (TT 10/2022/TT-BNV) and
 * any sector schedule a ministry issues under Luật Lưu trữ 2024, imported and edited by the agency.
 * `retentionYears` null = Vĩnh viễn (permanent).
 */
export const retentionScheduleEntries = pgTable(
  'retention_schedule_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    /** The instrument the row comes from, e.g. "TT 10/2022/TT-BNV". */
    source: varchar('source', { length: 100 }).notNull(),
    /** The row's number in that instrument (e.g. "1", "25.2"). */
    code: varchar('code', { length: 30 }).notNull(),
    /** The group (nhóm hồ sơ, tài liệu) the row sits under. */
    groupTitle: varchar('group_title', { length: 300 }),
    title: varchar('title', { length: 500 }).notNull(),
    retentionYears: smallint('retention_years'),
    notes: varchar('notes', { length: 1000 }),
    active: boolean('active').notNull().default(true),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('retention_entries_code_idx').on(t.agencyId, t.source, t.code),
    check('retention_entries_years_check', sql`${t.retentionYears} is null or ${t.retentionYears} between 1 and 100`),
  ],
)

/** Per-agency records settings: who heads the agency archive (approves access requests, places holds). */
export const recordsSettings = pgTable('records_settings', {
  agencyId: uuid('agency_id')
    .primaryKey()
    .references(() => agencies.id),
  archiveHeadUserId: uuid('archive_head_user_id').references(() => users.id),
  updatedAt: at('updated_at').notNull().defaultNow(),
})

/** Danh mục hồ sơ: the agency's file plan for one year (ND30 Điều 28, Phụ lục V). */
export const filePlans = pgTable(
  'file_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    year: smallint('year').notNull(),
    title: varchar('title', { length: 300 }).notNull(),
    /** draft while being prepared, approved once the head of the agency has issued it. */
    status: varchar('status', { length: 16 }).notNull().default('draft'),
    copiedFromPlanId: uuid('copied_from_plan_id'),
    approvedBy: uuid('approved_by').references(() => users.id),
    approvedAt: at('approved_at'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('file_plans_year_idx').on(t.agencyId, t.year),
    check('file_plans_status_check', sql`${t.status} in ('draft', 'approved')`),
  ],
)

export const RECORD_FILE_STATUSES = ['planned', 'open', 'closed', 'transferred', 'destroyed'] as const
export type RecordFileStatus = (typeof RECORD_FILE_STATUSES)[number]

/**
 * A hồ sơ: planned in the year's danh mục, opened when work starts, closed when it ends, transferred to
 * the agency archive, and destroyed only through a disposition decision. `fileCode` = OrganId + year +
 * notation (ND30 Phụ lục VI, FileCode). `retentionYears` null with `permanent` = Vĩnh viễn.
 */
export const recordFiles = pgTable(
  'record_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    planId: uuid('plan_id').references(() => filePlans.id),
    year: smallint('year').notNull(),
    departmentId: uuid('department_id').references(() => departments.id),
    /** Đề mục (heading) of the danh mục the hồ sơ sits under, e.g. "I. Tổng hợp". */
    heading: varchar('heading', { length: 200 }),
    /** Số và ký hiệu hồ sơ, e.g. "01.TH". */
    notation: varchar('notation', { length: 20 }).notNull(),
    fileCode: varchar('file_code', { length: 80 }).notNull(),
    title: varchar('title', { length: 500 }).notNull(),
    retentionEntryId: uuid('retention_entry_id').references(() => retentionScheduleEntries.id),
    permanent: boolean('permanent').notNull(),
    retentionYears: smallint('retention_years'),
    /** Why the retention differs from its schedule entry (required when it does). */
    retentionReason: varchar('retention_reason', { length: 500 }),
    /** Người lập hồ sơ. */
    keeperUserId: uuid('keeper_user_id').references(() => users.id),
    /** Chế độ sử dụng: 1 công khai, 2 sử dụng có điều kiện, 3 mật. */
    mode: smallint('mode').notNull().default(1),
    language: varchar('language', { length: 50 }).notNull().default('Tiếng Việt'),
    keywords: varchar('keywords', { length: 500 }),
    notes: varchar('notes', { length: 500 }),
    description: varchar('description', { length: 500 }),
    status: varchar('status', { length: 16 }).notNull().default('planned'),
    startDate: date('start_date', { mode: 'string' }),
    endDate: date('end_date', { mode: 'string' }),
    documentCount: integer('document_count'),
    pageCount: integer('page_count'),
    closedAt: at('closed_at'),
    closedBy: uuid('closed_by').references(() => users.id),
    reopenReason: varchar('reopen_reason', { length: 1000 }),
    transferId: uuid('transfer_id'),
    transferredAt: at('transferred_at'),
    destroyedAt: at('destroyed_at'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('record_files_notation_idx').on(t.agencyId, t.year, t.notation),
    index('record_files_status_idx').on(t.agencyId, t.status, t.year),
    index('record_files_department_idx').on(t.departmentId, t.year),
    check(
      'record_files_status_check',
      sql`${t.status} in ('planned', 'open', 'closed', 'transferred', 'destroyed')`,
    ),
    check(
      'record_files_retention_check',
      sql`(${t.permanent} and ${t.retentionYears} is null) or (not ${t.permanent} and ${t.retentionYears} between 1 and 100)`,
    ),
    check('record_files_mode_check', sql`${t.mode} between 1 and 3`),
  ],
)

/**
 * A document filed in a hồ sơ. One document may sit in several hồ sơ (Phụ lục VI III.4.e). The order
 * (số thứ tự) is computed from date and number while the hồ sơ is open and frozen when it closes.
 */
export const recordFileDocuments = pgTable(
  'record_file_documents',
  {
    recordFileId: uuid('record_file_id')
      .notNull()
      .references(() => recordFiles.id),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id),
    ordinal: integer('ordinal'),
    /** Tờ số: the first and last sheet of the document within the hồ sơ, set at closing. */
    pageFrom: integer('page_from'),
    pageTo: integer('page_to'),
    filedBy: uuid('filed_by').references(() => users.id),
    filedAt: at('filed_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.recordFileId, t.documentId] }),
    index('record_file_documents_document_idx').on(t.documentId),
  ],
)

/** Nộp lưu: a department hands closed hồ sơ to the agency archive; the archivist receives or returns them. */
export const recordTransfers = pgTable(
  'record_transfers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    departmentId: uuid('department_id').references(() => departments.id),
    status: varchar('status', { length: 16 }).notNull().default('submitted'),
    note: varchar('note', { length: 1000 }),
    submittedBy: uuid('submitted_by').references(() => users.id),
    submittedAt: at('submitted_at').notNull().defaultNow(),
    receivedBy: uuid('received_by').references(() => users.id),
    receivedAt: at('received_at'),
    returnReason: varchar('return_reason', { length: 1000 }),
    fileCount: integer('file_count').notNull().default(0),
    documentCount: integer('document_count').notNull().default(0),
    byteCount: bigint('byte_count', { mode: 'number' }).notNull().default(0),
    /** What the archivist's check found: hồ sơ, files, hashes re-read and their results. */
    checkReport: jsonb('check_report'),
    /** Mục lục hồ sơ nộp lưu and biên bản giao nhận, kept as PDFs. */
    inventoryBlobKey: varchar('inventory_blob_key', { length: 200 }),
    inventorySha256: varchar('inventory_sha256', { length: 64 }),
    receiptBlobKey: varchar('receipt_blob_key', { length: 200 }),
    receiptSha256: varchar('receipt_sha256', { length: 64 }),
  },
  (t) => [
    index('record_transfers_status_idx').on(t.agencyId, t.status, t.submittedAt),
    check('record_transfers_status_check', sql`${t.status} in ('submitted', 'received', 'returned')`),
  ],
)

/**
 * Phiếu yêu cầu khai thác: a user asks to read archived records (a hồ sơ or one document) for a purpose
 * until a date; the archive's head approves or refuses. Approval gives read access until `expiresAt`.
 */
export const recordAccessRequests = pgTable(
  'record_access_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    requesterId: uuid('requester_id')
      .notNull()
      .references(() => users.id),
    recordFileId: uuid('record_file_id').references(() => recordFiles.id),
    documentId: uuid('document_id').references(() => documents.id),
    purpose: varchar('purpose', { length: 1000 }).notNull(),
    requestedUntil: date('requested_until', { mode: 'string' }).notNull(),
    status: varchar('status', { length: 16 }).notNull().default('pending'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: at('decided_at'),
    decisionNote: varchar('decision_note', { length: 1000 }),
    expiresAt: at('expires_at'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('record_access_requests_status_idx').on(t.agencyId, t.status, t.createdAt),
    index('record_access_requests_requester_idx').on(t.requesterId, t.createdAt),
    check(
      'record_access_requests_status_check',
      sql`${t.status} in ('pending', 'approved', 'refused', 'expired', 'withdrawn')`,
    ),
    check('record_access_requests_scope_check', sql`(${t.recordFileId} is null) <> (${t.documentId} is null)`),
  ],
)

/**
 * The visibility rows an approved access request added (a `reader` participant, and for a secret
 * document a grant when the requester had none): removed together when the request expires.
 */
export const recordAccessGrants = pgTable(
  'record_access_grants',
  {
    requestId: uuid('request_id')
      .notNull()
      .references(() => recordAccessRequests.id),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    participantId: uuid('participant_id'),
    addedSecretGrant: boolean('added_secret_grant').notNull().default(false),
    active: boolean('active').notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.documentId] })],
)

/**
 * Tạm dừng hủy / phong tỏa: a legal hold freezes documents and hồ sơ against disposition, deletion and
 * edits until lifted. Its scope is resolved into items when placed (a search is resolved then, and the
 * query kept with the hold).
 */
export const legalHolds = pgTable(
  'legal_holds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    title: varchar('title', { length: 200 }).notNull(),
    reason: varchar('reason', { length: 2000 }).notNull(),
    legalBasis: varchar('legal_basis', { length: 500 }).notNull(),
    scopeKind: varchar('scope_kind', { length: 16 }).notNull(),
    searchQuery: jsonb('search_query'),
    status: varchar('status', { length: 16 }).notNull().default('active'),
    placedBy: uuid('placed_by').references(() => users.id),
    placedAt: at('placed_at').notNull().defaultNow(),
    liftedBy: uuid('lifted_by').references(() => users.id),
    liftedAt: at('lifted_at'),
    liftReason: varchar('lift_reason', { length: 2000 }),
  },
  (t) => [
    index('legal_holds_status_idx').on(t.agencyId, t.status),
    check('legal_holds_status_check', sql`${t.status} in ('active', 'lifted')`),
    check('legal_holds_scope_check', sql`${t.scopeKind} in ('documents', 'files', 'search')`),
  ],
)

export const legalHoldItems = pgTable(
  'legal_hold_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    holdId: uuid('hold_id')
      .notNull()
      .references(() => legalHolds.id),
    documentId: uuid('document_id').references(() => documents.id),
    recordFileId: uuid('record_file_id').references(() => recordFiles.id),
  },
  (t) => [
    index('legal_hold_items_document_idx').on(t.documentId),
    index('legal_hold_items_file_idx').on(t.recordFileId),
    index('legal_hold_items_hold_idx').on(t.holdId),
    check('legal_hold_items_target_check', sql`(${t.documentId} is null) <> (${t.recordFileId} is null)`),
  ],
)

/**
 * Hủy tài liệu hết giá trị: a proposal listing hồ sơ past retention, the appraisal council's decision
 * (số, ngày, người phê duyệt, optionally the signed decision as a PDF), then the destruction itself with
 * its certificate (biên bản hủy).
 */
export const recordDisposals = pgTable(
  'record_disposals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    status: varchar('status', { length: 16 }).notNull().default('proposed'),
    reason: varchar('reason', { length: 2000 }),
    proposedBy: uuid('proposed_by').references(() => users.id),
    proposedAt: at('proposed_at').notNull().defaultNow(),
    decisionNumber: varchar('decision_number', { length: 60 }),
    decisionDate: date('decision_date', { mode: 'string' }),
    councilMembers: varchar('council_members', { length: 2000 }),
    approvedBy: uuid('approved_by').references(() => users.id),
    approvedAt: at('approved_at'),
    decisionBlobKey: varchar('decision_blob_key', { length: 200 }),
    decisionSha256: varchar('decision_sha256', { length: 64 }),
    destroyedBy: uuid('destroyed_by').references(() => users.id),
    destroyedAt: at('destroyed_at'),
    certificateBlobKey: varchar('certificate_blob_key', { length: 200 }),
    certificateSha256: varchar('certificate_sha256', { length: 64 }),
  },
  (t) => [
    check(
      'record_disposals_status_check',
      sql`${t.status} in ('proposed', 'approved', 'destroyed', 'cancelled')`,
    ),
  ],
)

export const recordDisposalFiles = pgTable(
  'record_disposal_files',
  {
    disposalId: uuid('disposal_id')
      .notNull()
      .references(() => recordDisposals.id),
    recordFileId: uuid('record_file_id')
      .notNull()
      .references(() => recordFiles.id),
  },
  (t) => [primaryKey({ columns: [t.disposalId, t.recordFileId] })],
)

/**
 * What remains of a destroyed hồ sơ: its metadata and every document's metadata and file hashes, the
 * decision, and the sequence numbers of the audit events that concern it.
 */
export const recordTombstones = pgTable('record_tombstones', {
  id: uuid('id').primaryKey().defaultRandom(),
  disposalId: uuid('disposal_id')
    .notNull()
    .references(() => recordDisposals.id),
  recordFileId: uuid('record_file_id')
    .notNull()
    .references(() => recordFiles.id),
  snapshot: jsonb('snapshot').notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
})

/** The last fixity check of each stored blob: the rolling job picks the least recently checked first. */
export const fixityChecks = pgTable(
  'fixity_checks',
  {
    blobKey: varchar('blob_key', { length: 200 }).primaryKey(),
    sha256: varchar('sha256', { length: 64 }).notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    checkedAt: at('checked_at'),
    ok: boolean('ok'),
    problem: varchar('problem', { length: 300 }),
    runId: uuid('run_id'),
  },
  (t) => [index('fixity_checks_due_idx').on(t.checkedAt)],
)

/** One run of the fixity job: how much it re-hashed, how fast, and what it found. */
export const fixityRuns = pgTable('fixity_runs', {
  id: uuid('id').primaryKey().defaultRandom(),
  startedAt: at('started_at').notNull().defaultNow(),
  finishedAt: at('finished_at'),
  blobsChecked: integer('blobs_checked').notNull().default(0),
  bytesChecked: bigint('bytes_checked', { mode: 'number' }).notNull().default(0),
  failures: integer('failures').notNull().default(0),
  /** Blobs with a check at all / blobs referenced, when the run ended: the cycle's progress. */
  coverage: jsonb('coverage'),
})
