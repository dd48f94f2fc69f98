import { and, eq, sql } from 'drizzle-orm'
import { type AuditContext, appendAuditEvent } from '../audit/audit.service.ts'
import type { Database } from '../platform/db/database.ts'
import type { JobQueue } from '../platform/jobs/job-queue.ts'
import { documentGrants, documents, users } from '../platform/db/schema/index.ts'
import { AppError, fieldError } from '../platform/errors.ts'
import { isUuid } from '../platform/ids.ts'
import { enqueueSearchSync } from '../search/search-outbox.ts'
import type { Actor } from './actor.ts'

/**
 * A secret document of the actor's agency whose level the actor's clearance covers; anything else is
 * "not found", so probing grants reveals nothing.
 */
async function secretDocumentFor(database: Database, actor: Actor, documentId: string) {
  if (!isUuid(documentId)) throw new AppError('not-found')
  const [document] = await database.db
    .select({ id: documents.id, secrecy: documents.secrecy })
    .from(documents)
    .where(
      and(
        eq(documents.id, documentId),
        eq(documents.agencyId, actor.agencyId),
        sql`${documents.secrecy} between 1 and ${actor.clearance}`,
      ),
    )
  if (!document) throw new AppError('not-found')
  return document
}

export async function listGrants(database: Database, actor: Actor, documentId: string) {
  await secretDocumentFor(database, actor, documentId)
  return database.db
    .select({
      userId: documentGrants.userId,
      fullName: users.fullName,
      username: users.username,
      grantedAt: documentGrants.grantedAt,
    })
    .from(documentGrants)
    .innerJoin(users, eq(users.id, documentGrants.userId))
    .where(eq(documentGrants.documentId, documentId))
}

/** Who changes grants also asks for a search sync: a withdrawn grant must leave the index at once. */
export type GrantDeps = { database: Database; jobs: Pick<JobQueue, 'send'> }

export async function addGrant(
  { database, jobs }: GrantDeps,
  actor: Actor,
  documentId: string,
  userId: string,
  context: AuditContext,
) {
  const document = await secretDocumentFor(database, actor, documentId)
  const [grantee] = isUuid(userId)
    ? await database.db
        .select()
        .from(users)
        .where(and(eq(users.id, userId), eq(users.agencyId, actor.agencyId)))
    : []
  if (!grantee?.active || grantee.clearance < document.secrecy) {
    throw new AppError('validation-failed', {
      errors: [fieldError('userId', 'field-insufficient-clearance')],
    })
  }
  await database.db.transaction(async (tx) => {
    const added = await tx
      .insert(documentGrants)
      .values({ documentId, userId, grantedBy: actor.userId })
      .onConflictDoNothing()
      .returning({ userId: documentGrants.userId })
    if (added.length === 0) return
    await appendAuditEvent(tx, context, {
      action: 'document.grant-added',
      targetType: 'document',
      targetId: documentId,
      details: { userId, secrecy: document.secrecy },
    })
    await enqueueSearchSync(tx, documentId, jobs)
  })
}

export async function removeGrant(
  { database, jobs }: GrantDeps,
  actor: Actor,
  documentId: string,
  userId: string,
  context: AuditContext,
) {
  await secretDocumentFor(database, actor, documentId)
  if (!isUuid(userId)) throw new AppError('not-found')
  await database.db.transaction(async (tx) => {
    const removed = await tx
      .delete(documentGrants)
      .where(and(eq(documentGrants.documentId, documentId), eq(documentGrants.userId, userId)))
      .returning({ userId: documentGrants.userId })
    if (removed.length === 0) throw new AppError('not-found')
    await appendAuditEvent(tx, context, {
      action: 'document.grant-removed',
      targetType: 'document',
      targetId: documentId,
      details: { userId },
    })
    await enqueueSearchSync(tx, documentId, jobs)
  })
}
