import type { SearchQuery } from './search-engine.ts'

/**
 * Where the previous page ended. Relevance pages run tier by tier (see PostgresSearchEngine): the cursor
 * names the tier and how that tier was ordered (`score`: fine score, or `date`: newest first, for a tier
 * too large to score), and the last hit's key (score or date) and id. Date sorts have no tier.
 */
export interface SearchCursor {
  sort: SearchQuery['sort']
  tier: number
  mode: 'score' | 'date'
  key: string
  id: string
}

const SORTS = new Set(['relevance', 'date-desc', 'date-asc'])
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const KEY = /^(-?\d+(\.\d+)?|\d{4}-\d{2}-\d{2})$/

export function encodeSearchCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.tier, cursor.mode, cursor.key, cursor.id])).toString(
    'base64url',
  )
}

/** The cursor, or undefined when it is not one this engine made. */
export function decodeSearchCursor(text: string): SearchCursor | undefined {
  try {
    const [sort, tier, mode, key, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[]
    if (typeof sort !== 'string' || !SORTS.has(sort)) return undefined
    if (typeof tier !== 'number' || !Number.isInteger(tier) || tier < 0 || tier > 9) return undefined
    if (mode !== 'score' && mode !== 'date') return undefined
    if (typeof key !== 'string' || !KEY.test(key) || typeof id !== 'string' || !UUID.test(id)) return undefined
    if (mode === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(key)) return undefined
    if (mode === 'score' && !/^-?\d+(\.\d+)?$/.test(key)) return undefined
    return { sort: sort as SearchCursor['sort'], tier, mode, key, id }
  } catch {
    return undefined
  }
}
