/**
 * `npm run pki:test -- [outDir] [--password=secret]`: writes a fresh test PKI (root and intermediate CA,
 * leader, agency seal, TSA, expired and revoked certificates, CRLs, PKCS#12 files, manifest.json) to
 * outDir (default ./data/test-pki). Test material only: the keys are written unencrypted beside the .p12.
 */
import path from 'node:path'
import { createTestPki } from './lib/test-pki/test-pki.ts'
import { writeTestPki } from './lib/test-pki/write-test-pki.ts'

const args = process.argv.slice(2)
const password =
  args.find((arg) => arg.startsWith('--password='))?.slice('--password='.length) ?? 'vanthu-test'
const outDir = path.resolve(args.find((arg) => !arg.startsWith('--')) ?? 'data/test-pki')

const started = Date.now()
const manifest = await writeTestPki(createTestPki(), outDir, password)
console.log(`Test PKI written to ${outDir} in ${Date.now() - started} ms (PKCS#12 password: ${password})`)
for (const [name, entry] of Object.entries(manifest.certificates)) {
  console.log(
    `  ${name.padEnd(12)} ${entry.subject}  (serial ${entry.serialNumber}, until ${entry.notAfter})`,
  )
}
console.log(
  `Check: openssl verify -CAfile ${path.join(outDir, 'root.pem')} -untrusted ${path.join(outDir, 'intermediate.pem')} ${path.join(outDir, 'leader.pem')}`,
)
