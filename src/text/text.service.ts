import type { Actor } from '../access/actor.ts'
import { documentVisibility } from '../access/policy.ts'
import { findDocument } from '../documents/documents.repository.ts'
import type { Database, Tx } from '../platform/db/database.ts'
import { AppError } from '../platform/errors.ts'
import { isUuid } from '../platform/ids.ts'
import type { JobQueue } from '../platform/jobs/job-queue.ts'
import * as repository from './text.repository.ts'

/** Text layers of PDFs: quick, never waiting behind OCR. A PDF page that needs OCR moves its file on. */
export const EXTRACT_TEXT_JOB = 'text.extract'
/** Files that need OCR (page images, scanned PDFs): their own queue and concurrency (OCR_CONCURRENCY). */
export const EXTRACT_OCR_JOB = 'text.extract-ocr'

/**
 * Newer registrations are read first (pg-boss fetches the highest priority, then the oldest): a clerk
 * looking at what was just registered gets its text while a backlog drains behind it. Minutes since
 * 2026 keep the number small and growing.
 */
export function freshnessPriority(now = Date.now()): number {
  return Math.max(1, Math.floor((now - Date.UTC(2026, 0, 1)) / 60_000))
}

/** Files whose text is read: PDFs (text layer, else OCR) and page images (OCR). */
const EXTRACTABLE_MEDIA_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/tiff'])

/** Renditions made from another file are never extracted again: their source's pages are the text. */
const EXTRACTED_ROLES = new Set(['original', 'attachment'])

export function needsTextExtraction(file: { role: string; mediaType: string }): boolean {
  return EXTRACTED_ROLES.has(file.role) && EXTRACTABLE_MEDIA_TYPES.has(file.mediaType)
}

/** Where a file's extraction stands, as the document view shows it. */
export interface FileTextState {
  state: 'pending' | 'running' | 'done' | 'failed'
  pagesDone: number
  pagesTotal: number | null
  jobId: string | null
}

/**
 * Queues the text extraction of a new file inside the transaction that stores it, so the file never
 * exists without its job (and the job never runs for a file that was rolled back).
 */
export async function queueTextExtraction(
  tx: Tx,
  jobs: Pick<JobQueue, 'send'>,
  file: { id: string; documentId: string; role: string; mediaType: string },
): Promise<FileTextState | null> {
  if (!needsTextExtraction(file)) return null
  // Page images always need OCR; a PDF starts on the text-layer queue.
  const jobId = await jobs.send(
    file.mediaType === 'application/pdf' ? EXTRACT_TEXT_JOB : EXTRACT_OCR_JOB,
    { fileId: file.id, documentId: file.documentId },
    { executor: tx, priority: freshnessPriority() },
  )
  await repository.insertPendingExtraction(tx, { fileId: file.id, documentId: file.documentId, jobId })
  return { state: 'pending', pagesDone: 0, pagesTotal: null, jobId }
}

export function toTextState(row: repository.TextExtractionRow): FileTextState {
  return {
    state: row.state as FileTextState['state'],
    pagesDone: row.pagesDone,
    pagesTotal: row.pagesTotal,
    jobId: row.jobId,
  }
}

/** Each file's extraction state, by file id (files never queued are absent). */
export async function textStatesOf(
  database: Database,
  fileIds: string[],
): Promise<Map<string, FileTextState>> {
  const rows = await repository.extractionsOf(database.db, fileIds)
  return new Map(rows.map((row) => [row.fileId, toTextState(row)]))
}

/**
 * The recognised text of every file of a document, page by page, with where each extraction stands.
 * Reading it is reading the document's content: the same policy as opening its files.
 */
export async function getDocumentText(database: Database, actor: Actor, documentId: string) {
  const document = isUuid(documentId)
    ? await findDocument(database.db, documentId, documentVisibility(actor, 'content'))
    : undefined
  if (!document) throw new AppError('not-found')
  const [extractions, pages] = await Promise.all([
    repository.extractionsOfDocument(database.db, document.id),
    repository.pagesOfDocument(database.db, document.id),
  ])
  return {
    files: extractions.map((row) => ({
      fileId: row.fileId,
      ...toTextState(row),
      ocrPages: row.ocrPages,
      meanConfidence: row.meanConfidence,
      errorCode: row.errorCode,
      errorMessage: row.errorMessage,
      pages: pages
        .filter((page) => page.fileId === row.fileId)
        .map((page) => ({
          pageNumber: page.pageNumber,
          text: page.text,
          engine: page.engine as 'text-layer' | 'ocr',
          confidence: page.confidence,
        })),
    })),
  }
}
