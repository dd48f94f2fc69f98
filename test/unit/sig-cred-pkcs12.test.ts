import { readFileSync } from 'node:fs'
import path from 'node:path'
import { createSign, createVerify, randomBytes } from 'node:crypto'
import forge from 'node-forge'
import { describe, expect, it } from 'vitest'
import { SecretBox } from '../../src/auth/secrets.ts'
import { openSealedKey, sealPrivateKey, WrongPinError } from '../../src/signatures/credentials/pin-seal.ts'
import { certificateDetails, readPkcs12 } from '../../src/signatures/credentials/pkcs12.ts'
import { pkcs12 } from '../../scripts/lib/test-pki/write-test-pki.ts'
import { classifyAnchor, parseCertificate } from '../../src/signatures/trust/trust.service.ts'
import {
  hasOpenssl,
  NO_OPENSSL,
  openssl,
  TEST_PKI_PASSWORD,
  testPki,
  testPkiFiles,
} from '../helpers/test-pki.ts'

const PASSWORD = 'Mật khẩu p12 – thử'

const errorCode = (run: () => unknown) => {
  try {
    run()
  } catch (error) {
    return (error as { code?: string }).code
  }
  return 'no error'
}

describe('reading PKCS#12 files', () => {
  it('GIVEN the leader .p12 (3DES) WHEN read THEN one key matching the certificate, the chain issuer first, Vietnamese names', () => {
    const pki = testPki()
    const contents = readPkcs12(pkcs12(pki.leader, [pki.root, pki.intermediate], PASSWORD), PASSWORD)
    expect(contents.certificate.fingerprint256).toBe(pki.leader.x509.fingerprint256)
    expect(contents.chain.map((cert) => cert.fingerprint256)).toEqual([
      pki.intermediate.x509.fingerprint256,
      pki.root.x509.fingerprint256,
    ])
    const details = certificateDetails(contents.certificate)
    expect(details.subject).toContain('CN=Nguyễn Văn An')
    expect(details.issuer).toContain('CN=Cơ quan chứng thực số thử nghiệm Vanthu')
    expect(details.serialNumber).toBe(pki.leader.serialHex.toLowerCase())
    const signature = createSign('sha256').update('văn bản').sign(contents.privateKey)
    expect(createVerify('sha256').update('văn bản').verify(contents.certificate.publicKey, signature)).toBe(
      true,
    )
  })

  it('GIVEN a wrong password, garbage, or a key without its certificate WHEN read THEN bad-pkcs12', () => {
    const pki = testPki()
    const file = pkcs12(pki.leader, [pki.intermediate], PASSWORD)
    expect(errorCode(() => readPkcs12(file, 'sai mật khẩu'))).toBe('bad-pkcs12')
    expect(errorCode(() => readPkcs12(randomBytes(300), PASSWORD))).toBe('bad-pkcs12')
    const mismatched = forge.asn1.toDer(
      forge.pkcs12.toPkcs12Asn1(pki.leader.forgeKey, [pki.agency.forgeCert], PASSWORD, { algorithm: '3des' }),
    )
    expect(errorCode(() => readPkcs12(Buffer.from(mismatched.getBytes(), 'binary'), PASSWORD))).toBe(
      'bad-pkcs12',
    )
  })

  describe.skipIf(!hasOpenssl)(`AES PKCS#12 from openssl 3${hasOpenssl ? '' : ` (${NO_OPENSSL})`}`, () => {
    it('GIVEN a PBES2/AES-256 .p12 written by openssl WHEN read THEN the same key and certificate', async () => {
      const { dir } = await testPkiFiles()
      const out = path.join(dir, 'leader-aes.p12')
      const run = openssl(
        [
          'pkcs12',
          '-export',
          '-inkey',
          'leader.key.pem',
          '-in',
          'leader.pem',
          '-certfile',
          'chain.pem',
          '-out',
          out,
          '-passout',
          'pass:aes-pass',
        ],
        dir,
      )
      expect(run.status, run.output).toBe(0)
      const info = openssl(['pkcs12', '-in', out, '-info', '-noout', '-passin', 'pass:aes-pass'], dir)
      expect(info.output).toMatch(/AES-256-CBC/)
      const contents = readPkcs12(readFileSync(out), 'aes-pass')
      expect(contents.certificate.fingerprint256).toBe(testPki().leader.x509.fingerprint256)
      expect(contents.chain).toHaveLength(2)
      expect(errorCode(() => readPkcs12(readFileSync(out), TEST_PKI_PASSWORD))).toBe('bad-pkcs12')
    })
  })
})

describe('sealing a signing key under its PIN', () => {
  const box = new SecretBox(randomBytes(32))

  it('GIVEN a sealed key WHEN opened with the PIN THEN the same bytes; with another PIN or certificate THEN WrongPinError', async () => {
    const pkcs8Der = testPki().leader.privateKey.export({ type: 'pkcs8', format: 'der' })
    const fingerprintSha256 = 'ab'.repeat(32)
    const sealed = await sealPrivateKey(box, {
      pkcs8Der: Buffer.from(pkcs8Der),
      pin: '123456',
      fingerprintSha256,
    })
    expect(sealed.sealedKey).not.toContain(pkcs8Der.toString('base64').slice(0, 64))
    expect(sealed.sealedKey).not.toContain(pkcs8Der.toString('base64url').slice(0, 64))
    expect(sealed.kdf).toMatchObject({
      name: 'argon2id',
      memoryCost: 65_536,
      timeCost: 3,
      cipher: 'aes-256-gcm',
      wrap: 'secret-box-v1',
    })
    const open = (pin: string, fingerprint = fingerprintSha256) =>
      openSealedKey(box, { ...sealed, pin, fingerprintSha256: fingerprint })
    expect((await open('123456')).equals(pkcs8Der)).toBe(true)
    await expect(open('123457')).rejects.toBeInstanceOf(WrongPinError)
    await expect(open('123456', 'cd'.repeat(32))).rejects.toBeInstanceOf(WrongPinError)
    // Another server key: not a wrong PIN but a server fault.
    await expect(
      openSealedKey(new SecretBox(randomBytes(32)), { ...sealed, pin: '123456', fingerprintSha256 }),
    ).rejects.not.toBeInstanceOf(WrongPinError)
  })
})

describe('trust anchors', () => {
  it('GIVEN the test root, intermediate and a leader certificate THEN root, intermediate, refused', () => {
    const pki = testPki()
    expect(classifyAnchor(parseCertificate(Buffer.from(pki.root.certPem)))).toBe('root')
    expect(classifyAnchor(parseCertificate(pki.intermediate.der))).toBe('intermediate')
    expect(errorCode(() => classifyAnchor(parseCertificate(pki.leader.der)))).toBe('not-a-ca-certificate')
    expect(errorCode(() => parseCertificate(Buffer.from('not a certificate')))).toBe('bad-certificate')
  })

  it('GIVEN a self-issued CA certificate whose signature is broken THEN refused', () => {
    const der = Buffer.from(testPki().root.der)
    der[der.length - 5]! ^= 0xff
    expect(errorCode(() => classifyAnchor(parseCertificate(der)))).toBe('not-a-ca-certificate')
  })
})
