/**
 * Certificate helpers for the verifier: distinguished names decoded from the DER (UTF8String values as
 * UTF-8, so Vietnamese names come out whole), the keyUsage bits, and chain building to a trust anchor
 * where each link's signature is checked with Node's X509Certificate (checkIssued + verify).
 */
import { X509Certificate } from 'node:crypto'
import { certInfo } from '../cms/certs.ts'
import { type Asn1, bytesOf, children, decode, fromBinary, isContext, oidOf, Type } from '../cms/der.ts'

const NAME_KEYS: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
}

export interface NameAttribute {
  key: string
  value: string
}

function decodeString(node: Asn1): string {
  const raw = fromBinary(node.value as string)
  if (node.type === Type.BMPSTRING) return raw.swap16().toString('utf16le')
  // UTF8String; PrintableString and IA5String are ASCII, a subset of UTF-8.
  return raw.toString('utf8')
}

/** The attributes of a Name in encoded order (country first in most certificates). */
export function nameAttributes(name: Asn1): NameAttribute[] {
  return children(name).flatMap((rdn) =>
    children(rdn).map((pair) => {
      const [type, value] = children(pair)
      const id = oidOf(type) ?? '?'
      return { key: NAME_KEYS[id] ?? id, value: value ? decodeString(value) : '' }
    }),
  )
}

/** RFC 4514 order (most specific first): `CN=Nguyễn Văn An, O=…, C=VN`. */
export const formatName = (attributes: NameAttribute[]) =>
  [...attributes]
    .reverse()
    .map((a) => `${a.key}=${a.value}`)
    .join(', ')

export interface CertSummary {
  subject: string
  issuer: string
  commonName: string | null
  serialNumber: string
  fingerprintSha256: string
  notBefore: string
  notAfter: string
}

export function summarize(cert: X509Certificate): CertSummary {
  const info = certInfo(cert)
  const subject = nameAttributes(info.subject)
  return {
    subject: formatName(subject),
    issuer: formatName(nameAttributes(info.issuer)),
    commonName: subject.find((a) => a.key === 'CN')?.value ?? null,
    serialNumber: cert.serialNumber.toLowerCase(),
    fingerprintSha256: fingerprint(cert),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
  }
}

export const fingerprint = (cert: X509Certificate) => cert.fingerprint256.replaceAll(':', '').toLowerCase()

/** keyUsage (2.5.29.15) bits, or undefined when the certificate has no such extension. */
export function keyUsageBits(
  cert: X509Certificate,
): { digitalSignature: boolean; nonRepudiation: boolean } | undefined {
  const tbs = children(decode(cert.raw))[0]
  const extensions = children(tbs).find((field) => isContext(field, 3))
  for (const extension of children(children(extensions)[0])) {
    const parts = children(extension)
    if (oidOf(parts[0]) !== '2.5.29.15') continue
    const bitString = bytesOf(parts[parts.length - 1]) // DER of the BIT STRING: 03 len unused bits…
    const first = bitString[3] ?? 0
    return { digitalSignature: (first & 0x80) !== 0, nonRepudiation: (first & 0x40) !== 0 }
  }
  return undefined
}

export function toX509(input: string | Uint8Array | X509Certificate): X509Certificate | undefined {
  try {
    return input instanceof X509Certificate
      ? input
      : new X509Certificate(typeof input === 'string' ? input : Buffer.from(input))
  } catch {
    return undefined
  }
}

export const isSelfSigned = (cert: X509Certificate) => cert.checkIssued(cert) && safeVerify(cert, cert)

function safeVerify(cert: X509Certificate, issuer: X509Certificate) {
  try {
    return cert.verify(issuer.publicKey)
  } catch {
    return false
  }
}

export interface ChainResult {
  /** The path ends at (or is issued by) a trust anchor and every link's signature verifies. */
  trusted: boolean
  /** Signer first; the anchor last when trusted. */
  path: X509Certificate[]
}

/** Builds the path from `leaf` through `pool` (CMS and DSS certificates) to one of `anchors`. */
export function buildChain(
  leaf: X509Certificate,
  pool: X509Certificate[],
  anchors: X509Certificate[],
): ChainResult {
  const anchorPrints = new Set(anchors.map(fingerprint))
  const candidates = [...anchors, ...pool]
  const path = [leaf]
  let current = leaf
  for (let depth = 0; depth < 10; depth++) {
    if (anchorPrints.has(fingerprint(current))) return { trusted: true, path }
    if (isSelfSigned(current)) break
    const issuer = candidates.find(
      (candidate) =>
        fingerprint(candidate) !== fingerprint(current) &&
        current.checkIssued(candidate) &&
        safeVerify(current, candidate),
    )
    if (!issuer || path.some((cert) => fingerprint(cert) === fingerprint(issuer))) break
    path.push(issuer)
    current = issuer
  }
  return { trusted: false, path }
}

/** Every certificate of the path valid at `at` (the anchor included). */
export const validAt = (path: X509Certificate[], at: Date) =>
  path.every((cert) => new Date(cert.validFrom) <= at && at <= new Date(cert.validTo))
