import { bigint, index, integer, jsonb, pgTable, smallint, text, timestamp, varchar } from 'drizzle-orm/pg-core'

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

/**
 * Signed (and, with a TSA, timestamped) statements of the chain head (issue 13). A statement says "event
 * `chainSeq` of this chain has hash `chainHash`", and links to the previous checkpoint; anyone holding an
 * exported checkpoint can check it offline with openssl and compare it with the chain. Append-only
 * (a trigger refuses UPDATE, DELETE, TRUNCATE).
 */
export const auditCheckpoints = pgTable('audit_checkpoints', {
  id: integer('id').primaryKey(),
  chainSeq: bigint('chain_seq', { mode: 'number' }).notNull(),
  chainHash: varchar('chain_hash', { length: 64 }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull(),
  /** The exact signed bytes: canonical JSON, ASCII only. */
  statement: text('statement').notNull(),
  /** CMS SignedData (DER, base64), detached over the statement. */
  signature: text('signature').notNull(),
  keyFingerprint: varchar('key_fingerprint', { length: 64 }).notNull(),
  /** RFC 3161 TimeStampToken (DER, base64) over the statement, when a TSA is configured. */
  timestampToken: text('timestamp_token'),
  timestampedAt: timestamp('timestamped_at', { withTimezone: true, mode: 'date', precision: 3 }),
})

/** The audit key that signs checkpoints: a self-signed certificate and its private key sealed by the server key. */
export const auditSigningKeys = pgTable('audit_signing_keys', {
  fingerprint: varchar('fingerprint', { length: 64 }).primaryKey(),
  certificate: text('certificate').notNull(),
  sealedPrivateKey: text('sealed_private_key').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})
