/**
 * What a checkpoint says and how it is signed: "event `chainSeq` of this audit chain has hash
 * `chainHash`, as of `createdAt`", as canonical JSON (ASCII only, so the bytes are the same in every
 * tool), signed as a detached CMS SignedData (RFC 5652: content-type, message-digest and ESS
 * signing-certificate-v2 signed attributes, SHA-256, RSA PKCS#1 v1.5) that `openssl cms -verify` checks.
 * Since every event's hash covers the one before, pinning event N's hash pins events 1..N.
 */
import { createHash, type KeyObject } from 'node:crypto'
import { signDigest } from '../../pades/cms/pades-cms.ts'
import { verifyCms } from '../../pades/cms/verify-cms.ts'
import { verifyTimestampToken } from '../../pades/cms/verify-timestamp.ts'
import { canonicalJson } from '../canonical-json.ts'
import { certificateFingerprint } from './audit-key.ts'

export const STATEMENT_FORMAT = 'vanthu-audit-checkpoint/1'

/** The audit action recording a checkpoint in the chain it pins (its targetId is the checkpoint id). */
export const CHECKPOINT_CREATED = 'audit.checkpoint.created'

export interface CheckpointStatement {
  format: typeof STATEMENT_FORMAT
  chainSeq: number
  chainHash: string
  /** ISO 8601 UTC with milliseconds. */
  createdAt: string
}

export function statementText(statement: CheckpointStatement): string {
  return canonicalJson(statement)
}

export function parseStatement(text: string): CheckpointStatement | undefined {
  try {
    const value = JSON.parse(text) as CheckpointStatement
    if (value.format !== STATEMENT_FORMAT || canonicalJson(value) !== text) return undefined
    if (!Number.isSafeInteger(value.chainSeq) || !/^[0-9a-f]{64}$/.test(value.chainHash)) return undefined
    return value
  } catch {
    return undefined
  }
}

/** The detached CMS (DER) over the statement's bytes. */
export function signStatement(text: string, key: { privateKey: KeyObject; certificatePem: string }): Buffer {
  return signDigest({
    digest: createHash('sha256').update(text, 'utf8').digest(),
    privateKey: key.privateKey,
    signerCert: key.certificatePem,
  })
}

export type SignatureProblem =
  /** The CMS does not verify over the statement (changed statement, changed or foreign signature). */
  | 'signature-invalid'
  /** The CMS verifies, but was made with another certificate than the audit key named by the row. */
  | 'signer-not-audit-key'
  /** The timestamp token is not over this statement (or does not verify as a token). */
  | 'timestamp-invalid'

/** Checks a stored checkpoint's signature (and token) against its statement and the audit key's certificate. */
export function checkSignature(input: {
  statement: string
  signature: Buffer
  certificatePem: string
  timestampToken?: Buffer | undefined
}): SignatureProblem | undefined {
  const digest = createHash('sha256').update(input.statement, 'utf8').digest()
  const cms = verifyCms({ contents: input.signature, digest })
  if (!cms.valid || !cms.signerCertificate) return 'signature-invalid'
  const signerFingerprint = certificateFingerprint(cms.signerCertificate.toString())
  if (signerFingerprint !== certificateFingerprint(input.certificatePem)) return 'signer-not-audit-key'
  if (input.timestampToken) {
    const token = verifyTimestampToken(input.timestampToken, { data: Buffer.from(input.statement, 'utf8') })
    if (!token.valid) return 'timestamp-invalid'
  }
  return undefined
}
