/**
 * The incoming document's handling as a state machine (ND30 Điều 20–24, spec §5). Each action names the
 * statuses it starts from, the status it leads to (undefined = unchanged) and who may take it.
 */
export type RoutingStatus = 'registered' | 'submitted' | 'returned' | 'assigned' | 'in_progress' | 'completed'

/** Who may take an action, judged against the document's participants by the service. */
export type RoutingActor =
  | 'owning-clerk' // a clerk of the registering department
  | 'submitted-leader' // the leader the document is submitted to (trình)
  | 'lead' // the lead (chủ trì): the person, or a member of the department, or its assignee
  | 'lead-department-leader' // a leader of the lead department (trưởng phòng) — reassigns within it
  | 'participant' // lead or co-operating (phối hợp)

export interface RoutingAction {
  from: readonly RoutingStatus[]
  to?: RoutingStatus
  by: RoutingActor
  /** The comment is required (a reason to return, a result to complete…). */
  needsComment?: boolean
}

export const ROUTING_ACTIONS = {
  submit: { from: ['registered', 'returned'], to: 'submitted', by: 'owning-clerk' },
  recall: { from: ['submitted'], to: 'registered', by: 'owning-clerk' },
  forward: { from: ['submitted'], by: 'submitted-leader' },
  return: { from: ['submitted'], to: 'returned', by: 'submitted-leader', needsComment: true },
  direct: { from: ['submitted'], to: 'assigned', by: 'submitted-leader' },
  reassign: { from: ['assigned', 'in_progress'], by: 'lead-department-leader' },
  start: { from: ['assigned'], to: 'in_progress', by: 'lead' },
  note: { from: ['assigned', 'in_progress'], by: 'participant', needsComment: true },
  complete: { from: ['assigned', 'in_progress'], to: 'completed', by: 'lead', needsComment: true },
  'request-extension': { from: ['assigned', 'in_progress'], by: 'lead', needsComment: true },
  'grant-extension': { from: ['assigned', 'in_progress'], by: 'submitted-leader' },
} as const satisfies Record<string, RoutingAction>

export type RoutingActionName = keyof typeof ROUTING_ACTIONS

export const ROUTING_ACTION_NAMES = Object.keys(ROUTING_ACTIONS) as RoutingActionName[]

/** Actions that the status allows, whoever asks. */
export function actionsFrom(status: string): RoutingActionName[] {
  return ROUTING_ACTION_NAMES.filter((name) => (ROUTING_ACTIONS[name].from as readonly string[]).includes(status))
}
