import { and } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import { documentVisibility } from '../access/policy.ts'
import type { Database } from '../platform/db/database.ts'
import { AppError } from '../platform/errors.ts'
import {
  type ActiveParticipant,
  handlingParticipants,
  ledByDepartment,
  responsibleFor,
  type WatchedDocument,
  watchedDocuments,
} from './deadlines.repository.ts'
import { addDays, daysBetween, vietnamToday } from './follow-up-dates.ts'

type Deps = { database: Database }

export type FollowUpScope = 'me' | 'department' | 'agency'
export type DeadlineList = 'overdue' | 'due-soon'

export interface DeadlineItem {
  documentId: string
  arrivalNumber: number | null
  /** Số, ký hiệu as printed, e.g. `15/QĐ-UBND`. */
  numberNotation: string | null
  subject: string | null
  status: string
  leadDepartmentName: string | null
  leadUserName: string | null
  deadline: string
  /** Days past the deadline: positive when overdue, 0 on the day, negative while still due. */
  daysOverdue: number
}

export interface DeadlineQuery {
  scope: FollowUpScope
  days?: number | undefined
  limit?: number | undefined
  /** The day counted as today (YYYY-MM-DD); Vietnam's today when absent. */
  today?: string | undefined
}

/**
 * Who sees which scope: `me` everyone; `department` the leaders and clerks (văn thư) of the actor's own
 * department; `agency` the leaders. Every scope is further limited by what the actor may know of.
 */
function scopeCondition(actor: Actor, scope: FollowUpScope) {
  switch (scope) {
    case 'me':
      return responsibleFor(actor.userId, actor.departmentId)
    case 'department':
      if (!actor.departmentId || !(actor.roles.has('leader') || actor.roles.has('clerk'))) {
        throw new AppError('forbidden', {
          detail: 'The department list is for leaders and clerks of a department.',
        })
      }
      return ledByDepartment(actor.departmentId)
    case 'agency':
      if (!actor.roles.has('leader'))
        throw new AppError('forbidden', { detail: 'The agency list is for leaders.' })
      return undefined
  }
}

/** Overdue (quá hạn) or due-soon (sắp đến hạn) documents in the actor's scope, earliest deadline first. */
export async function listDeadlines(
  deps: Deps,
  actor: Actor,
  list: DeadlineList,
  query: DeadlineQuery,
): Promise<DeadlineItem[]> {
  const today = query.today ?? vietnamToday()
  const window = list === 'overdue' ? { before: today } : { from: today, to: addDays(today, query.days ?? 3) }
  const scope = scopeCondition(actor, query.scope)
  const db = deps.database.db
  const visible = and(documentVisibility(actor, 'metadata'), scope)
  const rows = await watchedDocuments(db, window, visible, query.limit ?? 200)
  const participants = await handlingParticipants(
    db,
    rows.map((row) => row.id),
  )
  return rows.map((row) => toItem(row, participants, today))
}

/** The person and unit answering for a document: the assignee when there is one, else the lead. */
export function responsibleOf(participants: ActiveParticipant[]) {
  const assignee = participants.find((p) => p.role === 'assignee')
  const lead = participants.find((p) => p.role === 'lead')
  const person = assignee ?? (lead?.userId ? lead : undefined)
  return {
    assignee,
    lead,
    userName: person?.userName ?? null,
    departmentName: lead?.departmentName ?? lead?.userDepartmentName ?? person?.userDepartmentName ?? null,
  }
}

function toItem(row: WatchedDocument, participants: ActiveParticipant[], today: string): DeadlineItem {
  const responsible = responsibleOf(participants.filter((p) => p.documentId === row.id))
  return {
    documentId: row.id,
    arrivalNumber: row.arrivalNumber,
    numberNotation:
      row.codeNumber && row.codeNotation
        ? `${row.codeNumber}/${row.codeNotation}`
        : (row.codeNumber ?? row.codeNotation),
    subject: row.subject,
    status: row.status,
    leadDepartmentName: responsible.departmentName,
    leadUserName: responsible.userName,
    deadline: row.deadline,
    daysOverdue: daysBetween(row.deadline, today),
  }
}
