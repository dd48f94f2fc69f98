import { and, inArray } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import { documentVisibility } from '../access/policy.ts'
import * as repository from '../documents/documents.repository.ts'
import type { Database } from '../platform/db/database.ts'
import { documents } from '../platform/db/schema/index.ts'
import type { SearchEngine, SearchQuery } from './search-engine.ts'

export interface SearchDeps {
  database: Database
  search: SearchEngine
}

/**
 * Searches with the configured engine and reads the hits' documents and files from the database, in
 * the engine's order. The engine already applies visibility; the policy is checked again on the rows
 * read, so an index that lags behind a change of access never shows a document.
 */
export async function searchDocuments(deps: SearchDeps, actor: Actor, query: SearchQuery) {
  const result = await deps.search.search(actor, query)
  const ids = result.hits.map((hit) => hit.documentId)
  const rows =
    ids.length === 0
      ? []
      : await deps.database.db
          .select()
          .from(documents)
          .where(and(inArray(documents.id, ids), documentVisibility(actor, 'metadata')))
  const files = await repository.filesOf(
    deps.database.db,
    rows.map((row) => row.id),
  )
  const byId = new Map(rows.map((row) => [row.id, row]))
  const hits = result.hits.flatMap((hit) => {
    const document = byId.get(hit.documentId)
    if (!document) return []
    return [{ ...hit, document, files: files.filter((file) => file.documentId === document.id) }]
  })
  return { ...result, hits }
}
