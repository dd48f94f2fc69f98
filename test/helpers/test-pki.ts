/**
 * The test PKI for signature tests: generated once per test file (RSA keys take a few seconds), written
 * to a temporary folder on demand for openssl cross-checks.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createTestPki, type TestPki } from '../../src/signatures/pki/test-pki.ts'
import { type TestPkiManifest, writeTestPki } from '../../src/signatures/pki/write-test-pki.ts'

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
