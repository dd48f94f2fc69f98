/**
 * Ký số văn bản (issue 6 §5): a leader's PAdES signature and the agency seal over the document's latest
 * PDF, each stored as a new 'signed' file derived from its source. The key is unlocked before the
 * transaction (PGlite has one connection); the blob is put first, then one transaction for the file row
 * and its audit event. Appearances follow ND30 (signing-appearance.ts): visible with the leader's
 * signature image or the seal image, else invisible (leader) or a text stamp (seal). With SIGNING_TSA_URL
 * the signature is timestamped (B-T) and, with revocation data, extended to B-LTA (pades-level.ts).
 */
import { X509Certificate } from 'node:crypto'
import type { Actor } from '../../access/actor.ts'
import { documentVisibility } from '../../access/policy.ts'
import { type AuditContext, appendAuditEvent } from '../../audit/audit.service.ts'
import * as documentsRepository from '../../documents/documents.repository.ts'
import type { DocumentFileRow } from '../../documents/documents.repository.ts'
import type { Database, Executor, Tx } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { lockBlobKey } from '../../storage/blob-references.ts'
import { appendTimelineEntry, timelineActorOf } from '../../timeline/timeline.ts'
import { type BlobStore, putBytes, readBytes } from '../../storage/blob-store.ts'
import {
  type CredentialsDeps,
  listPersonalCredentials,
  type UnlockedCredential,
  unlockAgencySeal,
  unlockCredential,
} from '../credentials/credentials.service.ts'
import { onDocumentSigned } from '../requests/requests.hooks.ts'
import { activeTrustAnchors } from '../trust/trust.service.ts'
import type { RequestNotifyDeps } from '../requests/requests.notify.ts'
import { sendSignatureVerification } from '../verify/verify-signatures.job.ts'
import * as repository from './signing.repository.ts'
import type { PadesLevel, SigningPolicy } from './pades-level.ts'
import { signBytes, subjectCn } from './sign-pdf.ts'
import {
  isOutgoingCopy,
  onOutgoingSigned,
  outgoingSignatureRules,
  withOutgoingRules,
} from '../../outgoing/signing-rules.ts'
import {
  type AppearancePlan,
  type AppearanceSource,
  type Placement,
  personalAppearance,
  type SealOptions,
  sealAppearance,
} from './signing-appearance.ts'

export interface SigningDeps extends CredentialsDeps, RequestNotifyDeps {
  database: Database
  blobStore: BlobStore
  /** TSA and LTV settings (signingPolicy(config.signing)). */
  policy: SigningPolicy
}

export interface SignInput {
  pin: string
  credentialId?: string | undefined
  reason?: string | undefined
  location?: string | undefined
  placement?: Placement | undefined
}

/** Default /Reason of each kind of signature. */
export const DEFAULT_REASON = {
  personal: 'Ký ban hành văn bản',
  'agency-seal': 'Đóng dấu số của cơ quan',
} as const

/** A stored signature and how it came out. */
export interface SignedResult {
  row: DocumentFileRow
  level: PadesLevel
  visible: boolean
  appearance: AppearanceSource
}

export type SignatureKind = 'personal' | 'agency-seal'

/** The agency's active trust anchors as certificates; only long-term validation needs them. */
export async function agencyTrustAnchors(deps: SigningDeps, agencyId: string): Promise<X509Certificate[]> {
  if (!deps.policy.ltv) return []
  return (await activeTrustAnchors(deps.database.db, agencyId)).map((pem) => new X509Certificate(pem))
}

/** The document (visible to the actor) and the file to sign next: the newest 'signed' file, else the original. */
export async function signableDocument(db: Executor, actor: Actor, documentId: string) {
  if (!isUuid(documentId)) throw new AppError('not-found')
  const document = await documentsRepository.findDocument(
    db,
    documentId,
    documentVisibility(actor, 'content'),
  )
  if (!document) throw new AppError('not-found')
  const file = await repository.newestSignable(db, documentId)
  if (file?.mediaType !== 'application/pdf')
    throw new AppError('conflict', {
      detail: 'Văn bản không có tệp PDF để ký. / The document has no PDF file to sign.',
    })
  return { document, file }
}

export async function latestPdf(db: Executor, actor: Actor, documentId: string): Promise<DocumentFileRow> {
  return (await signableDocument(db, actor, documentId)).file
}

export async function readFileBytes(
  deps: Pick<SigningDeps, 'blobStore'>,
  file: DocumentFileRow,
): Promise<Uint8Array> {
  return readBytes(deps.blobStore, file.blobKey)
}

/** Puts the signed bytes, then the 'signed' file row and its audit event in one transaction. */
export async function storeSigned(
  deps: SigningDeps,
  context: AuditContext,
  input: {
    source: DocumentFileRow
    /** The signed file, whole or in chunks (the source's bytes, then the signature's update). */
    chunks: readonly Uint8Array[]
    kind: SignatureKind
    fieldName: string
    signer: string
    level: PadesLevel
    visible: boolean
    /** Where the widget was placed and the image drawn (signature_images id), when known. */
    appearance?: AppearanceSource | undefined
    imageId?: string | undefined
  },
  inTransaction?: (tx: Executor) => Promise<void>,
): Promise<DocumentFileRow> {
  const { source } = input
  return storeSignedVersion(
    deps,
    context,
    {
      source,
      chunks: input.chunks,
      signatureCount: source.signatureCount + 1,
      fileName: signedName(source.fileName, input.kind === 'personal' ? 'signed' : 'sealed'),
    },
    async (tx, row) => {
      await inTransaction?.(tx)
      await onDocumentSigned(tx, deps, context, {
        documentId: source.documentId,
        fileId: row.id,
        kind: input.kind,
      })
      await appendAuditEvent(tx, context, {
        action: input.kind === 'personal' ? 'document.signed' : 'document.sealed',
        targetType: 'document',
        targetId: source.documentId,
        details: {
          fileId: row.id,
          sourceFileId: source.id,
          sha256: row.sha256,
          fieldName: input.fieldName,
          signer: input.signer,
          level: input.level,
          visible: input.visible,
          appearance: input.appearance ?? null,
          imageId: input.imageId ?? null,
        },
      })
      // An outgoing document moves on (signed: chờ cấp số; sealed: chờ phát hành) with its signature.
      const transition = await onOutgoingSigned(tx as Tx, deps, context, {
        documentId: source.documentId,
        fileId: row.id,
        kind: input.kind,
        signerUserId: /^user:(.+)$/.exec(context.actor)?.[1],
      })
      await appendTimelineEntry(tx, {
        documentId: source.documentId,
        action: input.kind === 'personal' ? 'signed' : 'sealed',
        actor: timelineActorOf(context),
        details: { signer: input.signer, level: input.level, fileName: row.fileName },
        ...transition,
      })
    },
  )
}

/**
 * Puts new bytes of a signed PDF, then in one transaction — if `source` is still the document's newest
 * signable file — the 'signed' file row derived from it and its verification job; `inTransaction` adds
 * the caller's audit event (and anything else that must commit with the row).
 */
export async function storeSignedVersion(
  deps: Pick<SigningDeps, 'database' | 'blobStore' | 'jobs'>,
  context: AuditContext,
  input: {
    source: DocumentFileRow
    /** The new file, whole or in chunks. */
    chunks: readonly Uint8Array[]
    signatureCount: number
    /** The new file's name; the source's name when it only gains validation data (renewal). */
    fileName?: string
  },
  inTransaction: (tx: Tx, row: DocumentFileRow) => Promise<void>,
): Promise<DocumentFileRow> {
  const blob = await putBytes(deps.blobStore, input.chunks)
  const { source } = input
  return deps.database.db.transaction(async (tx) => {
    await repository.lockDocument(tx, source.documentId)
    if ((await repository.newestSignable(tx, source.documentId))?.id !== source.id)
      throw new AppError('conflict', {
        detail:
          'Văn bản vừa được ký bởi người khác; vui lòng ký lại trên bản mới nhất. / ' +
          'The document was signed meanwhile; sign its newest version again.',
      })
    await lockBlobKey(tx, blob.key)
    if (!(await deps.blobStore.stat(blob.key)))
      throw new AppError('conflict', { detail: 'Tệp đã ký bị mất. / The signed bytes vanished.' })
    const row = await documentsRepository.insertFile(tx, {
      documentId: source.documentId,
      role: 'signed',
      derivedFromId: source.id,
      fileName: input.fileName ?? source.fileName,
      mediaType: 'application/pdf',
      size: blob.size,
      sha256: blob.sha256,
      blobKey: blob.key,
      pageCount: source.pageCount,
      signatureCount: input.signatureCount,
      createdBy: context.actor,
    })
    // The stored file gets its report like any signed upload: the UI shows it with the other signatures.
    await sendSignatureVerification(tx, deps.jobs, { documentId: source.documentId, fileId: row.id })
    await inTransaction(tx, row)
    return row
  })
}

const NAME_SUFFIXES = { signed: 'đã ký', sealed: 'đã đóng dấu' } as const

/** "007.pdf" → "007 (đã ký).pdf" → "007 (đã đóng dấu).pdf": the list tells the signed and sealed files apart. */
export function signedName(fileName: string, step: keyof typeof NAME_SUFFIXES): string {
  const base = fileName.replace(/\.[^.]+$/, '').replace(/ \((đã ký|đã đóng dấu)\)$/, '')
  return `${base} (${NAME_SUFFIXES[step]}).pdf`.slice(-255)
}

async function defaultCredentialId(deps: SigningDeps, actor: Actor, credentialId?: string) {
  if (credentialId) return credentialId
  const [first] = await listPersonalCredentials(deps, actor)
  if (!first)
    throw new AppError('not-found', {
      detail: 'Bạn chưa có chứng thư ký số. / You have no signing credential.',
    })
  return first.id
}

/** The leader signs the document's latest PDF (POST /documents/:id/sign). */
export async function signDocument(
  deps: SigningDeps,
  actor: Actor,
  documentId: string,
  input: SignInput,
  context: AuditContext,
): Promise<SignedResult> {
  const { file: source } = await signableDocument(deps.database.db, actor, documentId)
  const rules = await outgoingSignatureRules(deps.database.db, documentId, 'personal', source)
  const bytes = await readFileBytes(deps, source)
  // The placement is checked before the PIN is tried: a 422 for it costs no attempt.
  const plan = withOutgoingRules(
    await personalAppearance(deps.database.db, actor, bytes, input.placement),
    rules,
  )
  const credentialId = await defaultCredentialId(deps, actor, input.credentialId)
  const credential = await unlockCredential(deps, { credentialId, actor, pin: input.pin, context })
  return signWith(
    deps,
    context,
    { source, bytes, credential, kind: 'personal', plan, agencyId: actor.agencyId },
    input,
  )
}

async function signWith(
  deps: SigningDeps,
  context: AuditContext,
  what: {
    source: DocumentFileRow
    bytes: Uint8Array
    credential: UnlockedCredential
    kind: SignatureKind
    plan: AppearancePlan
    /** The signer's agency: its name is the default /Location. */
    agencyId: string
    signingTime?: Date
  },
  input: { reason?: string | undefined; location?: string | undefined },
): Promise<SignedResult> {
  const { source, kind, plan } = what
  const location = input.location ?? (await repository.agencyName(deps.database.db, what.agencyId))
  const signed = await signBytes(what.bytes, what.credential, deps.policy, {
    reason: input.reason ?? DEFAULT_REASON[kind],
    location,
    signingTime: what.signingTime ?? new Date(),
    plan,
    trustAnchors: await agencyTrustAnchors(deps, what.agencyId),
  })
  const row = await storeSigned(deps, context, { source, kind, ...signed })
  return { row, level: signed.level, visible: plan.visible, appearance: plan.source }
}

export interface SealInput extends SealOptions {
  pin: string
  reason?: string | undefined
  location?: string | undefined
}

/** The clerk adds the agency seal, only over a leader's signature (POST /documents/:id/seal). */
export async function sealDocument(
  deps: SigningDeps,
  actor: Actor,
  documentId: string,
  input: SealInput,
  context: AuditContext,
): Promise<SignedResult> {
  const { document, file: source } = await signableDocument(deps.database.db, actor, documentId)
  const unsigned = source.role !== 'signed' || source.signatureCount < 1
  if (unsigned && !(await isOutgoingCopy(deps.database.db, documentId)))
    throw new AppError('conflict', {
      detail:
        'Văn bản chưa có chữ ký của người có thẩm quyền; đóng dấu sau khi ký. / ' +
        'The document has no leader signature yet; seal it after it is signed.',
    })
  // The outgoing flow seals only numbered documents: checked before the PIN is tried.
  const rules = await outgoingSignatureRules(deps.database.db, documentId, 'agency-seal', source)
  const credential = await unlockAgencySeal(deps, { actor, pin: input.pin, context })
  const bytes = await readFileBytes(deps, source)
  const signingTime = new Date()
  const sealPlan = await sealAppearance(deps.database.db, actor, document, bytes, {
    ...input,
    signedAt: signingTime,
    sealSigner: subjectCn(credential.certificate),
  })
  const plan = withOutgoingRules(sealPlan, rules)
  return signWith(
    deps,
    context,
    { source, bytes, credential, kind: 'agency-seal', plan, signingTime, agencyId: actor.agencyId },
    input,
  )
}

export type BatchResult =
  | { documentId: string; ok: true; fileId: string; level: PadesLevel; visible: boolean }
  | { documentId: string; ok: false; code: string; status: number }

/** Several documents with one PIN entry: unlocked once, one result per document. */
export async function signBatch(
  deps: SigningDeps,
  actor: Actor,
  input: { documentIds: string[]; pin: string; credentialId?: string | undefined },
  context: AuditContext,
): Promise<BatchResult[]> {
  const credentialId = await defaultCredentialId(deps, actor, input.credentialId)
  const credential = await unlockCredential(deps, { credentialId, actor, pin: input.pin, context })
  const results: BatchResult[] = []
  for (const documentId of input.documentIds) {
    try {
      const { file: source } = await signableDocument(deps.database.db, actor, documentId)
      const rules = await outgoingSignatureRules(deps.database.db, documentId, 'personal', source)
      const bytes = await readFileBytes(deps, source)
      const plan = withOutgoingRules(await personalAppearance(deps.database.db, actor, bytes), rules)
      const signed = await signWith(
        deps,
        context,
        { source, bytes, credential, kind: 'personal', plan, agencyId: actor.agencyId },
        {},
      )
      results.push({
        documentId,
        ok: true,
        fileId: signed.row.id,
        level: signed.level,
        visible: signed.visible,
      })
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      results.push({ documentId, ok: false, code: error.code, status: error.status })
    }
  }
  return results
}
