/**
 * Where a certificate says its revocation status can be found: the http(s) URIs of its
 * cRLDistributionPoints (RFC 5280 4.2.1.13) and the OCSP responders of its authorityInfoAccess
 * (4.2.2.1). A certificate that cannot be read names none.
 */
import type { X509Certificate } from 'node:crypto'
import { type Asn1, bytesOf, children, decode, isContext, oidOf } from '../../pades/cms/der.ts'

const CRL_DISTRIBUTION_POINTS = '2.5.29.31'
const AUTHORITY_INFO_ACCESS = '1.3.6.1.5.5.7.1.1'
const ACCESS_METHOD_OCSP = '1.3.6.1.5.5.7.48.1'
const URI_NAME = 6

export function crlUrls(cert: X509Certificate): string[] {
  const value = extensionValue(cert, CRL_DISTRIBUTION_POINTS)
  return value ? httpUris(collectUris(value)) : []
}

export function ocspUrls(cert: X509Certificate): string[] {
  const value = extensionValue(cert, AUTHORITY_INFO_ACCESS)
  if (!value) return []
  const responders = children(value).filter((access) => oidOf(children(access)[0]) === ACCESS_METHOD_OCSP)
  return httpUris(responders.flatMap(collectUris))
}

function extensionValue(cert: X509Certificate, id: string): Asn1 | undefined {
  try {
    const fields = children(children(decode(cert.raw))[0])
    const extensions = children(children(fields.find((field) => isContext(field, 3)))[0])
    const extension = extensions.find((candidate) => oidOf(children(candidate)[0]) === id)
    const parts = children(extension)
    return parts.length ? decode(bytesOf(parts[parts.length - 1])) : undefined
  } catch {
    return undefined
  }
}

function collectUris(node: Asn1): string[] {
  if (isContext(node, URI_NAME) && !node.constructed)
    return [Buffer.from(node.value as string, 'binary').toString('utf8')]
  return Array.isArray(node.value) ? node.value.flatMap(collectUris) : []
}

const httpUris = (uris: string[]) => [...new Set(uris)].filter((uri) => /^https?:\/\//i.test(uri))
