/**
 * Xem trước chữ ký: the leader (or the clerk, for the seal) sees the signature placed before entering the
 * PIN. The preview is the latest PDF with the unsigned placeholder of the signature that would be made
 * (viewers draw the widget's appearance; /Contents stays empty). Nothing is stored or audited.
 */
import type { Actor } from '../../access/actor.ts'
import { can } from '../../access/policy.ts'
import { AppError } from '../../platform/errors.ts'
import { currentAgencySeal } from '../credentials/credentials.service.ts'
import {
  type AppearancePlan,
  type Placement,
  personalAppearance,
  placementOf,
  type SealOptions,
  sealAppearance,
} from './signing-appearance.ts'
import {
  DEFAULT_REASON,
  readFileBytes,
  type SignatureKind,
  type SigningDeps,
  signableDocument,
} from './signing.service.ts'
import { prepareSignable, subjectCn } from './sign-pdf.ts'
import { outgoingSignatureRules, withOutgoingRules } from '../../outgoing/signing-rules.ts'

export interface PreviewInput extends SealOptions {
  kind: SignatureKind
  placement?: Placement | undefined
}

async function plan(deps: SigningDeps, actor: Actor, documentId: string, input: PreviewInput) {
  if (!can(actor, input.kind === 'personal' ? 'signature.sign' : 'signature.seal'))
    throw new AppError('forbidden')
  const { document, file } = await signableDocument(deps.database.db, actor, documentId)
  const bytes = await readFileBytes(deps, file)
  const db = deps.database.db
  if (input.kind === 'personal')
    return { file, bytes, plan: await personalAppearance(db, actor, bytes, input.placement) }
  const seal = await currentAgencySeal(deps, actor)
  const sealPlan: AppearancePlan = await sealAppearance(db, actor, document, bytes, {
    ...input,
    signedAt: new Date(),
    sealSigner: seal ? subjectCn(seal.certificatePem) : '',
  })
  // An outgoing document shows the seal where its prepared field is (the rules' 409 is the seal's, not the preview's).
  const rules = await outgoingSignatureRules(db, documentId, 'agency-seal', file).catch(() => undefined)
  return { file, bytes, plan: withOutgoingRules(sealPlan, rules) }
}

/** {visible, source, page, rect, pageSize} of the signature that would be made now. */
export async function previewPlacement(
  deps: SigningDeps,
  actor: Actor,
  documentId: string,
  input: PreviewInput,
) {
  const { bytes, plan: planned } = await plan(deps, actor, documentId, input)
  return placementOf(bytes, planned)
}

/** The latest PDF with the signature's placeholder and appearance (unchanged when invisible). */
export async function previewPdf(deps: SigningDeps, actor: Actor, documentId: string, input: PreviewInput) {
  const { file, bytes, plan: planned } = await plan(deps, actor, documentId, input)
  if (!planned.appearance) return { fileName: file.fileName, bytes }
  const prepared = await prepareSignable(bytes, {
    reason: DEFAULT_REASON[input.kind],
    signingTime: new Date(),
    pageIndex: planned.pageIndex,
    appearance: planned.appearance,
    fieldName: planned.fieldName,
  })
  return { fileName: file.fileName, bytes: prepared.bytes }
}
