import { inArray, type SQL, sql } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import { SECRECY_LEVELS, URGENCY_LEVELS } from '../documents/document-fields.ts'
import { AppError, fieldError } from '../platform/errors.ts'
import { type Database, type Executor, resultRows } from '../platform/db/database.ts'
import { searchEntries, searchPages } from '../platform/db/schema/index.ts'
import { decodeSearchCursor, encodeSearchCursor, type SearchCursor } from './search-cursor.ts'
import type {
  FacetName,
  SearchDocument,
  SearchEngine,
  SearchHit,
  SearchQuery,
  SearchResult,
} from './search-engine.ts'
import { anyTermQuery, type ScoredQuery, scoredCte } from './postgres-query.ts'
import { highlight } from './snippets.ts'
import { notationParts, parseQuery, type QueryTerm } from './search-text.ts'

/** Pages per hit that snippets are taken from. */
const SNIPPET_PAGES = 2
/** Below this many terms a query that matches nothing in full is not relaxed. */
const RELAX_FROM_TERMS = 3
/**
 * From this many terms on, a document may miss one of them (a long query describes a topic in the
 * searcher's words, not the document's); complete matches still rank first.
 */
const ONE_MAY_MISS_FROM_TERMS = 5

/**
 * The embedded search engine: PostgreSQL full-text search over search_entries (metadata) and
 * search_pages (page texts), each with an exact vector (diacritics kept) and a folded one. It matches on
 * the folded vectors and ranks exact-diacritic matches and metadata matches higher.
 */
export class PostgresSearchEngine implements SearchEngine {
  readonly name = 'postgres' as const

  constructor(private readonly database: Database) {}

  async prepare(): Promise<void> {}

  async upsert(list: SearchDocument[]): Promise<void> {
    if (list.length === 0) return
    await this.database.db.transaction(async (tx) => {
      const ids = list.map((document) => document.id)
      await tx.delete(searchPages).where(inArray(searchPages.documentId, ids))
      for (const document of list) await upsertEntry(tx, document)
      const pages = list.flatMap((document) =>
        document.pages.map((page) => ({ ...page, documentId: document.id })),
      )
      for (let i = 0; i < pages.length; i += 100) {
        await tx.insert(searchPages).values(
          pages.slice(i, i + 100).map((page) => {
            const parts = notationParts(page.text)
            return {
              documentId: page.documentId,
              fileId: page.fileId,
              pageNumber: page.pageNumber,
              text: page.text,
              exact: sql`to_tsvector('simple', ${page.text.toLowerCase()}) || to_tsvector('simple', ${parts.toLowerCase()})`,
              folded: sql`to_tsvector('simple', vanthu_fold(${page.text})) || to_tsvector('simple', vanthu_fold(${parts}))`,
            }
          }),
        )
      }
    })
  }

  async remove(documentIds: string[]): Promise<void> {
    if (documentIds.length === 0) return
    await this.database.db.transaction(async (tx) => {
      await tx.delete(searchPages).where(inArray(searchPages.documentId, documentIds))
      await tx.delete(searchEntries).where(inArray(searchEntries.documentId, documentIds))
    })
  }

  async clear(): Promise<void> {
    await this.database.db.transaction(async (tx) => {
      await tx.delete(searchPages)
      await tx.delete(searchEntries)
    })
  }

  async search(actor: Actor, query: SearchQuery): Promise<SearchResult> {
    const terms = parseQuery(query.text)
    const cursor = query.cursor ? decodeSearchCursor(query.cursor) : undefined
    if (query.cursor && !cursor) {
      throw new AppError('validation-failed', { errors: [fieldError('cursor', 'field-invalid-value')] })
    }
    const sort = terms.length === 0 && query.sort === 'relevance' ? 'date-desc' : query.sort
    const required = terms.length >= ONE_MAY_MISS_FROM_TERMS ? terms.length - 1 : terms.length
    let scored: ScoredQuery = {
      terms,
      filters: query.filters,
      required: cursor?.required ?? required,
      withScore: false,
    }
    let counted = await this.facets(actor, scored)
    if (
      counted.total === 0 &&
      !cursor &&
      scored.required === terms.length &&
      terms.length >= RELAX_FROM_TERMS
    ) {
      // Nothing has every word: show what has all but one, ranked by how many it has.
      scored = { ...scored, required: terms.length - 1 }
      counted = await this.facets(actor, scored)
    }
    const rows = await this.page(
      actor,
      { ...scored, withScore: sort === 'relevance' },
      sort,
      query.limit,
      cursor,
    )
    const page = rows.slice(0, query.limit)
    const snippets = await this.snippets(
      terms,
      page.filter((row) => row.can_open).map((row) => row.document_id),
    )
    const hits: SearchHit[] = page.map((row) => ({
      documentId: row.document_id,
      score: Number(row.score_text),
      snippets: snippets.get(row.document_id) ?? subjectSnippet(row.subject, terms),
    }))
    const last = page.at(-1)
    const nextCursor =
      rows.length > query.limit && last
        ? encodeSearchCursor({
            sort,
            key: sort === 'relevance' ? last.score_text : last.sort_text,
            id: last.document_id,
            required: scored.required,
          })
        : null
    return { hits, facets: counted.facets, total: counted.total, nextCursor }
  }

  private async page(
    actor: Actor,
    query: ScoredQuery,
    sort: SearchQuery['sort'],
    limit: number,
    cursor?: SearchCursor,
  ) {
    const after = cursor && cursor.sort === sort ? cursor : undefined
    let condition: SQL = sql`true`
    let order: SQL
    if (sort === 'relevance') {
      if (after) condition = sql`(score, document_id) < (${after.key}::numeric, ${after.id}::uuid)`
      order = sql`score desc, document_id desc`
    } else if (sort === 'date-desc') {
      if (after) condition = sql`(sort_date, document_id) < (${after.key}::date, ${after.id}::uuid)`
      order = sql`sort_date desc, document_id desc`
    } else {
      if (after) condition = sql`(sort_date, document_id) > (${after.key}::date, ${after.id}::uuid)`
      order = sql`sort_date asc, document_id asc`
    }
    const result = await this.database.db.execute(sql`${scoredCte(actor, query)}
      select document_id, score::text as score_text, sort_date::text as sort_text, can_open, subject
      from scored where ${condition} order by ${order} limit ${limit + 1}`)
    return resultRows<{
      document_id: string
      score_text: string
      sort_text: string
      can_open: boolean
      subject: string | null
    }>(result)
  }

  private async facets(actor: Actor, query: ScoredQuery) {
    const facet = (name: FacetName, value: string) =>
      sql`select ${name}::text as facet, (${sql.raw(value)})::text as value, count(*)::int as count
        from scored where (${sql.raw(value)}) is not null group by 2`
    const result = await this.database.db.execute(sql`${scoredCte(actor, query)}
      ${sql.join(
        [
          facet('direction', 'direction'),
          facet('kind', 'kind'),
          facet('issuer', 'issuer_name'),
          facet('status', 'status'),
          facet('secrecy', 'secrecy'),
          facet('hasSignature', 'has_signature'),
          facet('year', "case when sort_date > '0001-01-01' then extract(year from sort_date)::int end"),
        ],
        sql.raw(' union all '),
      )}`)
    const facets: SearchResult['facets'] = {}
    let total = 0
    for (const row of resultRows<{ facet: FacetName; value: string; count: number }>(result)) {
      const count = Number(row.count)
      const values = facets[row.facet] ?? []
      values.push({ value: row.value, count })
      facets[row.facet] = values
      if (row.facet === 'direction') total += count
    }
    for (const values of Object.values(facets))
      values.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
    return { facets, total }
  }

  /** The best matching pages of each document, highlighted. Only for documents the actor may open. */
  private async snippets(terms: QueryTerm[], documentIds: string[]) {
    const snippets = new Map<string, SearchHit['snippets']>()
    if (terms.length === 0 || documentIds.length === 0) return snippets
    const any = anyTermQuery(terms)
    const result = await this.database.db.execute(sql`
      select document_id, file_id, page_number, text from (
        select p.document_id, p.file_id, p.page_number, p.text,
          row_number() over (partition by p.document_id order by ts_rank_cd(p.folded, ${any}, 33) desc, p.page_number) as rank
        from search_pages p
        where p.document_id in (${sql.join(
          documentIds.map((id) => sql`${id}::uuid`),
          sql.raw(', '),
        )}) and p.folded @@ ${any}
      ) best where rank <= ${SNIPPET_PAGES} order by document_id, rank`)
    const rows = resultRows<{ document_id: string; file_id: string; page_number: number; text: string }>(
      result,
    )
    for (const row of rows) {
      const html = highlight(row.text, terms)
      if (!html) continue
      const list = snippets.get(row.document_id) ?? []
      list.push({ fileId: row.file_id, pageNumber: Number(row.page_number), html })
      snippets.set(row.document_id, list)
    }
    return snippets
  }
}

/** Where no page matched (or the actor may not open the pages): the trích yếu, when the words are there. */
function subjectSnippet(subject: string | null, terms: QueryTerm[]): SearchHit['snippets'] {
  const html = subject && terms.length > 0 ? highlight(subject, terms) : undefined
  return html ? [{ fileId: null, pageNumber: null, html }] : []
}

async function upsertEntry(tx: Executor, document: SearchDocument): Promise<void> {
  const notation = document.numberNotation ?? ''
  // Weight A: số/ký hiệu and trích yếu; B: issuer, kind, signer, urgency and secrecy.
  const primary = [notation, notationParts(notation), document.subject ?? ''].join(' ; ')
  // The độ khẩn / độ mật stamps are words users search for ("hỏa tốc"), and OCR often misses stamps.
  const secondary = [
    document.issuerName,
    document.kind,
    document.kindCode,
    document.signerName,
    document.urgency > 0 ? URGENCY_LEVELS[document.urgency] : null,
    document.secrecy > 0 ? SECRECY_LEVELS[document.secrecy] : null,
  ]
    .filter((value) => value)
    .join(' ; ')
  const values = {
    documentId: document.id,
    agencyId: document.agencyId,
    direction: document.direction,
    status: document.status,
    kind: document.kind,
    issuerName: document.issuerName,
    issuedDate: document.issuedDate,
    arrivalDate: document.arrivalDate,
    registerId: document.registerId,
    departmentIds: document.departmentIds,
    secrecy: document.secrecy,
    hasSignature: document.hasSignature,
    numberNotation: document.numberNotation ? sql`vanthu_fold(${document.numberNotation})` : null,
    exact: sql`setweight(to_tsvector('simple', ${primary.toLowerCase()}), 'A') || setweight(to_tsvector('simple', ${secondary.toLowerCase()}), 'B')`,
    folded: sql`setweight(to_tsvector('simple', vanthu_fold(${primary})), 'A') || setweight(to_tsvector('simple', vanthu_fold(${secondary})), 'B')`,
    indexedAt: new Date(),
  }
  const { documentId: _id, ...changes } = values
  await tx
    .insert(searchEntries)
    .values(values)
    .onConflictDoUpdate({ target: searchEntries.documentId, set: changes })
}
