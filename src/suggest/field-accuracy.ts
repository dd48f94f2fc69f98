import type { FieldSuggestions } from './suggest-fields.ts'
import { normaliseForComparison } from '../text/quality.ts'
import { similarity } from './text-lines.ts'

/** A document's registration metadata as the test corpus gives it (corpus README, NNN.meta.json). */
export interface CorpusMeta {
  id: string
  kind: string
  number_notation: string
  issued_date: string
  issuer: string
  parent_agency: string | null
  place: string
  subject: string
  signer_name: string
  signer_title: string
  signer_authority: string[]
  urgency: string | null
  secrecy: string | null
  pages: number
}

export const COMPARED_FIELDS = [
  'issuer',
  'parentAgency',
  'numberNotation',
  'place',
  'documentDate',
  'kind',
  'subject',
  'signer',
  'signerPosition',
  'signerAuthority',
  'urgency',
  'secrecy',
] as const

export type ComparedField = (typeof COMPARED_FIELDS)[number]

/** Texts are equal after NFC and whitespace folding (the corpus README's rule). */
const foldSpaces = normaliseForComparison

/** The trích yếu counts as right when equal after folding or at least this similar (edit distance). */
export const SUBJECT_MIN_SIMILARITY = 0.9

function expected(meta: CorpusMeta, field: ComparedField): string | string[] | null {
  switch (field) {
    case 'issuer':
      return meta.issuer
    case 'parentAgency':
      return meta.parent_agency
    case 'numberNotation':
      return meta.number_notation
    case 'place':
      return meta.place
    case 'documentDate':
      return meta.issued_date
    case 'kind':
      return meta.kind
    case 'subject':
      return meta.subject
    case 'signer':
      return meta.signer_name
    case 'signerPosition':
      return meta.signer_title
    case 'signerAuthority':
      return meta.signer_authority
    case 'urgency':
      return meta.urgency
    case 'secrecy':
      return meta.secrecy
  }
}

/**
 * Whether a suggested field matches the truth: exact after NFC + whitespace folding for every text field
 * (issuer, parent agency, số/ký hiệu, place, kind, signer name, title, each authority line, marks), equal ISO
 * dates, and for the subject equality after folding or similarity ≥ 0.9. A missing suggestion matches a null
 * truth (no parent agency, no urgency or secrecy mark) and nothing else.
 */
export function fieldMatches(suggestions: FieldSuggestions, meta: CorpusMeta, field: ComparedField): boolean {
  const truth = expected(meta, field)
  const suggestion = suggestions[field]
  if (Array.isArray(truth)) {
    const value = (suggestion?.value ?? []) as string[]
    return (
      value.length === truth.length && value.every((line, i) => foldSpaces(line) === foldSpaces(truth[i]!))
    )
  }
  if (truth === null) return suggestion === null
  if (!suggestion || typeof suggestion.value !== 'string') return false
  const [a, b] = [foldSpaces(suggestion.value), foldSpaces(truth)]
  if (a === b) return true
  return field === 'subject' && similarity(a, b) >= SUBJECT_MIN_SIMILARITY
}
