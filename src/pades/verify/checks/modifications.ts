/**
 * Check 8 — modifications: each incremental update after the first signature, compared with the
 * revision before it by what its objects are to the document (../modifications/). An update that cannot
 * be walked is reported incomplete, never silently clean.
 */
import type { PDFDict } from 'pdf-lib'
import { analyseUpdate, type UpdateAnalysis } from '../modifications/diff.ts'
import { type DocumentRoles, documentRoles } from '../modifications/roles.ts'
import type { RevisionView } from './revisions.ts'
import type { FileStructure } from './structure.ts'

export function analyseUpdates(
  structure: FileStructure,
  views: RevisionView[],
  /** Updates before this view index are not analysed (nothing signed them). */
  fromView: number,
  signedRevisionOf: (signature: PDFDict, view: RevisionView) => number | undefined,
): UpdateAnalysis[] {
  const roles = new Map<number, DocumentRoles | undefined>()
  const rolesOf = (view: RevisionView) => {
    if (!roles.has(view.index)) {
      try {
        roles.set(view.index, documentRoles(view))
      } catch {
        roles.set(view.index, undefined)
      }
    }
    return roles.get(view.index)
  }
  const entriesOf = (view: RevisionView) =>
    view.recovered ? undefined : structure.revisions[view.index]?.merged
  const updates: UpdateAnalysis[] = []
  for (let i = Math.max(1, fromView + 1); i < views.length; i++) {
    const before = views[i - 1]!
    const after = views[i]!
    const beforeRoles = rolesOf(before)
    const afterRoles = rolesOf(after)
    if (!beforeRoles || !afterRoles) {
      updates.push(incomplete(after.index))
      continue
    }
    try {
      updates.push(
        analyseUpdate({
          before,
          after,
          beforeRoles,
          afterRoles,
          beforeEntries: entriesOf(before),
          afterEntries: entriesOf(after),
          signedRevisionOf,
          fileLength: structure.bytes.length,
        }),
      )
    } catch {
      updates.push(incomplete(after.index))
    }
  }
  return updates
}

const incomplete = (revision: number): UpdateAnalysis => ({
  revision,
  changes: [],
  filledFields: [],
  signedFields: [],
  complete: false,
})
