/**
 * Asking a certificate's OCSP responder (RFC 6960) for its status. The CertID hashes the issuer's Name
 * exactly as the certificate encodes it (never re-encoded: the node-forge trap with Vietnamese names)
 * and the issuer's public key bits, with SHA-1 as responders expect. No nonce: most CA responders serve
 * pre-produced responses, and freshness is judged from thisUpdate like a CRL's.
 */
import { createHash, type X509Certificate } from 'node:crypto'
import { certInfo } from '../../pades/cms/certs.ts'
import { algorithm, encode, nullValue, octets, seq } from '../../pades/cms/der.ts'
import { ocspStatus, parseOcsp, publicKeyBits } from '../../pades/revocation/ocsp-check.ts'
import { ocspUrls } from './cert-urls.ts'
import { downloadBounded } from './download.ts'

const SHA1 = '1.3.14.3.2.26'

/** The DER OCSPRequest for one certificate. */
export function ocspRequest(cert: X509Certificate, issuer: X509Certificate): Buffer {
  const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest()
  const certId = seq(
    algorithm(SHA1, nullValue()),
    octets(sha1(encode(certInfo(cert).issuer))),
    octets(sha1(publicKeyBits(issuer))),
    certInfo(cert).serial,
  )
  // OCSPRequest { TBSRequest { requestList { Request { reqCert } } } }
  return encode(seq(seq(seq(seq(certId)))))
}

/**
 * The first response from the certificate's responders that speaks for it (good or revoked, signed by
 * its issuer or the issuer's delegated responder), as DER; undefined when none does.
 */
export async function fetchOcsp(
  cert: X509Certificate,
  issuer: X509Certificate,
  timeoutMs: number,
): Promise<Uint8Array | undefined> {
  const urls = ocspUrls(cert)
  if (urls.length === 0) return undefined
  const request = ocspRequest(cert, issuer)
  for (const url of urls) {
    const der = await downloadBounded(url, timeoutMs, {
      method: 'POST',
      headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' },
      body: request,
    })
    const parsed = der ? parseOcsp(der) : undefined
    if (parsed && ocspStatus(cert, issuer, [parsed]).status !== 'unknown') return der
  }
  return undefined
}
