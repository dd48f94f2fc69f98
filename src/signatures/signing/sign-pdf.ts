/**
 * One PAdES signature over a PDF with a key held here: the placeholder (with the planned appearance), the
 * CMS, then the signature timestamp and long-term material the policy asks for.
 */
import { X509Certificate } from 'node:crypto'
import { AppError } from '../../platform/errors.ts'
import { signDigest } from '../../pades/cms/pades-cms.ts'
import type { UnlockedCredential } from '../credentials/credentials.service.ts'
import {
  embedSignatureInChunks,
  type PrepareSignatureOptions,
  PdfUpdateError,
  prepareSignature,
  XrefReadError,
} from '../../pades/pdf/index.ts'
import { certificate, extendLongTerm, type SigningPolicy, timestampSignature } from './pades-level.ts'
import type { AppearancePlan } from './signing-appearance.ts'

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

/**
 * Signs the bytes with an unlocked key where the plan puts the appearance, then timestamps and extends
 * the signature as the policy says (the TSA failing refuses it: nothing is stored).
 */
export async function signBytes(
  bytes: Uint8Array,
  credential: UnlockedCredential,
  policy: SigningPolicy,
  options: {
    reason: string
    location?: string | undefined
    signingTime: Date
    plan: AppearancePlan
    /** The agency's trust anchors: long-term material is fetched only for chains that end there. */
    trustAnchors: X509Certificate[]
  },
) {
  const name = subjectCn(credential.certificate)
  const { plan } = options
  const prepared = await prepareSignable(bytes, {
    name,
    reason: options.reason,
    location: options.location,
    signingTime: options.signingTime,
    pageIndex: plan.pageIndex,
    appearance: plan.appearance,
    fieldName: plan.fieldName,
    certify: plan.certify,
  })
  const cms = signDigest({
    digest: prepared.digest(),
    privateKey: credential.privateKey,
    signerCert: credential.certificate,
    chain: credential.chain,
  })
  const stamped = await timestampSignature(cms, policy)
  const signerChain = [credential.certificate, ...credential.chain].flatMap((pem) => certificate(pem) ?? [])
  const { chunks, level } = await extendLongTerm(
    embedSignatureInChunks(prepared, stamped.cms),
    { signerChain, tsaCerts: stamped.tsaCerts, trustAnchors: options.trustAnchors },
    policy,
  )
  return {
    /** The signed file: the source's bytes, not copied, then what the signature appended. */
    chunks,
    fieldName: prepared.fieldName,
    signer: name,
    level,
    visible: plan.visible,
    appearance: plan.source,
    imageId: plan.imageId,
  }
}
