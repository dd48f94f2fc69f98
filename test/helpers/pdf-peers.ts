/** Independent readers of our PDFs (poppler's pdfsig and pdftotext, qpdf), for the outgoing tests. */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const has = (command: string, flag = '--version') => spawnSync(command, [flag]).error === undefined
export const pdfPeersPresent =
  has('pdfsig', '-v') && has('qpdf') && has('pdftotext', '-v') && has('certutil', '-H')
export const PDF_PEERS_ABSENT =
  'pdfsig, qpdf, pdftotext or certutil absent: the independent PDF checks are SKIPPED'

let nss: { dir: string; root: string } | undefined

/** An NSS database trusting `rootPem`, for pdfsig (made once per test file). */
function nssTrusting(rootPem: string): string {
  if (nss?.root === rootPem) return nss.dir
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vanthu-nss-'))
  writeFileSync(path.join(dir, 'root.pem'), rootPem)
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password'])
  execFileSync('certutil', [
    '-A',
    '-n',
    'root',
    '-t',
    'CT,C,C',
    '-i',
    path.join(dir, 'root.pem'),
    '-d',
    `sql:${dir}`,
  ])
  nss = { dir, root: rootPem }
  return dir
}

function onDisk(bytes: Uint8Array, name = 'van-ban.pdf'): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'vanthu-peer-')), name)
  writeFileSync(file, bytes)
  return file
}

/** pdfsig's report: how many signatures it finds valid and how many certificates it trusts. */
export function pdfsig(bytes: Uint8Array, rootPem: string) {
  const report = spawnSync('pdfsig', ['-nssdir', `sql:${nssTrusting(rootPem)}`, onDisk(bytes)], {
    encoding: 'utf8',
    env: { ...process.env, LANG: 'C.UTF-8' },
  })
  const text = report.stdout + report.stderr
  return {
    text,
    valid: (text.match(/Signature Validation: Signature is Valid\./g) ?? []).length,
    trusted: (text.match(/Certificate Validation: Certificate is Trusted\./g) ?? []).length,
  }
}

export function qpdfCheck(bytes: Uint8Array) {
  const run = spawnSync('qpdf', ['--check', onDisk(bytes)], { encoding: 'utf8' })
  return { ok: run.status === 0, output: run.stdout + run.stderr }
}

/** The text as pdftotext reads it (physical layout kept). */
export function pdftotext(bytes: Uint8Array): string {
  return spawnSync('pdftotext', ['-layout', onDisk(bytes), '-'], { encoding: 'utf8' }).stdout
}
