/**
 * The CRLs at a certificate's distribution points that its issuer signed (whatever they say about the
 * certificate). A missing URL, a network failure or a reply that is not such a CRL gives nothing.
 */
import type { X509Certificate } from 'node:crypto'
import { crlStatus, parseCrl } from '../../pades/revocation/crl-check.ts'
import { crlUrls } from './cert-urls.ts'
import { downloadBounded } from './download.ts'

export async function fetchCrls(
  cert: X509Certificate,
  issuer: X509Certificate,
  timeoutMs: number,
): Promise<Uint8Array[]> {
  const found: Uint8Array[] = []
  for (const url of crlUrls(cert)) {
    const body = await downloadBounded(url, timeoutMs)
    const der = body ? derOf(body) : undefined
    if (der && appliesTo(der, cert, issuer)) found.push(der)
  }
  return found
}

/** Some distribution points serve PEM. */
function derOf(body: Buffer): Buffer {
  const pem = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/.exec(body.toString('latin1'))
  return pem ? Buffer.from(pem[1]!.replace(/\s+/g, ''), 'base64') : body
}

function appliesTo(der: Uint8Array, cert: X509Certificate, issuer: X509Certificate): boolean {
  const crl = parseCrl(der)
  return crl !== undefined && crlStatus(cert, issuer, [crl]).status !== 'unknown'
}
