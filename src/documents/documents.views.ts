import type { FileTextState } from '../text/text.service.ts'
import type { DocumentFileRow, DocumentRow } from './documents.repository.ts'

/** A file row, with where the extraction of its text stands when the caller loaded it. */
type FileWithText = DocumentFileRow & { text?: FileTextState | null }

export function toFileView(file: FileWithText) {
  return {
    id: file.id,
    role: file.role,
    fileName: file.fileName,
    mediaType: file.mediaType,
    size: file.size,
    sha256: file.sha256,
    pageCount: file.pageCount,
    createdAt: file.createdAt.toISOString(),
    contentUrl: `/api/documents/${file.documentId}/files/${file.id}/content`,
    derivedFromId: file.derivedFromId,
    ...(file.text !== undefined ? { text: file.text } : {}),
  }
}

export function toDocumentView(document: DocumentRow, files: FileWithText[]) {
  return {
    id: document.id,
    direction: document.direction as 'incoming' | 'outgoing',
    status: document.status,
    kind: document.kind,
    kindCode: document.kindCode,
    numberNotation: document.codeNumber ? `${document.codeNumber}/${document.codeNotation}` : null,
    codeNumber: document.codeNumber,
    codeNotation: document.codeNotation,
    issuedDate: document.issuedDate,
    issuerName: document.issuerName,
    subject: document.subject,
    language: document.language,
    pageCount: document.pageCount,
    description: document.description,
    signerName: document.signerName,
    signerPosition: document.signerPosition,
    urgency: document.urgency,
    secrecy: document.secrecy,
    dueDate: document.dueDate,
    arrivalDate: document.arrivalDate,
    arrivalNumber: document.arrivalNumber,
    toPlaces: document.toPlaces,
    createdBy: document.createdBy,
    createdAt: document.createdAt.toISOString(),
    updatedAt: document.updatedAt.toISOString(),
    files: files.map(toFileView),
  }
}

/** Opaque keyset cursor over (created_at, id). */
export function encodeCursor(position: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url')
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } | undefined {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string]
    const date = new Date(createdAt)
    if (Number.isNaN(date.getTime()) || typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) return undefined
    return { createdAt: date, id }
  } catch {
    return undefined
  }
}
