/**
 * Independent verifiers as test peers (Debian packages, never dependencies): poppler's pdfsig with an
 * NSS database trusting the test root, mupdf's `mutool sign -v`, and `openssl verify` for certification
 * paths. Each answer is parsed into a few plain facts.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const has = (tool: string, arg = '-v') => spawnSync(tool, [arg], { stdio: 'ignore' }).error === undefined

export const peers = {
  pdfsig: has('pdfsig') && has('certutil', '-H'),
  mutool: has('mutool', '-v'),
  openssl: spawnSync('openssl', ['version']).status === 0,
}

export interface PdfsigSignature {
  /** 'signature', an empty field, or a document timestamp (ETSI.RFC3161: pdfsig does not verify those). */
  kind: 'signature' | 'unsigned-field' | 'document-timestamp'
  /** "Signature is Valid." → true. */
  valid: boolean
  trusted: boolean
  totalDocumentSigned: boolean
  validation: string
}

/** An NSS database trusting `rootPem` for pdfsig (`-nssdir sql:DIR`). */
export function nssDatabase(rootPem: string): string {
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
  return dir
}

/** pdfsig's view of every signature of `file` ([] when it finds none). */
export function pdfsig(file: string, nssDir: string): PdfsigSignature[] {
  const run = spawnSync('pdfsig', ['-nssdir', `sql:${nssDir}`, file], {
    encoding: 'utf8',
    env: { ...process.env, LANG: 'C.UTF-8' },
  })
  const output = `${run.stdout}${run.stderr}`
  return output
    .split(/^Signature #\d+:/m)
    .slice(1)
    .map((block) => {
      const validation = /Signature Validation: (.*)/.exec(block)?.[1]?.trim() ?? ''
      const kind: PdfsigSignature['kind'] = /form field is not signed/.test(block)
        ? 'unsigned-field'
        : /Signature Type: unknown/.test(block) && /has not yet been verified/.test(validation)
          ? 'document-timestamp'
          : 'signature'
      return {
        kind,
        valid: validation === 'Signature is Valid.',
        trusted: /Certificate Validation: Certificate is Trusted/.test(block),
        totalDocumentSigned: /Total document signed/.test(block) && !/Not total document signed/.test(block),
        validation,
      }
    })
}

/**
 * `mutool sign -v`: each signed field, true when it says the signature is valid. Empty fields are left
 * out; mutool cannot check document timestamps ("Unimplemented"), reported with `unsupported`.
 */
export function mutoolVerify(file: string): { valid: boolean; unsupported: boolean; text: string }[] {
  const run = spawnSync('mutool', ['sign', '-v', file], { encoding: 'utf8' })
  return `${run.stdout}${run.stderr}`
    .split(/^Verifying signature/m)
    .slice(1)
    .filter((block) => !/Signature is not signed/.test(block) || /Unable to validate/.test(block))
    .map((block) => ({
      valid: /The signature is valid/.test(block),
      unsupported: /Unable to validate this type of signature/.test(block),
      text: block.trim(),
    }))
}

/** `openssl verify` of `leaf` through `untrusted` to `root`: true when it says OK. */
export function opensslVerify(
  leafPem: string,
  untrustedPems: string[],
  rootPem: string,
): { ok: boolean; output: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vanthu-verify-'))
  writeFileSync(path.join(dir, 'leaf.pem'), leafPem)
  writeFileSync(path.join(dir, 'root.pem'), rootPem)
  writeFileSync(path.join(dir, 'untrusted.pem'), untrustedPems.join('\n'))
  const args = [
    'verify',
    '-CAfile',
    'root.pem',
    ...(untrustedPems.length ? ['-untrusted', 'untrusted.pem'] : []),
    'leaf.pem',
  ]
  const run = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' })
  const output = `${run.stdout}${run.stderr}`
  return { ok: run.status === 0 && /: OK/.test(output), output }
}
