/**
 * The query classes the benchmark times. Fixed lists (and documents picked by index from the generator),
 * so every run on every machine asks the same things of the same data.
 */
import type { Judged } from '../corpus-quality.ts'
import { documentAt } from './generator.ts'

export interface BenchQuery {
  label: string
  params: Record<string, string>
}

export interface QueryClass {
  name: string
  /** Counted in the summary line (the goal: corpus queries and common words). */
  inSummary: boolean
  queries: BenchQuery[]
}

/** A search as the search page asks for its results: the first page without facets (view=hits). */
const q = (text: string, more: Record<string, string> = {}): BenchQuery => ({
  label: [text, ...Object.entries(more).map(([k, v]) => `${k}=${v}`)].filter(Boolean).join(' '),
  params: { q: text, view: 'hits', ...more },
})

export function queryClasses(docs: number, seed: number, judged: Judged[]): QueryClass[] {
  // Documents spread over the archive whose own number, signer or words the rare classes ask for.
  const sample = Array.from({ length: 8 }, (_, i) => documentAt(Math.floor(((i + 0.5) * docs) / 8), seed))
  const corpus = judged.map((query) => q(query.query))
  const common = [
    q('quyết định'),
    q('ủy ban nhân dân'),
    q('kế hoạch'),
    q('báo cáo'),
    q('tỉnh'),
    q('thực hiện'),
    q('ngân sách'),
    q('hành chính'),
    q('quyet dinh'),
    q('ke hoach'),
  ]
  return [
    { name: 'corpus', inSummary: true, queries: corpus },
    { name: 'common', inSummary: true, queries: common },
    // The search page's second request, sent beside the first: the facet panel fills in when it answers.
    {
      name: 'facets',
      inSummary: false,
      queries: [...corpus, ...common].map((query) => ({ ...query, params: { ...query.params, view: 'facets', limit: '1' } })),
    },
    {
      name: 'number',
      inSummary: false,
      queries: [
        ...sample.slice(0, 6).map((d) => q(`${d.codeNumber}/${d.codeNotation}`)),
        q('QĐ-UBND'),
        q(sample[6]!.codeNumber),
      ],
    },
    {
      name: 'rare',
      inSummary: false,
      queries: [...sample.slice(0, 5).map((d) => q(d.signerName)), q('xyzzy'), q('xyzzy không có'), q('Mường Lát trồng rừng')],
    },
    {
      name: 'filters',
      inSummary: false,
      queries: [
        q('', { sort: 'date-desc' }),
        q('', { kind: 'Quyết định', dateFrom: '2024-01-01', dateTo: '2024-12-31' }),
        q('', { issuer: 'Sở Y tế tỉnh Hòa Giang' }),
        q('ngân sách', { kind: 'Báo cáo' }),
        q('đầu tư công', { sort: 'date-desc' }),
        q('chuyển đổi số', { hasSignature: 'true' }),
        q('', { status: 'in_progress', sort: 'date-asc' }),
      ],
    },
  ]
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length) - 1
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!
}
