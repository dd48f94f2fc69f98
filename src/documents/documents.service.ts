import { pipeline, type Readable } from 'node:stream'
import type { Actor } from '../access/actor.ts'
import { documentVisibility } from '../access/policy.ts'
import { type AuditContext, appendAuditEvent } from '../audit/audit.service.ts'
import type { Database, Tx } from '../platform/db/database.ts'
import { AppError, fieldError } from '../platform/errors.ts'
import { isUuid } from '../platform/ids.ts'
import { documentGrants } from '../platform/db/schema/index.ts'
import type { JobQueue } from '../platform/jobs/job-queue.ts'
import { discardBlobIfUnreferenced } from '../storage/blob-garbage.ts'
import { lockBlobKey } from '../storage/blob-references.ts'
import type { BlobStore, StoredBlob } from '../storage/blob-store.ts'
import { enqueueSearchSync } from '../search/search-outbox.ts'
import { appendFirstTimelineEntry, timelineActor } from '../timeline/timeline.ts'
import { queueTextExtraction, textStatesOf } from '../text/text.service.ts'
import { needsSignatureVerification, sendSignatureVerification } from '../signatures/verify/verify-signatures.job.ts'
import type { DocumentFields } from './document-fields.ts'
import * as repository from './documents.repository.ts'
import { declaredMediaType, MediaTypeGuard, type SupportedMediaType } from './media-types.ts'
import { SignatureSniffer } from './signature-sniffer.ts'

export interface DocumentsDeps {
  database: Database
  blobStore: BlobStore
  jobs: JobQueue
}

/** An uploaded file whose bytes are safely in the blob store, not yet referenced by any row. */
export interface StagedFile {
  blob: StoredBlob
  fileName: string
  mediaType: SupportedMediaType
  /** Known when the file was made here (images joined into one PDF). */
  pageCount?: number
  /** Signature dictionaries seen in a PDF's bytes. */
  signatureCount?: number
}

export interface IncomingFile {
  stream: Readable
  fileName: string
  contentType: string | undefined
  /** Fires when the transport cut the file at the size limit (multipart truncates silently). */
  onTruncated(listener: () => void): void
}

export const INSPECT_FILE_JOB = 'document-file.inspect'

/**
 * Streams an upload into the blob store, checking its declared type against its first bytes and its
 * size against the limit. Refused uploads leave nothing stored.
 */
export async function stageUpload(deps: DocumentsDeps, file: IncomingFile): Promise<StagedFile> {
  const fileName = safeFileName(file.fileName)
  let declared: SupportedMediaType | undefined
  try {
    declared = declaredMediaType(file.contentType, fileName)
  } catch (error) {
    file.stream.resume()
    throw error
  }
  const guard = new MediaTypeGuard(declared)
  const signatures = new SignatureSniffer()
  file.onTruncated(() => guard.destroy(new AppError('upload-too-large')))
  const body = pipeline(file.stream, guard, signatures, () => {})
  const blob = await deps.blobStore.put(body)
  if (blob.size === 0 || !guard.detected) {
    await discardStaged(deps, blob)
    throw new AppError('upload-empty')
  }
  const signatureCount = guard.detected === 'application/pdf' ? signatures.count : 0
  return { blob, fileName, mediaType: guard.detected, signatureCount }
}

/** Undoes stageUpload for a request that failed after its file was stored. */
export async function discardStaged(deps: DocumentsDeps, blob: StoredBlob): Promise<void> {
  if (blob.created) await discardBlobIfUnreferenced(deps.database, deps.blobStore, blob.key)
}

export interface CreateOptions {
  /** Initial status; default: incoming `received`, outgoing `draft`. */
  status?: string
  /** Runs inside the transaction once the document row exists (numbering, extra audit events). */
  withinTransaction?: (tx: Tx, document: repository.DocumentRow) => Promise<Partial<repository.NewDocumentRow> | undefined>
  auditAction?: string
  auditDetails?: Record<string, unknown>
  /** The document's first timeline step; default: registered, draft-saved, drafted or received by status. */
  timelineAction?: string
  /** Runs inside the transaction once the file rows exist (rows that point at them). */
  afterFiles?: (tx: Tx, document: repository.DocumentRow, files: repository.DocumentFileRow[]) => Promise<void>
  /**
   * Runs last, after the files and jobs, just before the timeline step and the audit event: for work
   * that takes a lock every registration waits for (the số đến counter), so it is held only through the
   * statements that need its result and the commit.
   */
  lastInTransaction?: (tx: Tx, document: repository.DocumentRow) => Promise<repository.DocumentRow>
}

/** The first step of a new document's timeline, by its status and direction. */
function firstStep(document: repository.DocumentRow): string {
  if (document.status === 'registered') return 'registered'
  if (document.direction === 'outgoing') return 'drafted'
  return document.status === 'draft' ? 'draft-saved' : 'received'
}

/**
 * Stores a document and its files in one transaction with its audit event and the jobs that inspect its
 * files. The first file is the original; the others are attachments.
 */
export async function createDocument(
  deps: DocumentsDeps,
  actor: Actor,
  fields: DocumentFields,
  staged: StagedFile | StagedFile[],
  context: AuditContext,
  options: CreateOptions = {},
) {
  const stagedFiles = Array.isArray(staged) ? staged : [staged]
  if (fields.secrecy > actor.clearance) {
    throw new AppError('validation-failed', { errors: [fieldError('secrecy', 'field-insufficient-clearance')] })
  }
  return deps.database.db.transaction(async (tx) => {
    for (const { blob } of stagedFiles) {
      await lockBlobKey(tx, blob.key)
      // The lock keeps the sweep away from here on; the blob must still be there to be referenced.
      if (!(await deps.blobStore.stat(blob.key))) throw new AppError('conflict', { detail: 'The stored file vanished.' })
    }
    let document = await repository.insertDocument(tx, {
      ...fields,
      status: options.status ?? (fields.direction === 'incoming' ? 'received' : 'draft'),
      agencyId: actor.agencyId,
      ownerDepartmentId: actor.departmentId,
      createdBy: context.actor,
    })
    const extra = await options.withinTransaction?.(tx, document)
    if (extra) document = await repository.updateDocument(tx, document.id, extra)
    const files = []
    for (const [index, file] of stagedFiles.entries()) {
      const singlePage = file.mediaType === 'image/png' || file.mediaType === 'image/jpeg'
      files.push(
        await repository.insertFile(tx, {
          documentId: document.id,
          role: index === 0 ? 'original' : 'attachment',
          fileName: file.fileName,
          mediaType: file.mediaType,
          size: file.blob.size,
          sha256: file.blob.sha256,
          blobKey: file.blob.key,
          pageCount: singlePage ? 1 : (file.pageCount ?? null),
          signatureCount: file.signatureCount ?? 0,
          createdBy: context.actor,
        }),
      )
    }
    await options.afterFiles?.(tx, document, files)
    // Whoever registers a secret document keeps access to it; everyone else needs a grant.
    if (document.secrecy > 0) {
      await tx.insert(documentGrants).values({ documentId: document.id, userId: actor.userId, grantedBy: actor.userId })
    }
    // The search sync, text and inspection jobs go in with one statement; the outbox row and the
    // text-extraction rows are independent, so they are sent together (pipelined).
    const jobs = deps.jobs.batch(tx)
    const [, { texts, inspectJobId }] = await Promise.all([
      enqueueSearchSync(tx, document.id, jobs),
      queueFileJobs(tx, jobs, document.id, files),
    ])
    await jobs.flush()
    // From here to the commit, rows every registration locks (counter, audit head): nothing else.
    if (options.lastInTransaction) document = await options.lastInTransaction(tx, document)
    // The step and the audit event go out together (one round trip, pipelined on the transaction's
    // connection) while the counter and then the audit head are held.
    const step = appendFirstTimelineEntry(tx, {
      documentId: document.id,
      action: options.timelineAction ?? firstStep(document),
      actor: timelineActor(actor),
      details: {
        ...(document.arrivalNumber ? { incomingNumber: document.arrivalNumber, receivedDate: document.arrivalDate } : {}),
        ...(document.codeNumber ? { numberNotation: `${document.codeNumber}/${document.codeNotation}` } : {}),
        ...(options.auditDetails?.duplicateConfirmed ? { duplicateConfirmed: true } : {}),
      },
    }, document.status)
    const audit = appendAuditEvent(tx, context, {
      action: options.auditAction ?? 'document.created',
      targetType: 'document',
      targetId: document.id,
      details: {
        direction: document.direction,
        status: document.status,
        numberNotation: document.codeNumber ? `${document.codeNumber}/${document.codeNotation}` : null,
        ...(document.arrivalNumber ? { incomingNumber: document.arrivalNumber, registerId: document.registerId } : {}),
        files: files.map((f) => ({ id: f.id, sha256: f.sha256, size: f.size, mediaType: f.mediaType })),
        ...options.auditDetails,
      },
    })
    await Promise.all([step, audit])
    return { document, files: texts, inspectJobId }
  })
}

/** The jobs a new document's files call for (text, signatures, page count), queued with its transaction. */
async function queueFileJobs(tx: Tx, jobs: Pick<JobQueue, 'send'>, documentId: string, files: repository.DocumentFileRow[]) {
  let inspectJobId: string | null = null
  const texts = []
  for (const file of files) {
    texts.push({ ...file, text: await queueTextExtraction(tx, jobs, file) })
    if (needsSignatureVerification(file)) {
      await sendSignatureVerification(tx, jobs, { documentId, fileId: file.id })
    }
    if (file.pageCount !== null) continue
    const id = await jobs.send(INSPECT_FILE_JOB, { fileId: file.id, documentId }, { executor: tx })
    inspectJobId ??= id
  }
  return { texts, inspectJobId }
}

/** A document the actor may know about; 404 otherwise, whether it exists or not. */
export async function getDocument(deps: Pick<DocumentsDeps, 'database'>, actor: Actor, id: string) {
  const visible = documentVisibility(actor, 'metadata')
  const document = isUuid(id) ? await repository.findDocument(deps.database.db, id, visible) : undefined
  if (!document) throw new AppError('not-found')
  const files = await repository.filesOf(deps.database.db, [document.id])
  const texts = await textStatesOf(deps.database, files.map((file) => file.id))
  return { document, files: files.map((file) => ({ ...file, text: texts.get(file.id) ?? null })) }
}

export async function listDocuments(
  deps: Pick<DocumentsDeps, 'database'>,
  actor: Actor,
  filter: Omit<repository.DocumentListFilter, 'visible'>,
  limit: number,
) {
  const visible = documentVisibility(actor, 'metadata')
  const rows = await repository.listDocuments(deps.database.db, { ...filter, visible }, limit + 1)
  const page = rows.slice(0, limit)
  const files = await repository.filesOf(
    deps.database.db,
    page.map((row) => row.id),
  )
  const last = page.at(-1)
  return {
    items: page.map((document) => ({ document, files: files.filter((file) => file.documentId === document.id) })),
    next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : undefined,
  }
}

/**
 * A file the actor may open, after recording the view in the audit trail (every view or download of a
 * document's content is audited). 404 when the file does not exist or the actor may not open it.
 */
export async function openFileContent(
  deps: Pick<DocumentsDeps, 'database' | 'blobStore'>,
  actor: Actor,
  documentId: string,
  fileId: string,
  context: AuditContext & { range?: string | undefined },
) {
  if (!isUuid(documentId) || !isUuid(fileId)) throw new AppError('not-found')
  const visible = documentVisibility(actor, 'content')
  return deps.database.db.transaction(async (tx) => {
    const file = await repository.findFile(tx, documentId, fileId, visible)
    if (!file) throw new AppError('not-found')
    // Destroyed by a disposition decision (src/records): the description stays, the bytes are gone.
    if (file.destroyedAt) throw new AppError('record-destroyed')
    // A viewer fetches one file in many ranges: one event per view, at its first byte.
    const continuation = context.range !== undefined && !/^bytes=0-/.test(context.range)
    if (continuation) return file
    await appendAuditEvent(tx, context, {
      action: 'document.content-viewed',
      targetType: 'document',
      targetId: documentId,
      details: { fileId, sha256: file.sha256, ...(context.range ? { range: context.range } : {}) },
    })
    return file
  })
}

/**
 * Keeps the visible name of an uploaded file and drops what could be a path, a quote or an invisible
 * character: controls (C0, C1), format characters (the bidirectional overrides and isolates that make
 * "invoice\u202efdp.exe" read as "invoiceexe.pdf", zero-width characters, soft hyphens, BOM) and line
 * or paragraph separators.
 */
export function safeFileName(name: string): string {
  const base = name.normalize('NFC').split(/[\\/]/).pop() ?? ''
  const cleaned = stripInvisible(base).replace(/"/g, '').trim()
  return shortenFileName(cleaned || 'tai-lieu')
}

const FILE_NAME_MAX = 255

/** Over 255 characters: cut at a word's end, mark the cut with "…" and keep the extension. */
function shortenFileName(name: string): string {
  if (name.length <= FILE_NAME_MAX) return name
  const extension = /\.[\p{L}\p{N}]{1,10}$/u.exec(name)?.[0] ?? ''
  const head = name.slice(0, FILE_NAME_MAX - extension.length - 1)
  const wordEnd = Math.max(...[' ', '_', '-', '.', ','].map((separator) => head.lastIndexOf(separator)))
  const cut = wordEnd > head.length - 40 ? head.slice(0, wordEnd) : head
  return `${cut.trimEnd()}…${extension}`
}

/** Removes control, format and separator characters (Unicode Cc, Cf, Zl, Zp) from a name. */
export function stripInvisible(name: string): string {
  return name.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
}
