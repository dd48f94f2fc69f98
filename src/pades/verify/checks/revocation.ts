/**
 * Check 6 — revocation: a CRL or OCSP status for every certificate of the path but the anchor, from the
 * DSS or (for paths the agency trusts, when the caller allows) fetched online. Never 'good' without data,
 * and only when fresh (revocationFresh). Judged against proofs of existence (ETSI EN 319 102-1):
 * revoked before the proven time, or before the time the signer claims to have signed → revoked
 * (invalid); revoked with nothing proving the signature older → revoked-no-poe (indeterminate);
 * revoked after the proven time → the signature stands.
 */
import type { X509Certificate } from 'node:crypto'
import {
  type CertRevocation,
  crlStatus,
  type ParsedCrl,
  parseCrl,
  preferredStatus,
} from '../../revocation/crl-check.ts'
import { ocspStatus, type ParsedOcsp, parseOcsp } from '../../revocation/ocsp-check.ts'
import { fingerprint, isSelfSigned } from '../../x509/x509.ts'
import type { SignatureReason } from '../report.ts'

/** Revocation data (DER) fetched for `cert` issued by `issuer`: CRLs and/or OCSP responses. */
export interface FetchedRevocation {
  crls: Uint8Array[]
  ocsps: Uint8Array[]
}
export type RevocationFetcher = (cert: X509Certificate, issuer: X509Certificate) => Promise<FetchedRevocation>

export interface RevocationContext {
  anchors: X509Certificate[]
  crls: ParsedCrl[]
  ocsps: ParsedOcsp[]
  fetch: RevocationFetcher | undefined
  now: Date
}

export interface RevocationCheck {
  status: 'good' | 'revoked' | 'unknown'
  revokedAt: Date | undefined
  source: 'dss' | 'fetched' | null
  reasons: SignatureReason[]
}

export async function checkRevocation(
  ctx: RevocationContext,
  path: X509Certificate[],
  times: {
    /** The validation time: the proof of existence, else now. */
    at: Date
    /** The earliest proof of existence (a trusted timestamp), if any. */
    proof: Date | undefined
    /** The signer's claimed signing time (/M). */
    claimed: Date | undefined
    /** Only a path the agency trusts may make this server fetch the URLs its certificates name. */
    mayFetch: boolean
  },
): Promise<RevocationCheck> {
  const anchorPrints = new Set(ctx.anchors.map(fingerprint))
  const statuses: CertRevocation[] = []
  let fetched = false
  for (let i = 0; i < path.length; i++) {
    const cert = path[i]!
    if (anchorPrints.has(fingerprint(cert)) || isSelfSigned(cert)) break
    const issuer = path[i + 1]
    if (!issuer) {
      statuses.push({ status: 'unknown' })
      continue
    }
    let status = preferredStatus(crlStatus(cert, issuer, ctx.crls), ocspStatus(cert, issuer, ctx.ocsps))
    const settled =
      status.status === 'revoked' || (status.status === 'good' && revocationFresh(status, times.at, ctx.now))
    if (!settled && times.mayFetch && ctx.fetch) {
      const data = await ctx.fetch(cert, issuer).catch(() => ({ crls: [], ocsps: [] }))
      const online = preferredStatus(
        crlStatus(
          cert,
          issuer,
          data.crls.flatMap((der) => parseCrl(der) ?? []),
        ),
        ocspStatus(
          cert,
          issuer,
          data.ocsps.flatMap((der) => parseOcsp(der) ?? []),
        ),
      )
      const chosen = preferredStatus(status, online)
      if (chosen === online && online.status !== 'unknown') fetched = true
      status = chosen
    }
    statuses.push(status)
  }
  const result: RevocationCheck = { status: 'unknown', revokedAt: undefined, source: null, reasons: [] }
  const revoked = statuses.find((s) => s.status === 'revoked')
  if (revoked?.status === 'revoked') {
    result.status = 'revoked'
    result.revokedAt = revoked.revokedAt
    if (times.proof && revoked.revokedAt > times.proof) {
      // Revoked after the signature is proven to exist: the signature stands.
    } else if (times.proof || (times.claimed && times.claimed >= revoked.revokedAt)) {
      result.reasons.push('revoked')
    } else {
      result.reasons.push('revoked-no-poe')
    }
  } else if (statuses.length === 0 || statuses.some((s) => s.status === 'unknown')) {
    result.reasons.push('revocation-unknown')
  } else if (statuses.every((s) => s.status === 'good' && revocationFresh(s, times.at, ctx.now))) {
    result.status = 'good'
  } else {
    result.reasons.push('revocation-not-fresh')
  }
  if (result.status !== 'unknown') result.source = fetched ? 'fetched' : 'dss'
  return result
}

/**
 * Whether a 'good' status can vouch for the certificate at the best signature time `at` (ETSI EN 319 102-1
 * 5.2.5 revocation freshness; EU DSS RevocationFreshnessChecker and "revocation issued after the best
 * signature time"; pyHanko's TIME_AFTER_SIGNATURE with no cooldown, falling back to its DEFAULT window):
 * - issued (CRL thisUpdate, OCSP thisUpdate) at or after `at`: it saw the certificate after the signature;
 * - else still current now (nextUpdate after the validation time, so nothing newer can exist) and issued
 *   no later than now: the newest word of the CA, which also covers `at`.
 * Data issued before the signature whose nextUpdate has passed is stale: a revocation between its issue
 * and the signature would be in a newer CRL we do not have. A revocation entry is always binding.
 */
export function revocationFresh(status: CertRevocation, at: Date, now: Date): boolean {
  if (status.status !== 'good' || !status.issuedAt) return false
  if (status.issuedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) return false
  if (status.issuedAt >= at) return true
  return status.nextUpdate !== undefined && status.nextUpdate > now && status.nextUpdate > at
}

/** Clocks of CAs, TSAs and this server disagree a little. */
const CLOCK_SKEW_MS = 5 * 60_000
