/**
 * ms to join scanned page images into the registration PDF (images-to-pdf.ts): the corpus's A4 PNG
 * scans passed through still compressed, against pdf-lib decoding and re-compressing them (the path
 * transparent PNGs still take). Prints the median and the output size per page.
 *   npm run bench:scan-join [-- --runs 5]
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { PDFDocument } from 'pdf-lib'
import { imagesToPdf } from '../src/documents/images-to-pdf.ts'

const CORPUS = path.resolve(import.meta.dirname, '../../shared/corpus/docs')
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } })
const RUNS = Number(values.runs)

const scans = readdirSync(CORPUS)
  .filter((name) => name.endsWith('.scan.png'))
  .sort()
  .slice(0, 4)
  .map((name) => ({ name, bytes: readFileSync(path.join(CORPUS, name)) }))

async function decoded(bytes: Uint8Array): Promise<Uint8Array> {
  const pdf = await PDFDocument.create()
  const image = await pdf.embedPng(bytes)
  pdf.addPage([image.width, image.height]).drawImage(image, { x: 0, y: 0 })
  return pdf.save({ useObjectStreams: true })
}

async function measure(join: (bytes: Uint8Array) => Promise<Uint8Array>) {
  const times: number[] = []
  let size = 0
  for (let run = 0; run < RUNS; run++) {
    for (const scan of scans) {
      const start = performance.now()
      const out = await join(scan.bytes)
      times.push(performance.now() - start)
      size += out.length
    }
  }
  times.sort((a, b) => a - b)
  return { median: times[Math.floor(times.length / 2)]!, meanSize: size / times.length }
}

const inputSize = scans.reduce((sum, scan) => sum + scan.bytes.length, 0) / scans.length
console.log(`${scans.length} corpus A4 scans (${scans.map((s) => s.name).join(', ')}), ${RUNS} runs each`)
console.log(`input PNG: ${(inputSize / 1e6).toFixed(2)} MB per page on average`)
const passthrough = await measure(
  async (bytes) => (await imagesToPdf([{ bytes, mediaType: 'image/png' }])).bytes,
)
console.log(
  `passed through : median ${passthrough.median.toFixed(1)} ms per page, PDF ${(passthrough.meanSize / 1e6).toFixed(2)} MB`,
)
const slow = await measure(decoded)
console.log(
  `pdf-lib decode : median ${slow.median.toFixed(1)} ms per page, PDF ${(slow.meanSize / 1e6).toFixed(2)} MB`,
)
