import { buffer } from 'node:stream/consumers'
import { appendAuditEvent } from '../audit/audit.service.ts'
import { checkFileBudgets } from '../file-budgets/file-check.ts'
import type { JobDefinition } from '../platform/jobs/job-queue.ts'
import { ExtractionError } from '../text/errors.ts'
import * as repository from './documents.repository.ts'
import { type DocumentsDeps, INSPECT_FILE_JOB } from './documents.service.ts'
import type { SupportedMediaType } from './media-types.ts'
import { countPages } from './page-count.ts'

/**
 * Files above this are not parsed whole (pdf-lib reads a whole file into memory): their page count is
 * the budget scan's, which streams the file.
 */
const MAX_PARSED_BYTES = 64 * 1024 * 1024

interface InspectPayload {
  fileId: string
  documentId: string
}

/**
 * Reads a stored file's page count and fills it in on the file and, if still empty, on its document.
 * The file is first checked against the budgets (file-budgets) as a stream in a capped thread; a file
 * over budget is left without a page count, and the refusal and its reason are audited.
 */
export function inspectFileJob(deps: DocumentsDeps): JobDefinition<InspectPayload> {
  return {
    name: INSPECT_FILE_JOB,
    retryLimit: 2,
    retryDelaySeconds: 5,
    async handler({ fileId, documentId }, context) {
      const file = await repository.findFile(deps.database.db, documentId, fileId)
      if (!file) return { skipped: 'file-gone' }
      if (file.pageCount !== null) return { pageCount: file.pageCount }
      await context.reportProgress(0, 1, 'reading')
      let scannedPages: number | undefined
      try {
        scannedPages = (await checkFileBudgets(deps.blobStore, file))?.pages
      } catch (error) {
        if (!(error instanceof ExtractionError)) throw error
        await refuse(deps, file, error)
        return { refused: error.code, reason: error.message }
      }
      const pageCount =
        file.size > MAX_PARSED_BYTES && scannedPages !== undefined
          ? scannedPages
          : await countPages(
              await buffer(await deps.blobStore.get(file.blobKey)),
              file.mediaType as SupportedMediaType,
            )
      await deps.database.db.transaction(async (tx) => {
        await repository.updateFilePageCount(tx, file.id, pageCount)
        const documentUpdated = await repository.fillDocumentPageCount(tx, documentId, pageCount)
        await appendAuditEvent(
          tx,
          { actor: `job:${INSPECT_FILE_JOB}` },
          {
            action: 'document-file.inspected',
            targetType: 'document',
            targetId: documentId,
            details: { fileId, pageCount, documentUpdated },
          },
        )
      })
      await context.reportProgress(1, 1, 'done')
      return { pageCount }
    },
  }
}

async function refuse(deps: DocumentsDeps, file: { id: string; documentId: string }, error: ExtractionError) {
  await deps.database.db.transaction(async (tx) => {
    await appendAuditEvent(
      tx,
      { actor: `job:${INSPECT_FILE_JOB}` },
      {
        action: 'document-file.over-budget',
        targetType: 'document',
        targetId: file.documentId,
        details: { fileId: file.id, errorCode: error.code, reason: error.message },
      },
    )
  })
}
