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
  })
})
