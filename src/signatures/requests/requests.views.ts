import type { SignatureRequestJoined } from './requests.repository.ts'

/** What clients see of a trình ký: the request, its document and file, who asked and who signs. */
export function signatureRequestView(row: SignatureRequestJoined) {
  const { request, document, file, requestedBy, signer } = row
  return {
    id: request.id,
    state: request.state as 'pending' | 'signed' | 'refused' | 'withdrawn',
    comment: request.comment,
    decisionComment: request.decisionComment,
    createdAt: request.createdAt.toISOString(),
    decidedAt: request.decidedAt?.toISOString() ?? null,
    signedFileId: request.signedFileId,
    document: {
      id: document.id,
      direction: document.direction as 'incoming' | 'outgoing',
      kind: document.kind,
      numberNotation:
        document.codeNumber && document.codeNotation
          ? `${document.codeNumber}/${document.codeNotation}`
          : null,
      subject: document.subject,
      issuerName: document.issuerName,
      urgency: document.urgency,
      secrecy: document.secrecy,
      dueDate: document.dueDate,
    },
    file,
    requestedBy,
    signer,
  }
}

export type SignatureRequestView = ReturnType<typeof signatureRequestView>
