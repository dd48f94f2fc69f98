/** The shapes of the signing API (ký số, trình ký, kiểm tra chữ ký) as the UI uses them. */

/** A signing certificate and the state of its PIN lock (never key material). */
export interface SigningCredential {
  id: string
  kind: 'personal' | 'agency-seal'
  label: string
  subject: string
  issuer: string
  serialNumber: string
  fingerprintSha256: string
  notBefore: string
  notAfter: string
  expired: boolean
  chainLength?: number
  locked: boolean
  lockedUntil: string | null
  failedAttempts: number
  createdAt: string
  /** Admin list only: whose credential it is (null for the agency seal). */
  holder?: { id: string; username: string; fullName: string } | null
  /** Admin list only: set when the credential was retired. */
  retiredAt?: string | null
  /** Set when the certificate names someone else than its holder (the agency, for the seal). */
  nameWarning?: { certificateName: string; expectedName: string; message: string; messageEn: string } | null
}

export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA'

/** A file made by signing or sealing a document's newest PDF. */
export interface SignedFile {
  id: string
  documentId: string
  role: string
  derivedFromId: string | null
  fileName: string
  sha256: string
  size: number
  signatureCount: number
  level?: PadesLevel
  visible?: boolean
}

/** Where a visible signature goes, in PDF points from the page's bottom-left corner. */
export interface SignaturePlacement {
  page: number
  x: number
  y: number
  width: number
  height: number
}

/** Where signing would put the signature on the newest PDF (nothing stored). */
export interface SignaturePlacementPreview {
  visible: boolean
  source: string
  /** 1-based; null when the signature is invisible. */
  page: number | null
  /** [x0, y0, x1, y1] in points. */
  rect: [number, number, number, number] | null
  pageSize: [number, number]
}

export interface SignInput {
  pin: string
  credentialId?: string
  reason?: string
  location?: string
  placement?: SignaturePlacement
}

/**
 * auto: the seal image over the leader's visible signature (else the text stamp); stamp: always the text
 * stamp at the top right of page 1 (attachments, electronic copies).
 */
export type SealAppearance = 'auto' | 'stamp'

/** Hình thức bản sao on the text stamp's first line instead of the number and notation. */
export type CopyForm = 'SAO Y' | 'SAO LỤC' | 'TRÍCH SAO'

export interface SealInput {
  pin: string
  appearance?: SealAppearance
  copyForm?: CopyForm
}

export interface BatchResult {
  documentId: string
  ok: boolean
  fileId?: string
  code?: string
  status?: number
}

export type SignatureRequestState = 'pending' | 'signed' | 'refused' | 'withdrawn'

/** Trình ký: a document put before a leader for signature. */
export interface SignatureRequest {
  id: string
  state: SignatureRequestState
  comment: string | null
  decisionComment: string | null
  createdAt: string
  decidedAt: string | null
  signedFileId: string | null
  document: {
    id: string
    direction: 'incoming' | 'outgoing'
    kind: string | null
    numberNotation: string | null
    subject: string | null
    issuerName: string | null
    urgency: number
    secrecy: number
    dueDate: string | null
  }
  file: { id: string; fileName: string; pageCount: number | null } | null
  requestedBy: { id: string; fullName: string }
  signer: { id: string; fullName: string }
}

export interface SignatureImage {
  id: string
  width: number
  height: number
  sha256: string
  createdAt: string
}

export type SignatureVerdict = 'valid' | 'invalid' | 'indeterminate'

export interface CertSummary {
  subject: string
  issuer: string
  commonName: string | null
  serialNumber: string
  fingerprintSha256: string
  notBefore: string
  notAfter: string
}

/** One signature of a verified PDF (see src/pades/verify/verify-pdf.ts for the reason codes). */
export interface SignatureCheck {
  field: string
  type: 'signature' | 'document-timestamp'
  signer: CertSummary | null
  signingTime: {
    claimed: string | null
    timestamped: string | null
    used: string
    /** 'claimed' only in reports stored before issue 12. */
    source: 'timestamp' | 'document-timestamp' | 'claimed' | 'verification-time'
  }
  verdict: SignatureVerdict
  reason: string | null
  reasons: string[]
  level: string | null
  coversWholeFile: boolean
  chain: { trusted: boolean }
  revocation: 'good' | 'revoked' | 'unknown'
  revokedAt: string | null
  changesAfter: { object: string; kind: string; allowed: boolean; level?: string; revision?: number }[]
  /** What later revisions did, against what this signature permits (absent in reports before issue 12). */
  modification?: 'none' | 'allowed' | 'not-allowed' | 'unknown'
  inFinalRevision?: boolean
}

/** The verdict on the document as shown now (src/pades/verify/report.ts): read it first. */
export type DocumentVerdict =
  | 'valid'
  | 'valid-with-allowed-changes'
  | 'modified'
  | 'invalid'
  | 'indeterminate'

/** What a renewal (gia hạn) added; `renewBy`: when the new timestamp's certificate expires. */
export interface SignatureRenewal {
  fileId: string
  fileName: string
  renewBy: string | null
  certificatesChecked: number
  crls: number
  ocsps: number
}

/** A stored verification report of one file. */
export interface SignatureReport {
  id: string
  documentId: string
  fileId: string
  verdict: SignatureVerdict | 'none'
  /** null for reports stored before the document verdict existed. */
  documentVerdict: DocumentVerdict | null
  documentReasons: string[]
  signatureCount: number
  modifiedAfterLastSignature: boolean
  verifiedBy: string
  verifiedAt: string
  /** 'unreadable-pdf': the file is no readable PDF (verdict invalid). */
  error?: string | null
  signatures: SignatureCheck[]
}

/** A file with signatures (or a report): its newest verdict and whether a check is running. */
export interface FileSignatureState {
  fileId: string
  signatureCount: number
  verdict: SignatureVerdict | 'none' | null
  reportId: string | null
  verifiedAt: string | null
  verifying: boolean
}

/** A root or intermediate CA the agency trusts (kho chứng thư tin cậy). */
export interface TrustAnchor {
  id: string
  kind: 'root' | 'intermediate'
  subject: string
  fingerprintSha256: string
  notAfter: string
  createdAt: string
}
