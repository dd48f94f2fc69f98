/** The shapes of the outgoing API (văn bản đi: /api/outgoing, /api/documents/:id/number|issue) as the UI uses them. */
import type { DocumentRecord } from './api-types.ts'

export type OutgoingView =
  | 'mine'
  | 'to-review'
  | 'awaiting-signature'
  | 'awaiting-number'
  | 'awaiting-seal'
  | 'awaiting-issue'
  | 'issued'
  | 'received'
  | 'all'

export interface OutgoingListItem {
  id: string
  status: string
  kind: string | null
  subject: string | null
  numberNotation: string | null
  issuedDate: string | null
  urgency: number
  drafterName: string | null
  signerName: string | null
  overdue: boolean
  createdAt: string
}

export interface OutgoingRecipient {
  id: string
  kind: 'external' | 'department' | 'user' | 'text'
  label: string
  channel: string
  state: string
  stateNote: string | null
  sentAt: string | null
  stateAt: string | null
  recalledAt: string | null
}

/** The delivery states a clerk may record (PATCH /api/documents/:id/deliveries/:recipientId). */
export type DeliveryState = 'pending' | 'sent' | 'delivered' | 'failed'

/** A document linked to this one, as far as the reader may see it. */
export interface LinkedDocument {
  id: string
  numberNotation: string | null
  subject: string | null
  status: string
  direction: string
}

/** Both ways: what this document answers, replaces, corrects, copies; what replaced, corrected or copied it. */
export interface OutgoingLinks {
  replyTo: LinkedDocument | null
  replaces: LinkedDocument | null
  corrects: LinkedDocument | null
  copyOf: LinkedDocument | null
  supersededBy: LinkedDocument | null
  correctedBy: LinkedDocument | null
  replies: LinkedDocument[]
  copies: LinkedDocument[]
}

export interface OutgoingVersion {
  version: number
  pdfFileId: string
  sourceFileId: string | null
  note: string | null
  authorName: string | null
  createdAt: string
}

export interface OutgoingReview {
  id: string
  round: number
  reviewer: { id: string; name: string | null }
  kind: 'content' | 'format'
  state: string
  version: number
  comment: string | null
  decidedAt: string | null
}

export interface OutgoingDocument {
  document: DocumentRecord
  outgoing: {
    drafter: { id: string; name: string | null }
    draftingDepartment: { id: string; name: string; abbreviation: string } | null
    signer: { id: string; name: string | null } | null
    authorityPrefix: string | null
    authorityName: string | null
    outgoingNumber: number | null
    currentVersion: number
    copyForm: string | null
    archiveLine: string
    overdue: boolean
    issuedAt: string | null
    /** The leader's decision to revoke (thu hồi), before and after the clerk executes it. */
    revocation: {
      decidedBy: { id: string; name: string | null } | null
      decidedAt: string | null
      reason: string | null
    } | null
    revokedAt: string | null
  }
  links: OutgoingLinks
  versions: OutgoingVersion[]
  reviews: OutgoingReview[]
  recipients: OutgoingRecipient[]
  allowedActions: string[]
}

export interface NumberPreview {
  registerName: string
  nextNumber: number
  numberNotation: string
  issuedDate: string
}

export interface NumberResult {
  outgoingNumber: number
  numberNotation: string
  issuedDate: string
  onDocument: boolean
}

export interface ExternalAgency {
  id: string
  organId: string
  name: string
}

/** Sao y, sao lục, trích sao. */
export type CopyFormCode = 'SY' | 'SL' | 'TrS'

export interface CopyResult {
  documentId: string
  outgoingNumber: number
  numberNotation: string
  issuedDate: string
}
