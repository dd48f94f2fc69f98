/**
 * Cấp số (ND30 Điều 15): after the leader signs and before the agency seal, the system gives the
 * document the next number of its book for the year of its issue date, with its notation; số + ký hiệu
 * are unique within the year (a clash is a 409 and gives the number back: the counter is rolled back
 * with the transaction). The number and date are then written into the fields prepared on the signed
 * PDF (see number-fields.ts) as a new signed version, in the same transaction.
 */
import { and, eq } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import type { AuditContext } from '../audit/audit.service.ts'
import { vietnamToday } from '../documents/document-fields.ts'
import type { DocumentRow } from '../documents/documents.repository.ts'
import * as documentsRepository from '../documents/documents.repository.ts'
import type { Executor, Tx } from '../platform/db/database.ts'
import { agencies, documents } from '../platform/db/schema/index.ts'
import { AppError } from '../platform/errors.ts'
import {
  bookFor,
  formatNumber,
  type NumberedDocument,
  notationFor,
  peekNextNumber,
  pickBook,
  requestedBook,
  takeNumber,
} from '../registers/number-books.ts'
import * as registersRepository from '../registers/registers.repository.ts'
import type { DraftingDeps } from './drafting.service.ts'
import { loadForAction, loadOutgoing } from './outgoing-access.ts'
import { clerkTargets, recordOutgoingStep } from './outgoing-steps.ts'
import * as repository from './outgoing.repository.ts'

/** Writes the number and date on the document's signed PDF; answers the new file, or why it could not. */
export type NumberStamper = (
  tx: Tx,
  loaded: { document: DocumentRow; outgoing: repository.OutgoingRow },
  stamp: { numberNotation: string; codeNumber: string; issuedDate: string },
  context: AuditContext,
) => Promise<{ fileId: string | null; onDocument: boolean; reason?: string }>

export type NumberingDeps = DraftingDeps & { stampNumber?: NumberStamper }

export interface NumberAssignment {
  outgoingNumber: number
  codeNumber: string
  codeNotation: string
  numberNotation: string
  issuedDate: string
  registerId: string
  registerYear: number
}

function numberedDocument(document: DocumentRow, outgoing: repository.OutgoingRow): NumberedDocument {
  return {
    agencyId: document.agencyId!,
    kindCode: document.kindCode,
    secrecy: document.secrecy,
    legalNormative: outgoing.legalNormative,
    copyForm: outgoing.copyForm,
  }
}

async function notationParts(db: Executor, document: DocumentRow, outgoing: repository.OutgoingRow) {
  const [agency] = await db
    .select({ abbreviation: agencies.abbreviation })
    .from(agencies)
    .where(eq(agencies.id, document.agencyId!))
  const unit = outgoing.draftingDepartmentId
    ? await repository.departmentById(db, document.agencyId!, outgoing.draftingDepartmentId)
    : undefined
  return { agencyAbbreviation: agency?.abbreviation ?? '', unitAbbreviation: unit?.abbreviation ?? null }
}

/**
 * Takes the number inside the transaction (the book's counter row stays locked until it ends) and checks
 * that số + ký hiệu are free in the year (409 naming the document that holds them otherwise).
 */
export async function assignNumber(
  tx: Tx,
  document: DocumentRow,
  outgoing: repository.OutgoingRow,
  options: { registerId?: string | undefined; issuedDate: string },
): Promise<NumberAssignment> {
  const target = numberedDocument(document, outgoing)
  const book = await bookFor(tx, target, options.registerId)
  const year = Number(options.issuedDate.slice(0, 4))
  const outgoingNumber = await takeNumber(tx, book.id, year)
  const codeNumber = formatNumber(outgoingNumber)
  const codeNotation = notationFor(book, target, await notationParts(tx, document, outgoing), year)
  if (codeNotation.length > 30 || codeNumber.length > 11)
    throw new AppError('validation-failed', {
      status: 422,
      detail: `Ký hiệu "${codeNotation}" dài quá 30 ký tự. / The notation is longer than 30 characters.`,
    })
  const [clash] = await tx
    .select({ id: documents.id })
    .from(documents)
    .where(
      and(
        eq(documents.agencyId, target.agencyId),
        eq(documents.direction, 'outgoing'),
        eq(documents.registerYear, year),
        eq(documents.codeNumber, codeNumber),
        eq(documents.codeNotation, codeNotation),
      ),
    )
  const numberNotation = `${codeNumber}/${codeNotation}`
  if (clash) throw numberTaken(numberNotation, year, clash.id)
  try {
    await tx
      .update(documents)
      .set({
        codeNumber,
        codeNotation,
        issuedDate: options.issuedDate,
        registerId: book.id,
        registerYear: year,
        updatedAt: new Date(),
      })
      .where(eq(documents.id, document.id))
  } catch (error) {
    if (isUniqueViolation(error)) throw numberTaken(numberNotation, year)
    throw error
  }
  return {
    outgoingNumber,
    codeNumber,
    codeNotation,
    numberNotation,
    issuedDate: options.issuedDate,
    registerId: book.id,
    registerYear: year,
  }
}

function numberTaken(numberNotation: string, year: number, existingDocumentId?: string) {
  return new AppError('number-taken', {
    detail: `Số, ký hiệu ${numberNotation} đã được dùng trong năm ${year}. / ${numberNotation} is already used in ${year}.`,
    extensions: { numberNotation, year, ...(existingDocumentId ? { existingDocumentId } : {}) },
  })
}

function isUniqueViolation(error: unknown): boolean {
  const code = (e: unknown) => (e as { code?: unknown } | null)?.code
  return code(error) === '23505' || code((error as { cause?: unknown } | null)?.cause) === '23505'
}

/** POST /api/documents/:id/number: cấp số by the system, at the clerk's request, after the leader signed. */
export async function numberDocument(
  deps: NumberingDeps,
  actor: Actor,
  documentId: string,
  input: { registerId?: string | undefined },
  context: AuditContext,
  now = new Date(),
) {
  return deps.database.db.transaction(async (tx) => {
    const loaded = await loadForAction(tx, actor, documentId, 'number')
    const { document, outgoing } = loaded
    const assignment = await assignNumber(tx, document, outgoing, {
      registerId: input.registerId,
      issuedDate: vietnamToday(now),
    })
    const stamped = deps.stampNumber
      ? await deps.stampNumber(tx, loaded, assignment, context)
      : { fileId: null, onDocument: false, reason: 'no-stamper' }
    const changed = await documentsRepository.updateDocument(tx, document.id, { status: 'numbered' })
    await repository.updateOutgoing(tx, document.id, {
      outgoingNumber: assignment.outgoingNumber,
      numberedAt: now,
      numberedBy: actor.userId,
    })
    await recordOutgoingStep(tx, deps, context, {
      actor,
      document: changed,
      action: 'outgoing.numbered',
      fromStatus: document.status,
      toStatus: 'numbered',
      details: {
        numberNotation: assignment.numberNotation,
        outgoingNumber: assignment.outgoingNumber,
        issuedDate: assignment.issuedDate,
        registerId: assignment.registerId,
        fileId: stamped.fileId,
        onDocument: stamped.onDocument,
      },
      notify: [
        { kind: 'outgoing.numbered' as const, userId: outgoing.drafterUserId },
        ...(await clerkTargets(tx, actor.agencyId, 'outgoing.numbered')),
      ],
    })
    return { ...assignment, fileId: stamped.fileId, onDocument: stamped.onDocument }
  })
}

/** GET /api/documents/:id/number: the number the document would get now, for the clerk to confirm. */
export async function previewNumber(
  deps: Pick<DraftingDeps, 'database'>,
  actor: Actor,
  documentId: string,
  input: { registerId?: string | undefined },
  now = new Date(),
) {
  const { db } = deps.database
  const { document, outgoing } = await loadOutgoing(db, actor, documentId)
  const target = numberedDocument(document, outgoing)
  const issuedDate = vietnamToday(now)
  const year = Number(issuedDate.slice(0, 4))
  const books = await registersRepository.listRegisters(db, target.agencyId)
  const picked = input.registerId
    ? { existing: await requestedBook(db, target, input.registerId), create: undefined }
    : pickBook(books, target)
  const book = picked.existing ?? picked.create
  const nextNumber = picked.existing ? await peekNextNumber(db, picked.existing.id, year) : 1
  const codeNotation = notationFor(
    {
      series: book.series ?? 'administrative',
      notationIssuer: book.notationIssuer ?? null,
      notationWithYear: book.notationWithYear ?? false,
      notationSuffix: book.notationSuffix ?? null,
    },
    target,
    await notationParts(db, document, outgoing),
    year,
  )
  return {
    registerId: picked.existing?.id ?? null,
    registerName: book.name,
    nextNumber,
    numberNotation: `${formatNumber(nextNumber)}/${codeNotation}`,
    issuedDate,
    books: books
      .filter((b) => b.direction === 'outgoing' && b.active && b.secret === target.secrecy > 0)
      .map((b) => ({ id: b.id, name: b.name, series: b.series })),
  }
}
