/**
 * Certification path building and validation after RFC 5280 §6 (the parts a signature verifier needs):
 *
 * - building: from the signer through the certificates at hand to a trust anchor, each link by name
 *   chaining (the issuer Name equals the next certificate's subject Name, compared as encoded) and a
 *   signature that verifies with the next certificate's key; every candidate path is tried;
 * - validation of the path found: every certificate valid at the validation time; every issuer below the
 *   anchor a CA (basicConstraints cA, keyCertSign when keyUsage is present) within its pathLenConstraint;
 *   no unknown critical extension; the end certificate fit for its purpose (document signing:
 *   digitalSignature or nonRepudiation and no extendedKeyUsage that excludes it — a TSA certificate does
 *   not sign documents; timestamping: the timeStamping extended key usage); acceptable algorithms.
 *
 * Not checked: certificate policies, name constraints (a critical one makes the path fail as unknown).
 */
import type { X509Certificate } from 'node:crypto'
import { weakKey, weakSignatureAlgorithm } from '../cms/algorithm-policy.ts'
import { EXTENSION, profileOf } from './extensions.ts'
import { fingerprint } from './x509.ts'

export type PathReason =
  /** No path to a trust anchor. */
  | 'untrusted-chain'
  /** An issuing certificate is not a CA (basicConstraints), may not sign certificates, or its path length is exceeded. */
  | 'ca-constraints'
  /** A certificate of the path is not valid at the validation time. */
  | 'certificate-expired'
  /** The end certificate's keyUsage does not allow signing. */
  | 'key-usage'
  /** The end certificate's extendedKeyUsage does not allow the purpose. */
  | 'extended-key-usage'
  /** A certificate has a critical extension this validator does not process. */
  | 'unknown-critical-extension'
  /** A certificate is signed with SHA-1/MD5 or has a short key. */
  | 'weak-algorithm'

export type PathPurpose = 'document-signing' | 'timestamping' | 'any'

export interface PathResult {
  trusted: boolean
  /** End certificate first, the anchor last when trusted. */
  path: X509Certificate[]
  reasons: PathReason[]
}

const PROCESSED = new Set<string>(Object.values(EXTENSION).filter((oid) => oid !== EXTENSION.nameConstraints))

const ID_KP = {
  any: '2.5.29.37.0',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  documentSigning: '1.3.6.1.5.5.7.3.36',
  adobeAuthenticDocuments: '1.2.840.113583.1.1.5',
  microsoftDocumentSigning: '1.3.6.1.4.1.311.10.3.12',
} as const

/** Extended key usages under which a certificate may sign documents (when it has the extension at all). */
const DOCUMENT_SIGNING = new Set<string>([
  ID_KP.any,
  ID_KP.clientAuth,
  ID_KP.emailProtection,
  ID_KP.documentSigning,
  ID_KP.adobeAuthenticDocuments,
  ID_KP.microsoftDocumentSigning,
])

const MAX_DEPTH = 10
const MAX_PATHS = 32

/** The best path from `leaf` to one of `anchors`: the first that validates, else the first trusted one. */
export function validatePath(
  leaf: X509Certificate,
  pool: X509Certificate[],
  anchors: X509Certificate[],
  options: { at: Date; purpose: PathPurpose },
): PathResult {
  const paths = buildPaths(leaf, pool, anchors)
  let firstTrusted: PathResult | undefined
  for (const path of paths) {
    const reasons = checkPath(path, options)
    const result = { trusted: true, path, reasons }
    if (reasons.length === 0) return result
    firstTrusted ??= result
  }
  if (firstTrusted) return firstTrusted
  const partial = longestPartial(leaf, pool, anchors)
  return {
    trusted: false,
    path: partial,
    reasons: ['untrusted-chain', ...checkPath(partial, options, false)],
  }
}

/** Every path (end certificate first) that ends at an anchor, shortest first. */
export function buildPaths(
  leaf: X509Certificate,
  pool: X509Certificate[],
  anchors: X509Certificate[],
): X509Certificate[][] {
  const anchorPrints = new Set(anchors.map(fingerprint))
  const candidates = uniqueCerts([...anchors, ...pool])
  const found: X509Certificate[][] = []
  const extend = (path: X509Certificate[]) => {
    if (found.length >= MAX_PATHS) return
    const current = path.at(-1)!
    if (anchorPrints.has(fingerprint(current))) {
      found.push(path)
      return
    }
    if (path.length > MAX_DEPTH) return
    for (const issuer of issuersOf(current, candidates))
      if (!path.some((cert) => fingerprint(cert) === fingerprint(issuer))) extend([...path, issuer])
  }
  extend([leaf])
  return found.sort((a, b) => a.length - b.length)
}

/** Candidates whose subject is `cert`'s issuer and whose key verifies `cert`'s signature; anchors first. */
function issuersOf(cert: X509Certificate, candidates: X509Certificate[]): X509Certificate[] {
  const issuerDer = profileOf(cert).issuerDer
  return candidates.filter(
    (candidate) =>
      fingerprint(candidate) !== fingerprint(cert) &&
      profileOf(candidate).subjectDer.equals(issuerDer) &&
      verifiesWith(cert, candidate),
  )
}

function verifiesWith(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.verify(issuer.publicKey)
  } catch {
    return false
  }
}

/** For an untrusted result: the chain as far as issuers are found (for display and revocation). */
function longestPartial(leaf: X509Certificate, pool: X509Certificate[], anchors: X509Certificate[]) {
  const candidates = uniqueCerts([...anchors, ...pool])
  const path = [leaf]
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const next = issuersOf(path.at(-1)!, candidates).find(
      (issuer) => !path.some((cert) => fingerprint(cert) === fingerprint(issuer)),
    )
    if (!next) break
    path.push(next)
  }
  return path
}

/** RFC 5280 §6.1.3/6.1.4 checks on a path (end certificate first). */
export function checkPath(
  path: X509Certificate[],
  options: { at: Date; purpose: PathPurpose },
  endsAtAnchor = true,
): PathReason[] {
  const reasons = new Set<PathReason>()
  const at = options.at.getTime()
  for (const cert of path) {
    if (at < Date.parse(cert.validFrom) || at > Date.parse(cert.validTo)) reasons.add('certificate-expired')
    const profile = profileOf(cert)
    if (profile.extensions.some((extension) => extension.critical && !PROCESSED.has(extension.oid)))
      reasons.add('unknown-critical-extension')
  }
  // Issuers below the anchor (the anchor's own constraints are the trust store's business, but a
  // pathLenConstraint it states still binds).
  const last = endsAtAnchor ? path.length - 1 : path.length
  for (let i = 1; i < path.length; i++) {
    const profile = profileOf(path[i]!)
    const isAnchor = i === last
    if (!isAnchor && (!profile.basicConstraints?.ca || (profile.keyUsage && !profile.keyUsage.keyCertSign)))
      reasons.add('ca-constraints')
    const below = countIntermediatesBelow(path, i)
    const limit = profile.basicConstraints?.pathLength
    if (limit !== undefined && below > limit) reasons.add('ca-constraints')
  }
  for (let i = 0; i < path.length; i++) {
    const cert = path[i]!
    const isAnchor = endsAtAnchor && i === path.length - 1
    if (isAnchor) continue
    if (weakSignatureAlgorithm(profileOf(cert).signatureAlgorithm) || weakKey(cert.publicKey))
      reasons.add('weak-algorithm')
  }
  const leaf = path[0]
  if (leaf) for (const reason of purposeReasons(leaf, options.purpose)) reasons.add(reason)
  return [...reasons]
}

/** Intermediate (non-self-issued) certificates between path[i] and the end certificate. */
function countIntermediatesBelow(path: X509Certificate[], i: number): number {
  let count = 0
  for (let j = 1; j < i; j++) {
    const profile = profileOf(path[j]!)
    if (!profile.subjectDer.equals(profile.issuerDer)) count++
  }
  return count
}

function purposeReasons(leaf: X509Certificate, purpose: PathPurpose): PathReason[] {
  const profile = profileOf(leaf)
  const reasons: PathReason[] = []
  const usage = profile.keyUsage
  const eku = profile.extendedKeyUsage
  if (purpose === 'document-signing') {
    if (usage && !usage.digitalSignature && !usage.nonRepudiation) reasons.push('key-usage')
    if (eku && (eku.includes(ID_KP.timeStamping) || !eku.some((oid) => DOCUMENT_SIGNING.has(oid))))
      reasons.push('extended-key-usage')
  } else if (purpose === 'timestamping') {
    if (usage && !usage.digitalSignature && !usage.nonRepudiation) reasons.push('key-usage')
    if (!eku?.includes(ID_KP.timeStamping)) reasons.push('extended-key-usage')
  }
  return reasons
}

function uniqueCerts(certs: X509Certificate[]): X509Certificate[] {
  const seen = new Set<string>()
  return certs.filter((cert) => {
    const print = fingerprint(cert)
    if (seen.has(print)) return false
    seen.add(print)
    return true
  })
}
