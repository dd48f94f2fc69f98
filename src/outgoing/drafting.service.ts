/**
 * Soạn thảo (ND30 Điều 10–11): an officer (or anyone who drafts) creates a draft from a PDF or a DOCX
 * (converted to PDF; the DOCX is kept as the editable source), with its register fields, signer and
 * recipients; new versions keep the old ones. Only drafts and returned drafts change.
 */
import { Readable } from 'node:stream'
import { and, eq } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import { documentVisibility } from '../access/policy.ts'
import type { AuditContext } from '../audit/audit.service.ts'
import type { DocumentFields } from '../documents/document-fields.ts'
import * as documentsRepository from '../documents/documents.repository.ts'
import {
  createDocument,
  type DocumentsDeps,
  INSPECT_FILE_JOB,
  type StagedFile,
  safeFileName,
} from '../documents/documents.service.ts'
import type { Executor, Tx } from '../platform/db/database.ts'
import { agencies, documents, type users } from '../platform/db/schema/index.ts'
import { AppError, type FieldError, fieldError } from '../platform/errors.ts'
import { enqueueSearchSync } from '../search/search-outbox.ts'
import { lockBlobKey } from '../storage/blob-references.ts'
import type { StoredBlob } from '../storage/blob-store.ts'
import { queueTextExtraction } from '../text/text.service.ts'
import type { DraftFields } from './draft-fields.ts'
import { loadForAction } from './outgoing-access.ts'
import { recordOutgoingStep, type StepDeps } from './outgoing-steps.ts'
import * as repository from './outgoing.repository.ts'
import { recipientRows, toPlacesText } from './recipients.ts'

export type DraftingDeps = DocumentsDeps & StepDeps

/** The draft's files as staged: the PDF (made from the DOCX when one was sent) and the DOCX source. */
export interface DraftFiles {
  pdf: StagedFile
  source?: { blob: StoredBlob; fileName: string } | undefined
}

export const DOCX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

const unprocessable = (errors: FieldError[]) => new AppError('validation-failed', { status: 422, errors })
const field = (name: string, vi: string, en: string): FieldError => ({
  field: name,
  message: vi,
  messageEn: en,
})

/** Checks the people and documents the fields point at; returns the signer's name for the register. */
async function checkReferences(db: Executor, actor: Actor, fields: DraftFields) {
  const errors: FieldError[] = []
  let signer: typeof users.$inferSelect | undefined
  if (fields.signerUserId) {
    signer = await repository.userById(db, actor.agencyId, fields.signerUserId)
    if (!signer?.active || !signer.roles.includes('leader')) {
      errors.push(
        field(
          'signerId',
          'Người ký phải là lãnh đạo đang làm việc của cơ quan.',
          'The signer must be an active leader of the agency.',
        ),
      )
      signer = undefined
    }
  }
  if (fields.draftingDepartmentId) {
    const unit = await repository.departmentById(db, actor.agencyId, fields.draftingDepartmentId)
    if (!unit?.active)
      errors.push(
        field('draftingDepartmentId', 'Đơn vị soạn thảo không hợp lệ.', 'Not a valid drafting unit.'),
      )
  }
  const visibleDocument = async (
    name: string,
    id: string | null | undefined,
    direction: 'incoming' | 'outgoing',
  ) => {
    if (!id) return
    const [row] = await db
      .select({ id: documents.id, status: documents.status })
      .from(documents)
      .where(
        and(eq(documents.id, id), eq(documents.direction, direction), documentVisibility(actor, 'metadata')),
      )
    if (!row) errors.push(field(name, 'Không tìm thấy văn bản này.', 'No such document.'))
    else if (direction === 'outgoing' && !['issued', 'corrected'].includes(row.status))
      errors.push(
        field(
          name,
          'Chỉ thay thế, đính chính văn bản đã phát hành.',
          'Only an issued document can be replaced or corrected.',
        ),
      )
  }
  await visibleDocument('replyToDocumentId', fields.replyToDocumentId, 'incoming')
  await visibleDocument('replacesDocumentId', fields.replacesDocumentId, 'outgoing')
  await visibleDocument('correctsDocumentId', fields.correctsDocumentId, 'outgoing')
  if (fields.correctsDocumentId && fields.kindCode !== undefined && fields.kindCode !== null)
    errors.push(field('kind', 'Văn bản đính chính là công văn.', 'A correction is a công văn.'))
  if (errors.length > 0) throw unprocessable(errors)
  return { signer }
}

async function unitAbbreviation(db: Executor, agencyId: string, departmentId: string | null) {
  if (!departmentId) return null
  return (await repository.departmentById(db, agencyId, departmentId))?.abbreviation ?? null
}

/** POST /api/outgoing: a new draft, version 1, with its audit event and timeline entry. */
export async function createDraft(
  deps: DraftingDeps,
  actor: Actor,
  fields: DraftFields,
  files: DraftFiles,
  context: AuditContext,
) {
  const { db } = deps.database
  const { signer } = await checkReferences(db, actor, fields)
  const draftingDepartmentId = fields.draftingDepartmentId ?? actor.departmentId
  const [agency] = await db.select().from(agencies).where(eq(agencies.id, actor.agencyId))
  const documentFields: DocumentFields = {
    direction: 'outgoing',
    kind: fields.kind ?? null,
    kindCode: fields.kindCode ?? null,
    codeNumber: null,
    codeNotation: null,
    issuedDate: null,
    issuerName: agency?.name ?? null,
    subject: fields.subject ?? null,
    language: 'vi',
    pageCount: null,
    description: fields.description ?? null,
    signerName: signer?.fullName.slice(0, 50) ?? null,
    signerPosition: fields.signerPosition ?? null,
    urgency: fields.urgency ?? 0,
    secrecy: fields.secrecy ?? 0,
    dueDate: fields.dueDate ?? null,
    arrivalDate: null,
    toPlaces: null,
  }
  return createDocument(deps, actor, documentFields, files.pdf, context, {
    status: 'draft',
    auditAction: 'outgoing.drafted',
    auditDetails: { version: 1, source: files.source ? 'docx' : 'pdf' },
    withinTransaction: async (tx, document) => {
      const recipients = await recipientRows(tx, actor.agencyId, document.id, fields.recipients ?? [])
      await repository.replaceRecipients(tx, document.id, recipients)
      const outgoing = await repository.insertOutgoing(tx, {
        documentId: document.id,
        drafterUserId: actor.userId,
        draftingDepartmentId,
        signerUserId: fields.signerUserId ?? null,
        authorityPrefix: fields.authorityPrefix ?? null,
        authorityName: fields.authorityName ?? null,
        legalNormative: fields.legalNormative ?? false,
        replyToDocumentId: fields.replyToDocumentId ?? null,
        replacesDocumentId: fields.replacesDocumentId ?? null,
        correctsDocumentId: fields.correctsDocumentId ?? null,
      })
      await repository.addParticipant(tx, document.id, 'drafter', { userId: actor.userId })
      if (outgoing.signerUserId)
        await repository.addParticipant(tx, document.id, 'signer', { userId: outgoing.signerUserId })
      const abbreviation = await unitAbbreviation(tx, actor.agencyId, draftingDepartmentId)
      return {
        ownerDepartmentId: draftingDepartmentId,
        toPlaces: toPlacesText(
          recipients.map((r) => r.label),
          abbreviation,
        ),
      }
    },
    afterFiles: async (tx, document, created) => {
      const source = files.source ? await insertSource(tx, document.id, files.source, context) : undefined
      await repository.insertVersion(tx, {
        documentId: document.id,
        version: 1,
        pdfFileId: created[0]!.id,
        sourceFileId: source?.id ?? null,
        createdBy: actor.userId,
      })
    },
  })
}

async function insertSource(
  tx: Tx,
  documentId: string,
  source: NonNullable<DraftFiles['source']>,
  context: AuditContext,
) {
  await lockBlobKey(tx, source.blob.key)
  return documentsRepository.insertFile(tx, {
    documentId,
    role: 'source',
    fileName: safeFileName(source.fileName),
    mediaType: DOCX_MEDIA_TYPE,
    size: source.blob.size,
    sha256: source.blob.sha256,
    blobKey: source.blob.key,
    createdBy: context.actor,
  })
}

/** PATCH /api/outgoing/:id: changes the fields of a draft (or a returned draft). */
export async function editDraft(
  deps: DraftingDeps,
  actor: Actor,
  documentId: string,
  fields: DraftFields,
  context: AuditContext,
) {
  return deps.database.db.transaction(async (tx) => {
    const { document, outgoing } = await loadForAction(tx, actor, documentId, 'edit')
    const merged: DraftFields = {
      ...fields,
      kindCode: fields.kind !== undefined ? fields.kindCode : document.kindCode,
    }
    const { signer } = await checkReferences(tx, actor, merged)
    if (fields.secrecy !== undefined && fields.secrecy > actor.clearance)
      throw new AppError('validation-failed', {
        errors: [fieldError('secrecy', 'field-insufficient-clearance')],
      })
    const outgoingValues: Partial<repository.OutgoingRow> = {}
    for (const key of [
      'authorityPrefix',
      'authorityName',
      'legalNormative',
      'replyToDocumentId',
      'replacesDocumentId',
      'correctsDocumentId',
      'draftingDepartmentId',
    ] as const) {
      if (fields[key] !== undefined) Object.assign(outgoingValues, { [key]: fields[key] })
    }
    if (fields.signerUserId !== undefined) {
      outgoingValues.signerUserId = fields.signerUserId
      await repository.deactivateParticipants(tx, document.id, 'signer')
      if (fields.signerUserId)
        await repository.addParticipant(tx, document.id, 'signer', { userId: fields.signerUserId })
    }
    const updated =
      Object.keys(outgoingValues).length > 0
        ? await repository.updateOutgoing(tx, document.id, outgoingValues)
        : outgoing
    const documentValues: Partial<documentsRepository.NewDocumentRow> = {}
    if (fields.kind !== undefined)
      Object.assign(documentValues, { kind: fields.kind, kindCode: fields.kindCode ?? null })
    for (const key of ['subject', 'urgency', 'secrecy', 'dueDate', 'description', 'signerPosition'] as const)
      if (fields[key] !== undefined) Object.assign(documentValues, { [key]: fields[key] })
    if (fields.signerUserId !== undefined) documentValues.signerName = signer?.fullName.slice(0, 50) ?? null
    if (fields.draftingDepartmentId !== undefined)
      documentValues.ownerDepartmentId = fields.draftingDepartmentId
    if (fields.recipients !== undefined) {
      const rows = await recipientRows(tx, actor.agencyId, document.id, fields.recipients)
      await repository.replaceRecipients(tx, document.id, rows)
      const abbreviation = await unitAbbreviation(tx, actor.agencyId, updated.draftingDepartmentId)
      documentValues.toPlaces = toPlacesText(
        rows.map((r) => r.label),
        abbreviation,
      )
    }
    const changed = await documentsRepository.updateDocument(tx, document.id, documentValues)
    await recordOutgoingStep(tx, deps, context, {
      actor,
      document: changed,
      action: 'outgoing.edited',
      fromStatus: document.status,
      toStatus: document.status,
      details: { fields: Object.keys(fields) },
    })
    return changed
  })
}

/** POST /api/outgoing/:id/versions: a new PDF (and DOCX source) of a draft; earlier versions stay. */
export async function addVersion(
  deps: DraftingDeps,
  actor: Actor,
  documentId: string,
  files: DraftFiles,
  note: string | null,
  context: AuditContext,
) {
  return deps.database.db.transaction(async (tx) => {
    const { document, outgoing } = await loadForAction(tx, actor, documentId, 'new-version')
    const staged = [files.pdf.blob, ...(files.source ? [files.source.blob] : [])]
    for (const blob of staged) {
      await lockBlobKey(tx, blob.key)
      if (!(await deps.blobStore.stat(blob.key)))
        throw new AppError('conflict', { detail: 'The stored file vanished.' })
    }
    const version = outgoing.currentVersion + 1
    const pdf = await documentsRepository.insertFile(tx, {
      documentId: document.id,
      role: 'original',
      fileName: files.pdf.fileName,
      mediaType: 'application/pdf',
      size: files.pdf.blob.size,
      sha256: files.pdf.blob.sha256,
      blobKey: files.pdf.blob.key,
      pageCount: files.pdf.pageCount ?? null,
      signatureCount: files.pdf.signatureCount ?? 0,
      createdBy: context.actor,
    })
    const source = files.source ? await insertSource(tx, document.id, files.source, context) : undefined
    await repository.insertVersion(tx, {
      documentId: document.id,
      version,
      pdfFileId: pdf.id,
      sourceFileId: source?.id ?? null,
      note,
      createdBy: actor.userId,
    })
    await repository.updateOutgoing(tx, document.id, { currentVersion: version, numberFields: null })
    await queueTextExtraction(tx, deps.jobs, pdf)
    await deps.jobs.send(INSPECT_FILE_JOB, { fileId: pdf.id, documentId: document.id }, { executor: tx })
    await enqueueSearchSync(tx, document.id, deps.jobs)
    await recordOutgoingStep(tx, deps, context, {
      actor,
      document,
      action: 'outgoing.version-added',
      fromStatus: document.status,
      toStatus: document.status,
      comment: note,
      details: { version, fileId: pdf.id, source: source ? 'docx' : 'pdf' },
    })
    return { version, fileId: pdf.id }
  })
}

/** Stores a converted PDF's bytes as a staged file (not yet referenced by any row). */
export async function stagePdfBytes(
  deps: Pick<DocumentsDeps, 'blobStore'>,
  bytes: Buffer,
  fileName: string,
): Promise<StagedFile> {
  const blob = await deps.blobStore.put(Readable.from([bytes]))
  const signatureCount = (bytes.toString('latin1').match(/\/ByteRange\s*\[/g) ?? []).length
  return {
    blob,
    fileName: safeFileName(fileName.replace(/\.docx$/i, '.pdf')),
    mediaType: 'application/pdf',
    signatureCount,
  }
}
