/** The fields a notification names a document by. */
export interface DocumentLabelFields {
  arrivalNumber: number | null
  codeNumber: string | null
  codeNotation: string | null
  subject: string | null
  secrecy: number
}

/**
 * "Số đến 12, số ký hiệu 34/QĐ-UBND: <trích yếu>" — a secret document's trích yếu is not repeated
 * outside the document (notifications and mails travel further than the document itself).
 */
export function documentLabel(document: DocumentLabelFields): string {
  const number =
    document.codeNumber && document.codeNotation ? `${document.codeNumber}/${document.codeNotation}` : null
  const reference = [
    document.arrivalNumber !== null ? `Số đến ${document.arrivalNumber}` : null,
    number ? `số ký hiệu ${number}` : null,
  ]
    .filter(Boolean)
    .join(', ')
  const subject = document.secrecy > 0 ? '(văn bản mật)' : (document.subject ?? '')
  return `${reference ? `${reference}: ` : ''}${subject}`.trim()
}
