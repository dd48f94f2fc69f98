import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { certInfo } from '../../src/pades/cms/certs.ts'
import { encode } from '../../src/pades/cms/der.ts'
import {
  hasOpenssl,
  NO_OPENSSL,
  openssl,
  TEST_PKI_PASSWORD,
  testPki,
  testPkiFiles,
} from '../helpers/test-pki.ts'

describe('test PKI', () => {
  it('GIVEN the test PKI THEN names are UTF8Strings and each issuer is its CA subject byte for byte', () => {
    const pki = testPki()
    const leader = certInfo(pki.leader.der)
    expect(pki.leader.x509.subject).toContain('CN=Nguyễn Văn An')
    expect(pki.leader.x509.subject).toContain('O=Ủy ban nhân dân tỉnh Hòa Giang')
    expect(pki.agency.x509.subject).toContain('CN=Ủy ban nhân dân tỉnh Hòa Giang')
    expect(encode(leader.issuer).equals(encode(certInfo(pki.intermediate.der).subject))).toBe(true)
    // UTF8String (0x0c) holding the name's UTF-8 bytes once, not double-encoded
    const name = Buffer.from('Nguyễn Văn An', 'utf8')
    expect(encode(leader.subject).includes(Buffer.concat([Buffer.from([0x0c, name.length]), name]))).toBe(
      true,
    )
    expect(pki.tsa.x509.keyUsage).toEqual(['1.3.6.1.5.5.7.3.8'])
    expect(new Date(pki.expired.x509.validTo).getTime()).toBeLessThan(Date.now())
    expect(pki.leader.x509.checkIssued(pki.intermediate.x509)).toBe(true)
    expect(pki.leader.x509.verify(pki.intermediate.x509.publicKey)).toBe(true)
  })

  describe.skipIf(!hasOpenssl)(`openssl cross-checks${hasOpenssl ? '' : ` (${NO_OPENSSL})`}`, () => {
    it('GIVEN the written PKI WHEN openssl verifies each end entity THEN valid ones pass, expired fails', async () => {
      const { dir } = await testPkiFiles()
      const verify = (name: string, ...extra: string[]) =>
        openssl(
          ['verify', ...extra, '-CAfile', 'root.pem', '-untrusted', 'intermediate.pem', `${name}.pem`],
          dir,
        )
      for (const name of ['leader', 'agency', 'tsa', 'revoked']) {
        expect(verify(name).output).toContain(`${name}.pem: OK`)
      }
      expect(verify('expired').output).toContain('certificate has expired')
      const crls = ['-crl_check_all', '-CRLfile', 'root.crl.pem', '-CRLfile', 'intermediate.crl.pem']
      expect(verify('leader', ...crls).output).toContain('leader.pem: OK')
      expect(verify('revoked', ...crls).output).toContain('certificate revoked')
    })

    it('GIVEN a .p12 WHEN openssl reads it with the password THEN it holds the key and the chain (3DES)', async () => {
      const { dir, manifest } = await testPkiFiles()
      const info = openssl(
        ['pkcs12', '-info', '-in', 'leader.p12', '-passin', `pass:${TEST_PKI_PASSWORD}`, '-nodes'],
        dir,
      )
      expect(info.status, info.output).toBe(0)
      expect(info.output).toContain('pbeWithSHA1And3-KeyTripleDES-CBC')
      expect(info.output.match(/BEGIN CERTIFICATE/g)).toHaveLength(3)
      expect(info.output).toContain('BEGIN PRIVATE KEY')
      const wrong = openssl(['pkcs12', '-info', '-in', 'leader.p12', '-passin', 'pass:wrong', '-nokeys'], dir)
      expect(wrong.status).not.toBe(0)
      expect(manifest.certificates.leader?.p12).toBe('leader.p12')
      expect(manifest.crls.intermediate.revokedSerials).toEqual([testPki().revoked.serialHex])
      const written = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'))
      expect(written.certificates.leader.subject).toContain('Nguyễn Văn An')
    })

    it('GIVEN npm run pki:test -- outDir --password=… THEN the folder holds PEMs, .p12 files, CRLs and a manifest', () => {
      const outDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'vanthu-pki-script-')), 'pki')
      const printed = execFileSync('npx', ['tsx', 'scripts/pki-test.ts', outDir, '--password=mật-khẩu'], {
        encoding: 'utf8',
      })
      expect(printed).toContain('Nguyễn Văn An')
      const manifest = JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8'))
      expect(manifest.password).toBe('mật-khẩu')
      expect(Object.keys(manifest.certificates).sort()).toEqual(
        ['agency', 'expired', 'intermediate', 'leader', 'revoked', 'root', 'tsa'].sort(),
      )
      const args = ['verify', '-CAfile', 'root.pem', '-untrusted', 'intermediate.pem', 'leader.pem']
      expect(openssl(args, outDir).output).toContain('leader.pem: OK')
      const p12 = openssl(
        ['pkcs12', '-info', '-in', 'agency.p12', '-passin', 'pass:mật-khẩu', '-nokeys'],
        outDir,
      )
      expect(p12.status, p12.output).toBe(0)
    })
  })
})
