import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Organisation, seedOrganisation, sha256 } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

type Part = Parameters<typeof multipartBody>[0][number]

describe.each(DRIVERS)('incoming registration on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let pdf: Buffer

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
    pdf = await readFile(corpusFile('005.pdf'))
  })
  afterAll(async () => t?.close())

  const register = (parts: Part[], headers = org.users.clerk.headers) => {
    const { payload, headers: multipart } = multipartBody(parts)
    return t.app.inject({ method: 'POST', url: '/api/incoming', payload, headers: { ...multipart, ...headers } })
  }
  const field = (name: string, value: string): Part => ({ name, value })
  const file = (data: Buffer, fileName = 'van-ban.pdf', contentType = 'application/pdf'): Part => ({ name: 'file', fileName, contentType, data })
  const unique = (tag: string) => Buffer.concat([pdf, Buffer.from(`\n% ${tag}\n`)])
  const counts = async () => {
    const { rows } = await t.platform.database.executeSql(
      'select (select count(*) from documents)::int as documents, (select count(*) from document_files)::int as files',
    )
    return rows[0]
  }

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN a corpus PDF and the register fields WHEN a clerk registers it THEN 201 with số đến 1 in the default register', async () => {
      const response = await register([
        field('issuer', 'Sở Nội vụ tỉnh Hòa Giang'),
        field('numberNotation', '05/QĐ-SNV'),
        field('documentDate', '2025-03-12'),
        field('kind', 'QĐ'),
        field('subject', 'Về việc ban hành Quy chế làm việc'),
        field('signer', 'Nguyễn Văn An'),
        field('urgency', 'Khẩn'),
        field('deadline', '2025-04-01'),
        file(pdf, 'QĐ 05.pdf'),
      ])
      expect(response.statusCode, response.body).toBe(201)
      const body = response.json()
      expect(body).toMatchObject({ incomingNumber: 1, status: 'registered', registerYear: Number(new Date().getFullYear()) })
      expect(body.document).toMatchObject({
        kind: 'Quyết định',
        numberNotation: '05/QĐ-SNV',
        issuerName: 'Sở Nội vụ tỉnh Hòa Giang',
        signerName: 'Nguyễn Văn An',
        urgency: 1,
        dueDate: '2025-04-01',
        arrivalNumber: 1,
      })
      expect(body.document.files[0]).toMatchObject({ role: 'original', sha256: sha256(pdf) })
    })

    it('GIVEN a registered issuer WHEN a clerk types part of its name without diacritics THEN it is suggested', async () => {
      const response = await t.app.inject({ url: '/api/incoming/issuers?q=so%20noi%20vu', headers: org.users.clerk.headers })
      expect(response.statusCode).toBe(200)
      expect(response.json().items).toEqual([{ name: 'Sở Nội vụ tỉnh Hòa Giang', uses: 1 }])
      expect((await t.app.inject({ url: '/api/incoming/issuers?q=bo%20tai%20chinh', headers: org.users.clerk.headers })).json().items).toEqual([])
    })

    it('GIVEN a PDF and two attachments WHEN registered THEN the first is the original and the others attachments', async () => {
      const response = await register([field('kind', 'Công văn'), file(unique('main')), file(unique('a1'), 'phu-luc-1.pdf'), file(unique('a2'), 'phu-luc-2.pdf')])
      expect(response.statusCode, response.body).toBe(201)
      expect(response.json().document.files.map((f: { role: string }) => f.role)).toEqual(['original', 'attachment', 'attachment'])
      expect(response.json().incomingNumber).toBe(2)
    })

    it('GIVEN a draft WHEN saved, corrected and registered THEN it gets its số đến only at registration, each step audited', async () => {
      const saved = await register([field('draft', 'true'), field('kind', 'TB'), field('subject', 'Bản nháp'), file(unique('draft'))])
      expect(saved.statusCode, saved.body).toBe(201)
      expect(saved.json()).toMatchObject({ status: 'draft', incomingNumber: null })
      const id = saved.json().id
      const badPatch = await t.app.inject({ method: 'PATCH', url: `/api/incoming/${id}`, payload: { documentDate: '2999-01-01' }, headers: org.users.clerk.headers })
      expect(badPatch.statusCode).toBe(400)
      expect(badPatch.json().errors[0].field).toBe('documentDate')
      const patched = await t.app.inject({
        method: 'PATCH',
        url: `/api/incoming/${id}`,
        payload: { kind: 'Thông báo', subject: 'Thông báo lịch họp', issuer: 'Văn phòng Tỉnh ủy' },
        headers: org.users.clerk.headers,
      })
      expect(patched.statusCode, patched.body).toBe(200)
      expect(patched.json()).toMatchObject({ subject: 'Thông báo lịch họp', status: 'draft' })
      // Another department's clerk cannot touch it.
      expect((await t.app.inject({ method: 'POST', url: `/api/incoming/${id}/register`, payload: {}, headers: org.users.clerkEconomy.headers })).statusCode).toBe(404)
      const registeredDraft = await t.app.inject({ method: 'POST', url: `/api/incoming/${id}/register`, payload: {}, headers: org.users.clerk.headers })
      expect(registeredDraft.statusCode, registeredDraft.body).toBe(200)
      expect(registeredDraft.json()).toMatchObject({ status: 'registered', incomingNumber: expect.any(Number) })
      const again = await t.app.inject({ method: 'POST', url: `/api/incoming/${id}/register`, payload: {}, headers: org.users.clerk.headers })
      expect(again.statusCode).toBe(404)
      const { rows } = await t.platform.database.executeSql('select action from audit_events where target_id = $1 order by seq', [id])
      expect(rows.map((r) => r.action)).toEqual(['document.draft-saved', 'document.draft-updated', 'document.registered'])
    })

    it('GIVEN two scanned page images WHEN registered THEN they become one two-page PDF in upload order', async () => {
      const page1 = await readFile(corpusFile('002.scan.png'))
      const page2 = await readFile(corpusFile('009.scan.png'))
      const response = await register([field('kind', 'Giấy mời'), file(page1, 'trang-1.png', 'image/png'), file(page2, 'trang-2.png', 'image/png')])
      expect(response.statusCode, response.body).toBe(201)
      const [joined] = response.json().document.files
      expect(joined).toMatchObject({ mediaType: 'application/pdf', pageCount: 2, fileName: 'trang-1.pdf' })
      const bytes = (await t.app.inject({ url: joined.contentUrl, headers: org.users.clerk.headers })).rawPayload
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    })

    it('GIVEN a PDF carrying signature dictionaries WHEN registered THEN the file records them', async () => {
      const signed = Buffer.concat([pdf, Buffer.from('\n% /Type /Sig /ByteRange [0 10 20 30]\n% /ByteRange [0 11 21 31]\n')])
      const response = await register([field('kind', 'QĐ'), file(signed, 'da-ky.pdf')])
      expect(response.statusCode, response.body).toBe(201)
      const { rows } = await t.platform.database.executeSql('select signature_count from document_files where document_id = $1', [response.json().id])
      expect(rows[0]?.signature_count).toBe(2)
    })

    it('GIVEN the same file again WHEN registered THEN 409 points at the earlier record; confirmed THEN registered and audited', async () => {
      const again = await register([field('kind', 'QĐ'), file(pdf, 'lan-2.pdf')])
      expect(again.statusCode).toBe(409)
      const problem = again.json()
      expect(problem).toMatchObject({ code: 'duplicate-suspected', title: expect.stringContaining('đã được đăng ký') })
      expect(problem.duplicates[0]).toMatchObject({ incomingNumber: 1, reason: 'same-file', url: expect.stringMatching(/^\/api\/documents\//) })
      const confirmed = await register([field('kind', 'QĐ'), field('confirmDuplicate', 'true'), file(pdf, 'lan-2.pdf')])
      expect(confirmed.statusCode, confirmed.body).toBe(201)
      const { rows } = await t.platform.database.executeSql(
        "select details from audit_events where action = 'document.registered' and target_id = $1",
        [confirmed.json().id],
      )
      const details = rows[0]!.details as { duplicateConfirmed: string[] }
      expect(details.duplicateConfirmed).toContain(problem.duplicates[0].id)
    })

    it('GIVEN the same issuer, number and date in another file WHEN registered THEN it is a suspected duplicate too', async () => {
      const response = await register([
        field('issuer', 'SỞ NỘI VỤ TỈNH HÒA GIANG'),
        field('numberNotation', '5/QĐ-SNV'),
        field('documentDate', '2025-03-12'),
        file(unique('rescan')),
      ])
      expect(response.statusCode).toBe(409)
      expect(response.json().duplicates[0]).toMatchObject({ reason: 'same-number', numberNotation: '05/QĐ-SNV' })
    })

    it('GIVEN bad fields WHEN registered THEN 400 names the form fields in Vietnamese, and nothing is stored', async () => {
      const before = await counts()
      const response = await register([
        field('numberNotation', 'số 15'),
        field('documentDate', '2999-01-01'),
        field('kind', 'Thư tay'),
        field('colour', 'đỏ'),
        file(unique('bad')),
      ])
      expect(response.statusCode).toBe(400)
      expect(Object.fromEntries(response.json().errors.map((e: { field: string; message: string }) => [e.field, e.message]))).toEqual({
        numberNotation: 'Số, ký hiệu không đúng định dạng (ví dụ: 15/QĐ-UBND).',
        documentDate: 'Ngày không được ở tương lai.',
        kind: 'Loại văn bản không có trong danh mục.',
        colour: 'Trường không được hỗ trợ.',
      })
      expect(await counts()).toEqual(before)
    })

    it('GIVEN a Mật document WHEN registered THEN it is numbered in the secret register, from 1', async () => {
      const response = await register([field('kind', 'TB'), field('secrecy', 'Mật'), file(unique('mat'))])
      expect(response.statusCode, response.body).toBe(201)
      expect(response.json().incomingNumber).toBe(1)
      const { rows } = await t.platform.database.executeSql('select name, secret from registers where id = $1', [response.json().registerId])
      expect(rows[0]).toMatchObject({ name: 'Sổ văn bản đến mật', secret: true })
    })

    it('GIVEN an officer or a leader WHEN they try to register THEN 403, and nothing is stored', async () => {
      const before = await counts()
      for (const user of [org.users.officer, org.users.leader]) {
        const response = await register([file(unique('not-a-clerk'))], user.headers)
        expect(response.statusCode).toBe(403)
      }
      expect(await counts()).toEqual(before)
    })

    it('GIVEN 30 clerks registering at once over HTTP WHEN numbered THEN the numbers continue with no gap or repeat', async () => {
      const first = (await t.platform.database.executeSql(
        "select max(arrival_number)::int as n from documents d join registers r on r.id = d.register_id where not r.secret",
      )).rows[0]?.n as number
      const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => register([field('kind', 'BC'), file(unique(`parallel-${i}`))])))
      expect(responses.map((r) => r.statusCode)).toEqual(Array(30).fill(201))
      const numbers = responses.map((r) => r.json().incomingNumber as number).sort((a, b) => a - b)
      expect(numbers).toEqual(Array.from({ length: 30 }, (_, i) => first + i + 1))
    })
  })
})
