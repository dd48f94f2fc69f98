import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Headers, type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { pgliteDriver } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

const PDFTOTEXT = '/usr/bin/pdftotext'
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

const DOCUMENTS = [
  {
    issuer: 'Sở Nội vụ tỉnh Hòa Giang',
    numberNotation: '05/QĐ-SNV',
    documentDate: '2026-03-01',
    kind: 'QĐ',
    subject: 'Về việc ban hành Quy chế làm việc của Sở Nội vụ',
    receivedDate: '2026-03-02',
    receivingDepartment: 'Phòng Tổ chức cán bộ',
    notes: 'Bản giấy kèm theo',
  },
  {
    issuer: 'Ủy ban nhân dân tỉnh Hòa Giang',
    numberNotation: '112/UBND-KT',
    documentDate: '2026-03-03',
    kind: 'Công văn',
    subject: 'V/v đôn đốc triển khai chuyển đổi số năm 2026',
    receivedDate: '2026-03-04',
  },
  {
    issuer: 'Bộ Nội vụ',
    numberNotation: '07/TTr-BNV',
    documentDate: '2026-03-05',
    kind: 'TTr',
    subject: 'Tờ trình về việc tổ chức hội nghị tổng kết công tác văn thư, lưu trữ',
    receivedDate: '2026-03-06',
  },
]

describe('sổ đăng ký văn bản đến export on PGlite', () => {
  let t: TestApp
  let org: Organisation
  let workDir: string
  const ids: string[] = []

  beforeAll(async () => {
    t = await startTestApp(pgliteDriver)
    org = await seedOrganisation(t.platform, t.app)
    workDir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-register-'))
    const pdf = await readFile(corpusFile('005.pdf'))
    for (const [i, fields] of DOCUMENTS.entries()) {
      const parts = [
        ...Object.entries(fields).map(([name, value]) => ({ name, value })),
        { name: 'file', fileName: `van-ban-${i}.pdf`, contentType: 'application/pdf', data: Buffer.concat([pdf, Buffer.from(`\n% ${i}\n`)]) },
      ]
      const { payload, headers } = multipartBody(parts)
      const response = await t.app.inject({ method: 'POST', url: '/api/incoming', payload, headers: { ...headers, ...org.users.clerk.headers } })
      if (response.statusCode !== 201) throw new Error(response.body)
      ids.push(response.json().id)
    }
    const submitted = await t.app.inject({
      method: 'POST',
      url: `/api/documents/${ids[1]}/routing/submit`,
      payload: { leaderId: org.users.leader.id },
      headers: org.users.clerk.headers,
    })
    if (submitted.statusCode >= 300) throw new Error(submitted.body)
  })
  afterAll(async () => {
    await t?.close()
    if (workDir) await rm(workDir, { recursive: true, force: true })
  })

  const exportRegister = (query: string, headers: Headers = org.users.clerk.headers) =>
    t.app.inject({ url: `/api/registers/incoming/export?${query}`, headers })
  const readSheet = async (body: Buffer) => {
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(body as unknown as ArrayBuffer)
    const sheet = workbook.worksheets[0]!
    const rows: string[][] = []
    sheet.eachRow((row) => {
      rows.push((row.values as unknown[]).slice(1).map((value) => (value == null ? '' : String(value))))
    })
    return { sheet, rows }
  }
  const today = () => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date())

  it('GIVEN three registered documents WHEN the clerk exports XLSX THEN the sheet has the title, the ten columns and the rows in số đến order', async () => {
    const response = await exportRegister('from=2026-03-01&to=2026-03-31&format=xlsx')
    expect(response.statusCode, response.body).toBe(200)
    expect(response.headers['content-type']).toBe(XLSX)
    expect(response.headers['content-disposition']).toContain("filename*=UTF-8''S%E1%BB%95%20%C4%91%C4%83ng%20k%C3%BD")
    const { sheet, rows } = await readSheet(response.rawPayload)
    // A merged title row reads back as its value in every merged cell.
    const agency = await t.platform.database.executeSql('select name from agencies')
    expect(sheet.getCell('A1').value).toBe(String(agency.rows[0]!.name).toUpperCase())
    expect(sheet.getCell('A2').value).toBe('SỔ ĐĂNG KÝ VĂN BẢN ĐẾN')
    expect(sheet.getCell('A3').value).toBe('Từ ngày 01/03/2026 đến ngày 31/03/2026')
    expect(sheet.getCell('A2').font).toMatchObject({ bold: true, name: 'Times New Roman' })
    expect(rows[3]).toEqual([
      'Ngày đến', 'Số đến', 'Tác giả', 'Số, ký hiệu', 'Ngày tháng văn bản', 'Tên loại và trích yếu',
      'Đơn vị hoặc người nhận', 'Ngày chuyển', 'Ký nhận', 'Ghi chú',
    ])
    expect(sheet.getCell('A5').font).toMatchObject({ bold: true, name: 'Times New Roman', size: 12 })
    expect(sheet.getCell('F6').alignment).toMatchObject({ wrapText: true })
    expect(sheet.getCell('F6').border?.left).toMatchObject({ style: 'thin' })
    const lines = rows.slice(4)
    expect(lines).toHaveLength(3)
    expect(lines[0]).toEqual([
      '02/03/2026', '1', 'Sở Nội vụ tỉnh Hòa Giang', '05/QĐ-SNV', '01/03/2026',
      'Quyết định: Về việc ban hành Quy chế làm việc của Sở Nội vụ', 'Phòng Tổ chức cán bộ', '', '', 'Bản giấy kèm theo',
    ])
    expect(lines[1]?.slice(0, 8)).toEqual([
      '04/03/2026', '2', 'Ủy ban nhân dân tỉnh Hòa Giang', '112/UBND-KT', '03/03/2026',
      'Công văn: V/v đôn đốc triển khai chuyển đổi số năm 2026', 'Lê Văn Lãnh Đạo', today(),
    ])
    expect(lines[2]?.slice(0, 2)).toEqual(['06/03/2026', '3'])
    expect(lines[2]?.[5]).toBe('Tờ trình: Tờ trình về việc tổ chức hội nghị tổng kết công tác văn thư, lưu trữ')
  })

  it('GIVEN a range covering only the first two arrival dates WHEN exported THEN the third is left out', async () => {
    const { rows } = await readSheet((await exportRegister('from=2026-03-02&to=2026-03-04')).rawPayload)
    expect(rows.slice(4).map((row) => row[1])).toEqual(['1', '2'])
  })

  it.skipIf(!existsSync(PDFTOTEXT))('GIVEN the same documents WHEN exported as PDF THEN it is an A4 landscape PDF whose text is Vietnamese', async () => {
    const response = await exportRegister('from=2026-03-01&to=2026-03-31&format=pdf')
    expect(response.statusCode, response.body).toBe(200)
    expect(response.headers['content-type']).toBe('application/pdf')
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename=".*\.pdf"; filename\*=UTF-8''/)
    const bytes = response.rawPayload
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    const file = path.join(workDir, 'so-den.pdf')
    await writeFile(file, bytes)
    if (process.env.VANTHU_KEEP_EXPORT) await writeFile(process.env.VANTHU_KEEP_EXPORT, bytes)
    const text = execFileSync(PDFTOTEXT, ['-layout', file, '-'], { encoding: 'utf8' })
    expect(text).toContain('SỔ ĐĂNG KÝ VĂN BẢN ĐẾN')
    expect(text).toContain('Từ ngày 01/03/2026 đến ngày 31/03/2026')
    expect(text).toContain('Ngày đến')
    expect(text).toContain('Quyết định: Về việc ban hành Quy chế')
    // Cells wrap inside their column, so long values are checked a line at a time.
    expect(text).toContain('Ủy ban nhân dân')
    expect(text).toContain('02/03/2026')
    expect(text).toContain('112/UBND-KT')
    expect(text).toContain('05/QĐ-SNV')
    expect(text).toContain('Trang 1/1')
    const info = execFileSync('/usr/bin/pdfinfo', [file], { encoding: 'utf8' })
    expect(info).toMatch(/Page size:\s+841\.89 x 595\.28/)
    const fonts = execFileSync('/usr/bin/pdffonts', [file], { encoding: 'utf8' })
    expect(fonts).toMatch(/[A-Z]{6}\+LiberationSerif-Regular\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/)
  })

  it.skipIf(!existsSync(PDFTOTEXT))('GIVEN many documents WHEN exported as PDF THEN the table runs over pages, each with the header row and a page number', async () => {
    const pdf = await readFile(corpusFile('005.pdf'))
    for (let i = 0; i < 40; i++) {
      const { payload, headers } = multipartBody([
        { name: 'kind', value: 'Công văn' },
        { name: 'subject', value: `Về việc báo cáo số liệu quý ${i} — nội dung dài để phải xuống dòng nhiều lần trong ô trích yếu của sổ` },
        { name: 'receivedDate', value: '2026-04-01' },
        { name: 'file', fileName: `cv-${i}.pdf`, contentType: 'application/pdf', data: Buffer.concat([pdf, Buffer.from(`\n% many ${i}\n`)]) },
      ])
      const response = await t.app.inject({ method: 'POST', url: '/api/incoming', payload, headers: { ...headers, ...org.users.clerk.headers } })
      expect(response.statusCode, response.body).toBe(201)
    }
    const file = path.join(workDir, 'nhieu-trang.pdf')
    await writeFile(file, (await exportRegister('from=2026-04-01&to=2026-04-01&format=pdf')).rawPayload)
    const pages = execFileSync(PDFTOTEXT, [file, '-'], { encoding: 'utf8' }).split('\f').filter((page) => page.trim())
    expect(pages.length).toBeGreaterThan(1)
    for (const [i, page] of pages.entries()) {
      expect(page).toContain('Tên loại và trích yếu')
      expect(page).toContain(`Trang ${i + 1}/${pages.length}`)
    }
  })

  it('GIVEN an officer who is not on any of the documents WHEN they export THEN they get the register without them', async () => {
    const response = await exportRegister('from=2026-03-01&to=2026-03-31', org.users.officer.headers)
    expect(response.statusCode).toBe(200)
    const { rows } = await readSheet(response.rawPayload)
    expect(rows).toHaveLength(4)
    const pdf = await exportRegister('from=2026-03-01&to=2026-03-31&format=pdf', org.users.officer.headers)
    const file = path.join(workDir, 'officer.pdf')
    await writeFile(file, pdf.rawPayload)
    if (existsSync(PDFTOTEXT)) expect(execFileSync(PDFTOTEXT, [file, '-'], { encoding: 'utf8' })).not.toContain('Sở Nội vụ')
  })

  it('GIVEN the leader WHEN exporting one register THEN the rows are those of that register', async () => {
    const registers = await t.platform.database.executeSql('select register_id from documents where id = $1', [ids[0]])
    const registerId = String(registers.rows[0]!.register_id)
    const { rows } = await readSheet((await exportRegister(`from=2026-03-01&to=2026-03-31&registerId=${registerId}`, org.users.leader.headers)).rawPayload)
    expect(rows.slice(4).map((row) => row[1])).toEqual(['1', '2', '3'])
  })

  it.each([
    ['to=2026-03-31', 'from'],
    ['from=2026-03-01', 'to'],
    ['from=2026-02-30&to=2026-03-31', 'from'],
    ['from=01/03/2026&to=2026-03-31', 'from'],
    ['from=2026-03-31&to=2026-03-01', 'to'],
    ['from=2025-01-01&to=2026-01-02', 'to'],
    ['from=2026-03-01&to=2026-03-31&format=docx', 'format'],
  ])('GIVEN the query %s WHEN exported THEN 400 names the field %s', async (query, field) => {
    const response = await exportRegister(query)
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toContain('application/problem+json')
    const problem = response.json()
    expect(problem.code).toBe('validation-failed')
    expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, message: expect.any(String), messageEn: expect.any(String) })]))
  })

  it('GIVEN a range of exactly 366 days WHEN exported THEN it is accepted', async () => {
    expect((await exportRegister('from=2024-01-01&to=2024-12-31')).statusCode).toBe(200)
  })

  it('GIVEN no session WHEN exporting THEN 401', async () => {
    expect((await t.app.inject({ url: '/api/registers/incoming/export?from=2026-03-01&to=2026-03-31' })).statusCode).toBe(401)
  })
})
