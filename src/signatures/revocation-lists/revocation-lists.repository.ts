import { and, desc, eq, inArray, isNull } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { revocationLists } from '../../platform/db/schema/index.ts'

export type RevocationListRow = typeof revocationLists.$inferSelect

const current = and(isNull(revocationLists.replacedAt), isNull(revocationLists.removedAt))

export async function insertList(db: Executor, values: typeof revocationLists.$inferInsert) {
  const [row] = await db.insert(revocationLists).values(values).returning()
  return row!
}

/** The CRL kept now for an issuer, locked for the caller's transaction (a refresh replaces it). */
export async function currentForIssuerLocked(db: Executor, agencyId: string, issuerNameSha256: string) {
  const [row] = await db
    .select()
    .from(revocationLists)
    .where(and(eq(revocationLists.agencyId, agencyId), eq(revocationLists.issuerNameSha256, issuerNameSha256), current))
    .for('update')
  return row
}

export async function markReplaced(db: Executor, id: string, at: Date) {
  await db.update(revocationLists).set({ replacedAt: at }).where(eq(revocationLists.id, id))
}

export async function markRemoved(db: Executor, agencyId: string, id: string, at: Date) {
  const [row] = await db
    .update(revocationLists)
    .set({ removedAt: at })
    .where(and(eq(revocationLists.id, id), eq(revocationLists.agencyId, agencyId), current))
    .returning()
  return row
}

/** The current CRLs of the agency, without their bytes, by issuer. */
export function listCurrent(db: Executor, agencyId: string) {
  return db
    .select({
      id: revocationLists.id,
      trustAnchorId: revocationLists.trustAnchorId,
      issuerSubject: revocationLists.issuerSubject,
      thisUpdate: revocationLists.thisUpdate,
      nextUpdate: revocationLists.nextUpdate,
      crlNumber: revocationLists.crlNumber,
      revokedCount: revocationLists.revokedCount,
      sha256: revocationLists.sha256,
      source: revocationLists.source,
      addedBy: revocationLists.addedBy,
      createdAt: revocationLists.createdAt,
    })
    .from(revocationLists)
    .where(and(eq(revocationLists.agencyId, agencyId), current))
    .orderBy(revocationLists.issuerSubject, desc(revocationLists.createdAt))
}

/** The bytes of the current CRLs of these issuers (by the SHA-256 of their DER Name). */
export async function currentDerOf(db: Executor, agencyId: string, issuerNameSha256s: string[]) {
  if (issuerNameSha256s.length === 0) return []
  return db
    .select({ der: revocationLists.der, nextUpdate: revocationLists.nextUpdate })
    .from(revocationLists)
    .where(
      and(eq(revocationLists.agencyId, agencyId), inArray(revocationLists.issuerNameSha256, issuerNameSha256s), current),
    )
}

/** The CRLs kept for a trust anchor (removed with it). */
export function currentOfAnchor(db: Executor, trustAnchorId: string) {
  return db
    .select({ id: revocationLists.id })
    .from(revocationLists)
    .where(and(eq(revocationLists.trustAnchorId, trustAnchorId), current))
}
