import { and, asc, eq, isNull } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { trustAnchors } from '../../platform/db/schema/index.ts'

export type TrustAnchorRow = typeof trustAnchors.$inferSelect

const active = isNull(trustAnchors.removedAt)

export function listActive(db: Executor, agencyId: string) {
  return db
    .select()
    .from(trustAnchors)
    .where(and(eq(trustAnchors.agencyId, agencyId), active))
    .orderBy(asc(trustAnchors.kind), asc(trustAnchors.createdAt))
}

export async function findActiveByFingerprint(db: Executor, agencyId: string, fingerprintSha256: string) {
  const [row] = await db
    .select()
    .from(trustAnchors)
    .where(
      and(eq(trustAnchors.agencyId, agencyId), eq(trustAnchors.fingerprintSha256, fingerprintSha256), active),
    )
  return row
}

export async function insertAnchor(db: Executor, row: typeof trustAnchors.$inferInsert) {
  const [inserted] = await db.insert(trustAnchors).values(row).returning()
  return inserted!
}

export async function removeAnchor(db: Executor, agencyId: string, id: string, at: Date) {
  const [row] = await db
    .update(trustAnchors)
    .set({ removedAt: at })
    .where(and(eq(trustAnchors.agencyId, agencyId), eq(trustAnchors.id, id), active))
    .returning()
  return row
}
