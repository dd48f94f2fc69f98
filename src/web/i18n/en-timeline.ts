import type { viTimeline } from './vi-timeline.ts'

/** English labels of the timeline: the same keys as vi-timeline.ts. */
export const enTimeline: Record<keyof typeof viTimeline, string> = {
  'timeline.action.received': 'Received',
  'timeline.action.registered': 'Registered as incoming',
  'timeline.action.draft-saved': 'Draft saved',
  'timeline.action.drafted': 'Draft created',
  'timeline.action.signature-requested': 'Put forward for signature',
  'timeline.action.signature-refused': 'Signature refused',
  'timeline.action.signature-withdrawn': 'Signature request withdrawn',
  'timeline.action.signed': 'Digitally signed',
  'timeline.action.sealed': 'Agency seal applied',
  'timeline.action.signatures-renewed': 'Signatures renewed',
  'timeline.detail.incomingNumber': 'Incoming no.',
  'timeline.detail.receivedDate': 'Received on',
  'timeline.detail.numberNotation': 'Number and notation',
  'timeline.detail.signerName': 'Signer',
  'timeline.detail.signer': 'Certificate of',
  'timeline.detail.level': 'Signature level',
  'timeline.detail.fileName': 'File',
  'timeline.detail.renewBy': 'Renew before',
  'timeline.detail.duplicateConfirmed': 'Confirmed not a duplicate',
  'timeline.detail.yes': 'yes',
}
