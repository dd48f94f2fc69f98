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
  'routing.cooperating': 'Co-operating',
  'routing.informed': 'For information',
  'routing.units': 'Units',
  'routing.people': 'People',
  'routing.checkedCount': '({count} chosen)',
  'routing.leadUnitDecides': '— The unit head assigns —',
  'routing.leadSummary.none': 'No lead unit or person chosen yet.',
  'routing.leadSummary.unit': 'Lead: {unit}. The head of the unit assigns who handles it.',
  'routing.leadSummary.person':
    'Lead person: {person} ({unit}). The document goes straight to this person, not through the unit head.',
  'routing.leadSummary.personNoUnit': 'Lead person: {person}. The document goes straight to this person.',
  'signing.admin.sealImage.uploaded': 'The seal image was updated.',
  'signing.admin.sealImage.removeConfirm':
    'Remove the seal image? Documents sealed afterwards carry only the text stamp, no seal image.',
  'doc.outgoing.issuedDate': 'Date of issue',
  'doc.outgoing.toPlaces': 'Recipients',
  'doc.outgoing.notNumbered': 'Not numbered yet',
}
