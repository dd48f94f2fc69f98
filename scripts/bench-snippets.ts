/**
 * CPU of building search snippets, per page: `npx tsx scripts/bench-snippets.ts [--pages 2000] [--long]`.
 *
 * Highlights the pages the search benchmark's synthetic archive holds (scripts/lib/search-bench/generator.ts,
 * built from the corpus texts, a quarter with OCR noise) for the benchmark's common-word and corpus
 * queries, as the PostgreSQL engine does for each hit's best pages, and prints the CPU time per page
 * (process.cpuUsage, so a loaded machine's wait for a core is not counted). `--long` adds a page of
 * 200 KB whose only words are those of corpus document 001 at its end, and one with no match at all.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import os from 'node:os'
import { documentAt } from './lib/search-bench/generator.ts'
import { parseQuery } from '../src/search/search-text.ts'
import { highlight } from '../src/search/snippets.ts'

const { values: flags } = parseArgs({
  options: { pages: { type: 'string', default: '2000' }, long: { type: 'boolean', default: false } },
})
const queries = [
  'quyết định',
  'ủy ban nhân dân',
  'kế hoạch',
  'báo cáo',
  'tỉnh',
  'thực hiện',
  'ngân sách',
  'hành chính',
  'quyet dinh',
  'ke hoach',
  ...(
    JSON.parse(
      readFileSync(path.resolve(import.meta.dirname, '../../shared/corpus/queries.json'), 'utf8'),
    ) as {
      queries: { query: string }[]
    }
  ).queries.map((q) => q.query),
].map(parseQuery)

const pages: string[] = []
for (let n = 0; pages.length < Number(flags.pages); n++) pages.push(...documentAt(n).pages.map((p) => p.text))
const corpusText = readFileSync(path.resolve(import.meta.dirname, '../../shared/corpus/docs/001.txt'), 'utf8')

function measure(label: string, texts: string[], rounds: number) {
  let snippets = 0
  let calls = 0
  for (const text of texts.slice(0, 50)) for (const terms of queries) highlight(text, terms) // warm-up
  const before = process.cpuUsage()
  for (let r = 0; r < rounds; r++) {
    for (const text of texts) {
      for (const terms of queries) {
        calls++
        if (highlight(text, terms)) snippets++
      }
    }
  }
  const used = process.cpuUsage(before)
  const micros = (used.user + used.system) / calls
  const chars = texts.reduce((sum, t) => sum + t.length, 0) / texts.length
  console.log(
    `${label}: ${texts.length} pages × ${queries.length} queries × ${rounds}, mean ${Math.round(chars)} chars/page, ` +
      `${((snippets / calls) * 100).toFixed(0)}% with a snippet: ${micros.toFixed(1)} µs CPU per page`,
  )
}

console.log(
  `load average ${os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`,
)
measure('synthetic archive pages', pages, 1)
if (flags.long) {
  // Corpus prose with every word replaced: as long and as spaced as text, matching nothing.
  const prose = corpusText.replace(/[\p{L}\p{N}]+/gu, (word) => 'x'.repeat(Math.min(word.length, 7)))
  const long = prose.repeat(Math.ceil(200_000 / prose.length)).slice(0, 200_000)
  measure('200 KB pages, the words only in the last 3 KB', [`${long} ${corpusText}`], 3)
  measure('200 KB pages, no match', [long], 3)
}
