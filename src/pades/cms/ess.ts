/**
 * ESS signing-certificate-v2 (RFC 5035), built with forge.asn1 because forge's PKCS#7 cannot add it.
 * It binds the signature to one certificate, so a different certificate with the same key cannot be
 * substituted. PAdES B-B requires it.
 */
import { createHash } from 'node:crypto'
import { type CertInfo, certSha256 } from './certs.ts'
import { type Asn1, bytesOf, children, contextTag, encode, octets, oidOf, seq } from './der.ts'
import { HASH_BY_OID, OID } from './oids.ts'

/** SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 } with one ESSCertIDv2. */
export function signingCertificateV2(cert: CertInfo): Asn1 {
  // hashAlgorithm defaults to SHA-256, and DER leaves a default value out.
  const issuerSerial = seq(seq(contextTag(4, true, [cert.issuer])), cert.serial)
  return seq(seq(seq(octets(certSha256(cert)), issuerSerial)))
}

export interface EssCertId {
  hashAlgorithm: string
  certHash: Buffer
  /** DER of the directoryName issuer and of the serial INTEGER, when present. */
  issuerDer?: Buffer
  serialDer?: Buffer
}

/** Reads the ESSCertID(v2) entries of a signing-certificate(-v2) attribute value. */
export function parseSigningCertificate(value: Asn1, v2: boolean): EssCertId[] {
  return children(children(value)[0]).map((entry) => {
    const parts = children(entry)
    const hasAlgorithm = v2 && parts[0]?.constructed === true
    const hashAlgorithm = hasAlgorithm ? (oidOf(children(parts[0])[0]) ?? '') : v2 ? OID.sha256 : OID.sha1
    const rest = hasAlgorithm ? parts.slice(1) : parts
    const issuerSerial = children(rest[1])
    const directoryName = children(children(issuerSerial[0])[0])[0]
    return {
      hashAlgorithm,
      certHash: bytesOf(rest[0]),
      issuerDer: directoryName ? encode(directoryName) : undefined,
      serialDer: issuerSerial[1] ? encode(issuerSerial[1]) : undefined,
    }
  })
}

/** True when the first ESSCertID names `cert` (RFC 5035: the first one is the signer's). */
export function essIdMatches(id: EssCertId | undefined, cert: CertInfo): boolean {
  const hash = id && HASH_BY_OID[id.hashAlgorithm]
  if (!id || !hash) return false
  if (!createHash(hash).update(cert.der).digest().equals(id.certHash)) return false
  if (id.issuerDer && !id.issuerDer.equals(encode(cert.issuer))) return false
  return !id.serialDer || id.serialDer.equals(encode(cert.serial))
}
