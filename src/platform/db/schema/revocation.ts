import { sql } from 'drizzle-orm'
import { check, customType, index, integer, pgTable, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core'
import { agencies } from './organisation.ts'
import { trustAnchors } from './signatures.ts'

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 })

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => new Uint8Array(value),
})

/**
 * Offline revocation data (danh sách chứng thư bị thu hồi, CRL) the agency's admins load for the CAs of
 * its trust store: what verification reads when a PDF carries no current revocation data and the server
 * may not (SIGNING_VERIFY_ONLINE=false) or cannot go online. One current CRL per issuer; a newer one
 * (its refresh) replaces it, and the replaced row stays for the record.
 */
export const revocationLists = pgTable(
  'revocation_lists',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    /** The trust anchor whose key verified the CRL's signature. */
    trustAnchorId: uuid('trust_anchor_id')
      .notNull()
      .references(() => trustAnchors.id),
    issuerSubject: varchar('issuer_subject', { length: 500 }).notNull(),
    /** SHA-256 (hex) of the CRL issuer's DER Name: how a certificate's issuer finds its CRL. */
    issuerNameSha256: varchar('issuer_name_sha256', { length: 64 }).notNull(),
    thisUpdate: at('this_update').notNull(),
    nextUpdate: at('next_update'),
    /** The cRLNumber extension, as a decimal string. */
    crlNumber: varchar('crl_number', { length: 64 }),
    revokedCount: integer('revoked_count').notNull(),
    sha256: varchar('sha256', { length: 64 }).notNull(),
    der: bytea('der').notNull(),
    /** 'upload' (an admin's file) or 'download' (fetched from the CA's distribution point). */
    source: varchar('source', { length: 16 }).notNull().default('upload'),
    addedBy: varchar('added_by', { length: 100 }).notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    /** A newer CRL of the same issuer arrived. */
    replacedAt: at('replaced_at'),
    /** An admin took it out (or its CA left the trust store). */
    removedAt: at('removed_at'),
  },
  (t) => [
    uniqueIndex('revocation_lists_current_idx')
      .on(t.agencyId, t.issuerNameSha256)
      .where(sql`${t.replacedAt} is null and ${t.removedAt} is null`),
    index('revocation_lists_agency_idx').on(t.agencyId),
    check('revocation_lists_source_check', sql`${t.source} in ('upload', 'download')`),
  ],
)
