import { type MessageKey, useI18n } from '../../i18n/index.tsx'

/** Records statuses (hồ sơ, nộp lưu, khai thác, phong tỏa, hủy) as the records pages print them. */
const STATUS_KEYS: Record<string, MessageKey> = {
  planned: 'records.status.planned',
  open: 'records.status.open',
  closed: 'records.status.closed',
  transferred: 'records.status.transferred',
  destroyed: 'records.status.destroyed',
  submitted: 'records.status.submitted',
  received: 'records.status.received',
  returned: 'records.status.returned',
  pending: 'records.status.pending',
  approved: 'records.status.approved',
  refused: 'records.status.refused',
  expired: 'records.status.expired',
  withdrawn: 'records.status.withdrawn',
  active: 'records.status.active',
  lifted: 'records.status.lifted',
  proposed: 'records.status.proposed',
}

export function useRecordStatus() {
  const { t } = useI18n()
  return (status: string) => (STATUS_KEYS[status] ? t(STATUS_KEYS[status]!) : status)
}
