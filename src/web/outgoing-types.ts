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
  stateAt: string | null
}

export interface OutgoingReview {
  id: string
  round: number
  reviewer: { id: string; name: string | null }
  kind: 'content' | 'format'
  state: string
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
    archiveLine: string
    overdue: boolean
    issuedAt: string | null
  }
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
