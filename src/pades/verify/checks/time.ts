/**
 * Check 7 — time: the time certificates are checked at. A proof of existence (POE) is a trusted
 * timestamp: the signature's own signature timestamp, or a document timestamp whose revision covers the
 * signature (ETSI EN 319 102-1 §5.6: the earliest POE is the best signature time). Without one the
 * certificates are checked at the current time (basic validation); the signer's /M is a claim, never a
 * POE, so an unsigned update that rewrites it changes nothing.
 */

export interface ProvenTime {
  /** The signature was proven to exist at this time (undefined: no proof). */
  proof: Date | undefined
  source: 'timestamp' | 'document-timestamp' | 'verification-time'
  /** When the certificates are checked: the proof, else now. */
  at: Date
}

export interface TimestampProof {
  /** The revision the document timestamp covers (it proves everything up to it). */
  revision: number
  genTime: Date
}

export function provenTime(input: {
  /** genTime of the signature's own timestamp, when that timestamp is valid and trusted. */
  signatureTimestamp: Date | undefined
  /** The revision this signature (or document timestamp) covers. */
  revision: number | undefined
  /** Valid, trusted document timestamps of the file. */
  documentTimestamps: TimestampProof[]
  now: Date
}): ProvenTime {
  const covering =
    input.revision === undefined
      ? []
      : input.documentTimestamps
          .filter((proof) => proof.revision > input.revision!)
          .map((proof) => proof.genTime)
  const earliestDocument = covering.sort((a, b) => a.getTime() - b.getTime())[0]
  const own = input.signatureTimestamp
  if (own && (!earliestDocument || own <= earliestDocument))
    return { proof: own, source: 'timestamp', at: own }
  if (earliestDocument) return { proof: earliestDocument, source: 'document-timestamp', at: earliestDocument }
  return { proof: undefined, source: 'verification-time', at: input.now }
}
