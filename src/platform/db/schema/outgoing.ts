import { sql } from 'drizzle-orm'
import {
  type AnyPgColumn,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core'
import { documentFiles, documents } from './documents.ts'
import { agencies, departments, users } from './organisation.ts'

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 })

/** The states of an outgoing document (ND30 Điều 14–19, spec §4), the side paths last. */
export const OUTGOING_STATUSES = [
  'draft',
  'in_review',
  'returned',
  'awaiting_signature',
  'signed',
  'numbered',
  'sealed',
  'issued',
  'revoked',
  'superseded',
  'corrected',
] as const
export type OutgoingStatus = (typeof OUTGOING_STATUSES)[number]

/** Authority prefixes of the signer block (ND30 Phụ lục I II.7). */
export const AUTHORITY_PREFIXES = ['TM.', 'KT.', 'Q.', 'TL.', 'TUQ.'] as const

/** Copy forms (ND30 Điều 25): sao y, sao lục, trích sao; all share the copies book. */
export const COPY_FORMS = ['SY', 'SL', 'TrS'] as const
export type CopyFormCode = (typeof COPY_FORMS)[number]

/**
 * What the outgoing flow knows about a document beyond the register fields of `documents`: who drafts
 * and signs it, what it answers, replaces or copies, its number, and the decisions of its side paths.
 * One row per document of the flow (documents uploaded by the generic upload have none).
 */
export const outgoingDocuments = pgTable(
  'outgoing_documents',
  {
    documentId: uuid('document_id')
      .primaryKey()
      .references(() => documents.id, { onDelete: 'cascade' }),
    drafterUserId: uuid('drafter_user_id')
      .notNull()
      .references(() => users.id),
    /** Đơn vị soạn thảo: its abbreviation ends a công văn notation and the "Lưu:" line. */
    draftingDepartmentId: uuid('drafting_department_id').references(() => departments.id),
    /** The leader who signs (người ký). */
    signerUserId: uuid('signer_user_id').references(() => users.id),
    /** TM., KT., Q., TL., TUQ. — null when the head signs in their own name. */
    authorityPrefix: varchar('authority_prefix', { length: 5 }),
    /** What follows the prefix: "ỦY BAN NHÂN DÂN" after TM., "CHỦ TỊCH" after KT. */
    authorityName: varchar('authority_name', { length: 100 }),
    /** Văn bản quy phạm pháp luật: a book per kind, the year in the notation. */
    legalNormative: boolean('legal_normative').notNull().default(false),
    /** The incoming document this one answers. */
    replyToDocumentId: uuid('reply_to_document_id').references((): AnyPgColumn => documents.id),
    /** Thay thế: the issued document this one replaces (it becomes superseded when this is issued). */
    replacesDocumentId: uuid('replaces_document_id').references((): AnyPgColumn => documents.id),
    /** Đính chính: the issued document this công văn corrects. */
    correctsDocumentId: uuid('corrects_document_id').references((): AnyPgColumn => documents.id),
    /** A copy (bản sao) of this document, in the form `copyForm`. */
    copyOfDocumentId: uuid('copy_of_document_id').references((): AnyPgColumn => documents.id),
    copyForm: varchar('copy_form', { length: 3 }),
    /** The number taken from the book (documents.code_number is its printed, zero-padded form). */
    outgoingNumber: integer('outgoing_number'),
    currentVersion: integer('current_version').notNull().default(1),
    /**
     * The form fields prepared on the PDF for the number and date before the leader signs: the file they
     * are in and where (see src/outgoing/number-fields.ts); null when none could be placed.
     */
    numberFields: jsonb('number_fields'),
    numberedAt: at('numbered_at'),
    numberedBy: uuid('numbered_by').references(() => users.id),
    sealedAt: at('sealed_at'),
    issuedAt: at('issued_at'),
    issuedBy: uuid('issued_by').references(() => users.id),
    /** A leader's decision to revoke (thu hồi), waiting for the clerk to execute it. */
    revocationDecidedBy: uuid('revocation_decided_by').references(() => users.id),
    revocationDecidedAt: at('revocation_decided_at'),
    revocationReason: varchar('revocation_reason', { length: 2000 }),
    revokedAt: at('revoked_at'),
    revokedBy: uuid('revoked_by').references(() => users.id),
    /** Set on the old document when its replacement or correction is issued. */
    supersededByDocumentId: uuid('superseded_by_document_id').references((): AnyPgColumn => documents.id),
    correctedByDocumentId: uuid('corrected_by_document_id').references((): AnyPgColumn => documents.id),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('outgoing_documents_drafter_idx').on(t.drafterUserId),
    index('outgoing_documents_reply_idx').on(t.replyToDocumentId),
    check(
      'outgoing_documents_prefix_check',
      sql`${t.authorityPrefix} in ('TM.', 'KT.', 'Q.', 'TL.', 'TUQ.')`,
    ),
    check('outgoing_documents_copy_form_check', sql`${t.copyForm} in ('SY', 'SL', 'TrS')`),
  ],
)

/** One version of a draft: the PDF reviewed and signed, and the editable source it came from (DOCX). */
export const outgoingVersions = pgTable(
  'outgoing_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    pdfFileId: uuid('pdf_file_id')
      .notNull()
      .references(() => documentFiles.id),
    sourceFileId: uuid('source_file_id').references(() => documentFiles.id),
    note: varchar('note', { length: 500 }),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('outgoing_versions_document_version_idx').on(t.documentId, t.version)],
)

/**
 * One review step of a round (kiểm tra nội dung by the head of unit, thể thức by the office): steps of a
 * round are taken in order; a return ends the round and sends the draft back to its drafter.
 */
export const outgoingReviews = pgTable(
  'outgoing_reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    round: integer('round').notNull(),
    position: integer('position').notNull(),
    reviewerUserId: uuid('reviewer_user_id')
      .notNull()
      .references(() => users.id),
    /** content (nội dung) or format (thể thức, kỹ thuật trình bày). */
    kind: varchar('kind', { length: 10 }).notNull(),
    /** waiting (a step before it is open), pending, approved, returned, cancelled. */
    state: varchar('state', { length: 10 }).notNull(),
    /** The draft version the decision was about. */
    version: integer('version').notNull(),
    comment: varchar('comment', { length: 2000 }),
    decidedAt: at('decided_at'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('outgoing_reviews_document_idx').on(t.documentId, t.round, t.position),
    index('outgoing_reviews_reviewer_idx').on(t.reviewerUserId, t.state),
    check('outgoing_reviews_kind_check', sql`${t.kind} in ('content', 'format')`),
    check(
      'outgoing_reviews_state_check',
      sql`${t.state} in ('waiting', 'pending', 'approved', 'returned', 'cancelled')`,
    ),
  ],
)

/** Agencies documents are sent to, by mã định danh (OrganId, spec §12): the directory recipients come from. */
export const externalAgencies = pgTable(
  'external_agencies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The agency whose directory this is. */
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    organId: varchar('organ_id', { length: 35 }).notNull(),
    name: varchar('name', { length: 200 }).notNull(),
    email: varchar('email', { length: 200 }),
    address: varchar('address', { length: 250 }),
    active: boolean('active').notNull().default(true),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('external_agencies_organ_idx').on(t.agencyId, t.organId)],
)

/** Delivery channels of an outgoing document to one recipient. */
export const DELIVERY_CHANNELS = ['internal', 'interchange', 'post', 'email', 'hand', 'none'] as const
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number]

/**
 * Delivery states: planned before issue; internal recipients are delivered at issue; electronic
 * interchange waits for its transport (a later issue); post, hand and e-mail move pending → sent →
 * delivered (or failed); recalled after a revocation was sent to the recipient.
 */
export const DELIVERY_STATES = [
  'planned',
  'delivered',
  'waiting-interchange',
  'pending',
  'sent',
  'failed',
  'recalled',
] as const
export type DeliveryState = (typeof DELIVERY_STATES)[number]

/** Nơi nhận: one line of the recipient list, and its delivery once the document is issued. */
export const outgoingRecipients = pgTable(
  'outgoing_recipients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    /** external (an agency of the directory), department, user, text (a line such as "Như Điều 3"). */
    kind: varchar('kind', { length: 10 }).notNull(),
    externalAgencyId: uuid('external_agency_id').references(() => externalAgencies.id),
    departmentId: uuid('department_id').references(() => departments.id),
    userId: uuid('user_id').references(() => users.id),
    /** The line as printed under "Nơi nhận" (the agency's name, the unit's, the person's, or the text). */
    label: varchar('label', { length: 200 }).notNull(),
    /** Internal recipients: to handle (chủ trì xử lý) or to know (để biết). */
    purpose: varchar('purpose', { length: 10 }),
    channel: varchar('channel', { length: 12 }).notNull(),
    state: varchar('state', { length: 20 }).notNull().default('planned'),
    stateNote: varchar('state_note', { length: 500 }),
    email: varchar('email', { length: 200 }),
    sentAt: at('sent_at'),
    stateAt: at('state_at'),
    /** When the recipient was told of a revocation, replacement or correction. */
    recalledAt: at('recalled_at'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('outgoing_recipients_document_idx').on(t.documentId, t.position),
    index('outgoing_recipients_state_idx').on(t.state),
    check('outgoing_recipients_kind_check', sql`${t.kind} in ('external', 'department', 'user', 'text')`),
    check('outgoing_recipients_purpose_check', sql`${t.purpose} in ('handle', 'inform')`),
    check(
      'outgoing_recipients_channel_check',
      sql`${t.channel} in ('internal', 'interchange', 'post', 'email', 'hand', 'none')`,
    ),
    check(
      'outgoing_recipients_state_check',
      sql`${t.state} in ('planned', 'delivered', 'waiting-interchange', 'pending', 'sent', 'failed', 'recalled')`,
    ),
  ],
)
