/**
 * Revocation data fetched over the network, for PAdES B-LT while signing and for verifying signatures
 * whose PDF carries none. OCSP first when the certificate names a responder (one small, current answer),
 * else its CRLs. Callers only ask for certificates of chains that end at one of the agency's trust
 * anchors: a certificate anyone can make must not send this server to any URL it names.
 */
import type { SigningConfig } from '../../platform/config.ts'
import type { RevocationFetcher } from '../verify/verify-pdf.ts'
import { fetchCrls } from './crl-fetch.ts'
import { fetchOcsp } from './ocsp-fetch.ts'

export function onlineRevocation(timeoutMs: number): RevocationFetcher {
  return async (cert, issuer) => {
    const ocsp = await fetchOcsp(cert, issuer, timeoutMs)
    if (ocsp) return { crls: [], ocsps: [ocsp] }
    return { crls: await fetchCrls(cert, issuer, timeoutMs), ocsps: [] }
  }
}

/** What verification may fetch under this configuration (false: offline, missing data stays unknown). */
export function verificationFetcher(config: SigningConfig): RevocationFetcher | false {
  return config.verifyOnline ? onlineRevocation(config.revocationTimeoutMs) : false
}
