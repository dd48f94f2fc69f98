/**
 * Ký số văn bản (issue 6 §5): a leader's PAdES B-B signature and the agency seal over the document's
 * latest PDF, each stored as a new 'signed' file derived from its source. The key is unlocked before the
 * transaction (PGlite has one connection); the blob is put first, then one transaction for the file row
 * and its audit event. Signatures are invisible: no per-user signature image is configured yet, and the
 * demo images are not meant for real documents. No TSA is configured, so the level is B-B.
 */
import { X509Certificate } from 'node:crypto'
import { Readable } from 'node:stream'
import { buffer } from 'node:stream/consumers'
import type { Actor } from '../../access/actor.ts'
import { documentVisibility } from '../../access/policy.ts'
import { type AuditContext, appendAuditEvent } from '../../audit/audit.service.ts'
import * as documentsRepository from '../../documents/documents.repository.ts'
import type { DocumentFileRow } from '../../documents/documents.repository.ts'
import type { Database, Executor } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { lockBlobKey } from '../../storage/blob-references.ts'
import type { BlobStore } from '../../storage/blob-store.ts'
import { signDigest } from '../cms/pades-cms.ts'
import {
  type CredentialsDeps,
  listPersonalCredentials,
  type UnlockedCredential,
  unlockAgencySeal,
  unlockCredential,
} from '../credentials/credentials.service.ts'
import { onDocumentSigned } from '../requests/requests.hooks.ts'
import * as repository from './signing.repository.ts'
import {
  embedSignature,
  type PrepareSignatureOptions,
  PdfUpdateError,
  prepareSignature,
  XrefReadError,
} from '../pdf/index.ts'

export interface SigningDeps extends CredentialsDeps {
  database: Database
  blobStore: BlobStore
}

export interface SignInput {
  pin: string
  credentialId?: string | undefined
  reason?: string | undefined
  location?: string | undefined
}

export type SignatureKind = 'personal' | 'agency-seal'

/** The file to sign next: the newest 'signed' file, else the original (a PDF the actor may open). */
export async function latestPdf(db: Executor, actor: Actor, documentId: string): Promise<DocumentFileRow> {
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
  return file
}

export async function readFileBytes(deps: SigningDeps, file: DocumentFileRow): Promise<Uint8Array> {
  return new Uint8Array(await buffer(await deps.blobStore.get(file.blobKey)))
}

/** Puts the signed bytes, then the 'signed' file row and its audit event in one transaction. */
export async function storeSigned(
  deps: SigningDeps,
  context: AuditContext,
  input: {
    source: DocumentFileRow
    bytes: Uint8Array
    kind: SignatureKind
    fieldName: string
    signer: string
  },
  inTransaction?: (tx: Executor) => Promise<void>,
): Promise<DocumentFileRow> {
  const blob = await deps.blobStore.put(Readable.from([Buffer.from(input.bytes)]))
  const { source } = input
  return deps.database.db.transaction(async (tx) => {
    await repository.lockDocument(tx, source.documentId)
    if ((await repository.newestSignable(tx, source.documentId))?.id !== source.id)
      throw new AppError('conflict', {
        detail:
          'Văn bản vừa được ký bởi người khác; vui lòng ký lại trên bản mới nhất. / ' +
          'The document was signed meanwhile; sign its newest version again.',
      })
    await inTransaction?.(tx)
    await lockBlobKey(tx, blob.key)
    if (!(await deps.blobStore.stat(blob.key)))
      throw new AppError('conflict', { detail: 'Tệp đã ký bị mất. / The signed bytes vanished.' })
    const row = await documentsRepository.insertFile(tx, {
      documentId: source.documentId,
      role: 'signed',
      derivedFromId: source.id,
      fileName: signedName(source.fileName),
      mediaType: 'application/pdf',
      size: blob.size,
      sha256: blob.sha256,
      blobKey: blob.key,
      pageCount: source.pageCount,
      signatureCount: source.signatureCount + 1,
      createdBy: context.actor,
    })
    await onDocumentSigned(tx, context, { documentId: source.documentId, fileId: row.id, kind: input.kind })
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
        level: 'B-B',
      },
    })
    return row
  })
}

function signedName(fileName: string): string {
  const base = fileName.replace(/\.[^.]+$/, '').replace(/ \(đã ký\)$/, '')
  return `${base} (đã ký).pdf`.slice(-255)
}

export function subjectCn(certificatePem: string): string {
  const subject = new X509Certificate(certificatePem).subject
  return /(?:^|\n)CN=([^\n]*)/.exec(subject)?.[1] ?? subject
}

/** prepareSignature, with a PDF that cannot take a signature reported as 422 pdf-not-signable. */
export async function prepareSignable(bytes: Uint8Array, options: PrepareSignatureOptions) {
  try {
    return await prepareSignature(bytes, options)
  } catch (error) {
    if (error instanceof PdfUpdateError || error instanceof XrefReadError)
      throw new AppError('pdf-not-signable', { cause: error })
    throw error
  }
}

/** Signs the bytes with an unlocked key: PAdES B-B, invisible signature. */
async function signBytes(
  bytes: Uint8Array,
  credential: UnlockedCredential,
  options: { reason?: string | undefined; location?: string | undefined },
) {
  const name = subjectCn(credential.certificate)
  const prepared = await prepareSignable(bytes, {
    name,
    reason: options.reason,
    location: options.location,
    signingTime: new Date(),
  })
  const cms = signDigest({
    digest: prepared.digest(),
    privateKey: credential.privateKey,
    signerCert: credential.certificate,
    chain: credential.chain,
  })
  return { bytes: embedSignature(prepared, cms), fieldName: prepared.fieldName, signer: name }
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
) {
  const source = await latestPdf(deps.database.db, actor, documentId)
  const credentialId = await defaultCredentialId(deps, actor, input.credentialId)
  const credential = await unlockCredential(deps, { credentialId, actor, pin: input.pin, context })
  return signWith(deps, context, source, credential, 'personal', input)
}

async function signWith(
  deps: SigningDeps,
  context: AuditContext,
  source: DocumentFileRow,
  credential: UnlockedCredential,
  kind: SignatureKind,
  input: { reason?: string | undefined; location?: string | undefined },
) {
  const signed = await signBytes(await readFileBytes(deps, source), credential, input)
  return storeSigned(deps, context, { source, kind, ...signed })
}

/** The clerk adds the agency seal, only over a leader's signature (POST /documents/:id/seal). */
export async function sealDocument(
  deps: SigningDeps,
  actor: Actor,
  documentId: string,
  input: { pin: string; reason?: string | undefined; location?: string | undefined },
  context: AuditContext,
) {
  const source = await latestPdf(deps.database.db, actor, documentId)
  if (source.role !== 'signed' || source.signatureCount < 1)
    throw new AppError('conflict', {
      detail:
        'Văn bản chưa có chữ ký của người có thẩm quyền; đóng dấu sau khi ký. / ' +
        'The document has no leader signature yet; seal it after it is signed.',
    })
  const credential = await unlockAgencySeal(deps, { actor, pin: input.pin, context })
  return signWith(deps, context, source, credential, 'agency-seal', input)
}

/** Several documents with one PIN entry: unlocked once, one result per document. */
export async function signBatch(
  deps: SigningDeps,
  actor: Actor,
  input: { documentIds: string[]; pin: string; credentialId?: string | undefined },
  context: AuditContext,
) {
  const credentialId = await defaultCredentialId(deps, actor, input.credentialId)
  const credential = await unlockCredential(deps, { credentialId, actor, pin: input.pin, context })
  const results: Array<
    | { documentId: string; ok: true; fileId: string }
    | { documentId: string; ok: false; code: string; status: number }
  > = []
  for (const documentId of input.documentIds) {
    try {
      const source = await latestPdf(deps.database.db, actor, documentId)
      const row = await signWith(deps, context, source, credential, 'personal', {})
      results.push({ documentId, ok: true, fileId: row.id })
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      results.push({ documentId, ok: false, code: error.code, status: error.status })
    }
  }
  return results
}
