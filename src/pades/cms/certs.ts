/**
 * The parts of an X.509 certificate CMS needs, taken from the certificate's own DER. The issuer Name is
 * copied as encoded, never rebuilt from forge's parsed attributes: forge re-encodes parsed UTF8String
 * values a second time (STACK-NOTES), so a Vietnamese issuer would no longer match the certificate.
 */
import { createHash, X509Certificate } from 'node:crypto'
import { type Asn1, bytesOf, children, decode, encode, isContext, oidOf, seq } from './der.ts'
import { OID } from './oids.ts'

/** A certificate as PEM text, DER bytes or a Node X509Certificate. */
export type CertificateInput = string | Uint8Array | X509Certificate

export interface CertInfo {
  der: Buffer
  x509: X509Certificate
  /** The Name and serialNumber INTEGER nodes exactly as encoded in the certificate. */
  issuer: Asn1
  serial: Asn1
  subject: Asn1
  subjectKeyId?: Buffer
}

export function certInfo(input: CertificateInput): CertInfo {
  const x509 = input instanceof X509Certificate ? input : new X509Certificate(toPemOrDer(input))
  const der = Buffer.from(x509.raw)
  const tbs = children(decode(der))[0]
  const fields = children(tbs)
  const at = isContext(fields[0], 0) ? 1 : 0 // [0] version is optional (v1)
  const issuer = fields[at + 2]
  const serial = fields[at]
  const subject = fields[at + 4]
  if (!issuer || !serial || !subject) throw new Error('certificate: no issuer, subject or serial number')
  return { der, x509, issuer, serial, subject, subjectKeyId: subjectKeyId(fields) }
}

/** IssuerAndSerialNumber (RFC 5652 10.2.4) from the certificate's own bytes. */
export const issuerAndSerial = (cert: CertInfo) => seq(cert.issuer, cert.serial)

export const sameIssuerAndSerial = (cert: CertInfo, issuerDer: Buffer, serialDer: Buffer) =>
  encode(cert.issuer).equals(issuerDer) && encode(cert.serial).equals(serialDer)

export const certSha256 = (cert: CertInfo) => createHash('sha256').update(cert.der).digest()

function subjectKeyId(fields: Asn1[]): Buffer | undefined {
  const extensions = fields.find((field) => isContext(field, 3))
  for (const extension of children(children(extensions)[0])) {
    const parts = children(extension)
    if (oidOf(parts[0]) !== OID.subjectKeyIdentifier) continue
    return bytesOf(decode(bytesOf(parts[parts.length - 1])))
  }
  return undefined
}

function toPemOrDer(input: string | Uint8Array): string | Buffer {
  return typeof input === 'string' ? input : Buffer.from(input)
}
