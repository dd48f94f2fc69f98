/**
 * Search quality on the shared corpus, as a library: register the 24 corpus PDFs with their NNN.meta.json
 * fields through POST /api/incoming, run the 30 judged queries of queries.json through GET /api/search,
 * and score recall@10 and MRR (on `relevant`) and nDCG@10 (gains: relevant 2, partial 1). Used by
 * `npm run search:quality` and by `npm run bench:search` (relevance at archive scale).
 */
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'

export const CORPUS = path.resolve(import.meta.dirname, '../../../shared/corpus')
export const TOP = 10

export interface CorpusMeta {
  id: string
  kind: string
  number_notation: string
  issued_date: string
  issuer: string
  subject: string
  signer_name: string
  signer_title: string
  urgency: string | null
  secrecy: string | null
}
export interface Judged {
  id: string
  query: string
  types: string[]
  relevant: string[]
  partial: string[]
}
export type Call = (
  method: 'GET' | 'POST',
  url: string,
  body?: { payload: Buffer; contentType: string },
) => Promise<{ status: number; json: unknown }>

export const CORPUS_IDS = Array.from({ length: 24 }, (_, i) => String(i + 1).padStart(3, '0'))

export async function judgedQueries(): Promise<Judged[]> {
  return (JSON.parse(await readFile(path.join(CORPUS, 'queries.json'), 'utf8')) as { queries: Judged[] }).queries
}

export function json(value: object) {
  return { payload: Buffer.from(JSON.stringify(value)), contentType: 'application/json' }
}

export async function expectJson(pending: Promise<{ status: number; json: unknown }>, status: number) {
  const response = await pending
  if (response.status !== status) throw new Error(`HTTP ${response.status}: ${JSON.stringify(response.json)}`)
  return response.json
}

export async function tokenHeaders(send: Call, username: string, password: string) {
  const body = (await expectJson(send('POST', '/api/auth/token', json({ username, password })), 200)) as {
    token: string
  }
  return { authorization: `Bearer ${body.token}` }
}

export function multipart(fields: Record<string, string | null>, fileName: string, data: Buffer) {
  const boundary = `----vanthu${randomBytes(8).toString('hex')}`
  const parts: Buffer[] = []
  for (const [name, value] of Object.entries(fields)) {
    if (value === null) continue
    parts.push(
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    )
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${fileName}"\r\ncontent-type: application/pdf\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  )
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` }
}

/**
 * Registers every corpus PDF (or its scan) with its metadata; answers document id → corpus id and, per
 * document, its first file's id.
 */
export async function registerCorpus(send: Call, options: { scans?: boolean } = {}) {
  const documentOf = new Map<string, string>()
  const fileOf = new Map<string, string>()
  for (const id of CORPUS_IDS) {
    const meta = JSON.parse(await readFile(path.join(CORPUS, 'docs', `${id}.meta.json`), 'utf8')) as CorpusMeta
    const fields: Record<string, string | null> = {
      issuer: meta.issuer,
      numberNotation: meta.number_notation,
      documentDate: meta.issued_date,
      kind: meta.kind,
      subject: meta.subject,
      signer: meta.signer_name,
      urgency: meta.urgency,
      secrecy: meta.secrecy,
      confirmDuplicate: 'true',
    }
    const pdf = await readFile(path.join(CORPUS, 'docs', options.scans ? `${id}.scan.pdf` : `${id}.pdf`))
    const body = (await expectJson(send('POST', '/api/incoming', multipart(fields, `${id}.pdf`, pdf)), 201)) as {
      id: string
      document: { files: { id: string }[] }
    }
    documentOf.set(body.id, id)
    fileOf.set(body.id, body.document.files[0]!.id)
  }
  return { documentOf, fileOf }
}

export interface Scored {
  query: Judged
  top: string[]
  recall: number
  reciprocalRank: number
  ndcg: number
}

export async function runQueries(
  send: Call,
  queries: Judged[],
  documentOf: Map<string, string>,
  options: { verbose?: boolean } = {},
): Promise<Scored[]> {
  const scored: Scored[] = []
  for (const query of queries) {
    const result = (await expectJson(
      send('GET', `/api/search?${new URLSearchParams({ q: query.query, limit: String(TOP) })}`),
      200,
    )) as {
      hits: { document: { id: string }; score: number }[]
    }
    const top = result.hits.map((hit) => documentOf.get(hit.document.id) ?? '?')
    if (options.verbose)
      console.log(query.id, result.hits.map((hit, i) => `${top[i]}:${hit.score.toFixed(3)}`).join(' '))
    const found = query.relevant.filter((id) => top.includes(id)).length
    const firstRelevant = top.findIndex((id) => query.relevant.includes(id))
    const gain = (id: string) => (query.relevant.includes(id) ? 2 : query.partial.includes(id) ? 1 : 0)
    const dcg = top.reduce((sum, id, rank) => sum + gain(id) / Math.log2(rank + 2), 0)
    const ideal = [...query.relevant.map(() => 2), ...query.partial.map(() => 1)]
      .slice(0, TOP)
      .reduce((sum, g, rank) => sum + g / Math.log2(rank + 2), 0)
    scored.push({
      query,
      top,
      recall: query.relevant.length > 0 ? found / query.relevant.length : 1,
      reciprocalRank: firstRelevant >= 0 ? 1 / (firstRelevant + 1) : 0,
      ndcg: ideal > 0 ? dcg / ideal : 1,
    })
  }
  return scored
}

export function overall(scored: Scored[]) {
  const mean = (pick: (s: Scored) => number) => scored.reduce((sum, s) => sum + pick(s), 0) / scored.length
  return {
    queries: scored.length,
    recallAt10: mean((s) => s.recall),
    mrr: mean((s) => s.reciprocalRank),
    ndcgAt10: mean((s) => s.ndcg),
  }
}

export function report(scored: Scored[], options: { verbose?: boolean } = {}) {
  const f = (n: number) => n.toFixed(3)
  const shown = options.verbose ? TOP : 5
  console.log(`\n${'query'.padEnd(42)} recall@10   RR  nDCG@10  top ${shown}`)
  for (const s of scored) {
    const label = `${s.query.id} ${s.query.query}`.slice(0, 41).padEnd(42)
    const top = s.top
      .slice(0, shown)
      .map((id) => (s.query.relevant.includes(id) ? `${id}*` : s.query.partial.includes(id) ? `${id}~` : id))
    console.log(
      `${label} ${f(s.recall).padStart(9)} ${f(s.reciprocalRank)} ${f(s.ndcg).padStart(8)}  ${top.join(' ')}`,
    )
  }
  const figures = overall(scored)
  console.log(`\n(* relevant, ~ partial)`)
  console.log(
    `overall on ${figures.queries} queries: recall@10 ${f(figures.recallAt10)}, MRR ${f(figures.mrr)}, nDCG@10 ${f(figures.ndcgAt10)}`,
  )
  const types = [...new Set(scored.flatMap((s) => s.query.types))].sort()
  for (const type of types) {
    const subset = scored.filter((s) => s.query.types.includes(type))
    const m = (pick: (s: Scored) => number) => subset.reduce((sum, s) => sum + pick(s), 0) / subset.length
    console.log(
      `  ${type.padEnd(22)} n=${String(subset.length).padStart(2)}  recall@10 ${f(m((s) => s.recall))}  MRR ${f(m((s) => s.reciprocalRank))}`,
    )
  }
}
