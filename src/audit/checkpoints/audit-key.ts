/**
 * The audit key: a dedicated RSA key that signs checkpoints of the audit chain, made on first use with a
 * self-signed certificate (exported with every checkpoint; its SHA-256 fingerprint is what an auditor
 * records and pins). Why not the agency seal: the seal's key is sealed under a PIN that clerks type,
 * and an hourly job cannot type it without the PIN being stored next to the key, which would undo the
 * PIN. The private key is kept sealed by the server key (SecretBox), so someone who can write the
 * database but not read the server's secret cannot sign: a key row they insert does not open.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, X509Certificate } from 'node:crypto'
import forge from 'node-forge'
import type { SecretBox } from '../../auth/secrets.ts'

/** RSA-3072: checkpoints are kept for as long as the records (decades), beyond RSA-2048's horizon. */
const MODULUS_BITS = 3072
const VALIDITY_YEARS = 30

export interface AuditKey {
  /** SHA-256 of the certificate's DER, lowercase hex. */
  fingerprint: string
  certificatePem: string
  privateKey: KeyObject
}

export interface StoredAuditKey {
  fingerprint: string
  certificate: string
  sealedPrivateKey: string
}

/** A new key and its self-signed certificate (CN names the agency, UTF8String for Vietnamese names). */
export function generateAuditKey(secretBox: SecretBox, agencyName: string): { key: AuditKey; stored: StoredAuditKey } {
  const keys = generateKeyPairSync('rsa', { modulusLength: MODULUS_BITS })
  const pkcs1 = keys.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKey.export({ type: 'spki', format: 'pem' }) as string)
  cert.serialNumber = positiveSerialHex()
  const now = new Date()
  cert.validity.notBefore = new Date(now.getTime() - 60_000)
  cert.validity.notAfter = new Date(Date.UTC(now.getUTCFullYear() + VALIDITY_YEARS, now.getUTCMonth(), 1))
  const name = [
    utf8Field('commonName', 'Khóa ký điểm kiểm tra nhật ký (vanthu audit checkpoints)'),
    utf8Field('organizationName', agencyName.slice(0, 64) || 'vanthu'),
  ]
  cert.setSubject(name)
  cert.setIssuer(name)
  cert.setExtensions([
    { name: 'basicConstraints', critical: true, cA: false },
    { name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true },
    { name: 'subjectKeyIdentifier' },
  ])
  cert.sign(forge.pki.privateKeyFromPem(pkcs1), forge.md.sha256.create())
  const certificatePem = forge.pki.certificateToPem(cert)
  const fingerprint = certificateFingerprint(certificatePem)
  const pkcs8 = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
  return {
    key: { fingerprint, certificatePem, privateKey: keys.privateKey },
    stored: { fingerprint, certificate: certificatePem, sealedPrivateKey: secretBox.seal(pkcs8) },
  }
}

/**
 * Opens a stored key; undefined when it was not sealed by this server's key or does not belong to its
 * certificate (a key row someone inserted behind the service's back).
 */
export function openAuditKey(secretBox: SecretBox, stored: StoredAuditKey): AuditKey | undefined {
  try {
    if (certificateFingerprint(stored.certificate) !== stored.fingerprint) return undefined
    const privateKey = createPrivateKey(secretBox.open(stored.sealedPrivateKey))
    const certificateKey = new X509Certificate(stored.certificate).publicKey.export({ type: 'spki', format: 'der' })
    const ownKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' })
    if (!certificateKey.equals(ownKey)) return undefined
    return { fingerprint: stored.fingerprint, certificatePem: stored.certificate, privateKey }
  } catch {
    return undefined
  }
}

/** What `openssl x509 -noout -fingerprint -sha256` prints, lowercase and without colons. */
export function certificateFingerprint(certificatePem: string): string {
  return new X509Certificate(certificatePem).fingerprint256.replaceAll(':', '').toLowerCase()
}

function utf8Field(name: string, value: string): forge.pki.CertificateField {
  // @types/node-forge types valueTagClass as a Class; forge reads it as the value's universal tag (and UTF-8 encodes).
  return { name, value, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class }
}

/** Positive, 16 bytes, no leading zero byte (RFC 5280 4.1.2.2). */
function positiveSerialHex(): string {
  const bytes = randomBytes(16)
  bytes[0] = (bytes[0]! & 0x3f) | 0x10
  return bytes.toString('hex')
}
