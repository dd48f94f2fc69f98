import type { SearchFacetName } from '../../api.ts'
import type { MessageKey, Translate } from '../../i18n/index.tsx'
import { SECRECY_KEYS, statusLabel } from '../documents/labels.ts'
import type { FilterKey } from './search-url.ts'

export const FACET_TITLES: Record<SearchFacetName, MessageKey> = {
  kind: 'doc.kind',
  issuer: 'doc.issuer',
  year: 'search.facet.year',
  direction: 'search.facet.direction',
  status: 'doc.status',
  secrecy: 'doc.secrecy',
  hasSignature: 'search.facet.hasSignature',
}

/** The order facets are shown in: what office staff narrow by most, first. */
export const FACET_ORDER: readonly SearchFacetName[] = [
  'kind',
  'issuer',
  'year',
  'direction',
  'status',
  'secrecy',
  'hasSignature',
]

/** A facet or filter value as people read it (codes such as `incoming`, `2`, `true` translated). */
export function facetValueLabel(t: Translate, facet: SearchFacetName | FilterKey, value: string): string {
  switch (facet) {
    case 'direction':
      return value === 'incoming' ? t('nav.incoming') : value === 'outgoing' ? t('nav.outgoing') : value
    case 'status':
      return statusLabel(t, value)
    case 'secrecy':
      return SECRECY_KEYS[Number(value)] ? t(SECRECY_KEYS[Number(value)]!) : value
    case 'hasSignature':
      return value === 'true' ? t('search.signed.true') : t('search.signed.false')
    default:
      return value
  }
}

/** The name of a URL filter, for its chip. */
export const FILTER_TITLES: Record<FilterKey, MessageKey> = {
  direction: 'search.facet.direction',
  kind: 'doc.kind',
  issuer: 'doc.issuer',
  dateFrom: 'search.dateFrom',
  dateTo: 'search.dateTo',
  registerId: 'search.filter.register',
  departmentId: 'search.filter.department',
  status: 'doc.status',
  secrecy: 'doc.secrecy',
  hasSignature: 'search.facet.hasSignature',
}
