import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm'
import type { Executor } from '../platform/db/database.ts'
import {
  departments,
  documentGrants,
  documentParticipants,
  documents,
  users,
} from '../platform/db/schema/index.ts'

/** Statuses in which a document is being handled and its deadline is watched. */
export const WATCHED_STATUSES = ['assigned', 'in_progress'] as const

/**
 * Thời hạn xử lý of a document: the deadline of its active assignee (phân công), else of its lead
 * (chủ trì), else documents.due_date.
 */
const effectiveDeadline = sql`coalesce((
  select fp.deadline from document_participants fp
  where fp.document_id = ${documents.id} and fp.active and fp.role in ('lead', 'assignee') and fp.deadline is not null
  order by (fp.role = 'assignee') desc, fp.created_at desc limit 1
), ${documents.dueDate})`

export interface DeadlineWindow {
  /** Deadlines strictly before this day (YYYY-MM-DD) … */
  before?: string
  /** … or within [from, to], both inclusive. */
  from?: string
  to?: string
}

function windowCondition(window: DeadlineWindow): SQL {
  const parts: SQL[] = []
  if (window.before) parts.push(sql`${effectiveDeadline} < ${window.before}::date`)
  if (window.from && window.to)
    parts.push(sql`${effectiveDeadline} between ${window.from}::date and ${window.to}::date`)
  return parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` or `)})`
}

export interface WatchedDocument {
  id: string
  agencyId: string | null
  arrivalNumber: number | null
  codeNumber: string | null
  codeNotation: string | null
  subject: string | null
  secrecy: number
  status: string
  deadline: string
}

/** Documents being handled whose deadline falls in the window, earliest deadline first. */
export function watchedDocuments(
  db: Executor,
  window: DeadlineWindow,
  extra: SQL | undefined,
  limit: number,
): Promise<WatchedDocument[]> {
  return db
    .select({
      id: documents.id,
      agencyId: documents.agencyId,
      arrivalNumber: documents.arrivalNumber,
      codeNumber: documents.codeNumber,
      codeNotation: documents.codeNotation,
      subject: documents.subject,
      secrecy: documents.secrecy,
      status: documents.status,
      deadline: sql<string>`(${effectiveDeadline})::text`,
    })
    .from(documents)
    .where(
      and(
        eq(documents.direction, 'incoming'),
        inArray(documents.status, [...WATCHED_STATUSES]),
        sql`${effectiveDeadline} is not null`,
        windowCondition(window),
        extra,
      ),
    )
    .orderBy(sql`${effectiveDeadline} asc`, asc(documents.id))
    .limit(limit)
}

/** Documents the user answers for: lead/assignee in person or through their department, or the directing leader. */
export function responsibleFor(userId: string, departmentId: string | null): SQL {
  const viaDepartment = departmentId
    ? sql` or (rp.user_id is null and rp.department_id = ${departmentId} and rp.role = 'lead')`
    : sql``
  return sql`exists (select 1 from document_participants rp where rp.document_id = ${documents.id} and rp.active and (
    (rp.user_id = ${userId} and rp.role in ('lead', 'assignee', 'leader'))${viaDepartment}))`
}

/** Documents a department leads: addressed to the department or to one of its people. */
export function ledByDepartment(departmentId: string): SQL {
  return sql`exists (select 1 from document_participants dp left join users du on du.id = dp.user_id
    where dp.document_id = ${documents.id} and dp.active and dp.role in ('lead', 'assignee')
    and (dp.department_id = ${departmentId} or du.department_id = ${departmentId}))`
}

export interface ActiveParticipant {
  documentId: string
  role: string
  userId: string | null
  /** Whether the participating person's account is active (null for a department). */
  userActive: boolean | null
  userName: string | null
  userDepartmentName: string | null
  departmentId: string | null
  departmentName: string | null
}

/** Active leader, lead and assignee participants of the documents, with names. */
export async function handlingParticipants(
  db: Executor,
  documentIds: string[],
): Promise<ActiveParticipant[]> {
  if (documentIds.length === 0) return []
  const userDepartments = sql`(select name from departments ud where ud.id = ${users.departmentId})`
  return db
    .select({
      documentId: documentParticipants.documentId,
      role: documentParticipants.role,
      userId: documentParticipants.userId,
      userActive: users.active,
      userName: users.fullName,
      userDepartmentName: sql<string | null>`${userDepartments}`,
      departmentId: documentParticipants.departmentId,
      departmentName: departments.name,
    })
    .from(documentParticipants)
    .leftJoin(users, eq(users.id, documentParticipants.userId))
    .leftJoin(departments, eq(departments.id, documentParticipants.departmentId))
    .where(
      and(
        inArray(documentParticipants.documentId, documentIds),
        eq(documentParticipants.active, true),
        inArray(documentParticipants.role, ['leader', 'lead', 'assignee']),
      ),
    )
    .orderBy(asc(documentParticipants.createdAt))
}

/** Active people of the departments: who a department-addressed lead reaches. */
export function activeMembers(db: Executor, departmentIds: string[]) {
  if (departmentIds.length === 0) return Promise.resolve([])
  return db
    .select({ id: users.id, departmentId: users.departmentId })
    .from(users)
    .where(and(inArray(users.departmentId, departmentIds), eq(users.active, true)))
}

/**
 * Who may learn of each secret document (độ mật ≥ 1): granted users whose clearance covers it. Anyone
 * else must not be told the document exists, not even by a reminder.
 */
export async function secretReaders(db: Executor, documentIds: string[]): Promise<Set<string>> {
  if (documentIds.length === 0) return new Set()
  const rows = await db
    .select({ documentId: documentGrants.documentId, userId: documentGrants.userId })
    .from(documentGrants)
    .innerJoin(users, eq(users.id, documentGrants.userId))
    .innerJoin(documents, eq(documents.id, documentGrants.documentId))
    .where(
      and(inArray(documentGrants.documentId, documentIds), sql`${users.clearance} >= ${documents.secrecy}`),
    )
  return new Set(rows.map((row) => `${row.documentId}:${row.userId}`))
}
