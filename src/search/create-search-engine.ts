import type { Config } from '../platform/config.ts'
import type { Database } from '../platform/db/database.ts'
import { MeiliEngine } from './meili-engine.ts'
import { PostgresSearchEngine } from './postgres-engine.ts'
import type { SearchEngine } from './search-engine.ts'

/**
 * The configured search engine: the embedded PostgreSQL full-text engine by default, Meilisearch when
 * MEILI_URL is set. Its settings are applied by prepare() (npm run reindex, and the engine's own start-up).
 */
export function createSearchEngine(config: Config, database: Database): SearchEngine {
  switch (config.searchEngine) {
    case 'postgres':
      return new PostgresSearchEngine(database)
    case 'meilisearch': {
      if (!config.meili) throw new Error('SEARCH: Meilisearch is selected but MEILI_URL is not set')
      return new MeiliEngine({ url: config.meili.url, apiKey: config.meili.apiKey, indexUid: config.meili.index })
    }
    default:
      throw new Error(`SEARCH: unknown search engine ${String(config.searchEngine satisfies never)}`)
  }
}
