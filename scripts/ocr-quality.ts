/**
 * Text extraction quality on the shared corpus: for every NNN.scan.pdf (OCR) and the text layer of
 * every NNN.pdf, the character error rate against NNN.txt (Levenshtein on NFC, whitespace-folded text,
 * over the truth's length) and word recall (share of the truth's words found, order-free). The OCR table
 * also shows tesseract's own reading order ("raw"), to show what the column layout step changes.
 * Prints per document, the median and the worst; never asserts.
 *
 *   npm run ocr:quality -- [--ids 001,002] [--workers 2] [--skip-ocr] [--skip-text-layer]
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { extractWithDiagnostics, type PageDiagnostic } from '../src/text/extract.ts'
import { createOcrPool, type OcrPool } from '../src/text/ocr-pool.ts'
import { characterErrorRate, wordRecall } from '../src/text/quality.ts'

const DOCS = path.resolve(import.meta.dirname, '../../shared/corpus/docs')
const ALL_IDS = Array.from({ length: 24 }, (_, i) => String(i + 1).padStart(3, '0'))

interface Row {
  id: string
  pages: number
  cer: number
  recall: number
  rawCer?: number
  secondsPerPage: number
  routes: string
}

const { values } = parseArgs({
  options: {
    ids: { type: 'string' },
    workers: { type: 'string', default: '1' },
    'skip-ocr': { type: 'boolean', default: false },
    'skip-text-layer': { type: 'boolean', default: false },
  },
})
const ids = values.ids ? values.ids.split(',') : ALL_IDS

const noOcr: OcrPool = {
  recognize: async () => {
    throw new Error('a born-digital page went to OCR')
  },
  close: async () => {},
}

if (!values['skip-text-layer']) report('Text layer (NNN.pdf)', await measure('pdf', noOcr), 1)
if (!values['skip-ocr']) {
  const pool = createOcrPool({ workers: Number(values.workers) })
  try {
    report('OCR (NNN.scan.pdf)', await measure('scan.pdf', pool), Number(values.workers))
  } finally {
    await pool.close()
  }
}

async function measure(suffix: string, ocr: OcrPool): Promise<Row[]> {
  // Documents run one after another; pages of one document are read in order (extractText's contract).
  // With several workers, documents run side by side so every worker has a page to read.
  const rows: Row[] = []
  const queue = [...ids]
  const lanes = Math.max(1, suffix === 'pdf' ? 1 : Number(values.workers))
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let id = queue.shift(); id; id = queue.shift()) {
        const row = await measureOne(id, suffix, ocr)
        rows.push(row)
        process.stderr.write(`${row.id} ${(row.cer * 100).toFixed(2)}% ${row.recall.toFixed(3)}\n`)
      }
    }),
  )
  return rows.sort((a, b) => a.id.localeCompare(b.id))
}

async function measureOne(id: string, suffix: string, ocr: OcrPool): Promise<Row> {
  const bytes = await readFile(path.join(DOCS, `${id}.${suffix}`))
  const truth = await readFile(path.join(DOCS, `${id}.txt`), 'utf8')
  const { result, diagnostics } = await extractWithDiagnostics(
    { bytes, mediaType: 'application/pdf' },
    { ocr },
  )
  const text = result.pages.map((page) => page.text).join('\n')
  const raw = diagnostics.every((page) => page.ocrText !== null)
    ? characterErrorRate(diagnostics.map((page) => page.ocrText).join('\n'), truth)
    : undefined
  return {
    id,
    pages: result.pages.length,
    cer: characterErrorRate(text, truth),
    recall: wordRecall(text, truth),
    ...(raw === undefined ? {} : { rawCer: raw }),
    secondsPerPage: total(diagnostics) / 1000 / result.pages.length,
    routes: [...new Set(diagnostics.map((page) => page.route))].join('+'),
  }
}

function total(pages: PageDiagnostic[]): number {
  return pages.reduce((sum, page) => sum + page.ms, 0)
}

function report(title: string, rows: Row[], lanes: number): void {
  const pct = (value: number) => `${(value * 100).toFixed(2)}%`.padStart(8)
  console.log(`\n${title}`)
  console.log('doc  pages      CER   recall   raw CER   s/page  route')
  for (const row of rows) {
    const raw = row.rawCer === undefined ? '       -' : pct(row.rawCer)
    console.log(
      `${row.id}  ${String(row.pages).padStart(5)} ${pct(row.cer)}  ${row.recall.toFixed(3)}  ${raw}  ${row.secondsPerPage.toFixed(2).padStart(7)}  ${row.routes}`,
    )
  }
  const cers = rows.map((row) => row.cer)
  const recalls = rows.map((row) => row.recall)
  const raws = rows.flatMap((row) => (row.rawCer === undefined ? [] : [row.rawCer]))
  const pages = rows.reduce((sum, row) => sum + row.pages, 0)
  const seconds = rows.reduce((sum, row) => sum + row.secondsPerPage * row.pages, 0)
  console.log(`median CER ${pct(median(cers))}, worst ${pct(Math.max(...cers))}`)
  console.log(`median word recall ${median(recalls).toFixed(3)}, worst ${Math.min(...recalls).toFixed(3)}`)
  if (raws.length)
    console.log(`tesseract's own order: median CER ${pct(median(raws))}, worst ${pct(Math.max(...raws))}`)
  console.log(
    `${pages} pages, ${(seconds / pages).toFixed(2)} s/page (wall time per page of one document; ${lanes} document(s) at a time)`,
  )
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
