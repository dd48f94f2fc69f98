import type { viFirstHour } from './vi-firsthour.ts'

/** English messages of issue 11's screens: the same keys as vi-firsthour.ts. */
export const enFirstHour: Record<keyof typeof viFirstHour, string> = {
  'crl.title': 'Certificate revocation lists (CRL)',
  'crl.intro':
    'A server without Internet access checks digital signatures against these lists. Load the CRL of each trusted CA, and its newer edition before its next update.',
  'crl.empty': 'No revocation list loaded: signatures are found valid only when the server can check online.',
  'crl.issuer': 'Issuing CA',
  'crl.thisUpdate': 'Issued at',
  'crl.nextUpdate': 'Next update',
  'crl.revoked': 'Revoked certificates',
  'crl.state': 'State',
  'crl.state.current': 'Current',
  'crl.state.refresh-due': 'Due soon — load the newer one',
  'crl.state.expired': 'Expired — load the newer one',
  'crl.file': 'CRL file (.crl, .pem)',
  'crl.add': 'Load list',
  'crl.added': 'Loaded the revocation list of {issuer}.',
  'crl.remove': 'Remove',
  'crl.removeConfirm': "Remove {issuer}'s revocation list? Signatures under that CA cannot be checked while the server is offline.",
  'crl.removed': 'Revocation list removed.',
}
