/**
 * CRL checking for the verifier (RFC 5280 5.1): a CRL applies to a certificate when its issuer Name is
 * the certificate's issuer (byte for byte) and its signature verifies with the issuing CA's key.
 */
import { verify, type X509Certificate } from 'node:crypto'
import { certInfo } from '../cms/certs.ts'
import { type Asn1, asn1, bytesOf, Class, children, decode, encode, oidOf, Type } from '../cms/der.ts'
import { OID } from '../cms/oids.ts'

export interface ParsedCrl {
  issuerDer: Buffer
  thisUpdate?: Date
  nextUpdate?: Date
  /** Lower-case hex serials (no leading zeros) with their revocation dates. */
  revoked: Map<string, Date>
  tbs: Buffer
  signatureAlgorithm?: string
  signature: Buffer
}

const HASH_OF: Readonly<Record<string, string>> = {
  [OID.sha256WithRSA]: 'sha256',
  [OID.sha384WithRSA]: 'sha384',
  [OID.sha512WithRSA]: 'sha512',
  [OID.ecdsaWithSha256]: 'sha256',
  [OID.ecdsaWithSha384]: 'sha384',
  [OID.ecdsaWithSha512]: 'sha512',
  '1.2.840.113549.1.1.5': 'sha1',
}

/** Node hash name of a signature AlgorithmIdentifier OID (RSA PKCS#1 v1.5 or ECDSA). */
export const hashOfSignatureAlgorithm = (oid: string): string | undefined => HASH_OF[oid]

export const normalizeSerial = (hex: string) => hex.toLowerCase().replace(/^0+(?=.)/, '')

function timeOf(node: Asn1 | undefined): Date | undefined {
  if (!node) return undefined
  if (node.type === Type.UTCTIME) return asn1.utcTimeToDate(node.value as string)
  if (node.type === Type.GENERALIZEDTIME) return asn1.generalizedTimeToDate(node.value as string)
  return undefined
}

const universal = (node: Asn1 | undefined, type: number) =>
  node?.tagClass === Class.UNIVERSAL && node.type === type
const isTime = (node: Asn1 | undefined) =>
  universal(node, Type.UTCTIME) || universal(node, Type.GENERALIZEDTIME)

export function parseCrl(der: Uint8Array): ParsedCrl | undefined {
  try {
    const [tbs, algorithm, signature] = children(decode(der))
    const fields = children(tbs)
    let at = universal(fields[0], Type.INTEGER) ? 1 : 0
    const signatureAlgorithm = oidOf(children(algorithm)[0])
    at++ // signature AlgorithmIdentifier inside the TBS
    const issuer = fields[at++]
    const thisUpdate = timeOf(fields[at++])
    const nextUpdate = isTime(fields[at]) ? timeOf(fields[at++]) : undefined
    const revoked = new Map<string, Date>()
    const list = fields[at]
    if (universal(list, Type.SEQUENCE)) {
      for (const entry of children(list)) {
        const [serial, date] = children(entry)
        const when = timeOf(date)
        if (serial && when) revoked.set(normalizeSerial(bytesOf(serial).toString('hex')), when)
      }
    }
    if (!issuer || !tbs || !signature) return undefined
    return {
      issuerDer: encode(issuer),
      thisUpdate,
      nextUpdate,
      revoked,
      tbs: encode(tbs),
      signatureAlgorithm,
      signature: bytesOf(signature).subarray(1), // skip the unused-bits byte
    }
  } catch {
    return undefined
  }
}

/**
 * A certificate's status from one CRL or OCSP response. `issuedAt` (CRL thisUpdate, OCSP thisUpdate) and
 * `nextUpdate` say how fresh it is (see revocationFresh in verify-pdf.ts).
 */
export type CertRevocation =
  | { status: 'good'; source: 'crl' | 'ocsp'; issuedAt?: Date | undefined; nextUpdate?: Date | undefined }
  | {
      status: 'revoked'
      source: 'crl' | 'ocsp'
      revokedAt: Date
      issuedAt?: Date | undefined
      nextUpdate?: Date | undefined
    }
  | { status: 'unknown' }

/** Of two statuses for one certificate: a revocation (the earliest), else the newest 'good', else unknown. */
export function preferredStatus(a: CertRevocation, b: CertRevocation): CertRevocation {
  if (a.status === 'revoked' || b.status === 'revoked') {
    if (a.status !== 'revoked') return b
    if (b.status !== 'revoked') return a
    return b.revokedAt < a.revokedAt ? b : a
  }
  if (a.status === 'unknown') return b
  if (b.status === 'unknown') return a
  return (b.issuedAt?.getTime() ?? 0) > (a.issuedAt?.getTime() ?? 0) ? b : a
}

/**
 * The status of `cert` from the CRLs among `crls` issued and signed by `issuer`: revoked when any lists it,
 * else 'good' from the most recently issued one.
 */
export function crlStatus(cert: X509Certificate, issuer: X509Certificate, crls: ParsedCrl[]): CertRevocation {
  const issuerDer = encode(certInfo(cert).issuer)
  const serial = normalizeSerial(cert.serialNumber)
  let best: CertRevocation = { status: 'unknown' }
  for (const crl of crls) {
    if (!crl.issuerDer.equals(issuerDer)) continue
    const hash = crl.signatureAlgorithm ? hashOfSignatureAlgorithm(crl.signatureAlgorithm) : undefined
    let signed = false
    try {
      signed = hash !== undefined && verify(hash, crl.tbs, issuer.publicKey, crl.signature)
    } catch {
      signed = false
    }
    if (!signed) continue
    const revokedAt = crl.revoked.get(serial)
    const times = { issuedAt: crl.thisUpdate, nextUpdate: crl.nextUpdate }
    best = preferredStatus(
      best,
      revokedAt
        ? { status: 'revoked', source: 'crl', revokedAt, ...times }
        : { status: 'good', source: 'crl', ...times },
    )
  }
  return best
}
