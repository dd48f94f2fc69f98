import type { NotificationRow } from './notifications.repository.ts'

/** Who a notification is for, as a delivery channel needs it. */
export interface NotificationRecipient {
  userId: string
  fullName: string
  email: string | null
}

/**
 * A way to tell a user about a notification besides the in-app list (which is the notifications table
 * itself and always written). Contract: `deliver` is called after the notification rows have committed,
 * once per newly created notification; it must not throw for one bad address (return false instead) and
 * must be safe to call again for the same notification id (a retried job may resend). E-mail (SMTP) is
 * meant to be added as one more channel here; none besides the in-app list exists yet.
 */
export interface NotificationChannel {
  readonly name: string
  deliver(notification: NotificationRow, recipient: NotificationRecipient): Promise<boolean>
}

/** Extra channels configured for this deployment: none yet (in-app only). */
export function notificationChannels(): NotificationChannel[] {
  return []
}
