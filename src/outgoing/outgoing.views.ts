/** What GET /api/outgoing/:id answers: the document, its outgoing state, versions, reviews, deliveries. */
import { and, eq, inArray, or } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import { documentVisibility } from '../access/policy.ts'
import { vietnamToday } from '../documents/document-fields.ts'
import * as documentsRepository from '../documents/documents.repository.ts'
import { toDocumentView } from '../documents/documents.views.ts'
import type { Executor } from '../platform/db/database.ts'
import { documents, outgoingDocuments, registers } from '../platform/db/schema/index.ts'
import { loadOutgoing } from './outgoing-access.ts'
import { allowedOutgoingActions } from './outgoing-machine.ts'
import * as repository from './outgoing.repository.ts'
import { archiveLine } from './recipients.ts'

const iso = (date: Date | null) => date?.toISOString() ?? null

type LinkedDocument = {
  id: string
  numberNotation: string | null
  subject: string | null
  status: string
  direction: string
}

/** Documents linked to this one (answered, replaced, corrected, copied — both ways) that the actor may see. */
async function linksOf(
  db: Executor,
  actor: Actor,
  documentId: string,
  outgoing: repository.OutgoingRow | undefined,
) {
  const referencing = await db
    .select({ id: outgoingDocuments.documentId, outgoing: outgoingDocuments })
    .from(outgoingDocuments)
    .where(
      or(
        eq(outgoingDocuments.replyToDocumentId, documentId),
        eq(outgoingDocuments.copyOfDocumentId, documentId),
        eq(outgoingDocuments.replacesDocumentId, documentId),
        eq(outgoingDocuments.correctsDocumentId, documentId),
      ),
    )
  const ids = [
    outgoing?.replyToDocumentId,
    outgoing?.replacesDocumentId,
    outgoing?.correctsDocumentId,
    outgoing?.copyOfDocumentId,
    outgoing?.supersededByDocumentId,
    outgoing?.correctedByDocumentId,
    ...referencing.map((r) => r.id),
  ].filter((id): id is string => Boolean(id))
  const visible = ids.length
    ? await db
        .select()
        .from(documents)
        .where(and(inArray(documents.id, [...new Set(ids)]), documentVisibility(actor, 'metadata')))
    : []
  const byId = new Map<string, LinkedDocument>(
    visible.map((d) => [
      d.id,
      {
        id: d.id,
        numberNotation: d.codeNumber ? `${d.codeNumber}/${d.codeNotation}` : null,
        subject: d.subject,
        status: d.status,
        direction: d.direction,
      },
    ]),
  )
  const one = (id: string | null | undefined) => (id ? (byId.get(id) ?? null) : null)
  const many = (pick: (o: repository.OutgoingRow) => string | null) =>
    referencing
      .filter((r) => pick(r.outgoing) === documentId)
      .flatMap((r) => (byId.has(r.id) ? [byId.get(r.id)!] : []))
  return {
    replyTo: one(outgoing?.replyToDocumentId),
    replaces: one(outgoing?.replacesDocumentId),
    corrects: one(outgoing?.correctsDocumentId),
    copyOf: one(outgoing?.copyOfDocumentId),
    supersededBy: one(outgoing?.supersededByDocumentId),
    correctedBy: one(outgoing?.correctedByDocumentId),
    replies: many((o) => o.replyToDocumentId),
    copies: many((o) => o.copyOfDocumentId),
  }
}

/** GET /api/documents/:id/outgoing-links: also for incoming documents (the replies they got). */
export async function documentLinks(db: Executor, actor: Actor, documentId: string) {
  const [document] = await db
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.id, documentId), documentVisibility(actor, 'metadata')))
  if (!document) return undefined
  return linksOf(db, actor, documentId, await repository.findOutgoing(db, documentId))
}

export async function outgoingView(db: Executor, actor: Actor, documentId: string, now = new Date()) {
  const loaded = await loadOutgoing(db, actor, documentId)
  const { document, outgoing } = loaded
  const files = await documentsRepository.filesOf(db, [document.id])
  const people = new Map<string, string>()
  for (const id of [outgoing.drafterUserId, outgoing.signerUserId, outgoing.revocationDecidedBy].filter(
    Boolean,
  ) as string[]) {
    const user = await repository.userById(db, actor.agencyId, id)
    if (user) people.set(id, user.fullName)
  }
  const unit = outgoing.draftingDepartmentId
    ? await repository.departmentById(db, actor.agencyId, outgoing.draftingDepartmentId)
    : undefined
  const [book] = document.registerId
    ? await db.select().from(registers).where(eq(registers.id, document.registerId))
    : []
  const canOpen = loaded.context.canOpen
  const today = vietnamToday(now)
  return {
    document: toDocumentView(document, canOpen ? files : []),
    outgoing: {
      drafter: { id: outgoing.drafterUserId, name: people.get(outgoing.drafterUserId) ?? null },
      draftingDepartment: unit ? { id: unit.id, name: unit.name, abbreviation: unit.abbreviation } : null,
      signer: outgoing.signerUserId
        ? { id: outgoing.signerUserId, name: people.get(outgoing.signerUserId) ?? null }
        : null,
      authorityPrefix: outgoing.authorityPrefix,
      authorityName: outgoing.authorityName,
      legalNormative: outgoing.legalNormative,
      outgoingNumber: outgoing.outgoingNumber,
      register: book ? { id: book.id, name: book.name } : null,
      currentVersion: outgoing.currentVersion,
      copyForm: outgoing.copyForm,
      numberFields: outgoing.numberFields ?? null,
      numberedAt: iso(outgoing.numberedAt),
      sealedAt: iso(outgoing.sealedAt),
      issuedAt: iso(outgoing.issuedAt),
      revocation: outgoing.revocationDecidedAt
        ? {
            decidedBy: outgoing.revocationDecidedBy
              ? { id: outgoing.revocationDecidedBy, name: people.get(outgoing.revocationDecidedBy) ?? null }
              : null,
            decidedAt: iso(outgoing.revocationDecidedAt),
            reason: outgoing.revocationReason,
          }
        : null,
      revokedAt: iso(outgoing.revokedAt),
      archiveLine: archiveLine(unit?.abbreviation),
      overdue:
        ['signed', 'numbered', 'sealed'].includes(document.status) &&
        (document.urgency > 0 || (document.issuedDate ?? today) < today),
    },
    links: await linksOf(db, actor, document.id, outgoing),
    versions: (await repository.versionsOf(db, document.id)).map(({ version, authorName }) => ({
      version: version.version,
      pdfFileId: version.pdfFileId,
      sourceFileId: version.sourceFileId,
      note: version.note,
      authorName,
      createdAt: version.createdAt.toISOString(),
    })),
    reviews: (await repository.reviewsOf(db, document.id)).map(({ review, reviewerName }) => ({
      id: review.id,
      round: review.round,
      position: review.position,
      reviewer: { id: review.reviewerUserId, name: reviewerName },
      kind: review.kind,
      state: review.state,
      version: review.version,
      comment: review.comment,
      decidedAt: iso(review.decidedAt),
    })),
    recipients: (await repository.recipientsOf(db, document.id)).map(({ recipient, organId }) => ({
      id: recipient.id,
      kind: recipient.kind,
      label: recipient.label,
      organId,
      departmentId: recipient.departmentId,
      userId: recipient.userId,
      purpose: recipient.purpose,
      channel: recipient.channel,
      state: recipient.state,
      stateNote: recipient.stateNote,
      sentAt: iso(recipient.sentAt),
      stateAt: iso(recipient.stateAt),
      recalledAt: iso(recipient.recalledAt),
    })),
    allowedActions: allowedOutgoingActions(actor, loaded.context),
  }
}
