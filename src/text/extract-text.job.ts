import { Readable } from 'node:stream'
import { appendAuditEvent } from '../audit/audit.service.ts'
import { type DocumentFileRow, findFile, insertFile } from '../documents/documents.repository.ts'
import type { Database, Tx } from '../platform/db/database.ts'
import type { JobContext, JobDefinition, JobQueue } from '../platform/jobs/job-queue.ts'
import { enqueueSearchSync } from '../search/search-outbox.ts'
import { discardBlobIfUnreferenced } from '../storage/blob-garbage.ts'
import { lockBlobKey } from '../storage/blob-references.ts'
import type { BlobStore, ByteRange, StoredBlob } from '../storage/blob-store.ts'
import type { ExtractionInput, ExtractionResult } from './extract.ts'
import { checkFileBudgets } from '../file-budgets/file-check.ts'
import { ExtractionError, NeedsOcrError } from './errors.ts'
import type { OcrPool } from './ocr-pool.ts'
import type { LazyOcrPool } from './text-ocr.ts'
import * as repository from './text.repository.ts'
import { EXTRACT_OCR_JOB, EXTRACT_TEXT_JOB, freshnessPriority } from './text.service.ts'

export interface TextJobDeps {
  database: Database
  blobStore: BlobStore
  jobs: Pick<JobQueue, 'send'>
  ocr: LazyOcrPool
  /** Files extracted at once by one process (OCR_CONCURRENCY). */
  concurrency: number
}

interface ExtractPayload {
  fileId: string
  documentId: string
}

const RETRY_LIMIT = 2
/** What the engine says about the bytes themselves; the rest (OCR workers, shutdown, storage) is retried. */
const PERMANENT = new Set([
  'unreadable-file',
  'encrypted',
  'too-many-pages',
  'image-too-large',
  'decoded-too-large',
  'too-deeply-nested',
  'too-many-objects',
  'scan-exhausted',
])
const JOB_CONTEXT = { actor: `job:${EXTRACT_TEXT_JOB}` }
/** Progress is written at most this often (a 300-page text layer reports 300 times in a second). */
const PROGRESS_EVERY_MS = 500

/**
 * Reads the text of one stored file, page by page (text layer, else OCR), stores it beside the file
 * and, for scans, a searchable PDF rendition. A file the engine cannot read fails for good, recorded on
 * the file; anything else (storage, database, a crashed worker) is retried, then recorded.
 */
export function extractTextJob(deps: TextJobDeps): JobDefinition<ExtractPayload> {
  return extractionJob(deps, { name: EXTRACT_TEXT_JOB, concurrency: TEXT_LAYER_CONCURRENCY, ocr: false })
}

/** The same reading for files that need OCR, on its own queue with OCR_CONCURRENCY. */
export function extractOcrJob(deps: TextJobDeps): JobDefinition<ExtractPayload> {
  return extractionJob(deps, { name: EXTRACT_OCR_JOB, concurrency: deps.concurrency, ocr: true })
}

/** Text layers are quick and light (no tesseract): a few at once, whatever OCR is doing. */
const TEXT_LAYER_CONCURRENCY = 2

/** A text-layer run meets a page that needs OCR: the file moves on to the OCR queue. */
const NO_OCR_HERE: OcrPool = {
  recognize: async () => {
    throw new NeedsOcrError('This page needs OCR.')
  },
  close: async () => {},
}

function extractionJob(
  deps: TextJobDeps,
  queue: { name: string; concurrency: number; ocr: boolean },
): JobDefinition<ExtractPayload> {
  return {
    name: queue.name,
    retryLimit: RETRY_LIMIT,
    retryDelaySeconds: 10,
    // OCR of a long scan at ~1.5 s a page: an hour covers ~2,000 pages.
    expireInSeconds: 3600,
    concurrency: queue.concurrency,
    async handler({ fileId, documentId }, context) {
      const file = await findFile(deps.database.db, documentId, fileId)
      if (!file) return { skipped: 'file-gone' }
      await repository.markRunning(deps.database.db, { fileId, documentId, jobId: context.jobId })
      try {
        // The engine (pdf.js, tesseract) is loaded by the first job, not at start-up.
        const { extractText } = await import('./extract.ts')
        const ocr = queue.ocr ? deps.ocr.lend() : NO_OCR_HERE
        return await storeResult(deps, file, await runEngine(deps, file, context, extractText, ocr))
      } catch (error) {
        if (error instanceof NeedsOcrError) return moveToOcrQueue(deps, file)
        const code = error instanceof ExtractionError ? error.code : 'extraction-error'
        const message = error instanceof Error ? error.message : String(error)
        if (PERMANENT.has(code)) {
          // Reading the same bytes again gives the same answer: the job completes, the file says why.
          await recordFailure(deps.database, file, code, message, 'failed')
          return { state: 'failed', errorCode: code }
        }
        await recordFailure(
          deps.database,
          file,
          code,
          message,
          context.attempt > RETRY_LIMIT ? 'failed' : 'pending',
        )
        throw error
      }
    },
  }
}

async function runEngine(
  deps: TextJobDeps,
  file: DocumentFileRow,
  context: JobContext,
  extractText: typeof import('./extract.ts').extractText,
  ocr: OcrPool,
): Promise<ExtractionResult> {
  // Budgets first, on the stored stream in a capped thread: a bomb is refused before any decoder runs here.
  await checkFileBudgets(deps.blobStore, file)
  const input = await inputOf(deps.blobStore, file)
  // Signed bytes stay as they are: their OCR text lives in document_pages only. A retry keeps the
  // rendition an earlier run stored.
  const hasRendition = (await repository.findSearchableRendition(deps.database.db, file.id)) !== undefined
  let lastWrite = 0
  return extractText(input, {
    ocr,
    signal: context.signal,
    searchable: file.signatureCount === 0 && !hasRendition,
    async onProgress(done, total) {
      const now = Date.now()
      if (done !== 0 && done !== total && now - lastWrite < PROGRESS_EVERY_MS) return
      lastWrite = now
      await context.reportProgress(done, total, 'pages')
      await repository.updateExtraction(deps.database.db, file.id, { pagesDone: done, pagesTotal: total })
    },
  })
}

/** In one transaction: the OCR job (keeping the file's place by its age) and the extraction row pointing at it. */
async function moveToOcrQueue(deps: TextJobDeps, file: DocumentFileRow) {
  const jobId = await deps.database.db.transaction(async (tx) => {
    const id = await deps.jobs.send(
      EXTRACT_OCR_JOB,
      { fileId: file.id, documentId: file.documentId },
      { executor: tx, priority: freshnessPriority(new Date(file.createdAt).getTime()) },
    )
    await repository.updateExtraction(tx, file.id, { state: 'pending', jobId: id })
    return id
  })
  return { movedTo: EXTRACT_OCR_JOB, jobId }
}

/** PDFs are read by ranges (pdf.js fetches what it parses); page images whole, in one buffer. */
async function inputOf(blobStore: BlobStore, file: DocumentFileRow): Promise<ExtractionInput> {
  const whole = async () => readWhole(blobStore, file)
  if (file.mediaType !== 'application/pdf') return { bytes: await whole(), mediaType: file.mediaType }
  const read = async (begin: number, end: number) =>
    readWhole(blobStore, file, { start: begin, end: Math.min(end, file.size) - 1 })
  return { ranges: { length: file.size, read, readAll: whole }, mediaType: 'application/pdf' }
}

/** The bytes (of a range) in one buffer of their size: no chunk list plus its concatenated copy. */
async function readWhole(
  blobStore: BlobStore,
  file: DocumentFileRow,
  range?: ByteRange,
): Promise<Uint8Array> {
  const size = range ? range.end - range.start + 1 : file.size
  const bytes = new Uint8Array(size)
  let offset = 0
  for await (const chunk of await blobStore.get(file.blobKey, range)) {
    const part = chunk as Buffer
    if (offset + part.length > size) throw new Error(`Stored file ${file.id} is longer than recorded.`)
    bytes.set(part, offset)
    offset += part.length
  }
  if (offset !== size) throw new Error(`Stored file ${file.id} is shorter than recorded.`)
  return bytes
}

/**
 * One transaction: the file's pages (replacing an earlier run's), the searchable rendition's row, the
 * extraction summary, the search outbox row and the audit event. The rendition's bytes are stored first.
 */
async function storeResult(deps: TextJobDeps, file: DocumentFileRow, result: ExtractionResult) {
  const blob = result.searchablePdf
    ? await deps.blobStore.put(Readable.from([Buffer.from(result.searchablePdf)]))
    : null
  // The engine's confidence is 0–1; document_pages keeps it as a percentage.
  const pages = result.pages.map((page) => ({
    ...page,
    confidence: page.confidence === null ? null : Math.round(page.confidence * 1000) / 10,
  }))
  const ocrPages = pages.filter((page) => page.engine === 'ocr')
  const confidences = ocrPages.map((page) => page.confidence).filter((c): c is number => c !== null)
  const meanConfidence =
    confidences.length > 0 ? confidences.reduce((a, b) => a + b, 0) / confidences.length : null
  const outcome = await deps.database.db.transaction(async (tx) => {
    if (!(await repository.lockExtraction(tx, file.id))) return { skipped: 'file-gone' as const }
    await repository.replacePages(
      tx,
      file.id,
      pages.map((page) => ({ ...page, fileId: file.id, documentId: file.documentId })),
    )
    const rendition = blob
      ? await storeRendition(tx, deps.blobStore, file, blob, result.pageCount)
      : undefined
    await repository.updateExtraction(tx, file.id, {
      state: 'done',
      pagesDone: result.pageCount,
      pagesTotal: result.pageCount,
      ocrPages: ocrPages.length,
      meanConfidence,
      errorCode: null,
      errorMessage: null,
    })
    // The search index converges on the new page texts: outbox row and a sync job, with this commit.
    await enqueueSearchSync(tx, file.documentId, deps.jobs)
    await appendAuditEvent(tx, JOB_CONTEXT, {
      action: 'document.text-extracted',
      targetType: 'document',
      targetId: file.documentId,
      details: {
        fileId: file.id,
        pages: result.pageCount,
        ocrPages: ocrPages.length,
        meanConfidence,
        ...(rendition ? { searchableFileId: rendition.id, searchableSha256: rendition.sha256 } : {}),
      },
    })
    return {
      state: 'done' as const,
      pages: result.pageCount,
      ocrPages: ocrPages.length,
      searchableFileId: rendition?.id ?? null,
    }
  })
  // Bytes no row points at (the file went, or a concurrent run stored its rendition first) are let go.
  if (blob?.created && !('searchableFileId' in outcome && outcome.searchableFileId)) {
    await discardBlobIfUnreferenced(deps.database, deps.blobStore, blob.key)
  }
  return outcome
}

/** The rendition row, unless a concurrent run stored one first (a file has at most one). */
async function storeRendition(
  tx: Tx,
  blobStore: BlobStore,
  source: DocumentFileRow,
  blob: StoredBlob,
  pageCount: number,
) {
  if (await repository.findSearchableRendition(tx, source.id)) return undefined
  await lockBlobKey(tx, blob.key)
  // Identical bytes may have been an orphan the sweep removed before the lock: retry the job then.
  if (!(await blobStore.stat(blob.key)))
    throw new Error('The searchable PDF vanished before it was referenced.')
  return insertFile(tx, {
    documentId: source.documentId,
    role: 'searchable',
    derivedFromId: source.id,
    fileName: `${source.fileName.replace(/\.[^.]+$/, '')} (OCR).pdf`,
    mediaType: 'application/pdf',
    size: blob.size,
    sha256: blob.sha256,
    blobKey: blob.key,
    pageCount,
    signatureCount: 0,
    createdBy: JOB_CONTEXT.actor,
  })
}

/** Records why a file has no text; a final failure is audited, a failure that will be retried is not. */
async function recordFailure(
  database: Database,
  file: DocumentFileRow,
  errorCode: string,
  message: string,
  state: 'failed' | 'pending',
): Promise<void> {
  await database.db.transaction(async (tx) => {
    await repository.updateExtraction(tx, file.id, { state, errorCode, errorMessage: message.slice(0, 500) })
    if (state !== 'failed') return
    await appendAuditEvent(tx, JOB_CONTEXT, {
      action: 'document.text-extraction-failed',
      targetType: 'document',
      targetId: file.documentId,
      details: { fileId: file.id, errorCode },
    })
  })
}
