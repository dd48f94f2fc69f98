/**
 * Revocation data fetched over the network, for PAdES B-LT while signing and for verifying signatures
 * whose PDF carries none. OCSP first when the certificate names a responder (one small, current answer),
 * else its CRLs. Callers only ask for certificates of chains that end at one of the agency's trust
 * anchors: a certificate anyone can make must not send this server to any URL it names.
 */
import type { SigningConfig } from '../../platform/config.ts'
import type { RevocationFetcher } from '../../pades/verify/verify-pdf.ts'
import { fetchCrls } from './crl-fetch.ts'
import { fetchOcsp } from './ocsp-fetch.ts'

export function onlineRevocation(timeoutMs: number): RevocationFetcher {
  return async (cert, issuer) => {
    const ocsp = await fetchOcsp(cert, issuer, timeoutMs)
    if (ocsp) return { crls: [], ocsps: [ocsp] }
    return { crls: await fetchCrls(cert, issuer, timeoutMs), ocsps: [] }
  }
}

/**
 * The fetcher asks once per certificate and issuer for as long as it lives: two signatures under one CA
 * (a leader's and the seal) share the CA's status. Made per verification or signing, so nothing goes stale.
 */
export function onceEach(fetch: RevocationFetcher): RevocationFetcher {
  const asked = new Map<string, ReturnType<RevocationFetcher>>()
  return (cert, issuer) => {
    const key = `${cert.fingerprint256}/${issuer.fingerprint256}`
    let answer = asked.get(key)
    if (!answer) {
      answer = fetch(cert, issuer)
      asked.set(key, answer)
    }
    return answer
  }
}

/**
 * What one verification may fetch under this configuration (false: offline, missing data stays
 * unknown). Call it per verification.
 */
export function verificationFetcher(config: SigningConfig): RevocationFetcher | false {
  return config.verifyOnline ? onceEach(onlineRevocation(config.revocationTimeoutMs)) : false
}
