import nodemailer, { type Transporter } from 'nodemailer'
import pino, { type Logger } from 'pino'
import type { Config, EmailConfig } from '../platform/config.ts'
import type { NotificationChannel, NotificationRecipient } from './notification-channel.ts'
import { kindTitle } from './notification-kinds.ts'
import type { NotificationRow } from './notifications.repository.ts'
import { escapeHtml } from '../platform/html.ts'

export interface EmailMessage {
  subject: string
  text: string
  html: string
}

/**
 * Thư điện tử: one mail per notification over SMTP (nodemailer). Users without an address are skipped;
 * a refusing or unreachable server is logged and answered with false, never thrown, so neither the
 * routing step nor the job that delivers fails because of mail.
 */
export class EmailChannel implements NotificationChannel {
  readonly name = 'email'
  private readonly transport: Transporter
  private readonly log: Logger

  constructor(
    private readonly email: EmailConfig,
    private readonly options: Pick<Config, 'publicUrl' | 'logLevel'> & { log?: Logger | undefined },
  ) {
    // Short timeouts: a hung server must not hold a job worker for minutes.
    this.transport = nodemailer.createTransport({
      url: email.smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    })
    this.log = options.log ?? pino({ level: options.logLevel, base: { channel: 'email' } })
  }

  async deliver(notification: NotificationRow, recipient: NotificationRecipient): Promise<boolean> {
    if (!recipient.email) return false
    const message = emailMessage(notification, recipient, this.options.publicUrl)
    try {
      await this.transport.sendMail({
        from: this.email.from,
        to: { name: recipient.fullName, address: recipient.email },
        ...message,
      })
      return true
    } catch (error) {
      // The address is personal data: log whose mail failed by id only.
      this.log.warn(
        { err: error, notificationId: notification.id, userId: recipient.userId },
        'e-mail not delivered',
      )
      return false
    }
  }
}

/** The mail for one notification: Vietnamese first, an English line below; HTML with every value escaped. */
export function emailMessage(
  notification: Pick<NotificationRow, 'kind' | 'title' | 'body' | 'documentId' | 'recordFileId'>,
  recipient: Pick<NotificationRecipient, 'fullName'>,
  publicUrl: string | undefined,
): EmailMessage {
  // A notification leads to its document, or else to its hồ sơ (records reminders and steps).
  const target = notification.documentId
    ? { path: `/documents/${notification.documentId}`, vi: 'Xem văn bản', en: 'Open the document' }
    : notification.recordFileId
      ? { path: `/records/files/${notification.recordFileId}`, vi: 'Xem hồ sơ', en: 'Open the records file' }
      : undefined
  const link = publicUrl && target ? `${publicUrl}${target.path}` : undefined
  const english = kindTitle(notification.kind)?.en ?? 'New notification'
  const footer = 'Thư gửi tự động từ hệ thống quản lý văn bản, vui lòng không trả lời.'
  const englishLine = `${english}.${link ? ` ${target?.en}: ${link}` : ' Open vanthu to see it.'}`
  const text = [
    `Kính gửi ${recipient.fullName},`,
    '',
    notification.title,
    notification.body,
    ...(link ? ['', `${target?.vi}: ${link}`] : []),
    '',
    footer,
    '--',
    englishLine,
  ].join('\n')
  const anchor = link ? `<p><a href="${escapeHtml(link)}">${target?.vi}</a></p>` : ''
  const html = [
    `<p>Kính gửi ${escapeHtml(recipient.fullName)},</p>`,
    `<p><strong>${escapeHtml(notification.title)}</strong><br>${escapeHtml(notification.body)}</p>`,
    anchor,
    `<p><small>${escapeHtml(footer)}</small></p>`,
    `<hr><p lang="en">${escapeHtml(englishLine)}</p>`,
  ]
    .filter(Boolean)
    .join('\n')
  return { subject: notification.title, text, html }
}
