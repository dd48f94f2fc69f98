/**
 * Revocation data for PAdES B-LT, fetched while signing: the CRL of every certificate of a chain from
 * the http(s) URLs in its cRLDistributionPoints. Best effort: a missing URL, a network failure or a
 * reply that is not a CRL of the certificate's issuer gives nothing for that certificate, and the caller
 * stays at B-T.
 */
import type { X509Certificate } from 'node:crypto'
import forge from 'node-forge'
import { crlStatus, parseCrl } from '../verify/crl-check.ts'
import type { RevocationFetcher } from '../verify/verify-pdf.ts'

const CRL_DISTRIBUTION_POINTS = '2.5.29.31'
/** A CRL is a few kilobytes; a large reply is not one. */
const MAX_CRL_BYTES = 10 * 1024 * 1024

/** The http(s) URIs (GeneralName [6]) in the certificate's cRLDistributionPoints. */
export function crlUrls(cert: X509Certificate): string[] {
  const root = forge.asn1.fromDer(forge.util.createBuffer(cert.raw.toString('binary')))
  const tbs = (root.value as forge.asn1.Asn1[])[0]!
  const explicit = (tbs.value as forge.asn1.Asn1[]).find(
    (item) => item.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && item.type === 3,
  )
  const extensions = ((explicit?.value as forge.asn1.Asn1[] | undefined)?.[0]?.value ??
    []) as forge.asn1.Asn1[]
  const urls: string[] = []
  for (const extension of extensions) {
    const parts = extension.value as forge.asn1.Asn1[]
    if (forge.asn1.derToOid(parts[0]!.value as string) !== CRL_DISTRIBUTION_POINTS) continue
    const octets = parts[parts.length - 1]!.value as string
    collectUris(forge.asn1.fromDer(octets), urls)
  }
  return [...new Set(urls)].filter((url) => /^https?:\/\//i.test(url))
}

function collectUris(node: forge.asn1.Asn1, out: string[]) {
  if (node.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && node.type === 6 && !node.constructed) {
    out.push(Buffer.from(node.value as string, 'binary').toString('utf8'))
    return
  }
  if (Array.isArray(node.value)) for (const child of node.value) collectUris(child, out)
}

/** Fetches the CRLs at the certificate's distribution points; keeps those its issuer signed. */
export function crlFetcher(timeoutMs: number): RevocationFetcher {
  return async (cert, issuer) => {
    const found: Uint8Array[] = []
    for (const url of safeUrls(cert)) {
      const der = await download(url, timeoutMs)
      if (der && appliesTo(der, cert, issuer)) found.push(der)
    }
    return found
  }
}

function safeUrls(cert: X509Certificate): string[] {
  try {
    return crlUrls(cert)
  } catch {
    return []
  }
}

async function download(url: string, timeoutMs: number): Promise<Uint8Array | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' })
    if (!response.ok) return undefined
    const body = Buffer.from(await response.arrayBuffer())
    if (body.length > MAX_CRL_BYTES) return undefined
    // Some distribution points serve PEM.
    const pem = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/.exec(body.toString('latin1'))
    return pem ? Buffer.from(pem[1]!.replace(/\s+/g, ''), 'base64') : body
  } catch {
    return undefined
  }
}

/** A CRL of the certificate's issuer, signed by it (whatever it says about the certificate). */
function appliesTo(der: Uint8Array, cert: X509Certificate, issuer: X509Certificate): boolean {
  const crl = parseCrl(der)
  return crl !== undefined && crlStatus(cert, issuer, [crl]).status !== 'unknown'
}
