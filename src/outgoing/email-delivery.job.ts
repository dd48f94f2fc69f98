/**
 * Gửi văn bản qua thư điện tử: one mail per external recipient, the issued PDF attached, sent by the
 * agency's SMTP server (SMTP_URL, the notification mail channel's settings); or a notice that the
 * document was revoked, replaced or corrected. The delivery row records the outcome; a failure is not
 * retried blindly (the clerk sees it, is told, and sends again by setting the delivery back to pending).
 */
import { buffer } from 'node:stream/consumers'
import { and, desc, eq } from 'drizzle-orm'
import nodemailer from 'nodemailer'
import type { EmailConfig } from '../platform/config.ts'
import type { Database } from '../platform/db/database.ts'
import { agencies, documentFiles, documents, outgoingRecipients } from '../platform/db/schema/index.ts'
import type { JobDefinition, JobQueue } from '../platform/jobs/job-queue.ts'
import type { BlobStore } from '../storage/blob-store.ts'
import type { NotificationChannel } from '../followup/notification-channel.ts'
import { DELIVER_EMAIL_JOB } from './issuing.service.ts'
import { clerkTargets, recordOutgoingStep } from './outgoing-steps.ts'

export interface EmailDeliveryDeps {
  database: Database
  blobStore: BlobStore
  jobs: Pick<JobQueue, 'send'>
  notificationChannels: readonly NotificationChannel[]
  email: EmailConfig | undefined
}

type Purpose = 'issue' | 'revoke' | 'supersede' | 'correct'

const NOTICES: Record<Exclude<Purpose, 'issue'>, { vi: string; en: string }> = {
  revoke: { vi: 'Thông báo thu hồi văn bản', en: 'Notice of revocation' },
  supersede: { vi: 'Thông báo văn bản đã được thay thế', en: 'Notice of replacement' },
  correct: { vi: 'Thông báo đính chính văn bản', en: 'Notice of correction' },
}

export function emailDeliveryJob(
  deps: EmailDeliveryDeps,
): JobDefinition<{ recipientId?: unknown; documentId?: unknown; purpose?: unknown }> {
  return {
    name: DELIVER_EMAIL_JOB,
    retryLimit: 0,
    expireInSeconds: 600,
    async handler(payload) {
      const recipientId = typeof payload.recipientId === 'string' ? payload.recipientId : ''
      const purpose =
        (['issue', 'revoke', 'supersede', 'correct'] as const).find((p) => p === payload.purpose) ?? 'issue'
      const { db } = deps.database
      const [row] = await db
        .select({ recipient: outgoingRecipients, document: documents, agencyName: agencies.name })
        .from(outgoingRecipients)
        .innerJoin(documents, eq(documents.id, outgoingRecipients.documentId))
        .leftJoin(agencies, eq(agencies.id, documents.agencyId))
        .where(eq(outgoingRecipients.id, recipientId))
      if (row?.recipient.channel !== 'email' || !row.recipient.email) return { sent: false }
      const numberNotation = `${row.document.codeNumber}/${row.document.codeNotation}`
      let failure: string | undefined
      if (!deps.email) failure = 'Máy chủ thư chưa được cấu hình (SMTP_URL).'
      else {
        try {
          await send(deps, deps.email, row, numberNotation, purpose)
        } catch (error) {
          failure = `Máy chủ thư từ chối: ${error instanceof Error ? error.message : String(error)}`.slice(
            0,
            500,
          )
        }
      }
      await record(deps, row, purpose, failure)
      return { sent: !failure }
    },
  }
}

async function send(
  deps: EmailDeliveryDeps,
  email: EmailConfig,
  row: {
    recipient: typeof outgoingRecipients.$inferSelect
    document: typeof documents.$inferSelect
    agencyName: string | null
  },
  numberNotation: string,
  purpose: Purpose,
) {
  const { document, recipient } = row
  const transport = nodemailer.createTransport({
    url: email.smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  })
  const notice = purpose === 'issue' ? undefined : NOTICES[purpose]
  const subject = notice
    ? `${notice.vi}: ${numberNotation}`
    : `Văn bản số ${numberNotation}: ${document.subject ?? ''}`.slice(0, 250)
  const text = [
    `Kính gửi: ${recipient.label}`,
    '',
    notice
      ? `${row.agencyName ?? ''} ${notice.vi.toLowerCase()} số ${numberNotation} ngày ${document.issuedDate ?? ''}: ${document.subject ?? ''}.`
      : `${row.agencyName ?? ''} gửi văn bản số ${numberNotation} ngày ${document.issuedDate ?? ''}: ${document.subject ?? ''}. Văn bản điện tử có chữ ký số được đính kèm.`,
    '',
    'Thư gửi tự động từ hệ thống quản lý văn bản, vui lòng không trả lời.',
    '--',
    notice
      ? `${notice.en}: document ${numberNotation}.`
      : `Document ${numberNotation} from ${row.agencyName ?? 'the agency'}; the digitally signed PDF is attached.`,
  ].join('\n')
  const attachments = []
  if (!notice) {
    const [file] = await deps.database.db
      .select()
      .from(documentFiles)
      .where(and(eq(documentFiles.documentId, document.id), eq(documentFiles.role, 'signed')))
      .orderBy(desc(documentFiles.createdAt))
      .limit(1)
    if (!file) throw new Error('the issued PDF is missing')
    attachments.push({
      filename: `${numberNotation.replace(/\//g, '-')}.pdf`,
      content: await buffer(await deps.blobStore.get(file.blobKey)),
      contentType: 'application/pdf',
    })
  }
  await transport.sendMail({
    from: email.from,
    to: { name: recipient.label, address: recipient.email! },
    subject,
    text,
    attachments,
  })
  transport.close()
}

async function record(
  deps: EmailDeliveryDeps,
  row: { recipient: typeof outgoingRecipients.$inferSelect; document: typeof documents.$inferSelect },
  purpose: Purpose,
  failure: string | undefined,
) {
  const now = new Date()
  const context = { actor: `job:${DELIVER_EMAIL_JOB}` }
  await deps.database.db.transaction(async (tx) => {
    const values =
      purpose === 'issue'
        ? failure
          ? { state: 'failed', stateNote: failure, stateAt: now }
          : { state: 'sent', stateNote: null, stateAt: now, sentAt: now }
        : { stateNote: failure ?? `Đã gửi ${NOTICES[purpose].vi.toLowerCase()} qua thư điện tử.` }
    await tx.update(outgoingRecipients).set(values).where(eq(outgoingRecipients.id, row.recipient.id))
    await recordOutgoingStep(tx, deps, context, {
      actor: undefined,
      document: row.document,
      action: failure ? 'outgoing.delivery-failed' : 'outgoing.delivery-sent',
      fromStatus: row.document.status,
      toStatus: row.document.status,
      comment: failure ?? null,
      details: { recipientId: row.recipient.id, recipient: row.recipient.label, channel: 'email', purpose },
      notify: failure ? await clerkTargets(tx, row.document.agencyId!, 'outgoing.delivery-failed') : [],
    })
  })
}
