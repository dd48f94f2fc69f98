import { buffer } from 'node:stream/consumers'
import { appendAuditEvent } from '../audit/audit.service.ts'
import type { JobDefinition } from '../platform/jobs/job-queue.ts'
import * as repository from './documents.repository.ts'
import { type DocumentsDeps, INSPECT_FILE_JOB } from './documents.service.ts'
import type { SupportedMediaType } from './media-types.ts'
import { countPages } from './page-count.ts'

/** Files above this are not parsed here (pdf-lib reads a whole file into memory); OCR counts them later. */
const MAX_INSPECT_BYTES = 64 * 1024 * 1024

interface InspectPayload {
  fileId: string
  documentId: string
}

/** Reads a stored file's page count and fills it in on the file and, if still empty, on its document. */
export function inspectFileJob(deps: DocumentsDeps): JobDefinition<InspectPayload> {
  return {
    name: INSPECT_FILE_JOB,
    retryLimit: 2,
    retryDelaySeconds: 5,
    async handler({ fileId, documentId }, context) {
      const file = await repository.findFile(deps.database.db, documentId, fileId)
      if (!file) return { skipped: 'file-gone' }
      if (file.pageCount !== null) return { pageCount: file.pageCount }
      if (file.size > MAX_INSPECT_BYTES) return { skipped: 'too-large' }
      await context.reportProgress(0, 1, 'reading')
      const bytes = await buffer(await deps.blobStore.get(file.blobKey))
      const pageCount = await countPages(bytes, file.mediaType as SupportedMediaType)
      await deps.database.db.transaction(async (tx) => {
        await repository.updateFilePageCount(tx, file.id, pageCount)
        const documentUpdated = await repository.fillDocumentPageCount(tx, documentId, pageCount)
        await appendAuditEvent(tx, { actor: `job:${INSPECT_FILE_JOB}` }, {
          action: 'document-file.inspected',
          targetType: 'document',
          targetId: documentId,
          details: { fileId, pageCount, documentUpdated },
        })
      })
      await context.reportProgress(1, 1, 'done')
      return { pageCount }
    },
  }
}

