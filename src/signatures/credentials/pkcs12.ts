/**
 * Reads a PKCS#12 (.p12/.pfx) file with node-forge: 3DES (pbeWithSHAAnd3-KeyTripleDES-CBC) and PBES2/AES
 * (openssl 3's default) bags. Exactly one private key, matching the end-entity certificate; the other
 * certificates are its chain. Keys forge cannot parse (EC) come through as their PKCS#8 structure.
 */
import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto'
import forge from 'node-forge'
import { AppError } from '../../platform/errors.ts'

export interface Pkcs12Contents {
  privateKey: KeyObject
  /** The key as PKCS#8 PrivateKeyInfo DER (to be sealed, never stored as is). */
  pkcs8Der: Buffer
  certificate: X509Certificate
  /** The other certificates, the signer's issuer first when they form a path. */
  chain: X509Certificate[]
}

const bad = (detail: string, cause?: unknown) => new AppError('bad-pkcs12', { detail, cause })
const derOf = (asn1: forge.asn1.Asn1) => Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary')

export function readPkcs12(bytes: Buffer, password: string): Pkcs12Contents {
  let p12: forge.pkcs12.Pkcs12Pfx
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary')))
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password)
  } catch (error) {
    throw bad('Sai mật khẩu hoặc tệp không phải PKCS#12. / Wrong password, or not a PKCS#12 file.', error)
  }
  const keys = [forge.pki.oids.pkcs8ShroudedKeyBag!, forge.pki.oids.keyBag!].flatMap(
    (bagType) => p12.getBags({ bagType })[bagType] ?? [],
  )
  if (keys.length !== 1)
    throw bad(
      `Tệp có ${keys.length} khóa bí mật, cần đúng 1. / The file holds ${keys.length} private keys, 1 is needed.`,
    )
  const pkcs8Der = keyBagDer(keys[0]!)
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey({ key: pkcs8Der, format: 'der', type: 'pkcs8' })
  } catch (error) {
    throw bad('Khóa bí mật không đọc được. / The private key cannot be read.', error)
  }
  const certificates = (p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? []).map(
    certOf,
  )
  const publicDer = createPublicKey(privateKey).export({ type: 'spki', format: 'der' })
  const matching = certificates.filter((cert) =>
    cert.publicKey.export({ type: 'spki', format: 'der' }).equals(publicDer),
  )
  if (matching.length === 0)
    throw bad('Không có chứng thư khớp với khóa bí mật. / No certificate matches the private key.')
  const certificate = matching[0]!
  const others = certificates.filter((cert) => !matching.includes(cert))
  return { privateKey, pkcs8Der, certificate, chain: orderChain(certificate, others) }
}

function keyBagDer(bag: forge.pkcs12.Bag): Buffer {
  if (bag.key) return derOf(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)))
  if (bag.asn1) return derOf(bag.asn1)
  throw bad('Khóa bí mật không đọc được. / The private key cannot be read.')
}

function certOf(bag: forge.pkcs12.Bag): X509Certificate {
  // forge keeps the parsed tbsCertificate ASN.1, so the DER is the certificate's own bytes.
  const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1
  if (!asn1) throw bad('Chứng thư trong tệp không đọc được. / A certificate in the file cannot be read.')
  try {
    return new X509Certificate(derOf(asn1))
  } catch (error) {
    throw bad('Chứng thư trong tệp không đọc được. / A certificate in the file cannot be read.', error)
  }
}

/** Issuer first, then its issuer…; certificates off the path follow in file order. */
function orderChain(leaf: X509Certificate, others: X509Certificate[]): X509Certificate[] {
  const ordered: X509Certificate[] = []
  const left = [...others]
  let current = leaf
  for (;;) {
    const at = left.findIndex(
      (candidate) => current.checkIssued(candidate) && current.verify(candidate.publicKey),
    )
    if (at < 0) break
    current = left.splice(at, 1)[0]!
    ordered.push(current)
  }
  return [...ordered, ...left]
}

/** Whether the certificate is valid at `now` (inclusive bounds). */
export function validAt(cert: X509Certificate, now: Date): boolean {
  return new Date(cert.validFrom) <= now && now <= new Date(cert.validTo)
}

/** Certificate details as stored and shown: DN in the certificate's order, serial in hex, SHA-256 in hex. */
export function certificateDetails(cert: X509Certificate) {
  return {
    subject: cert.subject.replaceAll('\n', ', '),
    issuer: cert.issuer.replaceAll('\n', ', '),
    serialNumber: cert.serialNumber.toLowerCase(),
    fingerprintSha256: cert.fingerprint256.replaceAll(':', '').toLowerCase(),
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
  }
}
