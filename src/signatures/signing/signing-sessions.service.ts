/**
 * Two-step signing (USB token, remote signing service): prepare stores the PDF with its placeholder and a
 * signing_sessions row and hands out the CMS signed attributes; complete takes the signature value (or a
 * whole CMS), checks it against the certificate before anything is stored, and stores the 'signed' file
 * while marking the session completed, once, in the same transaction.
 */
import { createHash, verify as cryptoVerify, X509Certificate } from 'node:crypto'
import type { Actor } from '../../access/actor.ts'
import { type AuditContext, appendAuditEvent } from '../../audit/audit.service.ts'
import { AppError } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { assembleCms, buildSignedAttributes } from '../../pades/cms/pades-cms.ts'
import { verifyCms } from '../../pades/cms/verify-cms.ts'
import { type ByteRange, writeContents } from '../../pades/pdf/byte-range.ts'
import { lockBlobKey } from '../../storage/blob-references.ts'
import { putBytes, readBytes } from '../../storage/blob-store.ts'
import { parseCms } from '../../pades/cms/parse-cms.ts'
import { newestVisibleSignature } from '../appearance/signature-widgets.ts'
import { certificate as certificate_, extendLongTerm, timestampSignature } from './pades-level.ts'
import { type Placement, personalAppearance } from './signing-appearance.ts'
import * as repository from './signing.repository.ts'
import {
  agencyTrustAnchors,
  DEFAULT_REASON,
  latestPdf,
  readFileBytes,
  type SignedResult,
  type SigningDeps,
  storeSigned,
} from './signing.service.ts'
import { prepareSignable, subjectCn } from './sign-pdf.ts'
import { outgoingSignatureRules, withOutgoingRules } from '../../outgoing/signing-rules.ts'

/** How long a token has to sign the prepared attributes. */
export const SESSION_TTL_MS = 10 * 60 * 1000

function readCertificate(pem: string): X509Certificate {
  try {
    return new X509Certificate(pem)
  } catch (cause) {
    throw new AppError('bad-certificate', { cause })
  }
}

/** Prepares the document's latest PDF for a signature made elsewhere, by the leader's certificate. */
export async function prepareTwoStep(
  deps: SigningDeps,
  actor: Actor,
  documentId: string,
  input: {
    certificate: string
    reason?: string | undefined
    location?: string | undefined
    placement?: Placement | undefined
  },
  context: AuditContext,
) {
  const source = await latestPdf(deps.database.db, actor, documentId)
  const certificate = readCertificate(input.certificate)
  const now = new Date()
  if (new Date(certificate.validFrom) > now || new Date(certificate.validTo) < now || certificate.ca)
    throw new AppError('certificate-not-valid')
  const bytes = await readFileBytes(deps, source)
  const rules = await outgoingSignatureRules(deps.database.db, documentId, 'personal', source)
  const plan = withOutgoingRules(
    await personalAppearance(deps.database.db, actor, bytes, input.placement),
    rules,
  )
  const prepared = await prepareSignable(bytes, {
    name: subjectCn(certificate.toString()),
    reason: input.reason ?? DEFAULT_REASON.personal,
    location: input.location ?? (await repository.agencyName(deps.database.db, actor.agencyId)),
    signingTime: now,
    pageIndex: plan.pageIndex,
    appearance: plan.appearance,
    fieldName: plan.fieldName,
    certify: plan.certify,
  })
  const digest = prepared.digest()
  const signedAttributes = buildSignedAttributes({ digest, signerCert: certificate.toString() })
  const blob = await putBytes(deps.blobStore, prepared.chunks)
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS)
  const row = await deps.database.db.transaction(async (tx) => {
    await lockBlobKey(tx, blob.key)
    if (!(await deps.blobStore.stat(blob.key)))
      throw new AppError('conflict', { detail: 'Tệp chuẩn bị ký bị mất. / The prepared PDF vanished.' })
    const inserted = await repository.insertSession(tx, {
      documentId: source.documentId,
      sourceFileId: source.id,
      userId: actor.userId,
      role: 'personal',
      preparedBlobKey: blob.key,
      fieldName: prepared.fieldName,
      byteRange: prepared.byteRange,
      contentsOffset: prepared.contentsOffset,
      contentsLength: prepared.contentsLength,
      digestHex: digest.toString('hex'),
      signedAttributes: signedAttributes.toString('base64'),
      certificatePem: certificate.toString(),
      expiresAt,
    })
    await appendAuditEvent(tx, context, {
      action: 'document.signing-prepared',
      targetType: 'document',
      targetId: source.documentId,
      details: {
        sessionId: inserted.id,
        sourceFileId: source.id,
        expiresAt: expiresAt.toISOString(),
        appearance: plan.source,
        imageId: plan.imageId ?? null,
      },
    })
    return inserted
  })
  return {
    sessionId: row.id,
    digest: digest.toString('base64'),
    signedAttributes: signedAttributes.toString('base64'),
    expiresAt: expiresAt.toISOString(),
    visible: plan.visible,
    appearance: plan.source,
  }
}

export interface CompleteInput {
  sessionId: string
  certificate: string
  signatureValue?: string | undefined
  cms?: string | undefined
  chain?: string[] | undefined
}

/** Embeds the external signature and stores the 'signed' file; the session completes once. */
export async function completeTwoStep(
  deps: SigningDeps,
  actor: Actor,
  documentId: string,
  input: CompleteInput,
  context: AuditContext,
): Promise<SignedResult> {
  const session = await openSession(deps, actor, documentId, input.sessionId)
  const source = await latestPdf(deps.database.db, actor, documentId)
  if (source.id !== session.sourceFileId) throw new AppError('signing-session-used')
  const certificate = readCertificate(input.certificate)
  if (
    !session.certificatePem ||
    certificate.fingerprint256 !== readCertificate(session.certificatePem).fingerprint256
  )
    throw new AppError('bad-signature-value', {
      detail: 'Chứng thư khác chứng thư khi chuẩn bị ký. / Not the certificate the session was prepared for.',
    })
  const external = externalCms(session, certificate, input)
  const stamped = await timestampSignature(external, deps.policy)
  const cms = stamped.cms
  const bytes = await readBytes(deps.blobStore, session.preparedBlobKey)
  const slot = {
    byteRange: session.byteRange as ByteRange,
    contentsOffset: session.contentsOffset,
    contentsLength: session.contentsLength,
  }
  // The prepared bytes must be the ones whose digest the token signed.
  if (rangeDigest(bytes, slot.byteRange) !== session.digestHex) throw new AppError('signing-session-used')
  try {
    writeContents(bytes, slot, cms)
  } catch (cause) {
    throw new AppError('bad-signature-value', {
      cause,
      detail: 'CMS lớn hơn chỗ dành sẵn. / The CMS is larger than the reserved space.',
    })
  }
  const signerChain = [certificate.raw, ...(input.chain ?? []), ...parseCms(external).certificates].flatMap(
    (cert) => certificate_(cert) ?? [],
  )
  const widget = await newestVisibleSignature(bytes)
  const visible = widget?.fieldName === session.fieldName
  const { chunks, level } = await extendLongTerm(
    [bytes],
    {
      signerChain,
      tsaCerts: stamped.tsaCerts,
      trustAnchors: await agencyTrustAnchors(deps, actor.agencyId),
    },
    deps.policy,
  )
  const row = await storeSigned(
    deps,
    context,
    {
      source,
      chunks,
      kind: 'personal',
      fieldName: session.fieldName,
      signer: subjectCn(certificate.toString()),
      level,
      visible,
    },
    async (tx) => {
      if (!(await repository.completeSession(tx, session.id))) throw new AppError('signing-session-used')
    },
  )
  return { row, level, visible, appearance: visible ? 'signer-block' : 'none' }
}

function rangeDigest(bytes: Uint8Array, [a, b, c, d]: ByteRange): string {
  return createHash('sha256')
    .update(bytes.subarray(a, a + b))
    .update(bytes.subarray(c, c + d))
    .digest('hex')
}

async function openSession(deps: SigningDeps, actor: Actor, documentId: string, sessionId: string) {
  if (!isUuid(sessionId) || !isUuid(documentId)) throw new AppError('not-found')
  const session = await repository.findSession(deps.database.db, {
    id: sessionId,
    documentId,
    userId: actor.userId,
  })
  if (!session) throw new AppError('not-found')
  if (session.state !== 'prepared') throw new AppError('signing-session-used')
  if (session.expiresAt.getTime() <= Date.now()) throw new AppError('signing-session-expired')
  return session
}

/** The CMS to embed, checked before anything is stored: over these signed attributes, by this key. */
function externalCms(
  session: repository.SigningSessionRow,
  certificate: X509Certificate,
  input: CompleteInput,
): Buffer {
  const digest = Buffer.from(session.digestHex, 'hex')
  if (input.cms) {
    const cms = Buffer.from(input.cms, 'base64')
    if (!verifyCms({ contents: cms, digest }).valid) throw new AppError('bad-signature-value')
    return cms
  }
  if (!input.signatureValue || !session.signedAttributes)
    throw new AppError('validation-failed', {
      detail: 'Cần signatureValue hoặc cms. / signatureValue or cms is required.',
    })
  const signedAttributesDer = Buffer.from(session.signedAttributes, 'base64')
  const signatureValue = Buffer.from(input.signatureValue, 'base64')
  const ok = (() => {
    try {
      return cryptoVerify('sha256', signedAttributesDer, certificate.publicKey, signatureValue)
    } catch {
      return false
    }
  })()
  if (!ok) throw new AppError('bad-signature-value')
  return assembleCms({
    signedAttributesDer,
    signatureValue,
    signerCert: certificate.toString(),
    chain: input.chain ?? [],
  })
}
