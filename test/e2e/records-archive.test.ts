import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditEvents, documentFiles } from '../../src/platform/db/schema/index.ts'
import { expireAccess } from '../../src/records/access/access-requests.service.ts'
import { vietnamDate } from '../../src/records/records-policy.ts'
import { expectProblem } from '../helpers/access-fixtures.ts'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { incomingRegistrar, routingStep } from '../helpers/routing-steps.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

const PDFTOTEXT = '/usr/bin/pdftotext'

async function pdfText(pdf: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-pdf-'))
  try {
    await writeFile(path.join(dir, 'f.pdf'), pdf)
    return execFileSync(PDFTOTEXT, ['-layout', path.join(dir, 'f.pdf'), '-'], { encoding: 'utf8' })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

describe.each(DRIVERS)('Records: transfer, access requests and holds on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let register: () => Promise<string>
  const api = (method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, payload?: object) =>
    t.app.inject({ method, url: `/api/records${url}`, headers, ...(payload ? { payload } : {}) })
  let n = 0

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
    register = await incomingRegistrar(t.app, org.users.clerk.headers)
  })
  afterAll(async () => t?.close())

  /** A closed hồ sơ of the Văn phòng with `count` fresh documents. */
  const closedFile = async (count = 2) => {
    const notation = `${String(++n).padStart(2, '0')}.VP`
    const file = (await api('POST', '/files', org.users.clerk.headers, { year: 2025, notation, title: `Hồ sơ ${notation}`, permanent: false, retentionYears: 10, retentionReason: 'Theo quy chế' })).json()
    const ids: string[] = []
    for (let i = 0; i < count; i++) ids.push(await register())
    await api('POST', `/files/${file.id}/documents`, org.users.clerk.headers, { documentIds: ids })
    const closed = await api('POST', `/files/${file.id}/close`, org.users.clerk.headers)
    expect(closed.statusCode, closed.body).toBe(200)
    return { id: file.id as string, fileCode: file.fileCode as string, documentIds: ids }
  }

  it.skipIf(!driver.available)('GIVEN closed hồ sơ WHEN the department transfers them and the archivist receives THEN the records are archived, read-only, visible to archivists, with both forms as PDFs', async () => {
    const file = await closedFile()
    const due = (await api('GET', '/transfers/due', org.users.clerk.headers)).json() as { file: { id: string }; dueDate: string }[]
    expect(due.find((d) => d.file.id === file.id)?.dueDate).toBeTruthy()
    expect((await t.app.inject({ url: `/api/documents/${file.documentIds[0]}`, headers: org.users.archivist.headers })).statusCode).toBe(404)
    const submitted = await api('POST', '/transfers', org.users.clerk.headers, { recordFileIds: [file.id], note: 'Nộp lưu năm 2025' })
    expect(submitted.statusCode, submitted.body).toBe(201)
    const transfer = submitted.json()
    expect(transfer).toMatchObject({ status: 'submitted', fileCount: 1, documentCount: 2 })
    expectProblem(await api('POST', '/transfers', org.users.clerk.headers, { recordFileIds: [file.id] }), 409, 'record-file-state')
    expectProblem(await api('POST', `/transfers/${transfer.id}/receive`, org.users.clerk.headers), 403, 'forbidden')
    const inventory = await api('GET', `/transfers/${transfer.id}/inventory.pdf`, org.users.archivist.headers)
    expect(inventory.headers['content-type']).toBe('application/pdf')
    const inventoryText = await pdfText(inventory.rawPayload)
    expect(inventoryText).toContain('MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU')
    expect(inventoryText).toContain(file.fileCode)

    const received = await api('POST', `/transfers/${transfer.id}/receive`, org.users.archivist.headers)
    expect(received.statusCode, received.body).toBe(200)
    expect(received.json()).toMatchObject({ status: 'received', checkReport: { problems: [], incomplete: [] } })
    const receiptText = await pdfText((await api('GET', `/transfers/${transfer.id}/receipt.pdf`, org.users.archivist.headers)).rawPayload)
    expect(receiptText).toContain('BIÊN BẢN GIAO NHẬN HỒ SƠ, TÀI LIỆU ĐIỆN TỬ')
    expect(receiptText).toMatch(/Tổng số hồ sơ: 1\. Tổng số văn bản: 2/)

    const doc = await t.app.inject({ url: `/api/documents/${file.documentIds[0]}`, headers: org.users.archivist.headers })
    expect(doc.statusCode).toBe(200)
    expect(doc.json().status).toBe('archived')
    expect((await api('GET', `/files/${file.id}`, org.users.archivist.headers)).json().file.status).toBe('transferred')
    // Read-only for everyone: reopening and handling steps are refused.
    expectProblem(await api('POST', `/files/${file.id}/reopen`, org.users.clerk.headers, { reason: 'Sửa' }), 409, 'record-file-state')
    expect((await routingStep(t.app, file.documentIds[0]!, 'submit', { leaderId: org.users.leader.id }, org.users.clerk.headers)).statusCode).toBe(409)
    const timeline = (await t.app.inject({ url: `/api/documents/${file.documentIds[0]}/timeline`, headers: org.users.archivist.headers })).json() as { action: string }[]
    expect(timeline.map((s) => s.action)).toEqual(expect.arrayContaining(['record-filed', 'record-file-closed', 'record-transferred']))
  })

  it.skipIf(!driver.available)('GIVEN a transferred hồ sơ WHEN another user asks to read it THEN they read it only after the archive head approves, each view is audited, and access ends on its date', async () => {
    const file = await closedFile(1)
    const transfer = (await api('POST', '/transfers', org.users.clerk.headers, { recordFileIds: [file.id] })).json()
    await api('POST', `/transfers/${transfer.id}/receive`, org.users.archivist.headers)
    const documentUrl = `/api/documents/${file.documentIds[0]}`
    expect((await t.app.inject({ url: documentUrl, headers: org.users.officer.headers })).statusCode).toBe(404)
    // The archive's catalogue lists the hồ sơ to everyone, so they can ask for it; its documents stay hidden.
    const listed = (await api('GET', '/files?status=transferred', org.users.officer.headers)).json() as { id: string }[]
    expect(listed.map((f) => f.id)).toContain(file.id)
    const described = (await api('GET', `/files/${file.id}`, org.users.officer.headers)).json()
    expect(described).toMatchObject({ hiddenCount: 1, entries: [], canManage: false })
    const until = vietnamDate(new Date(Date.now() + 3 * 86_400_000))
    const asked = await api('POST', '/access-requests', org.users.officer.headers, { recordFileId: file.id, purpose: 'Tham khảo xây dựng báo cáo', until })
    expect(asked.statusCode, asked.body).toBe(201)
    const requestId = asked.json().id
    expectProblem(await api('POST', `/access-requests/${requestId}/decide`, org.users.archivist.headers, { approve: true }), 403, 'forbidden')
    const approved = await api('POST', `/access-requests/${requestId}/decide`, org.users.leader.headers, { approve: true })
    expect(approved.statusCode, approved.body).toBe(200)
    expect(approved.json()).toMatchObject({ status: 'approved' })
    const opened = await t.app.inject({ url: documentUrl, headers: org.users.officer.headers })
    expect(opened.statusCode).toBe(200)
    expect((await api('GET', `/files/${file.id}`, org.users.officer.headers)).json()).toMatchObject({ hiddenCount: 0, entries: [{ documentId: file.documentIds[0] }] })
    const fileId = opened.json().files[0].id
    expect((await t.app.inject({ url: `${documentUrl}/files/${fileId}/content`, headers: org.users.officer.headers })).statusCode).toBe(200)
    const views = await t.platform.database.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'document.content-viewed'), eq(auditEvents.targetId, file.documentIds[0]!), eq(auditEvents.actor, `user:${org.users.officer.id}`)))
    expect(views).toHaveLength(1)
    // Not yet expired: nothing ends.
    expect(await expireAccess(t.platform, { actor: 'test' })).toBe(0)
    expect(await expireAccess(t.platform, { actor: 'test' }, new Date(Date.now() + 4 * 86_400_000))).toBe(1)
    expect((await t.app.inject({ url: documentUrl, headers: org.users.officer.headers })).statusCode).toBe(404)
    const mine = (await api('GET', '/access-requests', org.users.officer.headers)).json() as { id: string; status: string }[]
    expect(mine.find((r) => r.id === requestId)?.status).toBe('expired')
  })

  it.skipIf(!driver.available)('GIVEN a designated archive head WHEN a leader decides a request THEN 403; a refusal needs a note', async () => {
    const file = await closedFile(1)
    const transfer = (await api('POST', '/transfers', org.users.clerk.headers, { recordFileIds: [file.id] })).json()
    await api('POST', `/transfers/${transfer.id}/receive`, org.users.archivist.headers)
    expect((await api('PUT', '/settings', org.users.admin.headers, { archiveHeadUserId: org.users.archivist.id })).statusCode).toBe(200)
    const requestId = (await api('POST', '/access-requests', org.users.officer.headers, { documentId: file.documentIds[0], purpose: 'Thanh tra', until: vietnamDate() })).json().id
    expectProblem(await api('POST', `/access-requests/${requestId}/decide`, org.users.leader.headers, { approve: true }), 403, 'forbidden')
    expectProblem(await api('POST', `/access-requests/${requestId}/decide`, org.users.archivist.headers, { approve: false }), 400, 'validation-failed')
    expect((await api('POST', `/access-requests/${requestId}/decide`, org.users.archivist.headers, { approve: false, note: 'Không thuộc phạm vi' })).json().status).toBe('refused')
    const reset = await api('PUT', '/settings', org.users.admin.headers, { archiveHeadUserId: null })
    expect(reset.statusCode, reset.body).toBe(200)
  })

  it.skipIf(!driver.available)('GIVEN a legal hold on a hồ sơ WHEN anyone files into it, edits its documents or transfers it THEN 409 names the hold; after lifting it works again', async () => {
    const notation = `${String(++n).padStart(2, '0')}.VP`
    const file = (await api('POST', '/files', org.users.clerk.headers, { year: 2025, notation, title: 'Hồ sơ thanh tra', permanent: true, retentionReason: 'Hồ sơ thanh tra' })).json()
    const doc = await register()
    await api('POST', `/files/${file.id}/documents`, org.users.clerk.headers, { documentIds: [doc] })
    expectProblem(await api('POST', '/holds', org.users.archivist.headers, { title: 'Thanh tra 2026', reason: 'Yêu cầu của Thanh tra tỉnh', legalBasis: 'Công văn 12/TTr', recordFileIds: [file.id] }), 403, 'forbidden')
    const placed = await api('POST', '/holds', org.users.admin.headers, { title: 'Thanh tra 2026', reason: 'Yêu cầu của Thanh tra tỉnh', legalBasis: 'Công văn 12/TTr', recordFileIds: [file.id] })
    expect(placed.statusCode, placed.body).toBe(201)
    const hold = placed.json()
    expect(hold.documentCount).toBe(1)
    const filing = await api('POST', `/files/${file.id}/documents`, org.users.clerk.headers, { documentIds: [await register()] })
    expectProblem(filing, 409, 'record-on-hold')
    expect(filing.json()).toMatchObject({ holdId: hold.id, holdTitle: 'Thanh tra 2026' })
    const step = await routingStep(t.app, doc, 'submit', { leaderId: org.users.leader.id }, org.users.clerk.headers)
    expectProblem(step, 409, 'record-on-hold')
    expect(step.json().holdTitle).toBe('Thanh tra 2026')
    expect((await api('GET', '/files?held=true', org.users.archivist.headers)).json().map((f: { id: string }) => f.id)).toContain(file.id)
    const listed = (await api('GET', '/holds', org.users.archivist.headers)).json() as { id: string; fileItems: number; documentItems: number }[]
    expect(listed.find((h) => h.id === hold.id)).toMatchObject({ fileItems: 1, documentItems: 0 })
    expectProblem(await api('POST', `/holds/${hold.id}/lift`, org.users.admin.headers, { reason: '' }), 400, 'validation-failed')
    expect((await api('POST', `/holds/${hold.id}/lift`, org.users.admin.headers, { reason: 'Kết thúc thanh tra' })).json()).toEqual({ status: 'lifted' })
    expect((await routingStep(t.app, doc, 'submit', { leaderId: org.users.leader.id }, org.users.clerk.headers)).statusCode).toBe(200)
  })

  it.skipIf(!driver.available)('GIVEN a transfer whose stored bytes were altered WHEN the archivist receives it THEN the check fails naming the file and nothing changes', async () => {
    const file = await closedFile(1)
    const transfer = (await api('POST', '/transfers', org.users.clerk.headers, { recordFileIds: [file.id] })).json()
    const [stored] = await t.platform.database.db.select().from(documentFiles).where(eq(documentFiles.documentId, file.documentIds[0]!))
    const blobPath = path.join(t.dataDir, 'blobs', stored!.blobKey)
    expect(existsSync(blobPath)).toBe(true)
    await chmod(blobPath, 0o644)
    await writeFile(blobPath, Buffer.from('%PDF-1.4 altered bytes'))
    const refused = await api('POST', `/transfers/${transfer.id}/receive`, org.users.archivist.headers)
    expectProblem(refused, 409, 'record-file-state')
    expect(refused.json().checkReport.problems).toEqual([expect.objectContaining({ fileId: stored!.id, documentId: file.documentIds[0] })])
    expect((await api('GET', `/transfers/${transfer.id}`, org.users.archivist.headers)).json().transfer.status).toBe('submitted')
    expect((await api('GET', `/files/${file.id}`, org.users.archivist.headers)).json().file.status).toBe('closed')
  })
})
