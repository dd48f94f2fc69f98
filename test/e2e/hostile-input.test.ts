import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { expectProblem } from '../helpers/access-fixtures.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

type Part = Parameters<typeof multipartBody>[0][number]

/**
 * What a careless or hostile client sends first: broken multipart bodies, control characters in text
 * fields and file names, absurd dates. Each gets a 400 problem and leaves nothing behind.
 */
describe.each(DRIVERS)('hostile input on $name', (driver) => {
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

  const counts = async () => {
    const { rows } = await t.platform.database.executeSql(
      'select (select count(*) from documents)::int as documents, (select count(*) from document_files)::int as files',
    )
    return rows[0]
  }
  const blobCount = async () => {
    let n = 0
    for await (const _ of t.platform.blobStore.list()) n++
    return n
  }
  const raw = (body: Buffer | string, contentType: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/incoming',
      payload: body,
      headers: { 'content-type': contentType, ...org.users.clerk.headers },
    })
  const register = (parts: Part[]) => {
    const { payload, headers } = multipartBody(parts)
    return t.app.inject({ method: 'POST', url: '/api/incoming', payload, headers: { ...headers, ...org.users.clerk.headers } })
  }
  const field = (name: string, value: string): Part => ({ name, value })
  const file = (data: Buffer, fileName = 'van-ban.pdf'): Part => ({ name: 'file', fileName, contentType: 'application/pdf', data })
  let serial = 0
  const uniquePdf = () => Buffer.concat([pdf, Buffer.from(`\n% hostile ${serial++}\n`)])

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN malformed multipart bodies WHEN posted THEN each is a 400 problem and nothing is stored', async () => {
      const before = { rows: await counts(), blobs: await blobCount() }
      const good = multipartBody([field('kind', 'QĐ'), file(uniquePdf())])
      const boundary = good.headers['content-type']!.split('boundary=')[1]!
      const body = good.payload
      const cases: [string, Buffer | string, string][] = [
        ['no boundary parameter', body, 'multipart/form-data'],
        ['a boundary that is not in the body', body, 'multipart/form-data; boundary=nothing-like-it'],
        ['no closing boundary', body.subarray(0, body.length - `--${boundary}--\r\n`.length), good.headers['content-type']!],
        ['a body cut in the middle of the file', body.subarray(0, Math.floor(body.length / 2)), good.headers['content-type']!],
        ['garbage', Buffer.from('\x00\xff garbage \r\n\r\n--x'.repeat(50), 'latin1'), good.headers['content-type']!],
        ['headers never ended', `--${boundary}\r\nContent-Disposition: form-data; name="kind"`, good.headers['content-type']!],
      ]
      for (const [label, payload, contentType] of cases) {
        const response = await raw(payload, contentType)
        expect({ label, status: response.statusCode, code: response.json().code }).toEqual({ label, status: 400, code: 'malformed-multipart' })
        expectProblem(response, 400, 'malformed-multipart')
        expect(response.json().title).toMatch(/[ạảãáàâấầẩẫậăắằẳẵặđêếềểễệôốồổỗộơớờởỡợưứừửữự]/)
      }
      // An empty body is a form without the file.
      expectProblem(await raw('', good.headers['content-type']!), 400, 'upload-missing-file')
      expect({ rows: await counts(), blobs: await blobCount() }).toEqual(before)
    })

    it('GIVEN a NUL or another control character in any register field WHEN registering THEN 400 names that field and nothing is stored', async () => {
      const before = { rows: await counts(), blobs: await blobCount() }
      const fields = ['issuer', 'numberNotation', 'subject', 'signer', 'signerPosition', 'receivingDepartment', 'notes', 'kind']
      const characters = ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u202e']
      for (const [i, name] of fields.entries()) {
        const character = characters[i % characters.length]!
        const response = await register([field(name, `Sở Nội vụ${character}tỉnh`), file(uniquePdf())])
        expectProblem(response, 400, 'validation-failed')
        const errors = response.json().errors as { field: string; messageEn: string }[]
        expect(errors.map((e) => e.field)).toContain(name)
        expect(errors.find((e) => e.field === name)?.messageEn).toMatch(/control characters/)
      }
      expect({ rows: await counts(), blobs: await blobCount() }).toEqual(before)
    })

    it('GIVEN tab and line breaks in a note WHEN registering THEN they are accepted as ordinary text', async () => {
      const response = await register([field('notes', 'Dòng một\r\nDòng hai\tcột'), field('kind', 'QĐ'), file(uniquePdf())])
      expect(response.statusCode, response.body).toBe(201)
      expect(response.json().document.description).toBe('Dòng một\r\nDòng hai\tcột')
    })

    it('GIVEN a NUL in a JSON body, a query string or a path WHEN sent THEN 400 names the field before any route runs', async () => {
      const id = (await register([field('kind', 'QĐ'), file(uniquePdf())])).json().id as string
      const step = await t.app.inject({
        method: 'POST',
        url: `/api/documents/${id}/routing/note`,
        payload: { comment: 'ghi chú\u0000' },
        headers: org.users.clerk.headers,
      })
      expectProblem(step, 400, 'validation-failed')
      expect(step.json().errors).toMatchObject([{ field: 'comment' }])
      const nested = await t.app.inject({
        method: 'POST',
        url: `/api/documents/${id}/routing/direct`,
        payload: { lead: { departmentId: org.departments.economy }, cooperating: [{ userId: 'x\u202ey' }] },
        headers: org.users.leader.headers,
      })
      expectProblem(nested, 400, 'validation-failed')
      expect(nested.json().errors).toMatchObject([{ field: 'cooperating.0.userId' }])
      const search = await t.app.inject({ url: '/api/search?q=quy%00et', headers: org.users.clerk.headers })
      expectProblem(search, 400, 'validation-failed')
      expect(search.json().errors).toMatchObject([{ field: 'q' }])
      const path = await t.app.inject({ url: '/api/documents/ab%00cd', headers: org.users.clerk.headers })
      expectProblem(path, 400, 'validation-failed')
      const deep = await t.app.inject({
        method: 'POST',
        url: `/api/documents/${id}/routing/note`,
        payload: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
        headers: { ...org.users.clerk.headers, 'content-type': 'application/json' },
      })
      expectProblem(deep, 400, 'validation-failed')
      const timeline = await t.app.inject({ url: `/api/documents/${id}/timeline`, headers: org.users.clerk.headers })
      expect(timeline.json().map((s: { action: string }) => s.action)).not.toContain('note')
    })

    it('GIVEN absurd dates WHEN registering THEN 400 names each and no register is made for year 1', async () => {
      const nextYear = `${new Date().getFullYear() + 11}-01-01`
      const response = await register([
        field('receivedDate', '0001-01-01'),
        field('documentDate', '1900-05-01'),
        field('deadline', nextYear),
        field('kind', 'QĐ'),
        file(uniquePdf()),
      ])
      expectProblem(response, 400, 'validation-failed')
      const errors = response.json().errors as { field: string; messageEn: string }[]
      expect(errors.map((e) => e.field).sort()).toEqual(['deadline', 'documentDate', 'receivedDate'])
      expect(errors[0]!.messageEn).toMatch(/plausible range/)
      const { rows } = await t.platform.database.executeSql('select count(*)::int as n from register_counters where year < 1945')
      expect(rows[0]!.n).toBe(0)
      const ok = await register([field('receivedDate', '1945-09-02'), field('kind', 'QĐ'), file(uniquePdf())])
      expect(ok.statusCode, ok.body).toBe(201)
    })

    it('GIVEN a file name with a right-to-left override and other invisible controls WHEN registered and downloaded THEN they are stripped from the stored name and Content-Disposition', async () => {
      const hostileName = 'hoa-don\u202efdp.exe\u2066\u200f\u0085\u00ad\u2028.pdf'
      const response = await register([field('kind', 'QĐ'), file(uniquePdf(), hostileName)])
      expect(response.statusCode, response.body).toBe(201)
      const stored = response.json().document.files[0]
      expect(stored.fileName).toBe('hoa-donfdp.exe.pdf')
      const download = await t.app.inject({
        url: `/api/documents/${response.json().id}/files/${stored.id}/content`,
        headers: org.users.clerk.headers,
      })
      expect(download.statusCode).toBe(200)
      const disposition = decodeURIComponent(String(download.headers['content-disposition']))
      expect(disposition).toContain("filename*=UTF-8''hoa-donfdp.exe.pdf")
      expect(disposition).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200e\u200f]/)
    })
  })
})
