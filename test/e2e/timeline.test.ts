import { readFile } from 'node:fs/promises'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routingSteps } from '../../src/platform/db/schema/index.ts'
import { appendTimelineEntry } from '../../src/timeline/timeline.ts'
import type { Headers, Organisation } from '../helpers/accounts.ts'
import { seedOrganisation } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { importTestCredential } from '../helpers/signing-setup.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'
import { testPki } from '../helpers/test-pki.ts'

/**
 * Quá trình xử lý (issue 11 item 5): every step of a document's life is a timeline entry, written in the
 * transaction of its change — registration with its số đến, routing, trình ký and its refusal or
 * withdrawal, the leader's signature and the seal.
 */

const PIN = '246810'
const SEAL_PIN = '135791'

interface Step {
  seq: number
  action: string
  fromStatus: string
  toStatus: string
  actorName: string | null
  actorDepartmentName: string | null
  comment: string | null
  details: Record<string, unknown>
}

describe.each(DRIVERS)('document timeline on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let pdf: Buffer
  let n = 0

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
    pdf = await readFile(corpusFile('001.pdf'))
    const pki = testPki()
    await importTestCredential(t, '/api/me/signing-credentials', org.users.leader.headers, { entity: pki.leader, pki, pin: PIN })
    await importTestCredential(t, '/api/admin/signing/agency-seal', org.admin, { entity: pki.agency, pki, pin: SEAL_PIN })
  }, 120_000)
  afterAll(async () => t?.close())

  const upload = async (url: string, fields: Record<string, string>, headers: Headers) => {
    const { payload, headers: multipart } = multipartBody([
      ...Object.entries(fields).map(([name, value]) => ({ name, value })),
      { name: 'file', fileName: 'van-ban.pdf', contentType: 'application/pdf', data: Buffer.concat([pdf, Buffer.from(`\n% ${n++}\n`)]) },
    ])
    const response = await t.app.inject({ method: 'POST', url, payload, headers: { ...multipart, ...headers } })
    expect(response.statusCode, response.body).toBe(201)
    return response.json()
  }
  const post = (url: string, payload: object, headers: Headers) => t.app.inject({ method: 'POST', url, payload, headers })
  const timeline = async (id: string, headers = org.users.clerk.headers): Promise<Step[]> => {
    const response = await t.app.inject({ url: `/api/documents/${id}/timeline`, headers })
    expect(response.statusCode, response.body).toBe(200)
    return response.json()
  }

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN a clerk registers an incoming document WHEN its timeline is read THEN the first step is its registration with the số đến', async () => {
      const created = await upload('/api/incoming', { kind: 'Quyết định', numberNotation: '15/QĐ-UBND', issuer: 'Sở Nội vụ' }, org.users.clerk.headers)
      const steps = await timeline(created.id)
      expect(steps).toHaveLength(1)
      expect(steps[0]).toMatchObject({
        seq: 1,
        action: 'registered',
        fromStatus: 'registered',
        toStatus: 'registered',
        actorName: 'Nguyễn Thị Văn Thư',
        actorDepartmentName: 'Văn phòng',
        details: { incomingNumber: created.incomingNumber, numberNotation: '15/QĐ-UBND' },
      })
      expect(steps[0]!.details.receivedDate).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    })

    it('GIVEN a saved draft WHEN the clerk registers it THEN the timeline shows the draft, then its registration from draft with the số đến', async () => {
      const draft = await upload('/api/incoming', { kind: 'Công văn', draft: 'true' }, org.users.clerk.headers)
      const registered = await post(`/api/incoming/${draft.id}/register`, {}, org.users.clerk.headers)
      expect(registered.statusCode, registered.body).toBe(200)
      const steps = await timeline(draft.id)
      expect(steps.map((s) => s.action)).toEqual(['draft-saved', 'registered'])
      expect(steps[1]).toMatchObject({ seq: 2, fromStatus: 'draft', toStatus: 'registered', details: { incomingNumber: registered.json().incomingNumber } })
    })

    it('GIVEN an outgoing draft WHEN put forward, refused, put forward again, withdrawn, put forward, signed and sealed THEN each is a step in order with its actor, reason and signer', async () => {
      const { clerk, leader } = org.users
      const id = (await upload('/api/documents', { direction: 'outgoing', kind: 'Quyết định', subject: 'Về kế hoạch' }, clerk.headers)).document.id
      const request = async (comment: string) => {
        const response = await post(`/api/documents/${id}/signature-requests`, { signerId: leader.id, comment }, clerk.headers)
        expect(response.statusCode, response.body).toBe(201)
        return response.json().id as string
      }
      const first = await request('Kính trình Chủ tịch ký')
      expect((await post(`/api/signature-requests/${first}/refuse`, { reason: 'Sửa lại điều 2' }, leader.headers)).statusCode).toBe(200)
      const second = await request('Đã sửa điều 2')
      expect((await post(`/api/signature-requests/${second}/withdraw`, {}, clerk.headers)).statusCode).toBe(200)
      await request('Trình lại')
      const signed = await post(`/api/documents/${id}/sign`, { pin: PIN }, leader.headers)
      expect(signed.statusCode, signed.body).toBe(201)
      const sealed = await post(`/api/documents/${id}/seal`, { pin: SEAL_PIN }, clerk.headers)
      expect(sealed.statusCode, sealed.body).toBe(201)

      const steps = await timeline(id)
      expect(steps.map((s) => s.action)).toEqual([
        'drafted',
        'signature-requested',
        'signature-refused',
        'signature-requested',
        'signature-withdrawn',
        'signature-requested',
        'signed',
        'sealed',
      ])
      expect(steps.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
      expect(steps[1]).toMatchObject({ actorName: 'Nguyễn Thị Văn Thư', comment: 'Kính trình Chủ tịch ký', details: { signerName: 'Lê Văn Lãnh Đạo' } })
      expect(steps[2]).toMatchObject({ actorName: 'Lê Văn Lãnh Đạo', comment: 'Sửa lại điều 2' })
      expect(steps[4]).toMatchObject({ actorName: 'Nguyễn Thị Văn Thư', details: { signerName: 'Lê Văn Lãnh Đạo' } })
      expect(steps[6]).toMatchObject({ actorName: 'Lê Văn Lãnh Đạo', actorDepartmentName: 'Văn phòng', details: { signer: 'Nguyễn Văn An' } })
      expect(steps[6]!.details.fileName).toMatch(/\.pdf$/)
      expect(steps[7]).toMatchObject({ actorName: 'Nguyễn Thị Văn Thư', details: { signer: 'Ủy ban nhân dân tỉnh Hòa Giang' } })
      expect((await t.app.inject({ url: '/api/audit/verify', headers: org.admin })).json()).toMatchObject({ ok: true })
    })

    it('GIVEN a refused signature (wrong PIN) or a step the status does not allow WHEN it fails THEN the timeline is unchanged', async () => {
      const created = await upload('/api/incoming', { kind: 'Công văn' }, org.users.clerk.headers)
      const before = await timeline(created.id)
      expect((await post(`/api/documents/${created.id}/sign`, { pin: '000000' }, org.users.leader.headers)).statusCode).toBe(422)
      expect((await post(`/api/documents/${created.id}/routing/complete`, {}, org.users.clerk.headers)).statusCode).toBe(409)
      expect(await timeline(created.id)).toEqual(before)
    })

    it('GIVEN ten writers appending to one document at once WHEN they commit THEN the steps are numbered 1…n without gaps or repeats; a rolled-back writer leaves nothing', async () => {
      const created = await upload('/api/incoming', { kind: 'Công văn' }, org.users.clerk.headers)
      const { db } = t.platform.database
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          db.transaction((tx) => appendTimelineEntry(tx, { documentId: created.id, action: 'note', actor: 'system', details: { i } })),
        ),
      )
      await expect(
        db.transaction(async (tx) => {
          await appendTimelineEntry(tx, { documentId: created.id, action: 'note', actor: 'system', comment: 'rolled back' })
          throw new Error('the change failed')
        }),
      ).rejects.toThrow('the change failed')
      const rows = await db.select().from(routingSteps).where(eq(routingSteps.documentId, created.id))
      expect(rows.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1))
      expect(rows.some((r) => r.comment === 'rolled back')).toBe(false)
      const steps = await timeline(created.id)
      expect(steps.at(-1)).toMatchObject({ actorName: null, action: 'note' })
    })
  })
})
