import { buffer } from 'node:stream/consumers'
import { and, eq, inArray, or, sql } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import { documentVisibility } from '../access/policy.ts'
import type { AuditContext } from '../audit/audit.service.ts'
import type { DocumentFields } from '../documents/document-fields.ts'
import { imagesToPdf } from '../documents/images-to-pdf.ts'
import { createDocument, type DocumentsDeps, discardStaged, type StagedFile } from '../documents/documents.service.ts'
import { documentFiles, documents } from '../platform/db/schema/index.ts'
import { AppError } from '../platform/errors.ts'
import { assignNumber, registerFor } from '../registers/registers.service.ts'
import { Readable } from 'node:stream'

export interface DuplicateCandidate {
  id: string
  incomingNumber: number | null
  numberNotation: string | null
  issuedDate: string | null
  url: string
  reason: 'same-file' | 'same-number'
}

/**
 * Scanned page images are joined, in upload order, into one PDF that becomes the document's file;
 * PDFs and TIFFs stay files of their own. The joined images' blobs are let go.
 */
export async function joinScannedImages(deps: DocumentsDeps, staged: StagedFile[]): Promise<StagedFile[]> {
  const images = staged.filter((f) => f.mediaType === 'image/png' || f.mediaType === 'image/jpeg')
  if (images.length === 0) return staged
  const pages = []
  for (const image of images) {
    pages.push({ bytes: await buffer(await deps.blobStore.get(image.blob.key)), mediaType: image.mediaType as 'image/png' | 'image/jpeg' })
  }
  const pdf = await imagesToPdf(pages)
  const blob = await deps.blobStore.put(Readable.from([Buffer.from(pdf)]))
  for (const image of images) await discardStaged(deps, image.blob)
  const joined: StagedFile = {
    blob,
    fileName: `${images[0]!.fileName.replace(/\.[^.]+$/, '')}.pdf`,
    mediaType: 'application/pdf',
    pageCount: images.length,
    signatureCount: 0,
  }
  const firstImage = staged.indexOf(images[0]!)
  return [...staged.slice(0, firstImage), joined, ...staged.slice(firstImage).filter((f) => !images.includes(f))]
}

/**
 * Earlier incoming documents the clerk can see that look like this one: a file with the same bytes, or
 * the same issuer, số and ký hiệu and date (ND30 Phụ lục VI III.1.h).
 */
export async function findDuplicates(
  deps: DocumentsDeps,
  actor: Actor,
  fields: DocumentFields,
  staged: StagedFile[],
): Promise<DuplicateCandidate[]> {
  const sameFile = inArray(
    documents.id,
    deps.database.db
      .select({ id: documentFiles.documentId })
      .from(documentFiles)
      .where(inArray(documentFiles.sha256, staged.map((f) => f.blob.sha256))),
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
    .where(and(eq(documents.direction, 'incoming'), or(sameFile, sameNumber), documentVisibility(actor, 'metadata')))
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
  options: { registerId?: string | undefined; confirmDuplicate: boolean },
  context: AuditContext,
) {
  const duplicates = await findDuplicates(deps, actor, fields, staged)
  if (duplicates.length > 0 && !options.confirmDuplicate) {
    throw new AppError('duplicate-suspected', { extensions: { duplicates } })
  }
  const year = Number((fields.arrivalDate ?? '').slice(0, 4))
  return createDocument(deps, actor, fields, staged, context, {
    status: 'registered',
    auditAction: 'document.registered',
    auditDetails: duplicates.length > 0 ? { duplicateConfirmed: duplicates.map((d) => d.id) } : {},
    async withinTransaction(tx) {
      const register = await registerFor(tx, actor.agencyId, 'incoming', fields.secrecy > 0, options.registerId)
      const arrivalNumber = await assignNumber(tx, register, year)
      return { registerId: register.id, registerYear: year, arrivalNumber }
    },
  })
}
