/**
 * Accuracy of the register-field suggestions on the test corpus: for each of the 24 documents, the
 * born-digital NNN.pdf and the scanned NNN.scan.pdf go through the same reading as POST
 * /api/incoming/suggestions (readDocumentText + suggestFields); each field is compared with NNN.meta.json by
 * fieldMatches (exact after NFC and whitespace folding; ISO dates equal; kind by name; subject equal or
 * similarity ≥ 0.9). A file that cannot be read counts as wrong on every field. Usage: npm run suggest:accuracy
 * [-- --verbose] (lists every miss) [--save-text DIR].
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import {
  COMPARED_FIELDS,
  type ComparedField,
  type CorpusMeta,
  fieldMatches,
  SUBJECT_MIN_SIMILARITY,
} from '../src/suggest/field-accuracy.ts'
import { readDocumentText } from '../src/suggest/read-document.ts'
import { createOcrPool } from '../src/text/ocr-pool.ts'
import { suggestFields } from '../src/suggest/suggest-fields.ts'

const DOCS = path.resolve(import.meta.dirname, '../../shared/corpus/docs')
const SOURCES = [
  { name: 'born-digital', file: (id: string) => `${id}.pdf` },
  { name: 'scan', file: (id: string) => `${id}.scan.pdf` },
] as const
/** The UI's threshold below which a pre-filled value is shown as one to check. */
const LOW_CONFIDENCE = 0.6
const verbose = process.argv.includes('--verbose')
/** --save-text DIR: keep the extracted pages (NNN.<source>.txt) to look at what the fields were read from. */
const saveDir = process.argv.includes('--save-text')
  ? process.argv[process.argv.indexOf('--save-text') + 1]
  : undefined
if (saveDir) await mkdir(saveDir, { recursive: true })
// One worker: the scans are read one page after another, as the server's pool would for one clerk.
const ocr = createOcrPool({ workers: 1 })

type Tally = Record<ComparedField, number>
const zero = () => Object.fromEntries(COMPARED_FIELDS.map((field) => [field, 0])) as Tally

const ids = Array.from({ length: 24 }, (_, i) => String(i + 1).padStart(3, '0'))
/** Confidence against correctness: wrong values should be the ones shown as "to check" (< LOW_CONFIDENCE). */
interface Calibration {
  wrong: number
  wrongFlagged: number
  right: number
  rightFlagged: number
}
const results: Record<
  string,
  { right: Tally; documents: number; unreadable: number; ms: number; calibration: Calibration }
> = {}
for (const source of SOURCES) {
  const calibration = { wrong: 0, wrongFlagged: 0, right: 0, rightFlagged: 0 }
  const result = { right: zero(), documents: 0, unreadable: 0, ms: 0, calibration }
  results[source.name] = result
  for (const id of ids) {
    const meta = JSON.parse(await readFile(path.join(DOCS, `${id}.meta.json`), 'utf8')) as CorpusMeta
    const bytes = new Uint8Array(await readFile(path.join(DOCS, source.file(id))))
    result.documents++
    const started = performance.now()
    try {
      const text = await readDocumentText(bytes, 'application/pdf', { ocr })
      if (saveDir) await writeFile(path.join(saveDir, `${id}.${source.name}.txt`), text.pages.join('\n\f\n'))
      const fields = suggestFields(text.pages)
      for (const field of COMPARED_FIELDS) {
        const matches = fieldMatches(fields, meta, field)
        const suggestion = fields[field]
        if (suggestion) {
          const flagged = suggestion.confidence < LOW_CONFIDENCE
          if (matches)
            Object.assign(calibration, {
              right: calibration.right + 1,
              rightFlagged: calibration.rightFlagged + Number(flagged),
            })
          else
            Object.assign(calibration, {
              wrong: calibration.wrong + 1,
              wrongFlagged: calibration.wrongFlagged + Number(flagged),
            })
        }
        if (matches) result.right[field]++
        else if (verbose)
          console.log(`${source.name} ${id} ${field}: ${JSON.stringify(fields[field]?.value ?? null)}`)
      }
    } catch (error) {
      result.unreadable++
      if (verbose) console.log(`${source.name} ${id}: unreadable (${(error as Error).message})`)
    }
    result.ms += performance.now() - started
  }
}

await ocr.close()

const percent = (n: number, of: number) => `${((100 * n) / of).toFixed(1).padStart(5)}%`
console.log(
  `Field accuracy on ${ids.length} corpus documents (subject: equal or similarity ≥ ${SUBJECT_MIN_SIMILARITY})`,
)
console.log(`${'field'.padEnd(16)}${SOURCES.map((s) => s.name.padStart(16)).join('')}`)
for (const field of COMPARED_FIELDS) {
  const cells = SOURCES.map((s) => {
    const r = results[s.name]!
    return `${String(r.right[field]).padStart(3)}/${r.documents} ${percent(r.right[field], r.documents)}`.padStart(
      16,
    )
  })
  console.log(`${field.padEnd(16)}${cells.join('')}`)
}
for (const s of SOURCES) {
  const r = results[s.name]!
  const all = COMPARED_FIELDS.reduce((sum, field) => sum + r.right[field], 0)
  console.log(
    `${s.name}: ${percent(all, r.documents * COMPARED_FIELDS.length)} of all fields; unreadable ${r.unreadable}/${r.documents}; ` +
      `confidence < ${LOW_CONFIDENCE} on ${r.calibration.wrongFlagged}/${r.calibration.wrong} wrong values and ` +
      `${r.calibration.rightFlagged}/${r.calibration.right} right ones; ` +
      `${Math.round(r.ms / r.documents)} ms per document`,
  )
}
