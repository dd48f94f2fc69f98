import type { Actor } from '../access/actor.ts'
import { documentVisibility } from '../access/policy.ts'
import * as repository from '../documents/documents.repository.ts'
import type { Database } from '../platform/db/database.ts'
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
  const rows = await repository.documentsWithFiles(
    deps.database.db,
    result.hits.map((hit) => hit.documentId),
    documentVisibility(actor, 'metadata'),
  )
  const byId = new Map(rows.map((row) => [row.id, row]))
  const hits = result.hits.flatMap((hit) => {
    const found = byId.get(hit.documentId)
    if (!found) return []
    const { files, ...document } = found
    return [{ ...hit, document, files }]
  })
  return { ...result, hits }
}
