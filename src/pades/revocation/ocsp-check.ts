/**
 * OCSP responses from a PDF's DSS (RFC 6960): a BasicOCSPResponse applies to a certificate when a
 * SingleResponse's CertID names it (issuer name and key hashes, serial) and the response is signed by
 * the issuing CA itself or by a responder certificate the CA issued with the OCSPSigning key purpose.
 */
import { createHash, verify, X509Certificate } from 'node:crypto'
import { certInfo } from '../cms/certs.ts'
import {
  type Asn1,
  asn1,
  bytesOf,
  Class,
  children,
  decode,
  encode,
  isContext,
  oidOf,
  Type,
} from '../cms/der.ts'
import { HASH_BY_OID } from '../cms/oids.ts'
import type { CertRevocation } from './crl-check.ts'
import { hashOfSignatureAlgorithm, normalizeSerial, preferredStatus } from './crl-check.ts'

const BASIC_OCSP = '1.3.6.1.5.5.7.48.1.1'
const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9'

interface SingleResponse {
  hash: string
  issuerNameHash: Buffer
  issuerKeyHash: Buffer
  serial: string
  status: 'good' | 'revoked' | 'unknown'
  revokedAt?: Date
  thisUpdate?: Date
  nextUpdate?: Date
}

export interface ParsedOcsp {
  tbs: Buffer
  signatureAlgorithm?: string
  signature: Buffer
  certificates: X509Certificate[]
  producedAt?: Date
  responses: SingleResponse[]
}

const generalizedTime = (node: Asn1 | undefined) =>
  node?.tagClass === Class.UNIVERSAL && node.type === Type.GENERALIZEDTIME
    ? asn1.generalizedTimeToDate(node.value as string)
    : undefined

/** An OCSPResponse (or a bare BasicOCSPResponse, as some DSS writers store it). */
export function parseOcsp(der: Uint8Array): ParsedOcsp | undefined {
  try {
    let basic = decode(der)
    const [first, second] = children(basic)
    if (first?.type === Type.ENUMERATED && first.tagClass === Class.UNIVERSAL) {
      const responseBytes = children(second)[0]
      const [type, octets] = children(responseBytes)
      if (oidOf(type) !== BASIC_OCSP) return undefined
      basic = decode(bytesOf(octets))
    }
    const [tbs, algorithm, signature, certs] = children(basic)
    if (!tbs || !signature) return undefined
    const fields = children(tbs).filter(
      (field) => !isContext(field, 0) && !isContext(field, 1) && !isContext(field, 2),
    )
    // responderID is [1] or [2]: what remains is producedAt, responses
    const responses = children(fields[1]).flatMap((single) => parseSingle(single) ?? [])
    return {
      tbs: encode(tbs),
      producedAt: generalizedTime(fields[0]),
      signatureAlgorithm: oidOf(children(algorithm)[0]),
      signature: bytesOf(signature).subarray(1),
      certificates: children(children(certs)[0]).flatMap((cert) => {
        try {
          return [new X509Certificate(encode(cert))]
        } catch {
          return []
        }
      }),
      responses,
    }
  } catch {
    return undefined
  }
}

function parseSingle(node: Asn1): SingleResponse | undefined {
  const [certId, status, thisUpdate, ...rest] = children(node)
  const [algorithm, nameHash, keyHash, serial] = children(certId)
  const hash = HASH_BY_OID[oidOf(children(algorithm)[0]) ?? '']
  if (!hash || !status) return undefined
  const next = rest.find((field) => isContext(field, 0))
  const base = {
    hash,
    issuerNameHash: bytesOf(nameHash),
    issuerKeyHash: bytesOf(keyHash),
    serial: normalizeSerial(bytesOf(serial).toString('hex')),
    thisUpdate: generalizedTime(thisUpdate),
    nextUpdate: next ? generalizedTime(children(next)[0]) : undefined,
  }
  if (isContext(status, 0)) return { ...base, status: 'good' }
  if (isContext(status, 1))
    return { ...base, status: 'revoked', revokedAt: generalizedTime(children(status)[0]) }
  return { ...base, status: 'unknown' }
}

/** The subjectPublicKey bits of a certificate (what issuerKeyHash hashes). */
export function publicKeyBits(cert: X509Certificate): Buffer {
  const fields = children(children(decode(cert.raw))[0])
  const at = isContext(fields[0], 0) ? 1 : 0
  return bytesOf(children(fields[at + 5])[1]).subarray(1)
}

function signedBy(ocsp: ParsedOcsp, issuer: X509Certificate): boolean {
  const hash = ocsp.signatureAlgorithm ? hashOfSignatureAlgorithm(ocsp.signatureAlgorithm) : undefined
  if (!hash) return false
  const responders = [
    issuer,
    ...ocsp.certificates.filter(
      (cert) =>
        cert.checkIssued(issuer) && cert.verify(issuer.publicKey) && cert.keyUsage?.includes(OCSP_SIGNING),
    ),
  ]
  return responders.some((responder) => {
    try {
      return verify(hash, ocsp.tbs, responder.publicKey, ocsp.signature)
    } catch {
      return false
    }
  })
}

export function ocspStatus(
  cert: X509Certificate,
  issuer: X509Certificate,
  responses: ParsedOcsp[],
): CertRevocation {
  const serial = normalizeSerial(cert.serialNumber)
  const issuerName = encode(certInfo(cert).issuer)
  const issuerKey = publicKeyBits(issuer)
  let best: CertRevocation = { status: 'unknown' }
  for (const ocsp of responses) {
    const single = ocsp.responses.find(
      (entry) =>
        entry.serial === serial &&
        createHash(entry.hash).update(issuerName).digest().equals(entry.issuerNameHash) &&
        createHash(entry.hash).update(issuerKey).digest().equals(entry.issuerKeyHash),
    )
    if (!single || single.status === 'unknown' || !signedBy(ocsp, issuer)) continue
    const times = { issuedAt: single.thisUpdate ?? ocsp.producedAt, nextUpdate: single.nextUpdate }
    best = preferredStatus(
      best,
      single.status === 'good'
        ? { status: 'good', source: 'ocsp', ...times }
        : { status: 'revoked', source: 'ocsp', revokedAt: single.revokedAt ?? new Date(0), ...times },
    )
  }
  return best
}
