import { generateTenantToken } from 'meilisearch/token'
import type { Actor } from '../access/actor.ts'
import { meiliVisibilityFilter } from './meili-request.ts'

/** The search-only key a tenant token is signed with: its uid and its secret value. */
export interface MeiliSearchKey {
  uid: string
  key: string
}

/**
 * A Meilisearch tenant token for a browser that queries Meilisearch directly: its search rules pin the
 * actor's visibility filter on the index, so whatever the browser sends, Meilisearch ANDs that filter
 * in. Signed with a key that may only `search` on this index (never the service key: a tenant token
 * inherits its parent key's rights). The browser must also send `distinct: "documentId"` to get one
 * hit per document. Short-lived on purpose: a withdrawn grant or role lasts until the token expires.
 */
export async function tenantTokenFor(
  actor: Actor,
  options: { indexUid: string; searchKey: MeiliSearchKey; expiresAt: Date },
): Promise<string> {
  return generateTenantToken({
    apiKey: options.searchKey.key,
    apiKeyUid: options.searchKey.uid,
    searchRules: { [options.indexUid]: { filter: meiliVisibilityFilter(actor) } },
    expiresAt: options.expiresAt,
  })
}
