/**
 * ms per PDF signature: prepare (incremental update) + SHA-256 of the byte range + RSA sign with a
 * throwaway key + embed, on a 1-page PDF and a ~100-page ~10 MB one, against a full pdf-lib rewrite
 * (load + save: what breaks earlier signatures). Target: incremental on 10 MB under 200 ms.
 *   npm run bench:signature [-- --runs 10]
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { PDFDocument } from 'pdf-lib'
import { digestByteRange } from '../src/pades/pdf/byte-range.ts'
import { embedSignature, prepareSignature } from '../src/pades/pdf/signature-placeholder.ts'
import {
  createThrowawayIdentity,
  type ThrowawayIdentity,
} from './lib/test-pki/throwaway-signer.ts'

const CORPUS = path.resolve(import.meta.dirname, '../../shared/corpus/docs')
const CACHE = path.join(os.tmpdir(), 'vanthu-bench-signature')
const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } })
const RUNS = Number(values.runs)

async function onePagePdf(): Promise<Uint8Array> {
  const source = await PDFDocument.load(readFileSync(path.join(CORPUS, '001.pdf')))
  const doc = await PDFDocument.create()
  const [page] = await doc.copyPages(source, [0])
  doc.addPage(page!)
  return doc.save()
}

/** Scans (embedded images) until ~10 MB, then text pages up to 100; built once per machine. */
async function largePdf(): Promise<Uint8Array> {
  const file = path.join(CACHE, 'large-100p.pdf')
  if (existsSync(file)) return readFileSync(file)
  const doc = await PDFDocument.create()
  const names = readdirSync(CORPUS).sort()
  let imageBytes = 0
  for (const name of names.filter((n) => n.endsWith('.scan.pdf'))) {
    if (imageBytes > 9.5e6) break
    const bytes = readFileSync(path.join(CORPUS, name))
    imageBytes += bytes.length
    await copyAll(doc, bytes)
  }
  const texts = names.filter((n) => /^\d+\.pdf$/.test(n))
  for (let i = 0; doc.getPageCount() < 100; i++) {
    await copyAll(doc, readFileSync(path.join(CORPUS, texts[i % texts.length]!)), 100 - doc.getPageCount())
  }
  const bytes = await doc.save()
  mkdirSync(CACHE, { recursive: true })
  writeFileSync(file, bytes)
  return bytes
}

async function copyAll(target: PDFDocument, bytes: Uint8Array, max = Number.POSITIVE_INFINITY) {
  const source = await PDFDocument.load(bytes)
  const indices = source.getPageIndices().slice(0, max)
  for (const page of await target.copyPages(source, indices)) target.addPage(page)
}

async function incremental(bytes: Uint8Array, signer: ThrowawayIdentity) {
  const prepared = await prepareSignature(bytes, { name: 'Nguyễn Văn Thử', reason: 'Đo hiệu năng' })
  return embedSignature(prepared, signer.signDigest(prepared.digest()))
}

/** The approach that breaks earlier signatures, for scale: reparse and rewrite everything. */
async function fullRewrite(bytes: Uint8Array, signer: ThrowawayIdentity) {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false })
  const saved = await doc.save()
  signer.signDigest(digestByteRange(saved, [0, saved.length, saved.length, 0]))
  return saved
}

async function time(label: string, run: () => Promise<unknown>): Promise<number> {
  await run()
  const samples: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now()
    await run()
    samples.push(performance.now() - start)
  }
  samples.sort((a, b) => a - b)
  const median = samples[Math.floor(samples.length / 2)]!
  console.log(
    `${label.padEnd(44)} median ${median.toFixed(1).padStart(7)} ms   min ${samples[0]!.toFixed(1)} ms`,
  )
  return median
}

const signer = createThrowawayIdentity()
const inputs = { '1 page': await onePagePdf(), large: await largePdf() }
const pages = (await PDFDocument.load(inputs.large, { updateMetadata: false })).getPageCount()
console.log(`runs: ${RUNS}; large input: ${pages} pages, ${(inputs.large.length / 1e6).toFixed(1)} MB`)
let largeIncremental = 0
for (const [label, bytes] of Object.entries(inputs)) {
  const size = `${label} (${(bytes.length / 1e6).toFixed(2)} MB)`
  const ms = await time(`incremental signature, ${size}`, () => incremental(bytes, signer))
  await time(`full pdf-lib rewrite + sign, ${size}`, () => fullRewrite(bytes, signer))
  if (label === 'large') largeIncremental = ms
}
console.log(`target incremental on ~10 MB < 200 ms: ${largeIncremental < 200 ? 'met' : 'NOT met'}`)
