/**
 * The lists of each role (ND30 Phụ lục VI III.1): my drafts, drafts to review, chờ cấp số, chờ đóng dấu,
 * chờ phát hành (overdue when not issued the day it was numbered; urgent ones at once), issued, and the
 * internal documents received by me or my unit. Visibility is the access policy's condition.
 */
import { and, desc, eq, gte, ilike, inArray, lt, lte, or, type SQL, sql } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import { documentVisibility } from '../access/policy.ts'
import { vietnamToday } from '../documents/document-fields.ts'
import { alias } from 'drizzle-orm/pg-core'
import type { Executor } from '../platform/db/database.ts'
import {
  documentParticipants,
  documents,
  outgoingDocuments,
  outgoingReviews,
  users,
} from '../platform/db/schema/index.ts'

export const OUTGOING_VIEWS = [
  'mine',
  'to-review',
  'awaiting-signature',
  'awaiting-number',
  'awaiting-seal',
  'awaiting-issue',
  'issued',
  'received',
  'all',
] as const
export type OutgoingView = (typeof OUTGOING_VIEWS)[number]

export interface OutgoingListQuery {
  view: OutgoingView
  q?: string | undefined
  kind?: string | undefined
  status?: string | undefined
  from?: string | undefined
  to?: string | undefined
  overdue?: boolean | undefined
  limit: number
  after?: { createdAt: Date; id: string } | undefined
}

const drafter = alias(users, 'drafter')
const signer = alias(users, 'signer')

function mine(actor: Actor, roles: string[]): SQL {
  const me = actor.departmentId
    ? sql`(${documentParticipants.userId} = ${actor.userId} or (${documentParticipants.userId} is null and ${documentParticipants.departmentId} = ${actor.departmentId}))`
    : sql`${documentParticipants.userId} = ${actor.userId}`
  return sql`exists (select 1 from ${documentParticipants} where ${documentParticipants.documentId} = ${documents.id}
    and ${documentParticipants.active} and ${inArray(documentParticipants.role, roles)} and ${me})`
}

function viewCondition(actor: Actor, view: OutgoingView): SQL | undefined {
  switch (view) {
    case 'mine':
      return eq(outgoingDocuments.drafterUserId, actor.userId)
    case 'to-review':
      return sql`exists (select 1 from ${outgoingReviews} where ${outgoingReviews.documentId} = ${documents.id}
        and ${outgoingReviews.state} = 'pending' and ${outgoingReviews.reviewerUserId} = ${actor.userId})`
    case 'awaiting-signature':
      return eq(documents.status, 'awaiting_signature')
    case 'awaiting-number':
      return eq(documents.status, 'signed')
    case 'awaiting-seal':
      return eq(documents.status, 'numbered')
    case 'awaiting-issue':
      return eq(documents.status, 'sealed')
    case 'issued':
      return inArray(documents.status, ['issued', 'corrected', 'superseded', 'revoked'])
    case 'received':
      return and(
        inArray(documents.status, ['issued', 'corrected', 'superseded', 'revoked']),
        mine(actor, ['lead', 'informed']),
      )
    case 'all':
      return undefined
  }
}

/** Waiting past the day it should have been done (issue the same day; urgent ones at once). */
export const overdueCondition = (today: string) =>
  and(
    inArray(documents.status, ['signed', 'numbered', 'sealed']),
    or(
      sql`${documents.urgency} > 0`,
      lt(
        sql`coalesce(${documents.issuedDate}, (${documents.updatedAt} at time zone 'Asia/Ho_Chi_Minh')::date)`,
        today,
      ),
    ),
  )

export async function listOutgoing(db: Executor, actor: Actor, query: OutgoingListQuery, now = new Date()) {
  const today = vietnamToday(now)
  const text = query.q?.normalize('NFC').trim()
  const pattern = text ? `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined
  const conditions = [
    documentVisibility(actor, 'metadata'),
    eq(documents.direction, 'outgoing'),
    viewCondition(actor, query.view),
    query.kind ? eq(documents.kind, query.kind) : undefined,
    query.status ? eq(documents.status, query.status) : undefined,
    query.from ? gte(documents.issuedDate, query.from) : undefined,
    query.to ? lte(documents.issuedDate, query.to) : undefined,
    query.overdue ? overdueCondition(today) : undefined,
    pattern
      ? or(
          ilike(documents.subject, pattern),
          ilike(sql`${documents.codeNumber} || '/' || ${documents.codeNotation}`, pattern),
        )
      : undefined,
    query.after
      ? or(
          lt(documents.createdAt, query.after.createdAt),
          and(eq(documents.createdAt, query.after.createdAt), lt(documents.id, query.after.id)),
        )
      : undefined,
  ]
  const rows = await db
    .select({
      document: documents,
      outgoing: outgoingDocuments,
      drafterName: drafter.fullName,
      signerName: signer.fullName,
      overdue: sql<boolean>`coalesce(${overdueCondition(today)}, false)`,
    })
    .from(documents)
    .innerJoin(outgoingDocuments, eq(outgoingDocuments.documentId, documents.id))
    .leftJoin(drafter, eq(drafter.id, outgoingDocuments.drafterUserId))
    .leftJoin(signer, eq(signer.id, outgoingDocuments.signerUserId))
    .where(and(...conditions))
    .orderBy(desc(documents.createdAt), desc(documents.id))
    .limit(query.limit + 1)
  const page = rows.slice(0, query.limit)
  const last = page.at(-1)
  return {
    items: page.map((row) => ({
      id: row.document.id,
      status: row.document.status,
      kind: row.document.kind,
      subject: row.document.subject,
      numberNotation: row.document.codeNumber
        ? `${row.document.codeNumber}/${row.document.codeNotation}`
        : null,
      issuedDate: row.document.issuedDate,
      urgency: row.document.urgency,
      secrecy: row.document.secrecy,
      drafterName: row.drafterName,
      signerName: row.signerName ?? row.document.signerName,
      currentVersion: row.outgoing.currentVersion,
      copyForm: row.outgoing.copyForm,
      overdue: Boolean(row.overdue),
      createdAt: row.document.createdAt.toISOString(),
      updatedAt: row.document.updatedAt.toISOString(),
    })),
    next:
      rows.length > query.limit && last
        ? { createdAt: last.document.createdAt, id: last.document.id }
        : undefined,
  }
}
