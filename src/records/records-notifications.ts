import { and, eq, inArray, sql } from 'drizzle-orm'
import { insertNew } from '../followup/notifications.repository.ts'
import type { Tx } from '../platform/db/database.ts'
import { recordFiles, users } from '../platform/db/schema/index.ts'

/** Records steps people are told about; each notification leads to the hồ sơ page it names. */
export type RecordsStepKind =
  | 'records.transfer-submitted'
  | 'records.transfer-received'
  | 'records.transfer-returned'
  | 'records.access-approved'
  | 'records.access-refused'
  | 'records.disposal-approved'

type FileRef = Pick<typeof recordFiles.$inferSelect, 'id' | 'fileCode' | 'title'>

/** Every active archivist of the agency. */
export async function archivistsOf(tx: Tx, agencyId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.agencyId, agencyId), eq(users.active, true), sql`'archivist' = any(${users.roles})`))
  return rows.map((row) => row.id)
}

/** The hồ sơ with these ids (for the notification text). */
export function filesByIds(tx: Tx, ids: string[]): Promise<FileRef[]> {
  if (ids.length === 0) return Promise.resolve([])
  return tx.select({ id: recordFiles.id, fileCode: recordFiles.fileCode, title: recordFiles.title }).from(recordFiles).where(inArray(recordFiles.id, ids))
}

/**
 * One notification per recipient and hồ sơ, in the caller's transaction (the step and the notice commit
 * together). The one who took the step is not told about it; nobody is told twice.
 */
export async function notifyAboutFiles(
  tx: Tx,
  step: { kind: RecordsStepKind; actorUserId: string; recipients: (string | null | undefined)[] },
  files: FileRef[],
  message: (file: FileRef) => { title: string; body: string },
): Promise<number> {
  const recipients = [...new Set(step.recipients.filter((id): id is string => !!id && id !== step.actorUserId))]
  const rows = files.flatMap((file) => {
    const { title, body } = message(file)
    return recipients.map((userId) => ({ userId, kind: step.kind, documentId: null, recordFileId: file.id, title: title.slice(0, 300), body: body.slice(0, 2000), dedupDate: null }))
  })
  return (await insertNew(tx, rows)).length
}

/** "mã hồ sơ — tiêu đề", as the notification body names a hồ sơ. */
export const fileLabel = (file: FileRef) => `${file.fileCode} — ${file.title}`
