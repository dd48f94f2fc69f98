import { eq, or, type SQL, sql } from 'drizzle-orm'
import type { Actor } from '../../access/actor.ts'
import { recordFiles } from '../../platform/db/schema/index.ts'
import type { RecordFileRow } from './record-files.repository.ts'

/**
 * Who sees a hồ sơ (its description and mục lục; each document inside still follows the document
 * policy): archivists, leaders and admins see every hồ sơ of the agency; others those of their
 * department, those they keep, and the archive's catalogue — transferred hồ sơ — so that they can
 * find what to ask for in a phiếu yêu cầu khai thác. A hồ sơ in chế độ "Mật" (mode 3) additionally
 * needs a clearance.
 */
export function recordFileVisibility(actor: Actor): SQL | undefined {
  const everyFile = actor.roles.has('archivist') || actor.roles.has('leader') || actor.roles.has('admin')
  const secretOk = actor.clearance > 0 ? undefined : sql`${recordFiles.mode} <> 3`
  if (everyFile) return secretOk
  const mine = or(
    eq(recordFiles.keeperUserId, actor.userId),
    actor.departmentId ? eq(recordFiles.departmentId, actor.departmentId) : undefined,
    eq(recordFiles.status, 'transferred'),
  )!
  return secretOk ? sql`(${mine}) and ${secretOk}` : mine
}

export function canSeeRecordFile(actor: Actor, file: RecordFileRow): boolean {
  if (file.mode === 3 && actor.clearance === 0) return false
  if (actor.roles.has('archivist') || actor.roles.has('leader') || actor.roles.has('admin')) return true
  return file.status === 'transferred' || file.keeperUserId === actor.userId || (file.departmentId !== null && file.departmentId === actor.departmentId)
}

/**
 * Who may open, edit, file into, close and reopen a hồ sơ: its keeper, people of its department, the
 * archivists (who help departments lập hồ sơ) — not admins, who manage accounts, not records.
 */
export function canManageRecordFile(actor: Actor, file: RecordFileRow): boolean {
  if (!canSeeRecordFile(actor, file)) return false
  if (actor.roles.has('archivist')) return true
  const worker = actor.roles.has('officer') || actor.roles.has('clerk') || actor.roles.has('leader')
  return worker && (file.keeperUserId === actor.userId || (file.departmentId !== null && file.departmentId === actor.departmentId))
}
