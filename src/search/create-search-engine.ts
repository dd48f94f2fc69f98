import type { Config } from '../platform/config.ts'
import type { Database } from '../platform/db/database.ts'
import { PostgresSearchEngine } from './postgres-engine.ts'
import type { SearchEngine } from './search-engine.ts'

/**
 * The configured search engine. The embedded PostgreSQL full-text engine is the default; the
 * Meilisearch engine (MEILI_URL) is added here by its adapter.
 */
export function createSearchEngine(_config: Config, database: Database): SearchEngine {
  return new PostgresSearchEngine(database)
}
