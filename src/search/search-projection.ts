import { asc, inArray } from 'drizzle-orm'
import type { Executor } from '../platform/db/database.ts'
import {
  documentFiles,
  documentGrants,
  documentPages,
  documentParticipants,
  documents,
} from '../platform/db/schema/index.ts'
import type { SearchDocument } from './search-engine.ts'

/** Files whose pages are indexed: what was received or written, not its renditions (OCR, signed copies). */
const INDEXED_FILE_ROLES = ['original', 'attachment']

export interface Projection {
  documents: SearchDocument[]
  /** Ids with no document (deleted): to be removed from the index. */
  missing: string[]
}

/** What the search engines index about these documents, read from the database in a few queries. */
export async function projectDocuments(db: Executor, ids: string[]): Promise<Projection> {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return { documents: [], missing: [] }
  const rows = await db.select().from(documents).where(inArray(documents.id, unique))
  const found = rows.map((row) => row.id)
  const [participants, grants, files, pages] =
    found.length === 0
      ? [[], [], [], []]
      : await Promise.all([
          db.select().from(documentParticipants).where(inArray(documentParticipants.documentId, found)),
          db.select().from(documentGrants).where(inArray(documentGrants.documentId, found)),
          db.select().from(documentFiles).where(inArray(documentFiles.documentId, found)),
          db
            .select({
              documentId: documentPages.documentId,
              fileId: documentPages.fileId,
              pageNumber: documentPages.pageNumber,
              text: documentPages.text,
            })
            .from(documentPages)
            .where(inArray(documentPages.documentId, found))
            .orderBy(asc(documentPages.documentId), asc(documentPages.fileId), asc(documentPages.pageNumber)),
        ])
  const indexedFiles = new Set(files.filter((f) => INDEXED_FILE_ROLES.includes(f.role)).map((f) => f.id))
  const projected = rows.map((row): SearchDocument => {
    const own = <T extends { documentId: string }>(list: T[]) =>
      list.filter((item) => item.documentId === row.id)
    const people = own(participants)
    const participantDepartmentIds = unique_(people.map((p) => p.departmentId))
    return {
      id: row.id,
      agencyId: row.agencyId,
      direction: row.direction as SearchDocument['direction'],
      status: row.status,
      kind: row.kind,
      kindCode: row.kindCode,
      numberNotation: row.codeNumber ? `${row.codeNumber}/${row.codeNotation ?? ''}` : null,
      issuerName: row.issuerName,
      subject: row.subject,
      signerName: row.signerName,
      issuedDate: row.issuedDate,
      arrivalDate: row.arrivalDate,
      arrivalNumber: row.arrivalNumber,
      registerId: row.registerId,
      secrecy: row.secrecy,
      urgency: row.urgency,
      hasSignature: own(files).some((file) => file.signatureCount > 0),
      ownerDepartmentId: row.ownerDepartmentId,
      participantUserIds: unique_(people.map((p) => p.userId)),
      participantDepartmentIds,
      grantedUserIds: unique_(own(grants).map((g) => g.userId)),
      departmentIds: unique_([row.ownerDepartmentId, ...participantDepartmentIds]),
      pages: own(pages)
        .filter((page) => indexedFiles.has(page.fileId))
        .map((page) => ({
          fileId: page.fileId,
          pageNumber: page.pageNumber,
          text: page.text.normalize('NFC'),
        })),
      updatedAt: row.updatedAt.toISOString(),
    }
  })
  return { documents: projected, missing: unique.filter((id) => !found.includes(id)) }
}

function unique_(values: (string | null)[]): string[] {
  return [...new Set(values.filter((value): value is string => value !== null))]
}
