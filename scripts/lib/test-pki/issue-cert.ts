/**
 * Issues X.509 certificates with node-forge for test hierarchies. Keys come from Node's crypto (forge's
 * keygen is slow); Vietnamese name values are UTF8String, the country PrintableString (RFC 5280).
 */
import { generateKeyPairSync, type KeyObject, randomBytes, X509Certificate } from 'node:crypto'
import forge from 'node-forge'

export interface DnAttribute {
  name: 'commonName' | 'organizationName' | 'organizationalUnitName' | 'localityName' | 'countryName'
  value: string
}

/** root: self-signed CA; ca: intermediate (pathLen 0); signer: a person or an agency seal; tsa: timestamping. */
export type CertProfile = 'root' | 'ca' | 'signer' | 'tsa'

export interface IssuedCert {
  name: string
  subject: DnAttribute[]
  privateKey: KeyObject
  certPem: string
  der: Buffer
  x509: X509Certificate
  serialHex: string
  forgeCert: forge.pki.Certificate
  forgeKey: forge.pki.rsa.PrivateKey
}

export interface IssueInput {
  name: string
  subject: DnAttribute[]
  profile: CertProfile
  /** Self-signed when absent. */
  issuer?: IssuedCert
  notBefore: Date
  notAfter: Date
  /** cRLDistributionPoints URL (the issuer's CRL). */
  crlUrl?: string
  /** authorityInfoAccess OCSP responder URL. */
  ocspUrl?: string
}

export function issueCert(input: IssueInput): IssuedCert {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const forgeKey = forge.pki.privateKeyFromPem(
    keys.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
  )
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(
    keys.publicKey.export({ type: 'spki', format: 'pem' }) as string,
  )
  cert.serialNumber = serialHex()
  cert.validity.notBefore = input.notBefore
  cert.validity.notAfter = input.notAfter
  cert.setSubject(forgeDn(input.subject))
  cert.setIssuer(forgeDn(input.issuer?.subject ?? input.subject))
  const issuerCert = input.issuer?.forgeCert ?? cert
  cert.setExtensions(extensions(input, issuerCert.generateSubjectKeyIdentifier().getBytes()))
  cert.sign(input.issuer?.forgeKey ?? forgeKey, forge.md.sha256.create())
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary')
  return {
    name: input.name,
    subject: input.subject,
    privateKey: keys.privateKey,
    certPem: forge.pki.certificateToPem(cert),
    der,
    x509: new X509Certificate(der),
    serialHex: cert.serialNumber,
    forgeCert: cert,
    forgeKey,
  }
}

/** Positive, 16 bytes, no leading zero byte. */
function serialHex() {
  const bytes = randomBytes(16)
  bytes[0] = (bytes[0]! & 0x3f) | 0x10
  return bytes.toString('hex')
}

function forgeDn(attributes: DnAttribute[]): forge.pki.CertificateField[] {
  return attributes.map((attribute) => ({
    name: attribute.name,
    value: attribute.value,
    // @types/node-forge types this as a Class; forge reads it as the value's universal tag.
    valueTagClass: (attribute.name === 'countryName'
      ? forge.asn1.Type.PRINTABLESTRING
      : forge.asn1.Type.UTF8) as unknown as forge.asn1.Class,
  }))
}

function extensions(input: IssueInput, authorityKeyId: string) {
  const isCa = input.profile === 'root' || input.profile === 'ca'
  const list: Record<string, unknown>[] = [
    isCa
      ? {
          name: 'basicConstraints',
          critical: true,
          cA: true,
          ...(input.profile === 'ca' ? { pathLenConstraint: 0 } : {}),
        }
      : { name: 'basicConstraints', critical: true, cA: false },
    isCa
      ? { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true }
      : { name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: authorityKeyId },
  ]
  if (input.profile === 'tsa') list.push({ name: 'extKeyUsage', critical: true, timeStamping: true })
  if (input.crlUrl) list.push({ name: 'cRLDistributionPoints', altNames: [{ type: 6, value: input.crlUrl }] })
  if (input.ocspUrl) list.push({ id: AUTHORITY_INFO_ACCESS, value: ocspAccess(input.ocspUrl) })
  return list
}

const AUTHORITY_INFO_ACCESS = '1.3.6.1.5.5.7.1.1'
const ACCESS_METHOD_OCSP = '1.3.6.1.5.5.7.48.1'

/** AuthorityInfoAccessSyntax with one OCSP AccessDescription (forge has no named builder for it). */
function ocspAccess(url: string): forge.asn1.Asn1 {
  const { asn1 } = forge
  const oid = asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.OID,
    false,
    asn1.oidToDer(ACCESS_METHOD_OCSP).getBytes(),
  )
  const uri = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 6, false, url)
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [oid, uri]),
  ])
}
