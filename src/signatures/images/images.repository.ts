import { and, eq, isNull } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { signatureImages } from '../../platform/db/schema/index.ts'

export type SignatureImageRow = typeof signatureImages.$inferSelect
export type ImageKind = 'signature' | 'seal'

/** Whose image: a leader's own signature (userId) or the agency's seal (no user). */
export interface ImageOwner {
  kind: ImageKind
  agencyId: string
  userId: string | null
}

function ownerIs(owner: ImageOwner) {
  return and(
    eq(signatureImages.agencyId, owner.agencyId),
    eq(signatureImages.kind, owner.kind),
    owner.userId === null ? isNull(signatureImages.userId) : eq(signatureImages.userId, owner.userId),
    isNull(signatureImages.retiredAt),
  )
}

/** The owner's current (not retired) image. */
export async function currentImage(db: Executor, owner: ImageOwner): Promise<SignatureImageRow | undefined> {
  const [row] = await db.select().from(signatureImages).where(ownerIs(owner)).limit(1)
  return row
}

/** Retires the current image; returns the retired rows (none or one). */
export function retireCurrent(tx: Executor, owner: ImageOwner, at: Date) {
  return tx
    .update(signatureImages)
    .set({ retiredAt: at })
    .where(ownerIs(owner))
    .returning({ id: signatureImages.id, sha256: signatureImages.sha256 })
}

export async function insertImage(tx: Executor, values: typeof signatureImages.$inferInsert) {
  const [row] = await tx.insert(signatureImages).values(values).returning()
  return row!
}
