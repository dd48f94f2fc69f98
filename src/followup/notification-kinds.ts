import type { Message } from '../platform/messages.ts'

/**
 * Every kind of notification with the title people read. The Vietnamese title is stored with the row;
 * the English one goes into e-mails. The web UI keeps the same labels in its catalogue
 * (`notifications.kind.*` in src/web/i18n).
 */
export const NOTIFICATION_KINDS = {
  'deadline.overdue': { vi: 'Văn bản quá hạn xử lý', en: 'Document overdue' },
  'deadline.due-soon': { vi: 'Văn bản sắp đến hạn xử lý', en: 'Document due soon' },
  'routing.submitted': {
    vi: 'Văn bản trình xin ý kiến chỉ đạo',
    en: 'Document submitted for your direction',
  },
  'routing.forwarded': {
    vi: 'Văn bản được chuyển xin ý kiến chỉ đạo',
    en: 'Document forwarded for your direction',
  },
  'routing.recalled': { vi: 'Văn bản trình đã được rút lại', en: 'Submitted document recalled' },
  'routing.returned': { vi: 'Văn bản bị trả lại', en: 'Document returned' },
  'routing.assigned-lead': { vi: 'Được giao chủ trì xử lý văn bản', en: 'Assigned to lead the handling' },
  'routing.assigned-cooperating': {
    vi: 'Được giao phối hợp xử lý văn bản',
    en: 'Assigned to co-operate on a document',
  },
  'routing.assigned-informed': { vi: 'Văn bản gửi để biết', en: 'Document for your information' },
  'routing.reassigned': { vi: 'Được phân công xử lý văn bản', en: 'Assigned to handle a document' },
  'routing.extension-requested': { vi: 'Đề nghị gia hạn xử lý văn bản', en: 'Extension requested' },
  'routing.extension-granted': { vi: 'Văn bản được gia hạn xử lý', en: 'Extension granted' },
  'routing.completed': { vi: 'Văn bản đã hoàn thành xử lý', en: 'Document handling completed' },
  'signature.requested': { vi: 'Văn bản trình ký', en: 'Document submitted for your signature' },
  'signature.refused': {
    vi: 'Văn bản trình ký bị trả lại',
    en: 'Signature refused: document sent back',
  },
  'signature.withdrawn': { vi: 'Văn bản trình ký đã được rút lại', en: 'Signature request withdrawn' },
  'signature.signed': {
    vi: 'Văn bản đã ký, chờ đóng dấu, ban hành',
    en: 'Document signed, awaiting the seal and issue',
  },
  'signature.sealed': { vi: 'Văn bản đã được đóng dấu số', en: 'Document sealed by the agency' },
  // Văn bản đi (src/outgoing)
  'outgoing.review-requested': { vi: 'Dự thảo trình kiểm tra', en: 'Draft submitted for your review' },
  'outgoing.approved': { vi: 'Dự thảo đã được duyệt', en: 'Draft approved' },
  'outgoing.returned': { vi: 'Dự thảo bị trả lại', en: 'Draft returned' },
  'outgoing.awaiting-number': { vi: 'Văn bản đã ký, chờ cấp số', en: 'Signed document awaiting its number' },
  'outgoing.numbered': { vi: 'Văn bản đã được cấp số', en: 'Document numbered' },
  'outgoing.awaiting-issue': { vi: 'Văn bản đã đóng dấu, chờ phát hành', en: 'Sealed document awaiting issue' },
  'outgoing.issued': { vi: 'Văn bản đã được phát hành', en: 'Document issued' },
  'outgoing.received-handle': { vi: 'Văn bản nội bộ gửi đến để xử lý', en: 'Internal document to handle' },
  'outgoing.received-inform': { vi: 'Văn bản nội bộ gửi đến để biết', en: 'Internal document for your information' },
  'outgoing.revocation-decided': { vi: 'Lãnh đạo quyết định thu hồi văn bản', en: 'A leader decided to revoke a document' },
  'outgoing.revoked': { vi: 'Văn bản đã bị thu hồi', en: 'Document revoked' },
  'outgoing.superseded': { vi: 'Văn bản đã được thay thế', en: 'Document replaced' },
  'outgoing.corrected': { vi: 'Văn bản đã được đính chính', en: 'Document corrected' },
  'outgoing.delivery-failed': { vi: 'Gửi văn bản không thành công', en: 'Delivery of a document failed' },
} as const satisfies Record<string, Message>

export type NotificationKind = keyof typeof NOTIFICATION_KINDS

/** The title of a kind; an unknown kind (an old row) falls back to the row's own title. */
export function kindTitle(kind: string): Message | undefined {
  return (NOTIFICATION_KINDS as Record<string, Message>)[kind]
}
