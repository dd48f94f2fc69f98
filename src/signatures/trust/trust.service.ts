/**
 * The agency's trust store (danh sách CA tin cậy): root and intermediate CA certificates its admins trust
 * when signatures are verified. Roots must verify their own signature; every anchor must be a CA.
 */
import { X509Certificate } from 'node:crypto'
import type { Actor } from '../../access/actor.ts'
import { actorLabel } from '../../access/actor.ts'
import { type AuditContext, appendAuditEvent } from '../../audit/audit.service.ts'
import type { Database, Executor } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { certificateDetails } from '../credentials/pkcs12.ts'
import * as repository from './trust.repository.ts'

const TARGET = 'trust-anchor'

/** A certificate from an upload: PEM text (the first certificate) or DER bytes. */
export function parseCertificate(bytes: Buffer): X509Certificate {
  const text = bytes.toString('latin1')
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(text)?.[0]
  try {
    return new X509Certificate(pem ?? bytes)
  } catch (error) {
    throw new AppError('bad-certificate', { cause: error })
  }
}

/** root when self-issued (its self-signature must verify), else intermediate; a non-CA is refused. */
export function classifyAnchor(cert: X509Certificate): 'root' | 'intermediate' {
  if (!cert.ca) {
    throw new AppError('not-a-ca-certificate', {
      detail: 'basicConstraints cA không bật. / basicConstraints cA is not set.',
    })
  }
  if (!cert.checkIssued(cert)) return 'intermediate'
  if (!cert.verify(cert.publicKey)) {
    throw new AppError('not-a-ca-certificate', {
      detail: 'Chữ ký tự ký của CA gốc không hợp lệ. / The root’s self-signature does not verify.',
    })
  }
  return 'root'
}

export async function addTrustAnchor(
  deps: { database: Database },
  actor: Actor,
  bytes: Buffer,
  context: AuditContext,
) {
  const cert = parseCertificate(bytes)
  const kind = classifyAnchor(cert)
  const details = certificateDetails(cert)
  const duplicate = () =>
    new AppError('already-exists', {
      detail: 'CA này đã có trong danh sách tin cậy. / This CA is already trusted.',
    })
  const add = deps.database.db.transaction(async (tx) => {
    if (await repository.findActiveByFingerprint(tx, actor.agencyId, details.fingerprintSha256)) {
      throw duplicate()
    }
    const row = await repository.insertAnchor(tx, {
      agencyId: actor.agencyId,
      kind,
      certificatePem: cert.toString(),
      subject: details.subject.slice(0, 500),
      fingerprintSha256: details.fingerprintSha256,
      notAfter: details.notAfter,
      addedBy: actorLabel(actor),
    })
    await appendAuditEvent(tx, context, {
      action: 'signature.trust-anchor.added',
      targetType: TARGET,
      targetId: row.id,
      details: { kind, subject: row.subject, fingerprintSha256: row.fingerprintSha256 },
    })
    return row
  })
  // Two admins adding the same CA at once: the unique index decides, the loser gets the same 409.
  return add.catch((error: unknown) => {
    throw isUniqueViolation(error) ? duplicate() : error
  })
}

function isUniqueViolation(error: unknown): boolean {
  const code = (value: unknown) => (value as { code?: unknown } | undefined)?.code
  return code(error) === '23505' || code((error as { cause?: unknown }).cause) === '23505'
}

export async function removeTrustAnchor(
  deps: { database: Database },
  actor: Actor,
  id: string,
  context: AuditContext,
) {
  if (!isUuid(id)) throw new AppError('not-found')
  await deps.database.db.transaction(async (tx) => {
    const row = await repository.removeAnchor(tx, actor.agencyId, id, new Date())
    if (!row) throw new AppError('not-found')
    await appendAuditEvent(tx, context, {
      action: 'signature.trust-anchor.removed',
      targetType: TARGET,
      targetId: row.id,
      details: { kind: row.kind, subject: row.subject, fingerprintSha256: row.fingerprintSha256 },
    })
  })
}

export function listTrustAnchors(db: Executor, agencyId: string) {
  return repository.listActive(db, agencyId)
}

/** The agency's trusted CA certificates as PEM (roots and intermediates), for the signature verifier. */
export async function activeTrustAnchors(db: Executor, agencyId: string): Promise<string[]> {
  return (await repository.listActive(db, agencyId)).map((row) => row.certificatePem)
}

export function trustAnchorView(row: repository.TrustAnchorRow) {
  return {
    id: row.id,
    kind: row.kind as 'root' | 'intermediate',
    subject: row.subject,
    fingerprintSha256: row.fingerprintSha256,
    notAfter: row.notAfter.toISOString(),
    certificatePem: row.certificatePem,
    addedBy: row.addedBy,
    createdAt: row.createdAt.toISOString(),
  }
}
