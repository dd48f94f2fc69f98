import type { ApiError, DocumentVerdict, SignatureRequestState, SignatureVerdict } from '../../api.ts'
import type { MessageKey, Translate } from '../../i18n/index.tsx'

const REQUEST_STATE_KEYS: Record<SignatureRequestState, MessageKey> = {
  pending: 'signing.state.pending',
  signed: 'signing.state.signed',
  refused: 'signing.state.refused',
  withdrawn: 'signing.state.withdrawn',
}

export const requestStateLabel = (t: Translate, state: string) =>
  state in REQUEST_STATE_KEYS ? t(REQUEST_STATE_KEYS[state as SignatureRequestState]) : state

/** Icon, colour class and words for a verdict: never colour alone. */
export const VERDICTS: Record<SignatureVerdict, { icon: string; key: MessageKey }> = {
  valid: { icon: '✓', key: 'signing.report.verdict.valid' },
  invalid: { icon: '✗', key: 'signing.report.verdict.invalid' },
  indeterminate: { icon: '⚠', key: 'signing.report.verdict.indeterminate' },
}

/** The document verdict: icon, title and a sentence saying what it means for the reader. */
export const DOCUMENT_VERDICTS: Record<
  DocumentVerdict,
  { icon: string; tone: string; key: MessageKey; help: MessageKey }
> = {
  valid: { icon: '✓', tone: 'valid', key: 'verify.document.valid', help: 'verify.document.valid.help' },
  'valid-with-allowed-changes': {
    icon: '✓',
    tone: 'changed',
    key: 'verify.document.valid-with-allowed-changes',
    help: 'verify.document.valid-with-allowed-changes.help',
  },
  modified: {
    icon: '✗',
    tone: 'invalid',
    key: 'verify.document.modified',
    help: 'verify.document.modified.help',
  },
  invalid: {
    icon: '✗',
    tone: 'invalid',
    key: 'verify.document.invalid',
    help: 'verify.document.invalid.help',
  },
  indeterminate: {
    icon: '⚠',
    tone: 'indeterminate',
    key: 'verify.document.indeterminate',
    help: 'verify.document.indeterminate.help',
  },
}

const DOCUMENT_REASON_KEYS: Record<string, MessageKey> = {
  'signature-invalid': 'verify.document.reason.signature-invalid',
  modified: 'verify.document.reason.modified',
  'signature-stripped': 'verify.document.reason.signature-stripped',
  'signature-cloned': 'verify.document.reason.signature-cloned',
  damaged: 'verify.document.reason.damaged',
  'trailing-data': 'verify.document.reason.trailing-data',
  'revision-chain-broken': 'verify.document.reason.revision-chain-broken',
  'xref-offset-wrong': 'verify.document.reason.xref-offset-wrong',
  'unlisted-object': 'verify.document.reason.unlisted-object',
  'changes-unknown': 'verify.document.reason.changes-unknown',
  'signature-indeterminate': 'verify.document.reason.signature-indeterminate',
  'no-signatures': 'verify.document.reason.no-signatures',
  'changes-allowed': 'verify.document.reason.changes-allowed',
}

export const documentReasonText = (t: Translate, code: string) =>
  DOCUMENT_REASON_KEYS[code] ? t(DOCUMENT_REASON_KEYS[code]) : t('verify.document.reason.unknown', { code })

const REASON_KEYS: Record<string, MessageKey> = {
  'byterange-malformed': 'signing.reason.byterange-malformed',
  'cms-malformed': 'signing.reason.cms-malformed',
  'digest-mismatch': 'signing.reason.digest-mismatch',
  'signature-invalid': 'signing.reason.signature-invalid',
  'cms-attributes-invalid': 'signing.reason.cms-attributes-invalid',
  'signing-certificate-mismatch': 'signing.reason.signing-certificate-mismatch',
  'timestamp-invalid': 'signing.reason.timestamp-invalid',
  revoked: 'signing.reason.revoked',
  'docmdp-violation': 'signing.reason.docmdp-violation',
  'revocation-not-fresh': 'signing.reason.revocation-not-fresh',
  'signer-certificate-missing': 'signing.reason.signer-certificate-missing',
  'unsupported-algorithm': 'signing.reason.unsupported-algorithm',
  'untrusted-chain': 'signing.reason.untrusted-chain',
  'certificate-expired': 'signing.reason.certificate-expired',
  'key-usage': 'signing.reason.key-usage',
  'revoked-no-poe': 'signing.reason.revoked-no-poe',
  'revocation-unknown': 'signing.reason.revocation-unknown',
  'timestamp-untrusted': 'signing.reason.timestamp-untrusted',
  'not-whole-file': 'signing.reason.not-whole-file',
  'changes-flagged': 'signing.reason.changes-flagged',
  'fieldmdp-violation': 'signing.reason.fieldmdp-violation',
  'weak-algorithm': 'signing.reason.weak-algorithm',
  'ca-constraints': 'signing.reason.ca-constraints',
  'expired-no-poe': 'signing.reason.expired-no-poe',
  'extended-key-usage': 'signing.reason.extended-key-usage',
  'unknown-critical-extension': 'signing.reason.unknown-critical-extension',
  'signed-bytes-missing': 'signing.reason.signed-bytes-missing',
  'modified-after-signing': 'signing.reason.modified-after-signing',
  'changes-unknown': 'signing.reason.changes-unknown',
  'changes-allowed': 'signing.reason.changes-allowed',
  'signature-cloned': 'signing.reason.signature-cloned',
}

/** A verification reason code (verify-pdf.ts) as a plain sentence; unknown codes are shown as codes. */
export const reasonText = (t: Translate, code: string) =>
  REASON_KEYS[code] ? t(REASON_KEYS[code]) : t('signing.reason.unknown', { code })

const SIGN_ERROR_KEYS: Record<string, MessageKey> = {
  'not-found': 'signing.error.not-found',
  forbidden: 'signing.error.forbidden',
  conflict: 'signing.error.conflict',
  'pdf-not-signable': 'signing.error.pdf-not-signable',
  'certificate-not-valid': 'signing.error.certificate-not-valid',
  'signature-placement-needed': 'signing.error.signature-placement-needed',
  'signature-image-invalid': 'signing.error.signature-image-invalid',
  'tsa-unavailable': 'signing.error.tsa-unavailable',
  'wrong-pin': 'signing.error.wrong-pin',
  'credential-locked': 'signing.error.credential-locked',
}

/** Why one document of a batch was not signed, from the result's code. */
export const signErrorText = (t: Translate, code: string | undefined) =>
  code && SIGN_ERROR_KEYS[code] ? t(SIGN_ERROR_KEYS[code]) : t('signing.error.other', { code: code ?? '—' })

/**
 * What a refused PIN means for the person at the keyboard: attempts left after a wrong PIN, the time
 * the lock ends after too many. null for any other problem (shown as the server's title).
 */
export function pinProblemText(
  t: Translate,
  formatDateTime: (iso: string | null | undefined) => string,
  error: ApiError | null,
): string | null {
  if (!error) return null
  if (error.code === 'wrong-pin') {
    const left = error.problem.attemptsLeft
    return left === undefined ? t('signing.sign.wrongPinNoCount') : t('signing.sign.wrongPin', { n: left })
  }
  if (error.code === 'credential-locked') {
    const until =
      error.problem.lockedUntil ??
      (error.retryAfterSeconds === undefined
        ? undefined
        : new Date(Date.now() + error.retryAfterSeconds * 1000).toISOString())
    return t('signing.sign.locked', { time: until ? formatDateTime(until) : '—' })
  }
  return null
}
