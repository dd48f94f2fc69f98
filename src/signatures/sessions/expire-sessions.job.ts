/**
 * Two-step signing sessions that were prepared and never completed expire: every few minutes the ones past
 * expiresAt are marked 'expired', each with its audit event, in one transaction. The prepared PDF is then
 * unreferenced (src/storage/blob-references.ts) and the orphan blob sweep lets it go.
 */
import { and, eq, inArray, lte } from 'drizzle-orm'
import { appendAuditEvent } from '../../audit/audit.service.ts'
import type { Database } from '../../platform/db/database.ts'
import { signingSessions } from '../../platform/db/schema/index.ts'
import type { JobDefinition } from '../../platform/jobs/job-queue.ts'

export const EXPIRE_SESSIONS_JOB = 'signatures.expire-sessions'
const CONTEXT = { actor: `job:${EXPIRE_SESSIONS_JOB}` }
/** Sessions expired per transaction; a backlog is worked off batch by batch in the same run. */
const BATCH = 200

/**
 * Marks prepared sessions whose expiresAt is at or before `now` as expired, with a
 * 'document.signing-session-expired' audit event per session in the same transaction. Rows being completed
 * at the same moment are skipped (locked) and looked at again by the next run.
 */
export async function expireSigningSessions(
  database: Database,
  options: { now?: Date; batchSize?: number } = {},
): Promise<{ expired: number }> {
  const now = options.now ?? new Date()
  const batchSize = options.batchSize ?? BATCH
  let expired = 0
  for (;;) {
    const done = await database.db.transaction(async (tx) => {
      const due = await tx
        .select({ id: signingSessions.id })
        .from(signingSessions)
        .where(and(eq(signingSessions.state, 'prepared'), lte(signingSessions.expiresAt, now)))
        .orderBy(signingSessions.expiresAt)
        .limit(batchSize)
        .for('update', { skipLocked: true })
      if (due.length === 0) return 0
      const rows = await tx
        .update(signingSessions)
        .set({ state: 'expired' })
        .where(
          and(
            inArray(
              signingSessions.id,
              due.map((row) => row.id),
            ),
            eq(signingSessions.state, 'prepared'),
          ),
        )
        .returning()
      for (const row of rows) {
        await appendAuditEvent(tx, CONTEXT, {
          action: 'document.signing-session-expired',
          targetType: 'document',
          targetId: row.documentId,
          details: {
            sessionId: row.id,
            sourceFileId: row.sourceFileId,
            userId: row.userId,
            role: row.role,
            expiresAt: row.expiresAt.toISOString(),
          },
        })
      }
      return rows.length
    })
    expired += done
    if (done < batchSize) return { expired }
  }
}

export function expireSessionsJob(deps: { database: Database }): JobDefinition {
  return {
    name: EXPIRE_SESSIONS_JOB,
    cron: '*/5 * * * *',
    retryLimit: 1,
    expireInSeconds: 10 * 60,
    handler: () => expireSigningSessions(deps.database),
  }
}
