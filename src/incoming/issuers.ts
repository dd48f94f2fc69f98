import { and, desc, eq, sql } from 'drizzle-orm'
import type { Executor } from '../platform/db/database.ts'
import { issuingAgencies } from '../platform/db/schema/index.ts'

/** Counts one more registration from an issuing agency (in the registering transaction). */
export async function recordIssuer(tx: Executor, agencyId: string, name: string): Promise<void> {
  await tx
    .insert(issuingAgencies)
    .values({ agencyId, name })
    .onConflictDoUpdate({
      target: [issuingAgencies.agencyId, issuingAgencies.name],
      set: { uses: sql`${issuingAgencies.uses} + 1`, lastUsedAt: sql`now()` },
    })
}

/**
 * Issuing agencies matching what the clerk typed — with or without diacritics ("so noi vu" finds
 * "Sở Nội vụ") — most used first.
 */
export async function suggestIssuers(db: Executor, agencyId: string, typed: string, limit = 10) {
  const pattern = `%${typed.normalize('NFC').replace(/[%_\\]/g, (c) => `\\${c}`)}%`
  return db
    .select({ name: issuingAgencies.name, uses: issuingAgencies.uses })
    .from(issuingAgencies)
    .where(
      and(
        eq(issuingAgencies.agencyId, agencyId),
        sql`unaccent(${issuingAgencies.name}) ilike unaccent(${pattern})`,
      ),
    )
    .orderBy(desc(issuingAgencies.uses), desc(issuingAgencies.lastUsedAt))
    .limit(limit)
}
