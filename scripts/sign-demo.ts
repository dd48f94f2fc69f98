/**
 * `npm run sign:demo -- <in.pdf> <out.pdf> [--pki=DIR]`: signs a document as ND30 shows it, with the test PKI — first
 * the leader (blue signature image in the signer block of the last page), then the agency (red seal over
 * the left third of it), two incremental signatures. The PKI comes from --pki or ./data/test-pki when
 * `npm run pki:test` has written it there, otherwise it is generated in memory. Demo material only.
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { PROJECT_ROOT } from '../src/platform/paths.ts'
import { signDigest } from '../src/pades/cms/pades-cms.ts'
import { agencySealAppearance, leaderAppearance } from '../src/signatures/appearance/index.ts'
import { embedSignature, prepareSignature } from '../src/pades/pdf/index.ts'
import { createTestPki } from './lib/test-pki/test-pki.ts'

interface Signer {
  name: string
  privateKey: KeyObject
  certPem: string
  chain: string[]
}

const ASSETS = path.join(PROJECT_ROOT, 'src', 'signatures', 'appearance', 'assets')

async function loadSigners(pkiDir: string): Promise<{ leader: Signer; agency: Signer; source: string }> {
  if (existsSync(path.join(pkiDir, 'manifest.json'))) {
    const read = (file: string) => readFile(path.join(pkiDir, file), 'utf8')
    const chain = [await read('intermediate.pem'), await read('root.pem')]
    const load = async (name: string): Promise<Signer> => ({
      name,
      privateKey: createPrivateKey(await read(`${name}.key.pem`)),
      certPem: await read(`${name}.pem`),
      chain,
    })
    return { leader: await load('leader'), agency: await load('agency'), source: pkiDir }
  }
  const pki = createTestPki()
  const chain = [pki.intermediate.certPem, pki.root.certPem]
  const signer = (name: 'leader' | 'agency'): Signer => ({
    name,
    privateKey: pki[name].privateKey,
    certPem: pki[name].certPem,
    chain,
  })
  return { leader: signer('leader'), agency: signer('agency'), source: 'generated in memory' }
}

async function sign(
  input: Uint8Array,
  signer: Signer,
  placed: Awaited<ReturnType<typeof leaderAppearance>>,
  reason: string,
) {
  const prepared = await prepareSignature(input, {
    reason,
    location: 'Hòa Giang',
    pageIndex: placed.pageIndex,
    appearance: placed.appearance,
  })
  const cms = signDigest({
    digest: prepared.digest(),
    privateKey: signer.privateKey,
    signerCert: signer.certPem,
    chain: signer.chain,
  })
  return { bytes: embedSignature(prepared, cms), field: prepared.fieldName }
}

const args = process.argv.slice(2).filter((arg) => arg !== '--')
const [inFile, outFile] = args.filter((arg) => !arg.startsWith('--'))
const pkiDir = path.resolve(
  args.find((arg) => arg.startsWith('--pki='))?.slice('--pki='.length) ??
    path.join(PROJECT_ROOT, 'data', 'test-pki'),
)
if (!inFile || !outFile) {
  console.error('usage: npm run sign:demo -- <in.pdf> <out.pdf> [--pki=DIR]')
  process.exit(2)
}
const original = new Uint8Array(await readFile(inFile))
const { leader, agency, source } = await loadSigners(pkiDir)
const [signaturePng, sealPng] = await Promise.all(
  ['demo-signature.png', 'demo-seal.png'].map((file) => readFile(path.join(ASSETS, file))),
)
const leaderPlaced = await leaderAppearance(original, { image: signaturePng! })
const first = await sign(original, leader, leaderPlaced, 'Ký ban hành (lãnh đạo)')
const sealPlaced = agencySealAppearance(first.bytes, {
  leaderRect: leaderPlaced.appearance.rect,
  pageIndex: leaderPlaced.pageIndex,
  sealPng: sealPng!,
})
const second = await sign(first.bytes, agency, sealPlaced, 'Ký số của cơ quan, tổ chức (văn thư)')
await writeFile(outFile, second.bytes)

const commonName = (signer: Signer) =>
  /CN=(.*)/.exec(new X509Certificate(signer.certPem).subject)?.[1] ?? signer.name
const rect = (r: number[]) => `[${r.map((n) => n.toFixed(1)).join(' ')}]`
console.log(`Test PKI: ${source}`)
const block = leaderPlaced.block
if (block)
  console.log(`Signer block on page ${block.pageIndex + 1}: "${block.title.text}" … "${block.name.text}"`)
console.log(
  `1. ${first.field}: leader signature (${commonName(leader)}), image at ${rect(leaderPlaced.appearance.rect)} on page ${leaderPlaced.pageIndex + 1}`,
)
console.log(
  `2. ${second.field}: agency seal (${commonName(agency)}), image at ${rect(sealPlaced.appearance.rect)}`,
)
console.log(
  `Wrote ${outFile} (${second.bytes.length} bytes). Check: pdfsig ${outFile}; qpdf --check ${outFile}`,
)
