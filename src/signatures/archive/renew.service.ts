/**
 * Gia hạn chữ ký số lưu trữ: the document's newest signed PDF gets current revocation data for all its
 * certificates and a new document timestamp (renew-long-term.ts), stored as a new 'signed' file derived
 * from it, with its audit event and verification job in the same transaction.
 */
import { X509Certificate } from 'node:crypto'
import type { Actor } from '../../access/actor.ts'
import { type AuditContext, appendAuditEvent } from '../../audit/audit.service.ts'
import type { DocumentFileRow } from '../../documents/documents.repository.ts'
import { AppError } from '../../platform/errors.ts'
import { appendTimelineEntry, timelineActorOf } from '../../timeline/timeline.ts'
import { TimestampError, type TsaOptions } from '../timestamping/tsa-client.ts'
import {
  readFileBytes,
  type SigningDeps,
  signableDocument,
  storeSignedVersion,
} from '../signing/signing.service.ts'
import { activeTrustAnchors } from '../trust/trust.service.ts'
import { type Renewal, renewLongTerm } from './renew-long-term.ts'

export type RenewDeps = Pick<SigningDeps, 'database' | 'blobStore' | 'jobs' | 'policy'>

export interface RenewResult {
  fileId: string
  fileName: string
  renewBy: string | null
  certificatesChecked: number
  crls: number
  ocsps: number
}

export async function renewDocumentSignatures(
  deps: RenewDeps,
  actor: Actor,
  documentId: string,
  context: AuditContext,
): Promise<RenewResult> {
  const tsa = configuredTsa(deps)
  const { file: source } = await signableDocument(deps.database.db, actor, documentId)
  return renewFile(deps, tsa, { source, agencyId: actor.agencyId }, context)
}

function configuredTsa(deps: RenewDeps): TsaOptions {
  if (deps.policy.tsa) return deps.policy.tsa
  throw new AppError('conflict', {
    detail:
      'Chưa cấu hình máy chủ cấp dấu thời gian (SIGNING_TSA_URL): không thể gia hạn. / ' +
      'No timestamp authority is configured (SIGNING_TSA_URL): nothing can renew the signatures.',
  })
}

/** Renews `source` (the newest signable file of its document) with the trust anchors of `agencyId`. */
export async function renewFile(
  deps: RenewDeps,
  tsa: TsaOptions,
  { source, agencyId }: { source: DocumentFileRow; agencyId: string },
  context: AuditContext,
): Promise<RenewResult> {
  if (source.signatureCount < 1)
    throw new AppError('conflict', {
      detail: 'Văn bản chưa có chữ ký số để gia hạn. / The document has no signature to renew.',
    })
  const bytes = await readFileBytes(deps, source)
  const trustAnchors = (await activeTrustAnchors(deps.database.db, agencyId)).map(
    (pem) => new X509Certificate(pem),
  )
  let renewal: Renewal
  try {
    renewal = await renewLongTerm(bytes, { tsa, trustAnchors, fetchRevocation: deps.policy.fetchRevocation })
  } catch (cause) {
    if (!(cause instanceof TimestampError)) throw cause
    throw new AppError('tsa-unavailable', {
      cause,
      detail: `Máy chủ cấp dấu thời gian: ${cause.code}. / Timestamp authority: ${cause.code}.`,
    })
  }
  const summary = {
    renewBy: renewal.renewBy?.toISOString() ?? null,
    certificatesChecked: renewal.certificatesChecked,
    crls: renewal.crls,
    ocsps: renewal.ocsps,
  }
  const row = await storeSignedVersion(
    deps,
    context,
    { source, chunks: [renewal.bytes], signatureCount: source.signatureCount },
    async (tx, row) => {
      await appendAuditEvent(tx, context, {
        action: 'document.signatures-renewed',
        targetType: 'document',
        targetId: source.documentId,
        details: { fileId: row.id, sourceFileId: source.id, sha256: row.sha256, ...summary },
      })
      await appendTimelineEntry(tx, {
        documentId: source.documentId,
        action: 'signatures-renewed',
        actor: timelineActorOf(context),
        details: { renewBy: summary.renewBy, fileName: row.fileName },
      })
    },
  )
  return { fileId: row.id, fileName: row.fileName, ...summary }
}
