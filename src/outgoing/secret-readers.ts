import { and, eq } from 'drizzle-orm'
import type { Executor } from '../platform/db/database.ts'
import { documentGrants } from '../platform/db/schema/index.ts'

/**
 * Whether a person may read a secret document: clearance at least its độ mật and an explicit grant (the
 * access policy's rule). People named on a secret draft — reviewers, signer, recipients — must already
 * be granted: naming them does not grant.
 */
export async function secretDocumentReader(
  db: Executor,
  document: { id: string; secrecy: number },
  user: { id: string; clearance: number },
): Promise<boolean> {
  if (document.secrecy === 0) return true
  if (user.clearance < document.secrecy) return false
  const [grant] = await db
    .select({ userId: documentGrants.userId })
    .from(documentGrants)
    .where(and(eq(documentGrants.documentId, document.id), eq(documentGrants.userId, user.id)))
  return Boolean(grant)
}
