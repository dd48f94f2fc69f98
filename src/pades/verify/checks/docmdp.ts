/**
 * Check 9 — DocMDP and FieldMDP: which of the later changes a signature permits.
 *
 * - A certification signature (the document's first signature, with a DocMDP /Reference in its
 *   dictionary as signed) permits: P=1 validation material (DSS) and document timestamps only, and an
 *   update that adds a document timestamp must carry nothing else; P=2 also filling in forms and signing;
 *   P=3 also annotations. Its P binds every later signature too (ISO 32000-2 §12.8.2.2).
 * - An approval signature permits what P=2 permits (as pyHanko's default policy does): a signature
 *   vouches for what is shown, so content, overlays and annotations after it are modifications.
 * - FieldMDP (/Reference with TransformMethod FieldMDP, or the signed field's /Lock): a locked field's
 *   value must not change afterwards.
 */
import { PDFArray, type PDFContext, PDFDict, PDFHexString, PDFName, type PDFObject, PDFString } from 'pdf-lib'
import { type DocMdpPermission, signatureDocMdp } from '../../pdf/doc-mdp.ts'
import { type Change, type ChangeLevel, LEVEL_RANK, type UpdateAnalysis } from '../modifications/diff.ts'
import type { FieldLock, Modification } from '../report.ts'
import { safeLookup } from './revisions.ts'

export const PERMITTED_LEVEL: Record<DocMdpPermission, ChangeLevel> = {
  1: 'lta',
  2: 'form-fill',
  3: 'annotation',
}

export function docMdpOf(context: PDFContext, signature: PDFDict): DocMdpPermission | undefined {
  try {
    return signatureDocMdp(context, signature)
  } catch {
    return undefined
  }
}

/** The fields a signature locks: its FieldMDP transform, else its field's /Lock dictionary. */
export function fieldLockOf(
  context: PDFContext,
  signature: PDFDict,
  field: PDFDict | undefined,
): FieldLock | undefined {
  const references = safeLookup(context, signature.get(PDFName.of('Reference')))
  for (const item of references instanceof PDFArray ? references.asArray() : []) {
    const reference = safeLookup(context, item)
    if (!(reference instanceof PDFDict)) continue
    if (safeLookup(context, reference.get(PDFName.of('TransformMethod'))) !== PDFName.of('FieldMDP')) continue
    const lock = lockFrom(context, safeLookup(context, reference.get(PDFName.of('TransformParams'))))
    if (lock) return lock
  }
  return field ? lockFrom(context, safeLookup(context, field.get(PDFName.of('Lock')))) : undefined
}

function lockFrom(context: PDFContext, params: PDFObject | undefined): FieldLock | undefined {
  if (!(params instanceof PDFDict)) return undefined
  const action = safeLookup(context, params.get(PDFName.of('Action')))
  const name = action instanceof PDFName ? action.decodeText() : undefined
  if (name !== 'All' && name !== 'Include' && name !== 'Exclude') return undefined
  const fields = safeLookup(context, params.get(PDFName.of('Fields')))
  const names =
    fields instanceof PDFArray
      ? fields.asArray().flatMap((item) => {
          const value = safeLookup(context, item)
          return value instanceof PDFString || value instanceof PDFHexString ? [value.decodeText()] : []
        })
      : []
  return { action: name, fields: names }
}

export function isLocked(lock: FieldLock | undefined, field: string): boolean {
  if (!lock) return false
  const listed = lock.fields.some((name) => field === name || field.startsWith(`${name}.`))
  return lock.action === 'All' || (lock.action === 'Include' ? listed : !listed)
}

export interface PermissionJudgement {
  modification: Modification
  changes: (Change & { allowed: boolean })[]
  docMdpViolated: boolean
  fieldMdpViolated: boolean
}

/**
 * Judges the updates after `revision` for a signature permitting `level` (with `certification` set when
 * the limit comes from a certification, so exceeding it is a DocMDP violation) and `lock`.
 */
export function judgeChanges(input: {
  revision: number
  updates: UpdateAnalysis[]
  level: ChangeLevel
  /** The DocMDP permission that sets `level`, when it comes from a certification. */
  certification: DocMdpPermission | undefined
  lock: FieldLock | undefined
  /** Something after this revision could not be analysed (structure findings, trailing data). */
  unknown: boolean
}): PermissionJudgement {
  const later = input.updates.filter((update) => update.revision > input.revision)
  const limit = LEVEL_RANK[input.level]
  const changes: PermissionJudgement['changes'] = []
  let fieldMdpViolated = false
  let timestampOnlyViolated = false
  for (const update of later) {
    const addsTimestamp = update.signedFields.some((field) => field.documentTimestamp)
    for (const change of update.changes) {
      let allowed = LEVEL_RANK[change.level] <= limit
      // P=1: an update that adds a document timestamp carries nothing else.
      if (input.certification === 1 && addsTimestamp && !TIMESTAMP_PLUMBING.has(change.kind)) {
        allowed = false
        timestampOnlyViolated = true
      }
      changes.push({ ...change, allowed })
    }
    for (const field of update.filledFields) {
      if (!isLocked(input.lock, field)) continue
      fieldMdpViolated = true
      for (const change of changes)
        if (change.field === field && change.revision === update.revision) change.allowed = false
    }
  }
  const notAllowed = changes.some((change) => !change.allowed)
  const incomplete = later.some((update) => !update.complete) || input.unknown
  const modification: Modification = notAllowed
    ? 'not-allowed'
    : incomplete
      ? 'unknown'
      : changes.some((change) => LEVEL_RANK[change.level] > LEVEL_RANK.signing)
        ? 'allowed'
        : 'none'
  return {
    modification,
    changes,
    docMdpViolated:
      input.certification !== undefined &&
      (timestampOnlyViolated || changes.some((change) => LEVEL_RANK[change.level] > limit)),
    fieldMdpViolated,
  }
}

const TIMESTAMP_PLUMBING = new Set(['document-timestamp-added', 'form-plumbing'])
