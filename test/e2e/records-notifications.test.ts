import { inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { documents } from '../../src/platform/db/schema/index.ts'
import { sendRecordReminders } from '../../src/records/reminders/record-reminders.service.ts'
import { vietnamDate } from '../../src/records/records-policy.ts'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { incomingRegistrar } from '../helpers/routing-steps.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

interface Notice {
  id: string
  kind: string
  documentId: string | null
  recordFileId: string | null
  title: string
  body: string
}

describe.each(DRIVERS)('Records notifications lead to the hồ sơ on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let register: () => Promise<string>
  let n = 0
  const api = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object) =>
    t.app.inject({ method, url: `/api/records${url}`, headers, ...(payload ? { payload } : {}) })

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
    register = await incomingRegistrar(t.app, org.users.clerk.headers)
  })
  afterAll(async () => t?.close())

  /** What the user's notification list says about one hồ sơ, through GET /api/notifications. */
  const noticesOf = async (headers: Record<string, string>, recordFileId: string): Promise<Notice[]> => {
    const response = await t.app.inject({ url: '/api/notifications?limit=200', headers })
    expect(response.statusCode).toBe(200)
    return (response.json().items as Notice[]).filter((item) => item.recordFileId === recordFileId)
  }

  const closedFile = async (year: number, retentionYears = 10) => {
    const notation = `${String(++n).padStart(2, '0')}.TB`
    const file = (await api('POST', '/files', org.users.clerk.headers, { year, notation, title: `Hồ sơ thông báo ${notation}`, permanent: false, retentionYears, retentionReason: 'Theo quy chế' })).json()
    const ids = [await register()]
    await t.platform.database.db.update(documents).set({ issuedDate: `${year}-02-01` }).where(inArray(documents.id, ids))
    await api('POST', `/files/${file.id}/documents`, org.users.clerk.headers, { documentIds: ids })
    expect((await api('POST', `/files/${file.id}/close`, org.users.clerk.headers)).statusCode).toBe(200)
    return { id: file.id as string, fileCode: file.fileCode as string }
  }

  it.skipIf(!driver.available)('GIVEN an open hồ sơ of a past year WHEN the reminders run THEN the keeper’s notification names the hồ sơ and no document', async () => {
    const thisYear = Number(vietnamDate().slice(0, 4))
    const file = (await api('POST', '/files', org.users.clerk.headers, { year: thisYear - 1, notation: '99.TB', title: 'Hồ sơ chưa đóng', permanent: false, retentionYears: 10, retentionReason: 'Theo quy chế' })).json()
    await sendRecordReminders(t.platform, { transferDueDays: 365, transferNoticeDays: 30, actor: 'job:records.reminders' })
    for (const who of [org.users.clerk, org.users.archivist]) {
      expect(await noticesOf(who.headers, file.id)).toEqual([expect.objectContaining({ kind: 'records.year-end', recordFileId: file.id, documentId: null })])
    }
  })

  it.skipIf(!driver.available)('GIVEN a transfer WHEN it is submitted, returned, submitted again and received THEN archivists and the department are told, each notice naming the hồ sơ; the actor is not told of their own step', async () => {
    const file = await closedFile(2025)
    const first = (await api('POST', '/transfers', org.users.clerk.headers, { recordFileIds: [file.id] })).json()
    expect(await noticesOf(org.users.archivist.headers, file.id)).toEqual([expect.objectContaining({ kind: 'records.transfer-submitted', title: 'Hồ sơ nộp lưu chờ tiếp nhận', body: expect.stringContaining(file.fileCode) })])
    expect(await noticesOf(org.users.clerk.headers, file.id)).toEqual([])
    expect((await api('POST', `/transfers/${first.id}/return`, org.users.archivist.headers, { reason: 'Thiếu biên bản họp' })).statusCode).toBe(200)
    const returned = await noticesOf(org.users.clerk.headers, file.id)
    expect(returned).toEqual([expect.objectContaining({ kind: 'records.transfer-returned', body: expect.stringContaining('Thiếu biên bản họp') })])
    const second = (await api('POST', '/transfers', org.users.clerk.headers, { recordFileIds: [file.id] })).json()
    const received = await api('POST', `/transfers/${second.id}/receive`, org.users.archivist.headers)
    expect(received.statusCode, received.body).toBe(200)
    expect((await noticesOf(org.users.clerk.headers, file.id)).map((item) => item.kind)).toEqual(['records.transfer-received', 'records.transfer-returned'])
    expect((await noticesOf(org.users.archivist.headers, file.id)).map((item) => item.kind)).toEqual(['records.transfer-submitted', 'records.transfer-submitted'])
  })

  it.skipIf(!driver.available)('GIVEN an access request for a transferred hồ sơ WHEN the archive’s head decides THEN the requester’s notice names the hồ sơ', async () => {
    const file = await closedFile(2025)
    const transfer = (await api('POST', '/transfers', org.users.clerk.headers, { recordFileIds: [file.id] })).json()
    expect((await api('POST', `/transfers/${transfer.id}/receive`, org.users.archivist.headers)).statusCode).toBe(200)
    const until = vietnamDate(new Date(Date.now() + 3 * 86_400_000))
    const asked = (await api('POST', '/access-requests', org.users.officer.headers, { recordFileId: file.id, purpose: 'Tham khảo', until })).json()
    expect((await api('POST', `/access-requests/${asked.id}/decide`, org.users.leader.headers, { approve: true })).statusCode).toBe(200)
    const [notice] = await noticesOf(org.users.officer.headers, file.id)
    expect(notice).toMatchObject({ kind: 'records.access-approved', recordFileId: file.id, body: expect.stringContaining(until.split('-').reverse().join('/')) })
  })

  it.skipIf(!driver.available)('GIVEN a hồ sơ past its retention proposed for destruction WHEN the decision is approved THEN the proposer and archivists are told, naming the hồ sơ', async () => {
    const file = await closedFile(2015, 5)
    const proposed = await api('POST', '/disposals', org.users.archivist.headers, { recordFileIds: [file.id], reason: 'Hết thời hạn bảo quản' })
    expect(proposed.statusCode, proposed.body).toBe(201)
    const approved = await api('POST', `/disposals/${proposed.json().id}/approve`, org.users.leader.headers, { decisionNumber: '7/QĐ-UBND', decisionDate: '2026-01-10' })
    expect(approved.statusCode, approved.body).toBe(200)
    expect(await noticesOf(org.users.archivist.headers, file.id)).toEqual([expect.objectContaining({ kind: 'records.disposal-approved', body: expect.stringContaining('7/QĐ-UBND') })])
    expect(await noticesOf(org.users.leader.headers, file.id)).toEqual([])
  })
})
