import type { SearchDocument } from './search-engine.ts'

/**
 * What the Meilisearch index holds: one metadata record per document and one record per page (per
 * chunk of a very long page), each carrying the document's metadata and access attributes. Search
 * groups them back with `distinct: documentId`.
 *
 * Why page records and not one record per document: Meilisearch indexes at most 65,535 words of one
 * attribute of one record and silently ignores the rest, so a 300-page document's text in one field
 * would be unsearchable past its first pages; and a hit on a page record carries its page number for
 * the snippet. Why one index and not documents + pages in two: totals, facets and pagination must
 * count documents over the union of metadata and text matches, which one distinct search gives
 * exactly and two merged searches cannot.
 */
export type MeiliPageRecord = Omit<SearchDocument, 'id' | 'pages'> & {
  /** `${documentId}_${fileId|meta}_${pageNumber}[_${chunk}]`: Meilisearch ids allow only [A-Za-z0-9_-]. */
  id: string
  documentId: string
  fileId: string | null
  pageNumber: number | null
  text: string
  /** When this projection was written: the upsert then drops the document's records older than it. */
  revision: number
  /**
   * The document date (ngày văn bản, else ngày đến) as days since 1970-01-01: a number, so it sorts and
   * compares as a range. The same date the PostgreSQL engine sorts, filters and counts years on.
   */
  sortDay: number | null
  year: number | null
}

/** Highlight tags that cannot occur in indexed text (private-use code points, stripped on the way in). */
export const MARK_OPEN = '\uE000'
export const MARK_CLOSE = '\uE001'

/**
 * Whitespace-separated words per record at most. Meilisearch's tokenizer splits further (`15/QĐ-UBND`
 * is three words), so this stays well under its 65,535-word limit even for dense OCR text.
 */
export const WORDS_PER_RECORD = 20_000

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Ids enter filter expressions (`documentId IN [...]`): only uuids ever do. */
export function assertUuid(value: string, what: string): string {
  if (!UUID.test(value)) throw new Error(`${what}: ${JSON.stringify(value)} is not a uuid`)
  return value.toLowerCase()
}

export function epochDay(isoDate: string | null): number | null {
  if (isoDate === null) return null
  const time = Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`)
  return Number.isNaN(time) ? null : Math.floor(time / 86_400_000)
}

export function splitWords(text: string, maxWords = WORDS_PER_RECORD): string[] {
  const words = text.split(/\s+/).filter((word) => word !== '')
  if (words.length <= maxWords) return [text]
  const chunks: string[] = []
  for (let start = 0; start < words.length; start += maxWords)
    chunks.push(words.slice(start, start + maxWords).join(' '))
  return chunks
}

const stripMarks = (text: string | null) => (text === null ? null : text.replace(/[\uE000\uE001]/g, ''))

/**
 * The records of one document: a metadata record without text (what an actor who may see only the
 * metadata can match, see meiliVisibilityFilter) and one per page of text.
 */
export function toMeiliRecords(document: SearchDocument, revision: number): MeiliPageRecord[] {
  const documentId = assertUuid(document.id, 'document id')
  const { id: _id, pages: allPages, ...metadata } = document
  const date = document.issuedDate ?? document.arrivalDate
  const base = {
    ...metadata,
    documentId,
    revision,
    numberNotation: stripMarks(document.numberNotation),
    issuerName: stripMarks(document.issuerName),
    subject: stripMarks(document.subject),
    signerName: stripMarks(document.signerName),
    sortDay: epochDay(date),
    year: date ? Number(date.slice(0, 4)) : null,
  }
  const meta: MeiliPageRecord = {
    ...base,
    id: `${documentId}_meta_0`,
    fileId: null,
    pageNumber: null,
    text: '',
  }
  const pages = allPages.filter((page) => page.text.trim() !== '')
  return [
    meta,
    ...pages.flatMap((page) => {
      const fileId = assertUuid(page.fileId, 'file id')
      const chunks = splitWords(stripMarks(page.text)!)
      return chunks.map((text, chunk) => ({
        ...base,
        id: `${documentId}_${fileId}_${page.pageNumber}${chunks.length > 1 ? `_${chunk}` : ''}`,
        fileId,
        pageNumber: page.pageNumber,
        text,
      }))
    }),
  ]
}
