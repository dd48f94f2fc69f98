import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  agencySealAppearance,
  leaderAppearance,
  type PlacedAppearance,
} from '../../src/signatures/appearance/index.ts'
import { signDigest } from '../../src/pades/cms/pades-cms.ts'
import { embedSignature, prepareSignature } from '../../src/pades/pdf/index.ts'
import type { TestPki } from '../../scripts/lib/test-pki/test-pki.ts'
import { verifyPdf } from '../../src/pades/verify/verify-pdf.ts'
import { testPki } from '../helpers/test-pki.ts'

/**
 * Issue 6 "done when": the leader's signature and then the agency's, as ND30 lays them out, on every PDF
 * of the shared corpus (born-digital, and a third of the scans) — valid and trusted in poppler's pdfsig, `qpdf --check`
 * clean, and valid in our own verifier with the test root as the only trust anchor.
 */
const ROOT = path.resolve(import.meta.dirname, '../..')
const CORPUS = path.resolve(ROOT, '../shared/corpus/docs')
const has = (tool: string, flag = '-v') => spawnSync(tool, [flag], { stdio: 'ignore' }).error === undefined
const peersPresent = has('pdfsig') && has('qpdf') && has('certutil', '-H')
const hasMutool = has('mutool')
const SIGNATURE = readFileSync(path.join(ROOT, 'src/signatures/appearance/assets/demo-signature.png'))
const SEAL = readFileSync(path.join(ROOT, 'src/signatures/appearance/assets/demo-seal.png'))
/** A scan has no text layer: the clerk gives the place, here the lower right of the last page. */
const SCAN_PLACEMENT = [330, 120, 500, 190] as const

// Every born-digital PDF (each signer block is found from its own text layer) and every third scan
// (scans differ in image data, not in structure: the same placement on each).
const corpus = readdirSync(CORPUS)
  .filter(
    (name) =>
      /^\d{3}\.pdf$/.test(name) || (/^\d{3}\.scan\.pdf$/.test(name) && Number(name.slice(0, 3)) % 3 === 1),
  )
  .sort()

if (!peersPresent) console.warn('pdfsig, qpdf or certutil absent: the corpus signature checks are SKIPPED')

async function sign(input: Uint8Array, signer: TestPki['leader'], pki: TestPki, placed: PlacedAppearance) {
  const prepared = await prepareSignature(input, {
    reason: 'Ký ban hành văn bản',
    location: 'Hòa Giang',
    signingTime: new Date(),
    pageIndex: placed.pageIndex,
    appearance: placed.appearance,
  })
  const cms = signDigest({
    digest: prepared.digest(),
    privateKey: signer.privateKey,
    signerCert: signer.certPem,
    chain: [pki.intermediate.certPem, pki.root.certPem],
  })
  return embedSignature(prepared, cms)
}

describe.skipIf(!peersPresent)('leader then agency on every corpus PDF', () => {
  let dir: string
  let nssDir: string
  let pki: TestPki

  beforeAll(() => {
    pki = testPki()
    dir = mkdtempSync(path.join(os.tmpdir(), 'sig-corpus-'))
    nssDir = path.join(dir, 'nss')
    writeFileSync(path.join(dir, 'root.pem'), pki.root.certPem)
    execFileSync('mkdir', ['-p', nssDir])
    execFileSync('certutil', ['-N', '-d', `sql:${nssDir}`, '--empty-password'])
    execFileSync('certutil', [
      '-A',
      '-n',
      'root',
      '-t',
      'CT,C,C',
      '-i',
      path.join(dir, 'root.pem'),
      '-d',
      `sql:${nssDir}`,
    ])
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('takes the whole born-digital corpus (24 documents) and eight of its scans', () => {
    expect(corpus.filter((name) => !name.includes('.scan.')).length).toBeGreaterThanOrEqual(24)
    expect(corpus.filter((name) => name.includes('.scan.')).length).toBeGreaterThanOrEqual(8)
  })

  it.each(corpus)(
    'GIVEN %s WHEN the leader signs and the agency seals THEN pdfsig: both valid and trusted; qpdf clean; our verifier: both valid',
    async (name) => {
      const original = new Uint8Array(readFileSync(path.join(CORPUS, name)))
      const scanned = name.includes('.scan.')
      const pages = Number(/\/Count (\d+)/.exec(Buffer.from(original).toString('latin1'))?.[1] ?? 1)
      const leader = await leaderAppearance(original, {
        image: SIGNATURE,
        placement: scanned ? { pageIndex: pages - 1, rect: [...SCAN_PLACEMENT] } : undefined,
      })
      const seal = agencySealAppearance(original, {
        leaderRect: leader.appearance.rect,
        pageIndex: leader.pageIndex,
        sealPng: SEAL,
      })
      const signed = await sign(original, pki.leader, pki, leader)
      const sealed = await sign(signed, pki.agency, pki, seal)
      expect(Buffer.from(sealed.subarray(0, original.length)).equals(Buffer.from(original))).toBe(true)

      const file = path.join(dir, name)
      writeFileSync(file, sealed)
      const report = spawnSync('pdfsig', ['-nssdir', `sql:${nssDir}`, file], {
        encoding: 'utf8',
        env: { ...process.env, LANG: 'C.UTF-8' },
      })
      const text = report.stdout + report.stderr
      expect(text.match(/Signature Validation: Signature is Valid\./g), text).toHaveLength(2)
      expect(text.match(/Certificate Validation: Certificate is Trusted\./g), text).toHaveLength(2)
      const check = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' })
      expect(check.status, check.stdout + check.stderr).toBe(0)
      if (hasMutool) {
        // A third peer (mupdf-tools): it checks each digest, without trust anchors.
        const mutool = spawnSync('mutool', ['sign', '-v', file], { encoding: 'utf8' })
        const out = mutool.stdout + mutool.stderr
        expect(out.match(/Verifying signature/g), out).toHaveLength(2)
        expect(out.match(/signature is valid|document is unchanged/gi), out).toHaveLength(2)
      }

      const ours = await verifyPdf(sealed, {
        trustAnchors: [pki.root.certPem],
        // The test PKI's CRLs, as a distribution point would serve them.
        fetchRevocation: async () => ({ crls: [pki.crls.intermediate.der, pki.crls.root.der], ocsps: [] }),
      })
      // The leader's signature is followed by the agency's: noted, allowed, not flagged.
      expect(ours.signatures.map((s) => [s.verdict, s.reasons])).toEqual([
        ['valid', ['not-whole-file']],
        ['valid', []],
      ])
      expect(ours.modifiedAfterLastSignature).toBe(false)
    },
  )
})
