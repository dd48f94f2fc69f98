import { afterEach, describe, expect, it } from 'vitest'
import { EmailChannel, emailMessage } from '../../src/followup/email-channel.ts'
import type { NotificationRow } from '../../src/followup/notifications.repository.ts'
import { headerOf, partOf, type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts'

const notification: NotificationRow = {
  id: '0b9c7f0e-5a1d-4c1b-9a53-3f1f7b0e2a11',
  userId: '6f1f3a52-1c3e-4b7e-8d2a-9c4b5e6f7a80',
  kind: 'routing.submitted',
  documentId: '2d4e6f80-1a2b-4c3d-8e5f-6a7b8c9d0e1f',
  recordFileId: null,
  title: 'Văn bản trình xin ý kiến chỉ đạo',
  body: 'Số đến 12: Về việc <báo cáo> & tổng kết. Nguyễn Thị Văn Thư: Kính trình',
  dedupDate: null,
  createdAt: new Date('2026-11-27T01:00:00Z'),
  readAt: null,
}
const recipient = {
  userId: notification.userId,
  fullName: 'Lê Văn Lãnh Đạo',
  email: 'lanhdao@example.gov.vn',
}
const options = { publicUrl: 'https://vanthu.example.gov.vn', logLevel: 'silent' as const }

describe('e-mail channel over SMTP', () => {
  let sink: SmtpSink | undefined
  afterEach(async () => {
    await sink?.close()
    sink = undefined
  })

  it('GIVEN a configured channel WHEN a notification is delivered THEN the recipient gets a Vietnamese mail with the document link and an English line', async () => {
    sink = await startSmtpSink()
    const channel = new EmailChannel({ smtpUrl: sink.url, from: 'Văn thư <vanthu@example.gov.vn>' }, options)
    expect(await channel.deliver(notification, recipient)).toBe(true)
    const [mail] = await sink.waitFor(1)
    expect(mail!.to).toEqual(['lanhdao@example.gov.vn'])
    // Diacritics travel as encoded-words and come back intact.
    expect(headerOf(mail!.raw, 'Subject')).toBe('Văn bản trình xin ý kiến chỉ đạo')
    expect(headerOf(mail!.raw, 'From')).toContain('<vanthu@example.gov.vn>')
    const text = partOf(mail!.raw, 'text/plain')!
    expect(text).toContain('Kính gửi Lê Văn Lãnh Đạo,')
    expect(text).toContain(`Xem văn bản: https://vanthu.example.gov.vn/documents/${notification.documentId}`)
    expect(text).toContain('Document submitted for your direction.')
    const html = partOf(mail!.raw, 'text/html')!
    expect(html).toContain('Về việc &lt;báo cáo&gt; &amp; tổng kết')
    expect(html).not.toContain('<báo cáo>')
  })

  it('GIVEN a records reminder about a hồ sơ WHEN it is mailed THEN the link opens the hồ sơ page', () => {
    const reminder = { ...notification, kind: 'records.year-end', documentId: null, recordFileId: '5e0c1b2a-3d4f-4a5b-8c6d-7e8f9a0b1c2d', title: 'Hồ sơ chưa kết thúc khi hết năm' }
    const { text, html } = emailMessage(reminder, recipient, options.publicUrl)
    expect(text).toContain(`Xem hồ sơ: https://vanthu.example.gov.vn/records/files/${reminder.recordFileId}`)
    expect(text).toContain(`Open the records file: https://vanthu.example.gov.vn/records/files/${reminder.recordFileId}`)
    expect(html).toContain(`<a href="https://vanthu.example.gov.vn/records/files/${reminder.recordFileId}">Xem hồ sơ</a>`)
    expect(emailMessage({ ...reminder, recordFileId: null }, recipient, options.publicUrl).text).not.toContain('https://')
  })

  it('GIVEN a user without an e-mail address WHEN delivered THEN nothing is sent and false is answered', async () => {
    sink = await startSmtpSink()
    const channel = new EmailChannel({ smtpUrl: sink.url, from: 'vanthu@example.gov.vn' }, options)
    expect(await channel.deliver(notification, { ...recipient, email: null })).toBe(false)
    expect(sink.mails).toEqual([])
  })

  it('GIVEN a server that refuses the recipient WHEN delivered THEN false is answered without throwing', async () => {
    sink = await startSmtpSink({ refuse: true })
    const channel = new EmailChannel({ smtpUrl: sink.url, from: 'vanthu@example.gov.vn' }, options)
    expect(await channel.deliver(notification, recipient)).toBe(false)
    expect(sink.mails).toEqual([])
  })

  it('GIVEN no server listening WHEN delivered THEN false is answered without throwing', async () => {
    const closed = await startSmtpSink()
    await closed.close()
    const channel = new EmailChannel({ smtpUrl: closed.url, from: 'vanthu@example.gov.vn' }, options)
    expect(await channel.deliver(notification, recipient)).toBe(false)
  })
})
