import type { Config } from '../platform/config.ts'
import { EmailChannel } from './email-channel.ts'
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
 * must be safe to call again for the same notification id (a retried job may resend).
 */
export interface NotificationChannel {
  readonly name: string
  deliver(notification: NotificationRow, recipient: NotificationRecipient): Promise<boolean>
}

/** Extra channels configured for this deployment: e-mail when SMTP is set; without config, in-app only. */
export function notificationChannels(
  config?: Pick<Config, 'email' | 'publicUrl' | 'logLevel'>,
): NotificationChannel[] {
  return config?.email ? [new EmailChannel(config.email, config)] : []
}
