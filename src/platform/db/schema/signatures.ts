import { sql } from 'drizzle-orm'
import {
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core'
import { documentFiles, documents } from './documents.ts'
import { agencies, users } from './organisation.ts'

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 })

/**
 * A signing credential: a leader's personal certificate and key, or the agency's seal credential (no
 * user; usable by the agency's clerks). The private key is sealed with a key derived from the signing
 * PIN (never stored); repeated wrong PINs lock the credential for a while.
 */
export const signingCredentials = pgTable(
  'signing_credentials',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    /** Null for the agency seal credential. */
    userId: uuid('user_id').references(() => users.id),
    kind: varchar('kind', { length: 16 }).notNull(),
    label: varchar('label', { length: 200 }).notNull(),
    certificatePem: text('certificate_pem').notNull(),
    /** Intermediate certificates that came with the PKCS#12, signer's issuer first. */
    chainPem: text('chain_pem').notNull().default(''),
    subject: varchar('subject', { length: 500 }).notNull(),
    issuer: varchar('issuer', { length: 500 }).notNull(),
    serialNumber: varchar('serial_number', { length: 100 }).notNull(),
    fingerprintSha256: varchar('fingerprint_sha256', { length: 64 }).notNull(),
    notBefore: at('not_before').notNull(),
    notAfter: at('not_after').notNull(),
    /** The PKCS#8 private key sealed with the PIN-derived key (format owned by the credentials module). */
    sealedKey: text('sealed_key').notNull(),
    /** KDF name, salt and cost parameters for the PIN. */
    kdf: jsonb('kdf').notNull(),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lockedUntil: at('locked_until'),
    createdBy: varchar('created_by', { length: 100 }).notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    retiredAt: at('retired_at'),
  },
  (t) => [
    index('signing_credentials_user_idx').on(t.userId),
    index('signing_credentials_agency_idx').on(t.agencyId, t.kind),
    check('signing_credentials_kind_check', sql`${t.kind} in ('personal', 'agency-seal')`),
    check(
      'signing_credentials_owner_check',
      sql`(${t.kind} = 'personal' and ${t.userId} is not null) or (${t.kind} = 'agency-seal' and ${t.userId} is null)`,
    ),
  ],
)

/** Root and intermediate CAs an agency's admins trust for verifying signatures. */
export const trustAnchors = pgTable(
  'trust_anchors',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    kind: varchar('kind', { length: 16 }).notNull(),
    certificatePem: text('certificate_pem').notNull(),
    subject: varchar('subject', { length: 500 }).notNull(),
    fingerprintSha256: varchar('fingerprint_sha256', { length: 64 }).notNull(),
    notAfter: at('not_after').notNull(),
    addedBy: varchar('added_by', { length: 100 }).notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    removedAt: at('removed_at'),
  },
  (t) => [
    uniqueIndex('trust_anchors_fingerprint_idx')
      .on(t.agencyId, t.fingerprintSha256)
      .where(sql`${t.removedAt} is null`),
    check('trust_anchors_kind_check', sql`${t.kind} in ('root', 'intermediate')`),
  ],
)

/** The verification report of one PDF file's signatures, kept with the document. */
export const signatureReports = pgTable(
  'signature_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    fileId: uuid('file_id')
      .notNull()
      .references(() => documentFiles.id, { onDelete: 'cascade' }),
    /** Worst verdict over the file's signatures: valid | invalid | indeterminate; none without signatures. */
    verdict: varchar('verdict', { length: 16 }).notNull(),
    signatureCount: integer('signature_count').notNull(),
    modifiedAfterLastSignature: boolean('modified_after_last_signature').notNull(),
    report: jsonb('report').notNull(),
    verifiedBy: varchar('verified_by', { length: 100 }).notNull(),
    verifiedAt: at('verified_at').notNull().defaultNow(),
  },
  (t) => [
    index('signature_reports_file_idx').on(t.fileId, t.verifiedAt.desc()),
    index('signature_reports_document_idx').on(t.documentId),
    check(
      'signature_reports_verdict_check',
      sql`${t.verdict} in ('valid', 'invalid', 'indeterminate', 'none')`,
    ),
  ],
)

/**
 * A prepared two-step signature (USB token, remote signing service): the PDF with its placeholder is in
 * the blob store, the digest or signed attributes went to the signer; complete() must come before
 * expiresAt, once.
 */
export const signingSessions = pgTable(
  'signing_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    sourceFileId: uuid('source_file_id')
      .notNull()
      .references(() => documentFiles.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** personal (leader) or agency-seal (clerk). */
    role: varchar('role', { length: 16 }).notNull(),
    preparedBlobKey: varchar('prepared_blob_key', { length: 200 }).notNull(),
    fieldName: varchar('field_name', { length: 100 }).notNull(),
    byteRange: jsonb('byte_range').notNull(),
    contentsOffset: integer('contents_offset').notNull(),
    contentsLength: integer('contents_length').notNull(),
    digestHex: varchar('digest_hex', { length: 128 }).notNull(),
    /** DER of the CMS signed attributes given to the signer, base64; null when only the digest was. */
    signedAttributes: text('signed_attributes'),
    certificatePem: text('certificate_pem'),
    state: varchar('state', { length: 16 }).notNull().default('prepared'),
    expiresAt: at('expires_at').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    completedAt: at('completed_at'),
  },
  (t) => [
    index('signing_sessions_user_idx').on(t.userId, t.state),
    check(
      'signing_sessions_state_check',
      sql`${t.state} in ('prepared', 'completed', 'expired', 'cancelled')`,
    ),
    check('signing_sessions_role_check', sql`${t.role} in ('personal', 'agency-seal')`),
  ],
)

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => new Uint8Array(value),
})

/**
 * The images a visible signature shows: a leader's signature (blue, transparent PNG) or the agency's
 * seal (red, transparent PNG, printed at actual size). Small enough to live in the row; a replaced image
 * is retired, never rewritten, so older signatures' audit events still name the image they used.
 */
export const signatureImages = pgTable(
  'signature_images',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    /** The leader whose signature this is; null for the agency seal. */
    userId: uuid('user_id').references(() => users.id),
    kind: varchar('kind', { length: 16 }).notNull(),
    png: bytea('png').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    sha256: varchar('sha256', { length: 64 }).notNull(),
    createdBy: varchar('created_by', { length: 100 }).notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    retiredAt: at('retired_at'),
  },
  (t) => [
    uniqueIndex('signature_images_user_current_idx')
      .on(t.userId)
      .where(sql`${t.kind} = 'signature' and ${t.retiredAt} is null`),
    uniqueIndex('signature_images_seal_current_idx')
      .on(t.agencyId)
      .where(sql`${t.kind} = 'seal' and ${t.retiredAt} is null`),
    check('signature_images_kind_check', sql`${t.kind} in ('signature', 'seal')`),
    check(
      'signature_images_owner_check',
      sql`(${t.kind} = 'signature' and ${t.userId} is not null) or (${t.kind} = 'seal' and ${t.userId} is null)`,
    ),
  ],
)

/**
 * Trình ký: a document put before a leader for signature. The leader signs (state signed, with the
 * signed file) or refuses with a reason that goes back to the requester; the requester may withdraw a
 * pending request. One pending request per document at a time.
 */
export const signatureRequests = pgTable(
  'signature_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    /** The file that was put forward (the newest PDF when requested). */
    fileId: uuid('file_id')
      .notNull()
      .references(() => documentFiles.id),
    requestedBy: uuid('requested_by')
      .notNull()
      .references(() => users.id),
    signerId: uuid('signer_id')
      .notNull()
      .references(() => users.id),
    comment: varchar('comment', { length: 2000 }),
    state: varchar('state', { length: 16 }).notNull().default('pending'),
    /** The refusal's reason (required) or a note with the signature. */
    decisionComment: varchar('decision_comment', { length: 2000 }),
    decidedAt: at('decided_at'),
    signedFileId: uuid('signed_file_id').references(() => documentFiles.id),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('signature_requests_signer_idx').on(t.signerId, t.state, t.createdAt.desc()),
    index('signature_requests_document_idx').on(t.documentId, t.createdAt.desc()),
    uniqueIndex('signature_requests_pending_idx')
      .on(t.documentId)
      .where(sql`${t.state} = 'pending'`),
    check(
      'signature_requests_state_check',
      sql`${t.state} in ('pending', 'signed', 'refused', 'withdrawn')`,
    ),
  ],
)
