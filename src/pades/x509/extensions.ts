/**
 * The X.509 v3 extensions path validation needs (RFC 5280 §4.2), read from the certificate's DER:
 * basicConstraints (cA, pathLenConstraint), keyUsage bits, extendedKeyUsage, which extensions are
 * critical; plus the signature algorithm and the public key size for the algorithm policy.
 */
import type { X509Certificate } from 'node:crypto'
import {
  type Asn1,
  bytesOf,
  children,
  decode,
  encode,
  integerOf,
  isContext,
  oidOf,
  Type,
} from '../cms/der.ts'

export const EXTENSION = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  policyConstraints: '2.5.29.36',
  inhibitAnyPolicy: '2.5.29.54',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  freshestCrl: '2.5.29.46',
  subjectDirectoryAttributes: '2.5.29.9',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  qcStatements: '1.3.6.1.5.5.7.1.3',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
} as const

export interface Extension {
  oid: string
  critical: boolean
  /** The extnValue's content: the DER of the extension's own structure. */
  value: Buffer
}

export interface KeyUsage {
  digitalSignature: boolean
  nonRepudiation: boolean
  keyCertSign: boolean
  cRLSign: boolean
}

export interface CertificateProfile {
  extensions: Extension[]
  /** undefined without a basicConstraints extension. */
  basicConstraints: { ca: boolean; pathLength: number | undefined } | undefined
  keyUsage: KeyUsage | undefined
  /** Extended key usage OIDs; undefined without the extension. */
  extendedKeyUsage: string[] | undefined
  /** AlgorithmIdentifier OID of the certificate's own signature. */
  signatureAlgorithm: string | undefined
  /** DER of the subject and issuer Names, for name chaining. */
  subjectDer: Buffer
  issuerDer: Buffer
}

const cache = new WeakMap<X509Certificate, CertificateProfile>()

export function profileOf(cert: X509Certificate): CertificateProfile {
  const known = cache.get(cert)
  if (known) return known
  const [tbs, signatureAlgorithm] = children(decode(cert.raw))
  const fields = children(tbs)
  const at = isContext(fields[0], 0) ? 1 : 0
  const extensions = readExtensions(fields.find((field) => isContext(field, 3)))
  const value = (oid: string) => extensions.find((extension) => extension.oid === oid)?.value
  const profile: CertificateProfile = {
    extensions,
    basicConstraints: mapDefined(value(EXTENSION.basicConstraints), readBasicConstraints),
    keyUsage: mapDefined(value(EXTENSION.keyUsage), readKeyUsage),
    extendedKeyUsage: mapDefined(value(EXTENSION.extKeyUsage), (der) =>
      children(decode(der)).flatMap((node) => oidOf(node) ?? []),
    ),
    signatureAlgorithm: oidOf(children(signatureAlgorithm)[0]),
    subjectDer: encode(fields[at + 4]!),
    issuerDer: encode(fields[at + 2]!),
  }
  cache.set(cert, profile)
  return profile
}

const mapDefined = <T>(value: Buffer | undefined, map: (value: Buffer) => T) =>
  value === undefined ? undefined : map(value)

function readExtensions(wrapper: Asn1 | undefined): Extension[] {
  return children(children(wrapper)[0]).map((extension) => {
    const parts = children(extension)
    const critical = parts.length === 3 && parts[1]?.type === Type.BOOLEAN && bytesOf(parts[1])[0] !== 0
    return { oid: oidOf(parts[0]) ?? '?', critical, value: bytesOf(parts[parts.length - 1]) }
  })
}

function readBasicConstraints(der: Buffer) {
  let ca = false
  let pathLength: number | undefined
  for (const node of children(decode(der))) {
    if (node.type === Type.BOOLEAN) ca = bytesOf(node)[0] !== 0
    else if (node.type === Type.INTEGER) pathLength = Number(integerOf(node))
  }
  return { ca, pathLength }
}

function readKeyUsage(der: Buffer): KeyUsage {
  const bits = bytesOf(decode(der)) // first byte: unused bits count
  const first = bits[1] ?? 0
  return {
    digitalSignature: (first & 0x80) !== 0,
    nonRepudiation: (first & 0x40) !== 0,
    keyCertSign: (first & 0x04) !== 0,
    cRLSign: (first & 0x02) !== 0,
  }
}
