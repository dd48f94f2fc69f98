import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { documents } from '../../src/platform/db/schema/index.ts'
import { expectProblem } from '../helpers/access-fixtures.ts'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { incomingRegistrar, routingStep } from '../helpers/routing-steps.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

describe.each(DRIVERS)('Records: file plan and hồ sơ on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let register: () => Promise<string>
  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Record<string, string>, payload?: object) =>
    t.app.inject({ method, url: `/api/records${url}`, headers, ...(payload ? { payload } : {}) })

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
    register = await incomingRegistrar(t.app, org.users.clerk.headers)
  })
  afterAll(async () => t?.close())

  const openFile = async (notation: string, extra: object = {}, who = org.users.clerk.headers) => {
    const response = await api('POST', '/files', who, { year: 2026, notation, title: `Hồ sơ ${notation}`, permanent: false, retentionYears: 10, retentionReason: 'Chưa có bảng thời hạn', ...extra })
    expect(response.statusCode, response.body).toBe(201)
    return response.json() as { id: string; fileCode: string; status: string }
  }

  it.skipIf(!driver.available)('GIVEN a retention schedule row WHEN a hồ sơ takes it THEN no reason is needed, and a different term needs one', async () => {
    const imported = await api('POST', '/retention-schedule/import', org.users.archivist.headers, {
      csv: 'source;code;group;title;years\nQuy chế cơ quan;1;Tổng hợp;Hồ sơ hội nghị tổng kết năm;Vĩnh viễn\nQuy chế cơ quan;2;Tổng hợp;Kế hoạch, báo cáo tháng;10',
    })
    expect(imported.json()).toEqual({ added: 2, updated: 0 })
    const entries = (await api('GET', '/retention-schedule', org.users.clerk.headers)).json() as { id: string; code: string; retentionYears: number | null }[]
    const permanent = entries.find((entry) => entry.code === '1')!
    const fromEntry = await api('POST', '/files', org.users.clerk.headers, { year: 2026, notation: '01.TH', title: 'Hồ sơ hội nghị tổng kết năm 2026', retentionEntryId: permanent.id })
    expect(fromEntry.statusCode, fromEntry.body).toBe(201)
    expect(fromEntry.json()).toMatchObject({ permanent: true, retentionYears: null, retentionLabel: 'Vĩnh viễn', maintenance: '01', retentionReason: null, status: 'open' })
    const override = await api('POST', '/files', org.users.clerk.headers, { year: 2026, notation: '02.TH', title: 'Hồ sơ khác', retentionEntryId: permanent.id, permanent: false, retentionYears: 20 })
    expectProblem(override, 400, 'validation-failed')
    expect(override.json().errors).toEqual([expect.objectContaining({ field: 'retentionReason' })])
    const none = await api('GET', '/files?year=2026&q=Hồ sơ khác', org.users.clerk.headers)
    expect(none.json()).toEqual([])
  })

  it.skipIf(!driver.available)('GIVEN a hồ sơ WHEN documents are filed THEN the mục lục orders them by date and number, and filing twice adds nothing', async () => {
    const file = await openFile('03.VP')
    expect(file.fileCode).toMatch(/\.2026\.03\.VP$/)
    const [a, b, c] = [await register(), await register(), await register()]
    await t.platform.database.db.update(documents).set({ issuedDate: '2026-03-05', codeNumber: '12', codeNotation: 'QĐ-UBND', pageCount: 2 }).where(eq(documents.id, a))
    await t.platform.database.db.update(documents).set({ issuedDate: '2026-01-20', codeNumber: '7', codeNotation: 'KH-UBND', pageCount: 3 }).where(eq(documents.id, b))
    await t.platform.database.db.update(documents).set({ issuedDate: '2026-03-05', codeNumber: '9', codeNotation: 'QĐ-UBND', pageCount: 1 }).where(eq(documents.id, c))
    const filed = await api('POST', `/files/${file.id}/documents`, org.users.clerk.headers, { documentIds: [a, b, c] })
    expect(filed.json()).toEqual({ added: 3, already: 0 })
    expect((await api('POST', `/files/${file.id}/documents`, org.users.clerk.headers, { documentIds: [a] })).json()).toEqual({ added: 0, already: 1 })
    const other = await openFile('04.VP')
    expect((await api('POST', `/files/${other.id}/documents`, org.users.clerk.headers, { documentIds: [a] })).json()).toEqual({ added: 1, already: 0 })
    const detail = (await api('GET', `/files/${file.id}`, org.users.clerk.headers)).json()
    expect(detail.entries.map((e: { documentId: string }) => e.documentId)).toEqual([b, c, a])
    expect(detail.entries[0].docCode).toBe(`${file.fileCode}.0000001`)
    const inFiles = (await t.app.inject({ url: `/api/records/documents/${a}/files`, headers: org.users.clerk.headers })).json()
    expect(inFiles.map((f: { id: string }) => f.id).sort()).toEqual([file.id, other.id].sort())
  })

  it.skipIf(!driver.available)('GIVEN an open hồ sơ WHEN it is closed THEN dates, counts and tờ số are computed and its documents refuse changes', async () => {
    const file = await openFile('05.VP')
    const [a, b] = [await register(), await register()]
    await t.platform.database.db.update(documents).set({ issuedDate: '2026-02-01', pageCount: 2 }).where(eq(documents.id, a))
    await t.platform.database.db.update(documents).set({ issuedDate: '2026-04-10', pageCount: 3 }).where(eq(documents.id, b))
    await api('POST', `/files/${file.id}/documents`, org.users.clerk.headers, { documentIds: [b, a] })
    const closed = await api('POST', `/files/${file.id}/close`, org.users.clerk.headers)
    expect(closed.statusCode, closed.body).toBe(200)
    expect(closed.json()).toMatchObject({ status: 'closed', startDate: '2026-02-01', endDate: '2026-04-10', documentCount: 2, pageCount: 5 })
    const detail = (await api('GET', `/files/${file.id}`, org.users.clerk.headers)).json()
    expect(detail.entries.map((e: { pageFrom: number; pageTo: number }) => [e.pageFrom, e.pageTo])).toEqual([[1, 2], [3, 5]])
    // Filing into or editing a closed hồ sơ: 409.
    expectProblem(await api('POST', `/files/${file.id}/documents`, org.users.clerk.headers, { documentIds: [await register()] }), 409, 'record-file-state')
    expectProblem(await api('PATCH', `/files/${file.id}`, org.users.clerk.headers, { title: 'Đổi tên' }), 409, 'record-file-state')
    // The document itself is a record now: a routing step that changes it is refused, naming the hồ sơ.
    const submit = await routingStep(t.app, a, 'submit', { leaderId: org.users.leader.id }, org.users.clerk.headers)
    expectProblem(submit, 409, 'record-closed')
    expect(submit.json()).toMatchObject({ fileCode: expect.stringContaining('05.VP'), recordFileStatus: 'closed' })
    await expect(t.platform.database.db.update(documents).set({ subject: 'sửa trộm' }).where(eq(documents.id, a))).rejects.toThrow()
    await expect(t.platform.database.db.delete(documents).where(eq(documents.id, a))).rejects.toThrow()
  })

  it.skipIf(!driver.available)('GIVEN a closed hồ sơ WHEN it is reopened THEN a reason is required, and its documents may change again', async () => {
    const file = await openFile('06.VP')
    const a = await register()
    await api('POST', `/files/${file.id}/documents`, org.users.clerk.headers, { documentIds: [a] })
    await api('POST', `/files/${file.id}/close`, org.users.clerk.headers)
    expectProblem(await api('POST', `/files/${file.id}/reopen`, org.users.clerk.headers, { reason: '  ' }), 400, 'validation-failed')
    const reopened = await api('POST', `/files/${file.id}/reopen`, org.users.clerk.headers, { reason: 'Bổ sung văn bản còn thiếu' })
    expect(reopened.json()).toMatchObject({ status: 'open', reopenReason: 'Bổ sung văn bản còn thiếu', endDate: null })
    const submit = await routingStep(t.app, a, 'submit', { leaderId: org.users.leader.id }, org.users.clerk.headers)
    expect(submit.statusCode, submit.body).toBe(200)
    const history = (await api('GET', `/files/${file.id}/history`, org.users.clerk.headers)).json()
    expect(history.map((e: { action: string }) => e.action)).toEqual(['record-file.reopened', 'record-file.closed', 'record-file.opened'])
  })

  it.skipIf(!driver.available)('GIVEN a hồ sơ of another department WHEN an officer files or closes it THEN 403, and a document they cannot see is refused', async () => {
    const file = await openFile('07.VP')
    const a = await register()
    expectProblem(await api('POST', `/files/${file.id}/documents`, org.users.officer.headers, { documentIds: [a] }), 404, 'not-found')
    const own = await openFile('01.KT', {}, org.users.officer.headers)
    const refused = await api('POST', `/files/${own.id}/documents`, org.users.officer.headers, { documentIds: [a] })
    expectProblem(refused, 400, 'validation-failed')
    expect(refused.json().errors).toEqual([expect.objectContaining({ field: 'documentId' })])
    const list = (await api('GET', '/files?year=2026', org.users.officer.headers)).json() as { notation: string }[]
    expect(list.map((f) => f.notation)).toEqual(['01.KT'])
  })

  it.skipIf(!driver.available)("GIVEN last year's plan WHEN this year's is created from it THEN its entries come as planned hồ sơ, and the first filing opens one", async () => {
    const created = await api('POST', '/plans', org.users.archivist.headers, { year: 2025 })
    expect(created.statusCode, created.body).toBe(201)
    for (const notation of ['01.TH', '02.TH']) {
      const entry = await api('POST', '/files', org.users.archivist.headers, { planned: true, year: 2025, notation, heading: 'I. Tổng hợp', title: `Kế hoạch ${notation}`, permanent: true, retentionReason: 'Theo quy chế', departmentId: org.departments.office })
      expect(entry.statusCode, entry.body).toBe(201)
      expect(entry.json().status).toBe('planned')
    }
    const copy = await api('POST', '/plans', org.users.archivist.headers, { year: 2027, copyFromYear: 2025 })
    expect(copy.json()).toMatchObject({ year: 2027, copied: 2 })
    expectProblem(await api('POST', '/plans', org.users.archivist.headers, { year: 2027 }), 409, 'already-exists')
    const planned = (await api('GET', '/files?year=2027', org.users.clerk.headers)).json() as { id: string; status: string; fileCode: string; heading: string }[]
    expect(planned.map((f) => [f.status, f.heading])).toEqual([['planned', 'I. Tổng hợp'], ['planned', 'I. Tổng hợp']])
    expect(planned[0]!.fileCode).toMatch(/\.2027\.01\.TH$/)
    await api('POST', `/files/${planned[0]!.id}/documents`, org.users.clerk.headers, { documentIds: [await register()] })
    expect((await api('GET', `/files/${planned[0]!.id}`, org.users.clerk.headers)).json().file.status).toBe('open')
    expectProblem(await api('POST', '/plans/2027/approve', org.users.archivist.headers), 403, 'forbidden')
    expect((await api('POST', '/plans/2027/approve', org.users.leader.headers)).json()).toEqual({ status: 'approved' })
  })

  it.skipIf(!driver.available)('GIVEN an officer completing a document WHEN they name a hồ sơ THEN it is filed in the same step, and a closed hồ sơ refuses the whole step', async () => {
    const own = await openFile('02.KT', {}, org.users.officer.headers)
    const closed = await openFile('03.KT', {}, org.users.officer.headers)
    const handle = async () => {
      const doc = await register()
      expect((await routingStep(t.app, doc, 'submit', { leaderId: org.users.leader.id }, org.users.clerk.headers)).statusCode).toBe(200)
      expect((await routingStep(t.app, doc, 'direct', { lead: { userId: org.users.officer.id } }, org.users.leader.headers)).statusCode).toBe(200)
      return doc
    }
    const filler = await handle()
    await api('POST', `/files/${closed.id}/documents`, org.users.officer.headers, { documentIds: [filler] })
    await api('POST', `/files/${closed.id}/close`, org.users.officer.headers)
    const doc = await handle()
    const choices = (await api('GET', '/file-choices?year=2026', org.users.officer.headers)).json() as { id: string }[]
    expect(choices.map((c) => c.id)).toContain(own.id)
    expect(choices.map((c) => c.id)).not.toContain(closed.id)
    const refused = await routingStep(t.app, doc, 'complete', { comment: 'Đã xử lý', recordFileIds: [closed.id] }, org.users.officer.headers)
    expectProblem(refused, 409, 'record-file-state')
    expect((await t.app.inject({ url: `/api/documents/${doc}`, headers: org.users.officer.headers })).json().status).toBe('assigned')
    const done = await routingStep(t.app, doc, 'complete', { comment: 'Đã xử lý', recordFileIds: [own.id] }, org.users.officer.headers)
    expect(done.statusCode, done.body).toBe(200)
    const detail = (await api('GET', `/files/${own.id}`, org.users.officer.headers)).json()
    expect(detail.entries.map((e: { documentId: string }) => e.documentId)).toEqual([doc])
    const timeline = (await t.app.inject({ url: `/api/documents/${doc}/timeline`, headers: org.users.officer.headers })).json() as { action: string }[]
    expect(timeline.map((s) => s.action).slice(-2)).toEqual(['complete', 'record-filed'])
  })

  it.skipIf(!driver.available)('GIVEN a closed hồ sơ in a year plan WHEN its danh mục, mục lục hồ sơ and mục lục văn bản are exported THEN the XLSX and PDF read back with its rows', async () => {
    const file = await openFile('08.VP', { heading: 'II. Văn phòng', title: 'Hồ sơ báo cáo tổng kết công tác văn thư' })
    const [a, b] = [await register(), await register()]
    await t.platform.database.db.update(documents).set({ issuedDate: '2026-05-02', codeNumber: '15', codeNotation: 'BC-VP', kind: 'Báo cáo', subject: 'Tổng kết công tác văn thư 6 tháng', pageCount: 4 }).where(eq(documents.id, a))
    await t.platform.database.db.update(documents).set({ issuedDate: '2026-04-11', codeNumber: '3', codeNotation: 'KH-VP', kind: 'Kế hoạch', subject: 'Kiểm tra công tác lưu trữ', pageCount: 2 }).where(eq(documents.id, b))
    await api('POST', `/files/${file.id}/documents`, org.users.clerk.headers, { documentIds: [a, b] })
    expect((await api('POST', `/files/${file.id}/close`, org.users.clerk.headers)).statusCode).toBe(200)
    const download = async (url: string) => {
      const response = await api('GET', url, org.users.clerk.headers)
      expect(response.statusCode, response.body).toBe(200)
      return response
    }
    const sheetText = async (url: string) => {
      const response = await download(url)
      expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      const workbook = new ExcelJS.Workbook()
      await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer)
      const rows: string[] = []
      // A merged banner reads back as its value in every merged cell: each value once.
      workbook.worksheets[0]!.eachRow((row) => rows.push([...new Set((row.values as unknown[]).filter((v) => v !== undefined && v !== null && v !== '').map(String))].join(' | ')))
      return rows
    }
    const plan = await sheetText('/plans/2026/report')
    expect(plan).toContain('DANH MỤC HỒ SƠ NĂM 2026')
    expect(plan).toContain('II. VĂN PHÒNG')
    expect(plan).toContain('08.VP | Hồ sơ báo cáo tổng kết công tác văn thư | 10 năm | Nguyễn Thị Văn Thư')
    const inventory = await sheetText('/files/report?year=2026&status=closed')
    expect(inventory).toContain('MỤC LỤC HỒ SƠ')
    expect(inventory.some((row) => row.includes(file.fileCode) && row.includes('11/04/2026 – 02/05/2026') && row.includes('6 / 2'))).toBe(true)
    const contents = await sheetText(`/files/${file.id}/report`)
    expect(contents).toContain('MỤC LỤC VĂN BẢN')
    const line = (start: string, sheets: string) => contents.some((row) => row.startsWith(start) && row.endsWith(` | ${sheets}`))
    expect(line('1 | 3/KH-VP | 11/04/2026 | Kế hoạch Kiểm tra công tác lưu trữ', '1–2')).toBe(true)
    expect(line('2 | 15/BC-VP | 02/05/2026 | Báo cáo Tổng kết công tác văn thư 6 tháng', '3–6')).toBe(true)
    const pdf = await download(`/files/${file.id}/report?format=pdf`)
    expect(pdf.headers['content-type']).toBe('application/pdf')
    expect(pdf.headers['content-disposition']).toContain('.pdf')
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-records-report-'))
    try {
      await writeFile(path.join(dir, 'muc-luc.pdf'), pdf.rawPayload)
      const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'muc-luc.pdf'), '-'], { encoding: 'utf8' })
      for (const expected of ['MỤC LỤC VĂN BẢN', file.fileCode, '3/KH-VP', 'Kiểm tra công tác lưu trữ', 'Mục lục này gồm 2 văn bản.']) expect(text).toContain(expected)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    expectProblem(await api('GET', `/files/${file.id}/report?format=docx`, org.users.clerk.headers), 400, 'validation-failed')
    expectProblem(await api('GET', `/files/${file.id}/report`, org.users.officer.headers), 404, 'not-found')
  })
})
