import type { MessageKey, Translate } from '../../i18n/index.tsx'

const STATUS_KEYS: Record<string, MessageKey> = {
  registered: 'doc.status.registered',
  submitted: 'doc.status.submitted',
  returned: 'doc.status.returned',
  assigned: 'doc.status.assigned',
  in_progress: 'doc.status.in_progress',
  completed: 'doc.status.completed',
  received: 'doc.status.received',
  draft: 'doc.status.draft',
  in_review: 'doc.status.in_review',
  awaiting_signature: 'doc.status.awaiting_signature',
  signed: 'doc.status.signed',
  numbered: 'doc.status.numbered',
  sealed: 'doc.status.sealed',
  issued: 'doc.status.issued',
  revoked: 'doc.status.revoked',
  superseded: 'doc.status.superseded',
  corrected: 'doc.status.corrected',
  archived: 'doc.status.archived',
  destroyed: 'doc.status.destroyed',
}

const ACTION_KEYS: Record<string, MessageKey> = {
  submit: 'routing.action.submit',
  recall: 'routing.action.recall',
  forward: 'routing.action.forward',
  return: 'routing.action.return',
  direct: 'routing.action.direct',
  reassign: 'routing.action.reassign',
  start: 'routing.action.start',
  note: 'routing.action.note',
  complete: 'routing.action.complete',
  'request-extension': 'routing.action.request-extension',
  'grant-extension': 'routing.action.grant-extension',
  received: 'timeline.action.received',
  registered: 'timeline.action.registered',
  'draft-saved': 'timeline.action.draft-saved',
  drafted: 'timeline.action.drafted',
  'signature-requested': 'timeline.action.signature-requested',
  'signature-refused': 'timeline.action.signature-refused',
  'signature-withdrawn': 'timeline.action.signature-withdrawn',
  signed: 'timeline.action.signed',
  sealed: 'timeline.action.sealed',
  'signatures-renewed': 'timeline.action.signatures-renewed',
  'record-filed': 'timeline.action.record-filed',
  'record-unfiled': 'timeline.action.record-unfiled',
  'record-file-closed': 'timeline.action.record-file-closed',
  'record-transferred': 'timeline.action.record-transferred',
  'record-hold-placed': 'timeline.action.record-hold-placed',
  'record-hold-lifted': 'timeline.action.record-hold-lifted',
  'record-destroyed': 'timeline.action.record-destroyed',
  // Văn bản đi (src/outgoing): the steps' timeline names.
  submitted: 'timeline.action.submitted',
  approved: 'timeline.action.approved',
  returned: 'timeline.action.returned',
  recalled: 'timeline.action.recalled',
  edited: 'timeline.action.edited',
  'version-added': 'timeline.action.version-added',
  'number-placed': 'timeline.action.number-placed',
  numbered: 'timeline.action.numbered',
  issued: 'timeline.action.issued',
  'delivery-updated': 'timeline.action.delivery-updated',
  'revocation-decided': 'timeline.action.revocation-decided',
  revoked: 'timeline.action.revoked',
  superseded: 'timeline.action.superseded',
  corrected: 'timeline.action.corrected',
  copied: 'timeline.action.copied',
  'copy-made': 'timeline.action.copy-made',
  'reply-issued': 'timeline.action.reply-issued',
}

const ROLE_KEYS: Record<string, MessageKey> = {
  lead: 'routing.role.lead',
  assignee: 'routing.role.assignee',
  cooperating: 'routing.role.cooperating',
  informed: 'routing.role.informed',
  leader: 'routing.role.leader',
  reader: 'routing.role.reader',
}

const FILE_ROLE_KEYS: Record<string, MessageKey> = {
  original: 'document.fileRole.original',
  attachment: 'document.fileRole.attachment',
  searchable: 'document.fileRole.searchable',
  signed: 'document.fileRole.signed',
}

/** Unknown codes from a newer server show as they are rather than failing. */
export const statusLabel = (t: Translate, status: string) =>
  STATUS_KEYS[status] ? t(STATUS_KEYS[status]) : status
export const actionLabel = (t: Translate, action: string) =>
  ACTION_KEYS[action] ? t(ACTION_KEYS[action]) : action
export const fileRoleLabel = (t: Translate, role: string) =>
  FILE_ROLE_KEYS[role] ? t(FILE_ROLE_KEYS[role]) : role
export const roleLabel = (t: Translate, role: string) => (ROLE_KEYS[role] ? t(ROLE_KEYS[role]) : role)

export const URGENCY_KEYS: readonly MessageKey[] = [
  'doc.urgency.0',
  'doc.urgency.1',
  'doc.urgency.2',
  'doc.urgency.3',
]
export const SECRECY_KEYS: readonly MessageKey[] = [
  'doc.secrecy.0',
  'doc.secrecy.1',
  'doc.secrecy.2',
  'doc.secrecy.3',
]

/** The ND30 kinds a clerk meets most, first; the server also accepts the rest by name. */
export const DOCUMENT_KINDS = [
  'Công văn',
  'Quyết định',
  'Tờ trình',
  'Báo cáo',
  'Kế hoạch',
  'Thông báo',
  'Giấy mời',
  'Biên bản',
  'Hướng dẫn',
  'Chỉ thị',
  'Nghị quyết',
  'Quy chế',
  'Quy định',
  'Chương trình',
  'Phương án',
  'Đề án',
  'Dự án',
  'Hợp đồng',
  'Công điện',
  'Thông cáo',
  'Giấy giới thiệu',
  'Giấy ủy quyền',
  'Phiếu chuyển',
  'Phiếu gửi',
  'Bản sao y',
] as const

/** Today in Vietnam (UTC+7) as YYYY-MM-DD, the server's notion of "today". */
export function vietnamToday(): string {
  return new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10)
}

export function isOverdue(dueDate: string | null, status: string): boolean {
  return !!dueDate && status !== 'completed' && dueDate < vietnamToday()
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
