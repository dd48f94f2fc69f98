import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { crc32 } from 'node:zlib'
import { and, eq } from 'drizzle-orm'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../src/platform/paths.ts'
import { auditEvents, signatureImages } from '../../src/platform/db/schema/index.ts'
import { type Headers, type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

const ASSETS = path.join(PROJECT_ROOT, 'src', 'signatures', 'appearance', 'assets')

function png(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number, number],
) {
  const image = new PNG({ width, height })
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) image.data.set(pixel(x, y), (y * width + x) * 4)
  return PNG.sync.write(image)
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/** An RGB PNG (no alpha channel) whose white is made transparent by a tRNS colour key. */
function rgbWithTrns(): Buffer {
  const rgba = png(40, 20, (x) => (x % 4 === 0 ? [20, 40, 170, 255] : [255, 255, 255, 255]))
  const rgb = PNG.sync.write(PNG.sync.read(rgba), { colorType: 2 })
  const iend = rgb.length - 12
  const trns = chunk('tRNS', Buffer.from([0, 255, 0, 255, 0, 255]))
  // tRNS goes before the first IDAT: after IHDR (8 + 25 bytes).
  return Buffer.concat([rgb.subarray(0, 33), trns, rgb.subarray(33, iend), rgb.subarray(iend)])
}

describe.each(DRIVERS)('signature and seal images on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let signaturePng: Buffer
  let sealPng: Buffer

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
    signaturePng = await readFile(path.join(ASSETS, 'demo-signature.png'))
    sealPng = await readFile(path.join(ASSETS, 'demo-seal.png'))
  }, 60_000)
  afterAll(async () => t?.close())

  const put = (url: string, headers: Headers, data: Buffer, fileName = 'chu-ky.png') => {
    const body = multipartBody([{ name: 'file', fileName, contentType: 'image/png', data }])
    return t.app.inject({
      method: 'PUT',
      url,
      payload: body.payload,
      headers: { ...headers, ...body.headers },
    })
  }
  const rowsOf = (kind: 'signature' | 'seal') =>
    t.platform.database.db.select().from(signatureImages).where(eq(signatureImages.kind, kind))
  const events = (action: string) =>
    t.platform.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, action)))

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN a leader WHEN uploading bad images (not PNG, too big, too many pixels, opaque, corrupt) THEN each is a 4xx problem in both languages and no row is stored', async () => {
      const leader = org.users.leader.headers
      const opaque = png(50, 20, () => [20, 40, 170, 255])
      const corrupt = Buffer.from(signaturePng)
      corrupt.writeUInt8(corrupt.readUInt8(corrupt.length - 40) ^ 0xff, corrupt.length - 40)
      const noise = png(600, 600, () => [...randomBytes(3), 128] as [number, number, number, number])
      const cases: [string, Buffer, number, string][] = [
        ['not a PNG', Buffer.from('%PDF-1.7\n% not an image\n'), 415, 'upload-unsupported-type'],
        ['larger than 512 KiB', noise, 413, 'upload-too-large'],
        ['3001 px wide', png(3001, 2, () => [0, 0, 255, 0]), 422, 'signature-image-invalid'],
        [
          'RGB without alpha',
          PNG.sync.write(PNG.sync.read(opaque), { colorType: 2 }),
          422,
          'signature-image-invalid',
        ],
        ['RGBA fully opaque', opaque, 422, 'signature-image-invalid'],
        ['damaged (CRC)', corrupt, 422, 'unreadable-image'],
        ['truncated', signaturePng.subarray(0, 2000), 422, 'unreadable-image'],
      ]
      expect(noise.length).toBeGreaterThan(512 * 1024)
      for (const [name, data, status, code] of cases) {
        const response = await put('/api/me/signature-image', leader, data)
        expect(response.statusCode, `${name}: ${response.body}`).toBe(status)
        expect(response.headers['content-type']).toMatch(/problem\+json/)
        const problem = response.json()
        expect(problem.code, name).toBe(code)
        expect(problem.title).toBeTruthy()
        expect(problem.titleEn).toBeTruthy()
      }
      expect(await rowsOf('signature')).toHaveLength(0)
      expect(await events('signature-image.set')).toHaveLength(0)
      const none = await t.app.inject({ url: '/api/me/signature-image', headers: leader })
      expect(none.statusCode).toBe(404)
      expect(none.headers['content-type']).toMatch(/problem\+json/)
    })

    it('GIVEN a leader WHEN uploading a transparent PNG, then another (tRNS) THEN the first is retired, GET serves the current PNG, DELETE retires it; each change audited', async () => {
      const leader = org.users.leader.headers
      const first = await put('/api/me/signature-image', leader, signaturePng)
      expect(first.statusCode, first.body).toBe(200)
      expect(first.json()).toMatchObject({ kind: 'signature', width: 600, height: 240 })
      expect(first.json().sha256).toMatch(/^[0-9a-f]{64}$/)
      const got = await t.app.inject({ url: '/api/me/signature-image', headers: leader })
      expect(got.statusCode).toBe(200)
      expect(got.headers['content-type']).toBe('image/png')
      expect(got.rawPayload.equals(signaturePng)).toBe(true)

      const trns = rgbWithTrns()
      const second = await put('/api/me/signature-image', leader, trns)
      expect(second.statusCode, second.body).toBe(200)
      expect(second.json()).toMatchObject({ width: 40, height: 20 })
      const rows = await rowsOf('signature')
      expect(rows).toHaveLength(2)
      expect(rows.find((row) => row.id === first.json().id)!.retiredAt).toBeInstanceOf(Date)
      expect(rows.find((row) => row.id === second.json().id)!.retiredAt).toBeNull()
      const current = await t.app.inject({ url: '/api/me/signature-image', headers: leader })
      expect(current.rawPayload.equals(trns)).toBe(true)
      expect(await events('signature-image.set')).toHaveLength(2)

      const removed = await t.app.inject({
        method: 'DELETE',
        url: '/api/me/signature-image',
        headers: leader,
      })
      expect(removed.statusCode).toBe(204)
      expect((await rowsOf('signature')).every((row) => row.retiredAt !== null)).toBe(true)
      expect((await t.app.inject({ url: '/api/me/signature-image', headers: leader })).statusCode).toBe(404)
      expect(await events('signature-image.retired')).toHaveLength(1)
      const again = await t.app.inject({ method: 'DELETE', url: '/api/me/signature-image', headers: leader })
      expect(again.statusCode).toBe(404)
    })

    it('GIVEN four uploads at once WHEN they race THEN each is 200 or 409 and exactly one image is current', async () => {
      const responses = await Promise.all(
        [1, 2, 3, 4].map((i) =>
          put(
            '/api/me/signature-image',
            org.users.leader.headers,
            png(20 + i, 10, (x) => [20, 40, 170, x % 2 ? 255 : 0]),
          ),
        ),
      )
      const statuses = responses.map((response) => response.statusCode)
      expect(
        statuses.every((status) => status === 200 || status === 409),
        String(statuses),
      ).toBe(true)
      expect(statuses).toContain(200)
      expect((await rowsOf('signature')).filter((row) => row.retiredAt === null)).toHaveLength(1)
    })

    it('GIVEN the seal image WHEN the admin sets it THEN clerks may read it, officers and leaders may not, and only admins change it', async () => {
      const url = '/api/admin/signing/seal-image'
      expect((await put(url, org.users.clerk.headers, sealPng)).statusCode).toBe(403)
      expect((await put('/api/me/signature-image', org.users.clerk.headers, signaturePng)).statusCode).toBe(
        403,
      )
      const set = await put(url, org.admin, sealPng)
      expect(set.statusCode, set.body).toBe(200)
      expect(set.json()).toMatchObject({ kind: 'seal', width: 426, height: 426 })
      for (const headers of [org.admin, org.users.clerk.headers]) {
        const got = await t.app.inject({ url, headers })
        expect(got.statusCode).toBe(200)
        expect(got.rawPayload.equals(sealPng)).toBe(true)
      }
      for (const headers of [org.users.officer.headers, org.users.leader.headers])
        expect((await t.app.inject({ url, headers })).statusCode).toBe(403)
      const opaque = await put(
        url,
        org.admin,
        png(30, 30, () => [210, 25, 35, 255]),
      )
      expect(opaque.statusCode).toBe(422)
      expect(await rowsOf('seal')).toHaveLength(1)
      expect(
        (await t.app.inject({ method: 'DELETE', url, headers: org.users.clerk.headers })).statusCode,
      ).toBe(403)
      expect((await t.app.inject({ method: 'DELETE', url, headers: org.admin })).statusCode).toBe(204)
      expect((await t.app.inject({ url, headers: org.users.clerk.headers })).statusCode).toBe(404)
    })
  })
})
