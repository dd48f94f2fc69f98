/**
 * Which algorithms a signature may still rely on (ETSI TS 119 312; the floor): SHA-1 and MD5
 * digests, signature algorithms built on them, RSA and DSA keys under 2048 bits and elliptic curves other than
 * P-256/384/521 and Brainpool 256/384/512 are not acceptable; such a signature is indeterminate ('weak-algorithm'), never valid.
 */
import type { KeyObject } from 'node:crypto'

const WEAK_DIGESTS = new Set([
  '1.3.14.3.2.26', // sha1
  '1.2.840.113549.2.5', // md5
  '1.2.840.113549.2.2', // md2
])

const WEAK_SIGNATURES = new Set([
  '1.2.840.113549.1.1.5', // sha1WithRSAEncryption
  '1.2.840.113549.1.1.4', // md5WithRSAEncryption
  '1.2.840.113549.1.1.2', // md2WithRSAEncryption
  '1.3.14.3.2.29', // sha1WithRSASignature (OIW)
  '1.2.840.10045.4.1', // ecdsa-with-SHA1
  '1.2.840.10040.4.3', // dsa-with-sha1
])

export const MIN_RSA_BITS = 2048
const STRONG_CURVES = new Set([
  'prime256v1',
  'secp384r1',
  'secp521r1',
  'brainpoolP256r1',
  'brainpoolP384r1',
  'brainpoolP512r1',
])

export const weakDigest = (oid: string | undefined) => oid !== undefined && WEAK_DIGESTS.has(oid)

export const weakSignatureAlgorithm = (oid: string | undefined) =>
  oid !== undefined && WEAK_SIGNATURES.has(oid)

/** RSA/DSA under 2048 bits, EC under 256 bits; unknown key types are not judged here. */
export function weakKey(key: KeyObject): boolean {
  const details = key.asymmetricKeyDetails
  const type = key.asymmetricKeyType
  if (type === 'rsa' || type === 'rsa-pss' || type === 'dsa')
    return (details?.modulusLength ?? 0) < MIN_RSA_BITS
  if (key.asymmetricKeyType === 'ec') {
    const curve = details?.namedCurve ?? ''
    return !STRONG_CURVES.has(curve)
  }
  return false
}
