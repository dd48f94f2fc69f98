import type { SearchQuery } from './search-engine.ts'

/** Where the previous page ended: its sort, the last hit's key (score or date) and id. */
export interface SearchCursor {
  sort: SearchQuery['sort']
  key: string
  id: string
  /** How many of the query's terms a hit had to match (kept so later pages match like the first). */
  required: number
}

const SORTS = new Set(['relevance', 'date-desc', 'date-asc'])
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const KEY = /^(-?\d+(\.\d+)?|\d{4}-\d{2}-\d{2})$/

export function encodeSearchCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.key, cursor.id, cursor.required])).toString(
    'base64url',
  )
}

/** The cursor, or undefined when it is not one this engine made. */
export function decodeSearchCursor(text: string): SearchCursor | undefined {
  try {
    const [sort, key, id, required] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[]
    if (typeof sort !== 'string' || !SORTS.has(sort)) return undefined
    if (typeof key !== 'string' || !KEY.test(key) || typeof id !== 'string' || !UUID.test(id))
      return undefined
    if (typeof required !== 'number' || !Number.isInteger(required) || required < 0) return undefined
    return { sort: sort as SearchCursor['sort'], key, id, required }
  } catch {
    return undefined
  }
}
