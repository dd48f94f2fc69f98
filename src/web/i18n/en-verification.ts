import type { viVerification } from './vi-verification.ts'

/** English for vi-verification.ts (same keys). */
export const enVerification: Record<keyof typeof viVerification, string> = {
  'verify.document.label': 'Verdict on the document',
  'verify.document.valid': 'Document intact, signatures valid',
  'verify.document.valid.help':
    'The content is as it was signed; later updates only added signatures, validation data or timestamps.',
  'verify.document.valid-with-allowed-changes': 'Valid, with permitted changes after signing',
  'verify.document.valid-with-allowed-changes.help':
    'The signatures are valid. After signing, the document was changed in ways the signatures permit (such as the number and date filled into form fields). See each signature for what changed.',
  'verify.document.modified': 'Modified after signing',
  'verify.document.modified.help':
    'The document was changed after signing in a way its signatures do not permit. What is shown may differ from what was signed: do not rely on this file as the signed document.',
  'verify.document.invalid': 'Invalid signature',
  'verify.document.invalid.help':
    'At least one signature is broken, forged or made with a revoked certificate.',
  'verify.document.indeterminate': 'Cannot be established',
  'verify.document.indeterminate.help':
    'It could not be established that the document is intact and its signatures valid. See the findings below.',
  'verify.document.reason.signature-invalid': 'A signature is invalid.',
  'verify.document.reason.modified': 'Changes after signing that a signature does not permit.',
  'verify.document.reason.signature-stripped': 'A signature present in an earlier revision was removed.',
  'verify.document.reason.signature-cloned': "A signature field reuses another revision's signature.",
  'verify.document.reason.damaged': 'The file is damaged or truncated; only what could be read was checked.',
  'verify.document.reason.trailing-data': 'Bytes follow the last revision of the file.',
  'verify.document.reason.revision-chain-broken':
    'An update does not chain to the previous revision (unusual cross-reference table).',
  'verify.document.reason.xref-offset-wrong': "An update's cross-reference table points at the wrong bytes.",
  'verify.document.reason.unlisted-object':
    'An update carries objects its cross-reference table does not list.',
  'verify.document.reason.changes-unknown': 'A revision after signing could not be analysed.',
  'verify.document.reason.signature-indeterminate': 'A signature could not be established.',
  'verify.document.reason.no-signatures': 'The file holds no digital signature.',
  'verify.document.reason.changes-allowed': 'Permitted changes after signing.',
  'verify.document.reason.unknown': 'Finding code: {code}.',
  'verify.signature.validWithChanges': 'Valid – permitted changes after signing',
  'signing.report.timeDocumentTimestamp': '{time} (document timestamp)',
  'signing.reason.fieldmdp-violation': 'A form field this signature locks was changed after signing.',
  'signing.reason.weak-algorithm':
    'The signature relies on an algorithm no longer safe (SHA-1, RSA under 2048 bits).',
  'signing.reason.ca-constraints': 'The certificate was issued by a party not allowed to issue certificates.',
  'signing.reason.expired-no-poe':
    'The certificate has expired and no timestamp proves the document was signed before that.',
  'signing.reason.extended-key-usage':
    'The certificate is not issued for signing documents (e.g. a timestamp service certificate).',
  'signing.reason.unknown-critical-extension': 'The certificate has a critical extension we cannot process.',
  'signing.reason.signed-bytes-missing': 'The file is truncated: bytes this signature covers are missing.',
  'signing.reason.modified-after-signing':
    'After signing, the document was changed in a way this signature does not permit: it no longer vouches for what is shown.',
  'signing.reason.changes-unknown': 'The updates after this signature could not be analysed.',
  'signing.reason.changes-allowed':
    'Permitted changes followed this signature (form filling, further signatures).',
  'signing.reason.signature-cloned': 'Another field copies this signature; it is not a new signature.',
}
