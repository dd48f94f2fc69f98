/**
 * Bản sao (ND30 Điều 25–27, Phụ lục I box 14): an electronic copy — sao y (the whole document as issued),
 * sao lục (the same, from a copy), trích sao (chosen pages) — is its own document, numbered in the copies
 * book (`07/SY`), sealed by the văn thư with the image-less copy stamp (the copy form, the agency, the ISO
 * 8601 time) and linked to the original both ways. It is then issued like any document.
 */
import { Readable } from 'node:stream'
import { buffer } from 'node:stream/consumers'
import { and, eq } from 'drizzle-orm'
import { PDFDocument } from 'pdf-lib'
import type { Actor } from '../access/actor.ts'
import { documentVisibility } from '../access/policy.ts'
import type { AuditContext } from '../audit/audit.service.ts'
import { vietnamToday } from '../documents/document-fields.ts'
import { findDocumentKind } from '../documents/document-kinds.ts'
import * as documentsRepository from '../documents/documents.repository.ts'
import type { CopyFormCode } from '../platform/db/schema/index.ts'
import { agencies, documents } from '../platform/db/schema/index.ts'
import { AppError } from '../platform/errors.ts'
import { isUuid } from '../platform/ids.ts'
import { enqueueSearchSync } from '../search/search-outbox.ts'
import type { CopyForm } from '../signatures/appearance/index.ts'
import { unlockAgencySeal } from '../signatures/credentials/credentials.service.ts'
import { newestSignable } from '../signatures/signing/signing.repository.ts'
import { type SigningDeps, sealDocument } from '../signatures/signing/signing.service.ts'
import { lockBlobKey } from '../storage/blob-references.ts'
import { appendTimelineEntry, timelineActor } from '../timeline/timeline.ts'
import { assignNumber } from './numbering.service.ts'
import { recordOutgoingStep } from './outgoing-steps.ts'
import * as repository from './outgoing.repository.ts'

const STAMP_FORMS: Record<CopyFormCode, CopyForm> = { SY: 'SAO Y', SL: 'SAO LỤC', TrS: 'TRÍCH SAO' }
const KINDS: Record<CopyFormCode, string> = { SY: 'Bản sao y', SL: 'Bản sao lục', TrS: 'Bản trích sao' }

export interface CopyInput {
  form: CopyFormCode
  pin: string
  /** Trích sao: the 1-based pages to copy. */
  pages?: number[] | undefined
  comment?: string | undefined
}

const field = (name: string, vi: string, en: string) =>
  new AppError('validation-failed', { status: 422, errors: [{ field: name, message: vi, messageEn: en }] })

/** The copied PDF: the original's newest signed bytes as they are, or a new PDF of the chosen pages. */
async function copiedBytes(deps: SigningDeps, source: documentsRepository.DocumentFileRow, input: CopyInput) {
  if (input.form !== 'TrS') return undefined
  if (!input.pages?.length) throw field('pages', 'Chọn các trang trích sao.', 'Choose the pages to extract.')
  const original = await PDFDocument.load(await buffer(await deps.blobStore.get(source.blobKey)), {
    updateMetadata: false,
  })
  const count = original.getPageCount()
  const pages = [...new Set(input.pages)].sort((a, b) => a - b)
  if (pages.some((p) => !Number.isInteger(p) || p < 1 || p > count))
    throw field('pages', `Văn bản có ${count} trang.`, `The document has ${count} pages.`)
  const extract = await PDFDocument.create()
  for (const page of await extract.copyPages(
    original,
    pages.map((p) => p - 1),
  ))
    extract.addPage(page)
  return { bytes: Buffer.from(await extract.save()), pageCount: pages.length, pages }
}

/** POST /api/documents/:id/copies: the copy, numbered and sealed; answers its id and number. */
export async function makeCopy(
  deps: SigningDeps,
  actor: Actor,
  originalId: string,
  input: CopyInput,
  context: AuditContext,
) {
  const { db } = deps.database
  if (!isUuid(originalId)) throw new AppError('not-found')
  const [original] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.id, originalId), documentVisibility(actor, 'content')))
  if (!original) throw new AppError('not-found')
  const outgoing = await repository.findOutgoing(db, original.id)
  if (outgoing && !['issued', 'corrected'].includes(original.status))
    throw new AppError('transition-not-allowed', {
      detail: 'Chỉ sao văn bản đã phát hành. / Only an issued document can be copied.',
      extensions: { documentStatus: original.status, allowedActions: [] },
    })
  const source = await newestSignable(db, original.id)
  if (source?.mediaType !== 'application/pdf')
    throw new AppError('conflict', {
      detail: 'Văn bản không có tệp PDF để sao. / The document has no PDF to copy.',
    })
  // The PIN is checked before anything is numbered: a wrong PIN leaves no copy behind.
  await unlockAgencySeal(deps, { actor, pin: input.pin, context })
  const extract = await copiedBytes(deps, source, input)
  const blob = extract ? await deps.blobStore.put(Readable.from([extract.bytes])) : undefined
  const copy = await db.transaction(async (tx) => {
    const kind = findDocumentKind(KINDS[input.form])!
    const [agency] = await tx
      .select({ name: agencies.name })
      .from(agencies)
      .where(eq(agencies.id, actor.agencyId))
    const created = await documentsRepository.insertDocument(tx, {
      direction: 'outgoing',
      status: 'signed',
      kind: kind.name,
      kindCode: kind.code,
      subject: original.subject,
      issuerName: agency?.name ?? null,
      secrecy: original.secrecy,
      urgency: original.urgency,
      pageCount: extract?.pageCount ?? original.pageCount,
      description:
        `${KINDS[input.form]} văn bản số ${[original.codeNumber, original.codeNotation].filter(Boolean).join('/') || '(chưa có số)'}`.slice(
          0,
          500,
        ),
      agencyId: actor.agencyId,
      ownerDepartmentId: actor.departmentId,
      createdBy: context.actor,
    })
    const row = await repository.insertOutgoing(tx, {
      documentId: created.id,
      drafterUserId: actor.userId,
      draftingDepartmentId: actor.departmentId,
      copyOfDocumentId: original.id,
      copyForm: input.form,
    })
    await repository.addParticipant(tx, created.id, 'drafter', { userId: actor.userId })
    if (blob) await lockBlobKey(tx, blob.key)
    else await lockBlobKey(tx, source.blobKey)
    await documentsRepository.insertFile(tx, {
      documentId: created.id,
      role: extract ? 'original' : 'signed',
      derivedFromId: source.id,
      fileName: `${KINDS[input.form]} - ${source.fileName}`.slice(0, 255),
      mediaType: 'application/pdf',
      size: blob?.size ?? source.size,
      sha256: blob?.sha256 ?? source.sha256,
      blobKey: blob?.key ?? source.blobKey,
      pageCount: extract?.pageCount ?? source.pageCount,
      signatureCount: extract ? 0 : source.signatureCount,
      createdBy: context.actor,
    })
    const number = await assignNumber(tx, created, row, { issuedDate: vietnamToday() })
    await repository.updateOutgoing(tx, created.id, {
      outgoingNumber: number.outgoingNumber,
      numberedAt: new Date(),
      numberedBy: actor.userId,
    })
    const numbered = await documentsRepository.updateDocument(tx, created.id, { status: 'numbered' })
    await recordOutgoingStep(tx, deps, context, {
      actor,
      document: numbered,
      action: 'outgoing.copied',
      fromStatus: 'signed',
      toStatus: 'numbered',
      comment: input.comment ?? null,
      details: {
        copyOf: original.id,
        form: input.form,
        numberNotation: number.numberNotation,
        pages: extract?.pages ?? null,
      },
    })
    // The original's timeline says a copy was made.
    await appendTimelineEntry(tx, {
      documentId: original.id,
      action: 'copy-made',
      actor: timelineActor(actor),
      details: { copyId: created.id, form: input.form, numberNotation: number.numberNotation },
    })
    await enqueueSearchSync(tx, original.id, deps.jobs)
    return { id: created.id, number }
  })
  await sealDocument(
    deps,
    actor,
    copy.id,
    { pin: input.pin, appearance: 'stamp', copyForm: STAMP_FORMS[input.form] },
    context,
  )
  return { documentId: copy.id, ...copy.number }
}
