import { buffer } from 'node:stream/consumers'
import { and, eq, inArray, or, sql } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import { documentVisibility } from '../access/policy.ts'
import { type AuditContext, appendAuditEvent } from '../audit/audit.service.ts'
import type { DocumentFields } from '../documents/document-fields.ts'
import { imagesToPdf, isScannedImage, type ScannedImageType } from '../documents/images-to-pdf.ts'
import { createDocument, type DocumentsDeps, discardStaged, type StagedFile } from '../documents/documents.service.ts'
import type { Tx } from '../platform/db/database.ts'
import { documentFiles, documents } from '../platform/db/schema/index.ts'
import { isUuid } from '../platform/ids.ts'
import { type DocumentRow, type NewDocumentRow, updateDocument } from '../documents/documents.repository.ts'
import { AppError } from '../platform/errors.ts'
import { nextNumberCte, type RegisterRow } from '../registers/registers.repository.ts'
import { registerFor } from '../registers/registers.service.ts'
import { recordIssuer } from './issuers.ts'
import { enqueueSearchSync } from '../search/search-outbox.ts'
import { appendTimelineEntry, timelineActor } from '../timeline/timeline.ts'
import { Readable } from 'node:stream'
import { BudgetExceededError } from '../file-budgets/budgets.ts'
import { checkImagePixels, IMAGE_HEAD_BYTES } from '../file-budgets/file-check.ts'
import type { BlobStore } from '../storage/blob-store.ts'

export interface DuplicateCandidate {
  id: string
  incomingNumber: number | null
  numberNotation: string | null
  issuedDate: string | null
  url: string
  reason: 'same-file' | 'same-number'
}

/**
 * Scanned page images (PNG, JPEG, and every page of each TIFF) are joined, in upload order, into one PDF
 * that becomes the document's file; PDFs stay files of their own. The joined images' blobs are let go.
 * An image that cannot be decoded fails the whole upload with 'unreadable-image'; the caller discards
 * the staged blobs, and nothing else was stored.
 */
export async function joinScannedImages(deps: DocumentsDeps, staged: StagedFile[]): Promise<StagedFile[]> {
  const images = staged.filter((f) => isScannedImage(f.mediaType))
  if (images.length === 0) return staged
  // Every header before any pixel: a pixel flood is refused before the join allocates for it.
  for (const image of images) await checkUploadedImagePixels(deps.blobStore, image)
  // Read one blob at a time: imagesToPdf is done with a file before it asks for the next.
  async function* read() {
    for (const image of images) {
      const bytes = await buffer(await deps.blobStore.get(image.blob.key))
      yield { bytes, mediaType: image.mediaType as ScannedImageType }
    }
  }
  const pdf = await imagesToPdf(read())
  const blob = await deps.blobStore.put(Readable.from([Buffer.from(pdf.bytes)]))
  for (const image of images) await discardStaged(deps, image.blob)
  const joined: StagedFile = {
    blob,
    fileName: `${images[0]!.fileName.replace(/\.[^.]+$/, '')}.pdf`,
    mediaType: 'application/pdf',
    pageCount: pdf.pageCount,
    signatureCount: 0,
  }
  const firstImage = staged.indexOf(images[0]!)
  return [...staged.slice(0, firstImage), joined, ...staged.slice(firstImage).filter((f) => !images.includes(f))]
}

/** 422 'image-too-large' when a PNG or JPEG header gives more pixels than the budget. */
async function checkUploadedImagePixels(blobStore: BlobStore, image: StagedFile): Promise<void> {
  if (image.mediaType !== 'image/png' && image.mediaType !== 'image/jpeg') return
  const end = Math.min(image.blob.size, IMAGE_HEAD_BYTES) - 1
  const head = Buffer.concat(await (await blobStore.get(image.blob.key, { start: 0, end })).toArray())
  try {
    checkImagePixels(head)
  } catch (error) {
    if (!(error instanceof BudgetExceededError)) throw error
    throw new AppError('image-too-large', { detail: `${image.fileName}: ${error.message}` })
  }
}

/**
 * Earlier incoming documents the clerk can see that look like this one: a file with the same bytes, or
 * the same issuer, số and ký hiệu and date (ND30 Phụ lục VI III.1.h).
 */
export async function findDuplicates(
  deps: DocumentsDeps,
  actor: Actor,
  fields: Pick<DocumentFields, 'codeNumber' | 'codeNotation' | 'issuedDate' | 'issuerName'>,
  sha256s: string[],
): Promise<DuplicateCandidate[]> {
  const sameFile = inArray(
    documents.id,
    deps.database.db
      .select({ id: documentFiles.documentId })
      .from(documentFiles)
      .where(inArray(documentFiles.sha256, sha256s)),
  )
  const sameNumber =
    fields.codeNumber && fields.issuedDate
      ? and(
          eq(documents.codeNumber, fields.codeNumber),
          eq(documents.codeNotation, fields.codeNotation ?? ''),
          eq(documents.issuedDate, fields.issuedDate),
          fields.issuerName ? sql`lower(${documents.issuerName}) = lower(${fields.issuerName})` : undefined,
        )
      : undefined
  const rows = await deps.database.db
    .select({
      id: documents.id,
      arrivalNumber: documents.arrivalNumber,
      codeNumber: documents.codeNumber,
      codeNotation: documents.codeNotation,
      issuedDate: documents.issuedDate,
      sameFile: sql<boolean>`${sameFile}`,
    })
    .from(documents)
    .where(
      and(
        eq(documents.direction, 'incoming'),
        sql`${documents.status} <> 'draft'`,
        or(sameFile, sameNumber),
        documentVisibility(actor, 'metadata'),
      ),
    )
    .limit(10)
  return rows.map((row) => ({
    id: row.id,
    incomingNumber: row.arrivalNumber,
    numberNotation: row.codeNumber ? `${row.codeNumber}/${row.codeNotation}` : null,
    issuedDate: row.issuedDate,
    url: `/api/documents/${row.id}`,
    reason: row.sameFile ? 'same-file' : 'same-number',
  }))
}

/**
 * Registers an incoming document: files, metadata, the next số đến of its register for the year it was
 * received, and the audit event — in one transaction. A suspected duplicate needs `confirmDuplicate`,
 * and the confirmation is part of the audit event.
 */
export async function registerIncoming(
  deps: DocumentsDeps,
  actor: Actor,
  fields: DocumentFields,
  staged: StagedFile[],
  options: { registerId?: string | undefined; confirmDuplicate: boolean; draft?: boolean },
  context: AuditContext,
) {
  if (options.draft) {
    return createDocument(deps, actor, fields, staged, context, { status: 'draft', auditAction: 'document.draft-saved' })
  }
  const duplicates = await findDuplicates(deps, actor, fields, staged.map((f) => f.blob.sha256))
  if (duplicates.length > 0 && !options.confirmDuplicate) {
    throw new AppError('duplicate-suspected', { extensions: { duplicates } })
  }
  let register: RegisterRow | undefined
  return createDocument(deps, actor, fields, staged, context, {
    status: 'registered',
    auditAction: 'document.registered',
    auditDetails: duplicates.length > 0 ? { duplicateConfirmed: duplicates.map((d) => d.id) } : {},
    withinTransaction: async (tx) => {
      register = await registerFor(tx, actor.agencyId, 'incoming', fields.secrecy > 0, options.registerId)
      if (fields.issuerName) await recordIssuer(tx, actor.agencyId, fields.issuerName)
      return undefined
    },
    // The số đến last: its counter row stays locked until the commit.
    lastInTransaction: (tx, document) => numberIn(tx, document.id, register!, fields),
  })
}

/** Gives a document its register, số đến and year (and `extra` values), and counts its issuer in the directory. */
async function numberIt(
  tx: Tx,
  actor: Actor,
  document: Pick<DocumentFields, 'secrecy' | 'arrivalDate' | 'issuerName'> & { id: string },
  registerId: string | undefined,
  extra: Partial<NewDocumentRow> = {},
) {
  const register = await registerFor(tx, actor.agencyId, 'incoming', document.secrecy > 0, registerId)
  if (document.issuerName) await recordIssuer(tx, actor.agencyId, document.issuerName)
  return numberIn(tx, document.id, register, document, extra)
}

/**
 * The next số đến of the register for the year the document was received, written on the document in
 * the same statement (the counter row stays locked until the commit: one round trip fewer under it).
 */
async function numberIn(
  tx: Tx,
  documentId: string,
  register: RegisterRow,
  fields: Pick<DocumentFields, 'arrivalDate'>,
  extra: Partial<NewDocumentRow> = {},
): Promise<DocumentRow> {
  const year = Number((fields.arrivalDate ?? '').slice(0, 4))
  const counter = nextNumberCte(tx, register.id, year)
  const [row] = await tx
    .with(counter)
    .update(documents)
    .set({
      ...extra,
      arrivalNumber: sql`(select ${counter.lastNumber} from ${counter})`,
      registerId: register.id,
      registerYear: year,
      updatedAt: new Date(),
    })
    .where(eq(documents.id, documentId))
    .returning()
  return row!
}

/** A draft of the actor's department, locked for the transaction; 404 for anything else. */
async function lockDraft(tx: Tx, actor: Actor, id: string) {
  const [draft] = isUuid(id)
    ? await tx
        .select()
        .from(documents)
        .where(and(eq(documents.id, id), eq(documents.status, 'draft'), eq(documents.direction, 'incoming'), documentVisibility(actor, 'content')))
        .for('update')
    : []
  if (!draft || draft.ownerDepartmentId !== actor.departmentId) throw new AppError('not-found')
  return draft
}

/** Changes the fields of a draft (the whole form, as sent again by the registration screen). */
export async function updateDraft(deps: DocumentsDeps, actor: Actor, id: string, fields: DocumentFields, context: AuditContext) {
  if (fields.secrecy > actor.clearance) throw new AppError('forbidden')
  return deps.database.db.transaction(async (tx) => {
    await lockDraft(tx, actor, id)
    const { direction: _direction, ...values } = fields
    const document = await updateDocument(tx, id, values)
    await appendAuditEvent(tx, context, { action: 'document.draft-updated', targetType: 'document', targetId: id, details: {} })
    await enqueueSearchSync(tx, id, deps.jobs)
    return document
  })
}

/** Registers a saved draft: duplicate check, then number and status in one transaction. */
export async function registerDraft(
  deps: DocumentsDeps,
  actor: Actor,
  id: string,
  options: { confirmDuplicate: boolean; registerId?: string | undefined },
  context: AuditContext,
) {
  const draft = await deps.database.db.transaction((tx) => lockDraft(tx, actor, id))
  const files = await deps.database.db.select({ sha256: documentFiles.sha256 }).from(documentFiles).where(eq(documentFiles.documentId, id))
  const duplicates = (await findDuplicates(deps, actor, draft, files.map((f) => f.sha256))).filter((d) => d.id !== id)
  if (duplicates.length > 0 && !options.confirmDuplicate) throw new AppError('duplicate-suspected', { extensions: { duplicates } })
  return deps.database.db.transaction(async (tx) => {
    const locked = await lockDraft(tx, actor, id)
    const document = await numberIt(tx, actor, locked, options.registerId, { status: 'registered' })
    const numbering = { arrivalNumber: document.arrivalNumber, registerId: document.registerId }
    await appendTimelineEntry(tx, {
      documentId: id,
      action: 'registered',
      actor: timelineActor(actor),
      fromStatus: 'draft',
      toStatus: 'registered',
      details: {
        incomingNumber: numbering.arrivalNumber,
        receivedDate: document.arrivalDate,
        ...(document.codeNumber ? { numberNotation: `${document.codeNumber}/${document.codeNotation}` } : {}),
        ...(duplicates.length > 0 ? { duplicateConfirmed: true } : {}),
      },
    })
    await enqueueSearchSync(tx, id, deps.jobs)
    await appendAuditEvent(tx, context, {
      action: 'document.registered',
      targetType: 'document',
      targetId: id,
      details: {
        incomingNumber: numbering.arrivalNumber,
        registerId: numbering.registerId,
        ...(duplicates.length > 0 ? { duplicateConfirmed: duplicates.map((d) => d.id) } : {}),
      },
    })
    return document
  })
}
