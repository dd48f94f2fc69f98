import type { Actor } from '../access/actor.ts'

/**
 * What a search engine indexes about one document: its metadata, the fields the access policy filters
 * on, and its page texts. Built from the database by one projection (search-projection.ts) for every
 * engine, so the embedded and the production engine index exactly the same thing.
 */
export interface SearchDocument {
  id: string
  agencyId: string | null
  direction: 'incoming' | 'outgoing'
  status: string
  kind: string | null
  kindCode: string | null
  /** Số và ký hiệu as printed, e.g. `15/QĐ-UBND`. */
  numberNotation: string | null
  issuerName: string | null
  subject: string | null
  signerName: string | null
  issuedDate: string | null
  arrivalDate: string | null
  arrivalNumber: number | null
  registerId: string | null
  secrecy: number
  urgency: number
  hasSignature: boolean
  /** Access fields: who may see it (mirrors access/policy.ts documentVisibility). */
  ownerDepartmentId: string | null
  participantUserIds: string[]
  participantDepartmentIds: string[]
  grantedUserIds: string[]
  /** Departments the document belongs to or was assigned to: the `department` filter. */
  departmentIds: string[]
  pages: { fileId: string; pageNumber: number; text: string }[]
  updatedAt: string
}

export interface SearchFilters {
  direction?: 'incoming' | 'outgoing'
  kind?: string
  issuer?: string
  /** Inclusive ISO dates on the document date. */
  dateFrom?: string
  dateTo?: string
  registerId?: string
  departmentId?: string
  status?: string
  secrecy?: number
  hasSignature?: boolean
}

export interface SearchQuery {
  /** The words as typed, with or without diacritics; may be empty (filters only). */
  text: string
  filters: SearchFilters
  sort: 'relevance' | 'date-desc' | 'date-asc'
  limit: number
  /** Opaque, from a previous page's nextCursor. */
  cursor?: string
  /**
   * What to answer: everything (default), the hits without facets (a page shows its first results at
   * once), or the facets and total without hits (asked beside it).
   */
  view?: 'all' | 'hits' | 'facets'
}

export interface SearchHit {
  documentId: string
  score: number
  /**
   * Set on a near miss: a document that has every typed word but these (one). Near misses follow the
   * complete matches only when those are fewer than a page, and are not counted in total or facets.
   */
  missing?: string[]
  /** Highlighted fragments with `<mark>` around matched words (HTML-escaped otherwise). */
  snippets: { fileId: string | null; pageNumber: number | null; html: string }[]
}

export type FacetName = 'direction' | 'kind' | 'issuer' | 'status' | 'secrecy' | 'hasSignature' | 'year'

export interface SearchResult {
  hits: SearchHit[]
  /**
   * Counts over what the actor may see that matches, never beyond. When `totalExact` is false they
   * are lower bounds: counted over the first matches only.
   */
  facets: Partial<Record<FacetName, { value: string; count: number }[]>>
  /** Matching documents the actor may see; with `totalExact` false, "more than" this many. */
  total: number
  /** False when more documents match than the engine counts (the UI says "more than total"). */
  totalExact: boolean
  nextCursor: string | null
}

/**
 * A search engine behind one narrow interface: PostgreSQL full-text search (embedded default) or
 * Meilisearch (production). Both answer the same contract (test/integration/search-engine.contract.ts):
 * every word must occur in the document, with or without diacritics; visibility is applied inside the
 * engine's query, never after the limit, so hidden documents are never returned, counted or faceted.
 */
export interface SearchEngine {
  readonly name: 'postgres' | 'meilisearch'
  /** Applies settings (Meilisearch: index settings from storage-config/meilisearch/); idempotent. */
  prepare(): Promise<void>
  upsert(documents: SearchDocument[]): Promise<void>
  remove(documentIds: string[]): Promise<void>
  search(actor: Actor, query: SearchQuery): Promise<SearchResult>
  /** Drops everything (before a full reindex). */
  clear(): Promise<void>
}
