/**
 * The outgoing document's life (ND30 Điều 14–19, spec §4) as a state machine: each action names the
 * statuses it starts from and who may take it; the services check both and answer 409 with the actions
 * the actor may take instead.
 */
import type { Actor } from '../access/actor.ts'
import { AppError } from '../platform/errors.ts'
import type { OutgoingRow, ReviewRow } from './outgoing.repository.ts'

export type OutgoingActor =
  | 'drafter' // who drafted it
  | 'reviewer' // the reviewer of the open review step
  | 'signer' // the leader named to sign
  | 'clerk' // a văn thư who may open the document
  | 'leader' // any leader of the agency who may open it

export interface OutgoingActionDefinition {
  from: readonly string[]
  by: OutgoingActor
}

const EDITABLE = ['draft', 'returned'] as const
/** Issued, and still in force (a correction does not end it). */
const IN_FORCE = ['issued', 'corrected'] as const

export const OUTGOING_ACTIONS = {
  edit: { from: EDITABLE, by: 'drafter' },
  'new-version': { from: EDITABLE, by: 'drafter' },
  submit: { from: EDITABLE, by: 'drafter' },
  recall: { from: ['in_review', 'awaiting_signature'], by: 'drafter' },
  approve: { from: ['in_review'], by: 'reviewer' },
  return: { from: ['in_review'], by: 'reviewer' },
  'place-number': { from: ['awaiting_signature'], by: 'clerk' },
  sign: { from: ['awaiting_signature'], by: 'signer' },
  number: { from: ['signed'], by: 'clerk' },
  seal: { from: ['numbered'], by: 'clerk' },
  issue: { from: ['sealed'], by: 'clerk' },
  'update-delivery': { from: [...IN_FORCE, 'revoked', 'superseded'], by: 'clerk' },
  'decide-revocation': { from: IN_FORCE, by: 'leader' },
  revoke: { from: IN_FORCE, by: 'clerk' },
  copy: { from: IN_FORCE, by: 'clerk' },
} as const satisfies Record<string, OutgoingActionDefinition>

export type OutgoingActionName = keyof typeof OUTGOING_ACTIONS
export const OUTGOING_ACTION_NAMES = Object.keys(OUTGOING_ACTIONS) as OutgoingActionName[]

export interface ActionContext {
  status: string
  outgoing: OutgoingRow
  pendingReview: ReviewRow | undefined
  /** The actor may open the document's content (the access policy said so). */
  canOpen: boolean
}

/** Whether the actor plays the part an action needs. */
export function plays(part: OutgoingActor, actor: Actor, context: ActionContext): boolean {
  switch (part) {
    case 'drafter':
      return context.outgoing.drafterUserId === actor.userId
    case 'reviewer':
      return context.pendingReview?.reviewerUserId === actor.userId
    case 'signer':
      return actor.roles.has('leader') && context.outgoing.signerUserId === actor.userId
    case 'clerk':
      return actor.roles.has('clerk') && context.canOpen
    case 'leader':
      return actor.roles.has('leader') && context.canOpen
  }
}

/** The actions this actor may take now. A revocation waits for a leader's decision before the clerk executes it. */
export function allowedOutgoingActions(actor: Actor, context: ActionContext): OutgoingActionName[] {
  return OUTGOING_ACTION_NAMES.filter((name) => {
    const action = OUTGOING_ACTIONS[name]
    if (!(action.from as readonly string[]).includes(context.status)) return false
    if (!plays(action.by, actor, context)) return false
    if (name === 'revoke') return context.outgoing.revocationDecidedAt !== null
    if (name === 'decide-revocation') return context.outgoing.revocationDecidedAt === null
    return true
  })
}

/**
 * Checks that the action is possible now (409 with the allowed ones otherwise) and that the actor plays
 * its part (403).
 */
export function assertAction(actor: Actor, context: ActionContext, name: OutgoingActionName): void {
  const action = OUTGOING_ACTIONS[name]
  const allowed = allowedOutgoingActions(actor, context)
  if (allowed.includes(name)) return
  const statusFits = (action.from as readonly string[]).includes(context.status)
  if (statusFits && !plays(action.by, actor, context)) throw new AppError('forbidden')
  throw new AppError('transition-not-allowed', {
    detail: `"${name}" is not possible while the document is ${context.status}.`,
    extensions: { documentStatus: context.status, allowedActions: allowed },
  })
}
