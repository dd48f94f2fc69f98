/**
 * The test PKI for signature tests: generated once per test file (RSA keys take a few seconds), written
 * to a temporary folder on demand for openssl cross-checks.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type SignatureScheme, signDigest } from '../../src/pades/cms/pades-cms.ts'
import { createTestPki, type TestPki } from '../../scripts/lib/test-pki/test-pki.ts'
import { type TestPkiManifest, writeTestPki } from '../../scripts/lib/test-pki/write-test-pki.ts'

export const TEST_PKI_PASSWORD = 'vanthu-test'

let pki: TestPki | undefined
let written: Promise<{ dir: string; manifest: TestPkiManifest }> | undefined

export function testPki(): TestPki {
  pki ??= createTestPki()
  return pki
}

/** The same PKI as files (PEMs, .p12, CRLs, manifest.json) in a fresh temporary folder. */
export function testPkiFiles(): Promise<{ dir: string; manifest: TestPkiManifest }> {
  written ??= (async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vanthu-pki-'))
    return { dir, manifest: await writeTestPki(testPki(), dir, TEST_PKI_PASSWORD) }
  })()
  return written
}

export const hasOpenssl = spawnSync('openssl', ['version']).status === 0
export const NO_OPENSSL =
  'openssl is not installed: the cross-checks with an independent implementation are skipped'

/** Runs openssl; output as text (UTF-8). */
export function openssl(args: string[], cwd?: string) {
  const run = spawnSync('openssl', args, { cwd, encoding: 'utf8' })
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, output: run.stdout + run.stderr }
}

/** A CMS signed by the leader (Vietnamese subject and issuer) over `digest`, with intermediate and root. */
export function signedByLeader(digest: Uint8Array, scheme?: SignatureScheme): Buffer {
  const { leader, intermediate, root } = testPki()
  return signDigest({
    digest,
    privateKey: leader.privateKey,
    signerCert: leader.certPem,
    chain: [intermediate.der, root.der],
    scheme,
  })
}

/** `openssl cms -verify` of a detached CMS over `content`, trusting the test root. */
export async function opensslCmsVerify(cms: Uint8Array, content: Uint8Array) {
  const { dir } = await testPkiFiles()
  const work = mkdtempSync(path.join(os.tmpdir(), 'vanthu-cms-'))
  writeFileSync(path.join(work, 'sig.der'), cms)
  writeFileSync(path.join(work, 'content.bin'), content)
  const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'sig.der', '-content', 'content.bin']
  return openssl(
    [...args, '-CAfile', path.join(dir, 'root.pem'), '-purpose', 'any', '-out', '/dev/null'],
    work,
  )
}
