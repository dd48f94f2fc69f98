/**
 * Certificates that must not validate (RFC 5280 §6, ETSI TS 119 312), issued under the test PKI so that
 * only the property under test is wrong: a certificate issued by an end entity (cA false), a sub-CA below
 * the intermediate's pathLenConstraint 0, a CA without keyCertSign, a signer without a signing key usage,
 * an unknown critical extension, SHA-1 signed, a 1024-bit key, not yet valid.
 */
import { generateKeyPairSync, type KeyObject, randomBytes, X509Certificate } from 'node:crypto'
import forge from 'node-forge'
import type { IssuedCert } from '../../scripts/lib/test-pki/issue-cert.ts'
import type { TestPki } from '../../scripts/lib/test-pki/test-pki.ts'

const DAY = 86_400_000

export interface AttackCert {
  certPem: string
  der: Buffer
  privateKey: KeyObject
  forgeCert: forge.pki.Certificate
  forgeKey: forge.pki.rsa.PrivateKey
}

interface IssueOptions {
  commonName: string
  issuer: AttackCert | IssuedCert
  extensions: Record<string, unknown>[]
  keyBits?: number
  digest?: 'sha256' | 'sha1'
  notBefore?: Date
  notAfter?: Date
}

function issue(options: IssueOptions): AttackCert {
  const keys = generateKeyPairSync('rsa', { modulusLength: options.keyBits ?? 2048 })
  const forgeKey = forge.pki.privateKeyFromPem(
    keys.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
  )
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(
    keys.publicKey.export({ type: 'spki', format: 'pem' }) as string,
  )
  const serial = randomBytes(16)
  serial[0] = (serial[0]! & 0x3f) | 0x10
  cert.serialNumber = serial.toString('hex')
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - DAY)
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 365 * DAY)
  cert.setSubject([
    { shortName: 'C', value: 'VN' },
    {
      shortName: 'CN',
      value: options.commonName,
      valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class,
    },
  ])
  cert.setIssuer(options.issuer.forgeCert.subject.attributes)
  cert.setExtensions([
    { name: 'subjectKeyIdentifier' },
    {
      name: 'authorityKeyIdentifier',
      keyIdentifier: options.issuer.forgeCert.generateSubjectKeyIdentifier().getBytes(),
    },
    ...options.extensions,
  ])
  const md = options.digest === 'sha1' ? forge.md.sha1.create() : forge.md.sha256.create()
  cert.sign(options.issuer.forgeKey, md)
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary')
  new X509Certificate(der) // parses
  return {
    certPem: forge.pki.certificateToPem(cert),
    der,
    privateKey: keys.privateKey,
    forgeCert: cert,
    forgeKey,
  }
}

const SIGNER = [
  { name: 'basicConstraints', critical: true, cA: false },
  { name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true },
]
const CA = (pathLenConstraint?: number) => [
  {
    name: 'basicConstraints',
    critical: true,
    cA: true,
    ...(pathLenConstraint === undefined ? {} : { pathLenConstraint }),
  },
  { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true },
]

export interface AttackCerts {
  /** Issued by the leader's end-entity certificate (basicConstraints cA false): the chain is not valid. */
  byEndEntity: { signer: AttackCert; chain: Uint8Array[] }
  /** A sub-CA below the intermediate (pathLenConstraint 0), and a signer below it. */
  pathTooLong: { signer: AttackCert; chain: Uint8Array[] }
  /** A CA certificate whose keyUsage lacks keyCertSign, and a signer below it. */
  caWithoutCertSign: { signer: AttackCert; chain: Uint8Array[] }
  /** keyUsage keyEncipherment only: may not sign. */
  noSigningUsage: { signer: AttackCert; chain: Uint8Array[] }
  /** A critical extension nobody knows. */
  unknownCritical: { signer: AttackCert; chain: Uint8Array[] }
  /** The certificate is signed with sha1WithRSAEncryption. */
  sha1Certificate: { signer: AttackCert; chain: Uint8Array[] }
  /** A 1024-bit RSA key. */
  shortKey: { signer: AttackCert; chain: Uint8Array[] }
  /** notBefore tomorrow. */
  notYetValid: { signer: AttackCert; chain: Uint8Array[] }
}

export function createAttackCerts(pki: TestPki): AttackCerts {
  const chain = [pki.intermediate.der, pki.root.der]
  const byEndEntity = issue({
    commonName: 'Kẻ giả mạo (do người ký cấp)',
    issuer: pki.leader,
    extensions: SIGNER,
  })
  const subCa = issue({ commonName: 'CA con trái phép', issuer: pki.intermediate, extensions: CA() })
  const underSubCa = issue({ commonName: 'Người ký dưới CA con', issuer: subCa, extensions: SIGNER })
  const rootCaNoSign = issue({
    commonName: 'CA thiếu keyCertSign',
    issuer: pki.root,
    extensions: [
      { name: 'basicConstraints', critical: true, cA: true },
      { name: 'keyUsage', critical: true, digitalSignature: true },
    ],
  })
  const underNoSign = issue({
    commonName: 'Người ký dưới CA thiếu quyền',
    issuer: rootCaNoSign,
    extensions: SIGNER,
  })
  return {
    byEndEntity: { signer: byEndEntity, chain: [pki.leader.der, ...chain] },
    pathTooLong: { signer: underSubCa, chain: [subCa.der, ...chain] },
    caWithoutCertSign: { signer: underNoSign, chain: [rootCaNoSign.der, pki.root.der] },
    noSigningUsage: {
      signer: issue({
        commonName: 'Chỉ mã hóa khóa',
        issuer: pki.intermediate,
        extensions: [
          { name: 'basicConstraints', critical: true, cA: false },
          { name: 'keyUsage', critical: true, keyEncipherment: true },
        ],
      }),
      chain,
    },
    unknownCritical: {
      signer: issue({
        commonName: 'Phần mở rộng lạ',
        issuer: pki.intermediate,
        extensions: [
          ...SIGNER,
          {
            id: '1.3.6.1.4.1.99999.42.1',
            critical: true,
            value: forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.NULL, false, ''),
          },
        ],
      }),
      chain,
    },
    sha1Certificate: {
      signer: issue({
        commonName: 'Chứng thư SHA-1',
        issuer: pki.intermediate,
        extensions: SIGNER,
        digest: 'sha1',
      }),
      chain,
    },
    shortKey: {
      signer: issue({
        commonName: 'Khóa 1024 bit',
        issuer: pki.intermediate,
        extensions: SIGNER,
        keyBits: 1024,
      }),
      chain,
    },
    notYetValid: {
      signer: issue({
        commonName: 'Chưa đến hạn',
        issuer: pki.intermediate,
        extensions: SIGNER,
        notBefore: new Date(Date.now() + DAY),
        notAfter: new Date(Date.now() + 2 * DAY),
      }),
      chain,
    },
  }
}
