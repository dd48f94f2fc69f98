/**
 * `npx tsx test/attack-corpus/write-corpus.ts [DIR]`: writes the attack corpus (one PDF per variant, with
 * the test PKI's root as root.pem and manifest.json of the expected verdicts) to DIR (default
 * ./data/attack-corpus), verifies each file with our library and with poppler's pdfsig (when installed),
 * and prints the table class → variant → our verdict → pdfsig's verdict as Markdown.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createTestPki } from '../../scripts/lib/test-pki/test-pki.ts'
import { verifyPdf } from '../../src/pades/verify/verify-pdf.ts'
import { nssDatabase, pdfsig, peers } from '../helpers/signature-peers.ts'
import { buildAttackCorpus } from './corpus.ts'

const dir = path.resolve(process.argv[2] ?? 'data/attack-corpus')
mkdirSync(dir, { recursive: true })
const pki = createTestPki()
const corpus = await buildAttackCorpus(pki)
writeFileSync(path.join(dir, 'root.pem'), pki.root.certPem)
writeFileSync(
  path.join(dir, 'manifest.json'),
  JSON.stringify(
    corpus.map(({ id, attackClass, variant, expected, note }) => ({
      id,
      attackClass,
      variant,
      expected,
      note,
    })),
    null,
    2,
  ),
)
const nss = peers.pdfsig ? nssDatabase(pki.root.certPem) : undefined
const rows: string[] = [
  '| Class | Variant | File | Expected | Ours (document; signatures) | pdfsig |',
  '|---|---|---|---|---|---|',
]
let mismatches = 0
for (const entry of corpus) {
  const file = path.join(dir, `${entry.id}.pdf`)
  writeFileSync(file, entry.bytes)
  const report = await verifyPdf(entry.bytes, { trustAnchors: [pki.root.certPem] })
  const ours = `${report.documentVerdict}; ${report.signatures.map((s) => `${s.verdict}${s.reason ? ` (${s.reason})` : ''}`).join(', ') || '—'}`
  if (report.documentVerdict !== entry.expected.documentVerdict) mismatches++
  const theirs = nss ? pdfsigSummary(pdfsig(file, nss)) : 'not installed'
  rows.push(
    `| ${entry.attackClass} | ${entry.variant} | ${entry.id} | ${entry.expected.documentVerdict} | ${ours} | ${theirs} |`,
  )
}
console.log(rows.join('\n'))
console.log(`\n${corpus.length} files in ${dir}; ${mismatches} differ from the expected document verdict.`)
process.exitCode = mismatches > 0 ? 1 : 0

function pdfsigSummary(signatures: ReturnType<typeof pdfsig>): string {
  const signed = signatures.filter((s) => s.kind !== 'unsigned-field')
  if (signed.length === 0) return 'no signatures'
  return signed
    .map((s) =>
      s.kind === 'document-timestamp'
        ? 'timestamp not verified'
        : `${s.valid ? 'valid' : s.validation.replace(/^Signature is /, '').replace(/\.$/, '')}${s.valid && !s.trusted ? ' (untrusted)' : ''}${s.totalDocumentSigned ? '' : ', not total'}`,
    )
    .join('; ')
}
