/**
 * What verification may use besides a PDF's own revocation data: the CRLs the agency's admins loaded
 * (revocation-lists.service.ts) first, then — when SIGNING_VERIFY_ONLINE allows and no loaded CRL of the
 * certificate's issuer is still current — the OCSP responders and CRL distribution points it names.
 */
import type { X509Certificate } from 'node:crypto'
import { certInfo } from '../../pades/cms/certs.ts'
import { encode } from '../../pades/cms/der.ts'
import type { FetchedRevocation, RevocationFetcher } from '../../pades/verify/verify-pdf.ts'
import type { SigningConfig } from '../../platform/config.ts'
import type { Executor } from '../../platform/db/database.ts'
import { onceEach, onlineRevocation } from '../revocation/online-revocation.ts'
import * as repository from './revocation-lists.repository.ts'
import { nameKey } from './revocation-lists.service.ts'

/** The loaded CRLs of the certificate's issuer, and whether one of them is still current. */
async function storedCrls(db: Executor, agencyId: string, cert: X509Certificate, now: Date) {
  const rows = await repository.currentDerOf(db, agencyId, [nameKey(encode(certInfo(cert).issuer))])
  return {
    crls: rows.map((row) => row.der),
    current: rows.some((row) => row.nextUpdate === null || row.nextUpdate > now),
  }
}

/**
 * The revocation source of one verification for the agency: loaded CRLs, then the network when the
 * configuration allows and they are missing or stale. Made per verification (answers are shared within it).
 */
export function agencyRevocationFetcher(config: SigningConfig, db: Executor, agencyId: string): RevocationFetcher {
  const online = config.verifyOnline ? onlineRevocation(config.revocationTimeoutMs) : undefined
  return onceEach(async (cert, issuer): Promise<FetchedRevocation> => {
    const stored = await storedCrls(db, agencyId, cert, new Date())
    if (stored.current || !online) return { crls: stored.crls, ocsps: [] }
    const fetched = await online(cert, issuer).catch(() => ({ crls: [], ocsps: [] }))
    return { crls: [...stored.crls, ...fetched.crls], ocsps: fetched.ocsps }
  })
}
