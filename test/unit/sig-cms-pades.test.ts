import { createHash, createPrivateKey, sign } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { certInfo } from '../../src/pades/cms/certs.ts'
import { children, contextTag, decode, encode, smallInt, toBinary } from '../../src/pades/cms/der.ts'
import { OID } from '../../src/pades/cms/oids.ts'
import { assembleCms, buildSignedAttributes } from '../../src/pades/cms/pades-cms.ts'
import { cmsFromContents, parseCms } from '../../src/pades/cms/parse-cms.ts'
import { verifyCms } from '../../src/pades/cms/verify-cms.ts'
import {
  hasOpenssl,
  NO_OPENSSL,
  openssl,
  opensslCmsVerify,
  signedByLeader,
  testPki,
} from '../helpers/test-pki.ts'

// Stands in for the PDF's byte ranges: the CMS only ever sees their SHA-256 digest.
const content = Buffer.from('%PDF-1.7 … byte ranges of Quyết định số 15/QĐ-UBND …', 'utf8')
const digest = createHash('sha256').update(content).digest()
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest()

const signAsLeader = (scheme?: 'rsa-pkcs1' | 'rsa-pss') => signedByLeader(digest, scheme)

describe('PAdES CMS', () => {
  it('GIVEN a digest WHEN the leader signs it THEN the verifier accepts it and names the signer', () => {
    const cms = signAsLeader()
    const result = verifyCms({ contents: cms, digest })
    expect(result.reasons).toEqual([])
    expect(result.valid).toBe(true)
    expect(result.signerCertificate?.subject).toContain('CN=Nguyễn Văn An')
    expect(result.signerCertificate?.issuer).toContain('CN=Cơ quan chứng thực số thử nghiệm Vanthu')
    expect(result.signingCertificate).toBe('v2')
    expect(result.certificates).toHaveLength(3)
    expect(result.timestamp).toBeUndefined()
  })

  it('GIVEN a signed CMS THEN it is detached id-data with content-type, message-digest, ESS v2 and no signing-time', () => {
    const { leader } = testPki()
    const parsed = parseCms(signAsLeader())
    expect(parsed.eContentType).toBe(OID.data)
    expect(parsed.eContent).toBeUndefined()
    const [signerInfo] = parsed.signerInfos
    expect(signerInfo?.signedAttributes.map((a) => a.type).sort()).toEqual(
      [OID.contentType, OID.messageDigest, OID.signingCertificateV2].sort(),
    )
    expect(signerInfo?.signedAttributesDer?.[0]).toBe(0x31)
    // sid: the issuer Name exactly as in the certificate (UTF8String Vietnamese, not double-encoded)
    const sid = signerInfo?.sid as { issuerDer: Buffer; serialDer: Buffer }
    expect(sid.issuerDer.equals(encode(certInfo(leader.der).issuer))).toBe(true)
    expect(sid.issuerDer.includes(Buffer.from('Cơ quan chứng thực số', 'utf8'))).toBe(true)
    expect(sid.serialDer.equals(encode(certInfo(leader.der).serial))).toBe(true)
  })

  it('GIVEN an external signer (USB token) WHEN it signs the signed-attributes DER THEN the assembled CMS verifies', () => {
    const { agency, intermediate } = testPki()
    const signedAttributesDer = buildSignedAttributes({ digest, signerCert: agency.der })
    // The "token": only ever sees the bytes to sign and returns an RSA PKCS#1 v1.5 SHA-256 signature.
    const tokenKey = createPrivateKey(agency.privateKey.export({ type: 'pkcs8', format: 'pem' }))
    const signatureValue = sign('sha256', signedAttributesDer, tokenKey)
    const cms = assembleCms({
      signedAttributesDer,
      signatureValue,
      signerCert: agency.certPem,
      chain: [intermediate.certPem],
    })
    const result = verifyCms({ contents: cms, digest })
    expect(result.valid, result.reasons.join()).toBe(true)
    expect(result.signerCertificate?.subject).toContain('CN=Ủy ban nhân dân tỉnh Hòa Giang')
  })

  it('GIVEN RSA-PSS WHEN signed THEN it verifies', () => {
    const result = verifyCms({ contents: signAsLeader('rsa-pss'), digest })
    expect(result.valid, result.reasons.join()).toBe(true)
    expect(result.signatureAlgorithm).toBe(OID.rsassaPss)
  })

  it('GIVEN a different digest (changed PDF) THEN message-digest-mismatch', () => {
    const tampered = sha256(Buffer.concat([content, Buffer.from(' ')]))
    const result = verifyCms({ contents: signAsLeader(), digest: tampered })
    expect(result.valid).toBe(false)
    expect(result.reasons).toEqual(['message-digest-mismatch'])
  })

  it('GIVEN a changed signature value THEN signature-invalid', () => {
    const { leader } = testPki()
    const signedAttributesDer = buildSignedAttributes({ digest, signerCert: leader.der })
    const signatureValue = sign('sha256', signedAttributesDer, leader.privateKey)
    signatureValue[10]! ^= 0x01
    const cms = assembleCms({ signedAttributesDer, signatureValue, signerCert: leader.der })
    expect(verifyCms({ contents: cms, digest }).reasons).toEqual(['signature-invalid'])
  })

  it('GIVEN signing-certificate-v2 naming another certificate with the same key THEN signing-certificate-mismatch', () => {
    const { leader, agency } = testPki()
    const signedAttributesDer = buildSignedAttributes({ digest, signerCert: agency.der })
    const signatureValue = sign('sha256', signedAttributesDer, leader.privateKey)
    const cms = assembleCms({ signedAttributesDer, signatureValue, signerCert: leader.der })
    expect(verifyCms({ contents: cms, digest }).reasons).toEqual(['signing-certificate-mismatch'])
  })

  it('GIVEN the signer certificate left out of the CMS THEN signer-certificate-missing, found again when given', () => {
    const { leader } = testPki()
    const root = decode(signAsLeader())
    children(children(children(root)[1])[0]).splice(3, 1) // drop [0] certificates
    const withoutCerts = encode(root)
    expect(verifyCms({ contents: withoutCerts, digest }).reasons).toEqual(['signer-certificate-missing'])
    expect(verifyCms({ contents: withoutCerts, digest, extraCertificates: [leader.der] }).valid).toBe(true)
  })

  it('GIVEN a SignerInfo that names its signer by subjectKeyIdentifier THEN the signer is found by SKI', () => {
    const { leader } = testPki()
    const root = decode(signAsLeader())
    const signedData = children(children(children(root)[1])[0])
    const signerInfo = children(children(signedData.at(-1))[0])
    signerInfo[0] = smallInt(3) // version 3 goes with a subjectKeyIdentifier sid
    signerInfo[1] = contextTag(0, false, toBinary(certInfo(leader.der).subjectKeyId!))
    const result = verifyCms({ contents: encode(root), digest })
    expect(result.valid, result.reasons.join()).toBe(true)
    expect(result.signerInfo?.sid).toEqual({ subjectKeyId: certInfo(leader.der).subjectKeyId })
    expect(result.signerCertificate?.subject).toContain('CN=Nguyễn Văn An')
  })

  it('GIVEN /Contents as padded bytes or hex THEN the CMS is cut at its own length', () => {
    const cms = signAsLeader()
    const padded = Buffer.concat([cms, Buffer.alloc(4096)])
    expect(cmsFromContents(padded).equals(cms)).toBe(true)
    expect(cmsFromContents(`<${padded.toString('hex').toUpperCase()}>`).equals(cms)).toBe(true)
    expect(verifyCms({ contents: padded.toString('hex'), digest }).valid).toBe(true)
    expect(verifyCms({ contents: Buffer.concat([cms, Buffer.from([0, 1])]), digest }).reasons).toEqual([
      'malformed',
    ])
    expect(verifyCms({ contents: Buffer.alloc(64), digest }).reasons).toEqual(['malformed'])
  })

  it('GIVEN signed attributes that are not DER THEN assembleCms refuses them', () => {
    const { leader } = testPki()
    expect(() =>
      assembleCms({
        signedAttributesDer: Buffer.from([0x30, 0x00]),
        signatureValue: Buffer.alloc(256),
        signerCert: leader.der,
      }),
    ).toThrow(/SET OF/)
  })

  describe.skipIf(!hasOpenssl)(`openssl cms -verify${hasOpenssl ? '' : ` (${NO_OPENSSL})`}`, () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'vanthu-cms-'))

    it('GIVEN the leader (Vietnamese issuer) signature THEN openssl finds the signer and verifies', async () => {
      const run = await opensslCmsVerify(signAsLeader(), content)
      expect(run.output).toContain('Verification successful')
      const pss = await opensslCmsVerify(signAsLeader('rsa-pss'), content)
      expect(pss.output).toContain('Verification successful')
    })

    it('GIVEN the two-step CMS THEN openssl verifies it; GIVEN other content THEN openssl fails', async () => {
      const { agency, intermediate } = testPki()
      const signedAttributesDer = buildSignedAttributes({ digest, signerCert: agency.der })
      const signatureValue = sign('sha256', signedAttributesDer, agency.privateKey)
      const cms = assembleCms({
        signedAttributesDer,
        signatureValue,
        signerCert: agency.der,
        chain: [intermediate.der],
      })
      expect((await opensslCmsVerify(cms, content)).output).toContain('Verification successful')
      const tampered = await opensslCmsVerify(cms, Buffer.concat([content, Buffer.from(' ')]))
      expect(tampered.status).not.toBe(0)
      expect(tampered.output).toContain('content verify error')
    })

    it('GIVEN the CMS THEN openssl cmsout -print shows the UTF8String issuer and no signing-time', () => {
      writeFileSync(path.join(work, 'print.der'), signAsLeader())
      const printed = openssl(
        ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'print.der', '-nameopt', 'utf8'],
        work,
      )
      expect(printed.status, printed.output).toBe(0)
      expect(printed.stdout).toContain('CN=Cơ quan chứng thực số thử nghiệm Vanthu')
      expect(printed.stdout).toContain('id-smime-aa-signingCertificateV2')
      expect(printed.stdout).not.toContain('signingTime')
      const parsed = openssl(['asn1parse', '-inform', 'DER', '-in', 'print.der', '-i'], work)
      expect(parsed.status).toBe(0)
      expect(parsed.stdout).toContain('UTF8STRING')
      expect(parsed.stdout).not.toContain('Error')
    })
  })
})
