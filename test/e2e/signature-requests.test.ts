import { readFile } from 'node:fs/promises'
import { and, asc, eq, like } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditEvents, notifications, signatureRequests } from '../../src/platform/db/schema/index.ts'
import { type Headers, type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { importTestCredential } from '../helpers/signing-setup.ts'
import { extraUser } from '../helpers/routing-steps.ts'
import { headerOf, type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'
import { testPki } from '../helpers/test-pki.ts'

const PIN = '246810'
const SEAL_PIN = '135791'

/** Uploads an outgoing draft (dự thảo) PDF for the clerk's department. */
async function uploadDraft(
  t: TestApp,
  headers: Headers,
  fields: Record<string, string>,
  file: { data: Buffer; name: string; type: string },
): Promise<string> {
  const { payload, headers: multipart } = multipartBody([
    { name: 'direction', value: 'outgoing' },
    { name: 'kind', value: 'Quyết định' },
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    { name: 'file', fileName: file.name, contentType: file.type, data: file.data },
  ])
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/documents',
    payload,
    headers: { ...multipart, ...headers },
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().document.id as string
}

describe.each(DRIVERS)('signature requests (trình ký) on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  /** A second leader of the agency, without clearance for secret documents. */
  let otherLeader: { id: string; headers: Headers }
  let pdf: Buffer
  let n = 0

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
    pdf = await readFile(corpusFile('001.pdf'))
    otherLeader = await extraUser(t.app, org.admin, {
      username: 'phochutich',
      fullName: 'Đỗ Văn Phó',
      roles: ['leader'],
      departmentId: org.departments.office,
    })
    await importTestCredential(t, '/api/me/signing-credentials', org.users.leader.headers, {
      entity: testPki().leader,
      pki: testPki(),
      pin: PIN,
    })
    await importTestCredential(t, '/api/admin/signing/agency-seal', org.admin, {
      entity: testPki().agency,
      pki: testPki(),
      pin: SEAL_PIN,
    })
  }, 120_000)
  afterAll(async () => t?.close())

  /** An outgoing draft (dự thảo) of the clerk's department, with its own bytes. */
  const draft = (fields: Record<string, string> = {}, file?: { data: Buffer; name: string; type: string }) =>
    uploadDraft(
      t,
      org.users.clerk.headers,
      { subject: `Về việc phê duyệt kế hoạch ${n}`, ...fields },
      {
        name: 'du-thao.pdf',
        type: 'application/pdf',
        data: Buffer.concat([pdf, Buffer.from(`\n% draft ${n++}\n`)]),
        ...file,
      },
    )
  const post = (url: string, headers: Headers, payload?: object) =>
    t.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) })
  const get = (url: string, headers: Headers) => t.app.inject({ url, headers })
  const request = (
    documentId: string,
    signerId: string,
    comment?: string,
    headers = org.users.clerk.headers,
  ) =>
    post(`/api/documents/${documentId}/signature-requests`, headers, {
      signerId,
      ...(comment ? { comment } : {}),
    })
  const queue = async (headers = org.users.leader.headers, query = '') => {
    const response = await get(`/api/signature-requests${query}`, headers)
    expect(response.statusCode, response.body).toBe(200)
    return response.json() as {
      items: Array<{ id: string; state: string } & Record<string, unknown>>
      total: number
    }
  }
  const count = async (headers = org.users.leader.headers) =>
    (await get('/api/signature-requests/count', headers)).json().pending as number
  const db = () => t.platform.database.db
  const rowsOf = (documentId: string) =>
    db().select().from(signatureRequests).where(eq(signatureRequests.documentId, documentId))
  const eventsOf = (documentId: string) =>
    db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, documentId), like(auditEvents.action, 'signature.%')))
      .orderBy(asc(auditEvents.seq))
  const noticesOf = (documentId: string, userId?: string) =>
    db()
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.documentId, documentId),
          like(notifications.kind, 'signature.%'),
          userId ? eq(notifications.userId, userId) : undefined,
        ),
      )
  const traces = async (documentId: string) => ({
    requests: (await rowsOf(documentId)).length,
    events: (await eventsOf(documentId)).length,
    notices: (await noticesOf(documentId)).length,
  })

  describe.skipIf(!driver.available)('(needs the database)', () => {
    let documentId: string

    it('GIVEN an outgoing draft WHEN the clerk puts it before the leader THEN 201, the leader queue lists it, count 1, the leader is notified, an audit event', async () => {
      documentId = await draft({ urgency: '1' })
      const response = await request(documentId, org.users.leader.id, 'Kính trình lãnh đạo ký ban hành.')
      expect(response.statusCode, response.body).toBe(201)
      const view = response.json()
      expect(view).toMatchObject({
        state: 'pending',
        comment: 'Kính trình lãnh đạo ký ban hành.',
        decisionComment: null,
        decidedAt: null,
        signedFileId: null,
        document: {
          id: documentId,
          direction: 'outgoing',
          kind: 'Quyết định',
          numberNotation: null,
          urgency: 1,
          secrecy: 0,
        },
        file: { fileName: 'du-thao.pdf' },
        requestedBy: { id: org.users.clerk.id, fullName: 'Nguyễn Thị Văn Thư' },
        signer: { id: org.users.leader.id, fullName: 'Lê Văn Lãnh Đạo' },
      })
      expect(view.document.subject).toMatch(/^Về việc phê duyệt kế hoạch/)

      const mine = await queue()
      expect(mine.items.map((item) => item.id)).toEqual([view.id])
      expect(mine.total).toBe(1)
      expect(await count()).toBe(1)
      const sent = await queue(org.users.clerk.headers, '?scope=sent')
      expect(sent.items.map((item) => item.id)).toEqual([view.id])

      const [notice] = await noticesOf(documentId, org.users.leader.id)
      expect(notice).toMatchObject({ kind: 'signature.requested', title: 'Văn bản trình ký' })
      expect(notice!.body).toContain('Nguyễn Thị Văn Thư trình ký: Kính trình lãnh đạo ký ban hành.')
      const events = await eventsOf(documentId)
      expect(events.map((event) => event.action)).toEqual(['signature.requested'])
      expect(events[0]!.details).toMatchObject({ signatureRequestId: view.id, signerId: org.users.leader.id })
    })

    it('GIVEN a pending request WHEN it is asked again THEN 409 naming the pending request, and nothing is written', async () => {
      const before = await traces(documentId)
      const [pending] = await rowsOf(documentId)
      const response = await request(documentId, otherLeader.id)
      expect(response.statusCode, response.body).toBe(409)
      expect(response.headers['content-type']).toMatch(/problem\+json/)
      expect(response.json()).toMatchObject({ code: 'conflict', signatureRequestId: pending!.id })
      expect(await traces(documentId)).toEqual(before)
    })

    it('GIVEN the pending request WHEN someone other than its signer acts on it THEN 403 or 404, and it stays pending', async () => {
      const [pending] = await rowsOf(documentId)
      const before = await traces(documentId)
      const otherRefuses = await post(`/api/signature-requests/${pending!.id}/refuse`, otherLeader.headers, {
        reason: 'Không đồng ý',
      })
      expect(otherRefuses.statusCode, otherRefuses.body).toBe(403)
      const officerRefuses = await post(
        `/api/signature-requests/${pending!.id}/refuse`,
        org.users.officer.headers,
        {
          reason: 'Không đồng ý',
        },
      )
      expect(officerRefuses.statusCode).toBe(403)
      // The other department's clerk cannot open the draft: the request does not exist for them.
      const strangerWithdraws = await post(
        `/api/signature-requests/${pending!.id}/withdraw`,
        org.users.clerkEconomy.headers,
      )
      expect(strangerWithdraws.statusCode).toBe(404)
      const signerWithdraws = await post(
        `/api/signature-requests/${pending!.id}/withdraw`,
        org.users.leader.headers,
      )
      expect(signerWithdraws.statusCode).toBe(403)
      expect((await get('/api/signature-requests?scope=mine', org.users.officer.headers)).statusCode).toBe(
        403,
      )
      expect((await get('/api/signature-requests/count', org.users.clerk.headers)).statusCode).toBe(403)
      expect((await queue(otherLeader.headers)).items).toEqual([])
      expect(
        (await get(`/api/documents/${documentId}/signature-requests`, org.users.officer.headers)).statusCode,
      ).toBe(404)
      expect(await traces(documentId)).toEqual(before)
      expect((await rowsOf(documentId))[0]!.state).toBe('pending')
    })

    it('GIVEN the pending request WHEN the leader refuses without a reason THEN 4xx and nothing changes', async () => {
      const [pending] = await rowsOf(documentId)
      const before = await traces(documentId)
      const url = `/api/signature-requests/${pending!.id}/refuse`
      const missing = await post(url, org.users.leader.headers, {})
      expect(missing.statusCode).toBe(400)
      const blank = await post(url, org.users.leader.headers, { reason: '   ' })
      expect(blank.statusCode, blank.body).toBe(422)
      expect(blank.json().errors[0]).toMatchObject({ field: 'reason', messageEn: 'A reason is required.' })
      const tooLong = await post(url, org.users.leader.headers, { reason: 'x'.repeat(2001) })
      expect(tooLong.statusCode).toBe(400)
      expect(await traces(documentId)).toEqual(before)
    })

    it('GIVEN the pending request WHEN the leader refuses with a reason THEN refused, the requester is told the reason, the queue is empty, a second refusal is 409', async () => {
      const [pending] = await rowsOf(documentId)
      const reason = 'Đề nghị bổ sung căn cứ pháp lý tại Điều 2.'
      const response = await post(`/api/signature-requests/${pending!.id}/refuse`, org.users.leader.headers, {
        reason,
      })
      expect(response.statusCode, response.body).toBe(200)
      expect(response.json()).toMatchObject({ id: pending!.id, state: 'refused', decisionComment: reason })
      expect(Date.parse(response.json().decidedAt)).toBeGreaterThan(0)
      const [notice] = (await noticesOf(documentId, org.users.clerk.id)).filter(
        (n) => n.kind === 'signature.refused',
      )
      expect(notice!.title).toBe('Văn bản trình ký bị trả lại')
      expect(notice!.body).toContain(reason)
      const refused = (await eventsOf(documentId)).find((event) => event.action === 'signature.refused')
      expect(refused!.details).toMatchObject({ signatureRequestId: pending!.id, reason })
      expect((await queue()).items).toEqual([])
      expect(await count()).toBe(0)
      const history = await queue(org.users.leader.headers, '?state=refused')
      expect(history.items.map((item) => item.id)).toEqual([pending!.id])

      const before = await traces(documentId)
      const again = await post(`/api/signature-requests/${pending!.id}/refuse`, org.users.leader.headers, {
        reason,
      })
      expect(again.statusCode).toBe(409)
      expect(again.json()).toMatchObject({ state: 'refused', allowedStates: ['pending'] })
      const withdrawn = await post(`/api/signature-requests/${pending!.id}/withdraw`, org.users.clerk.headers)
      expect(withdrawn.statusCode).toBe(409)
      expect(await traces(documentId)).toEqual(before)
    })

    it('GIVEN a refused draft put forward again WHEN the leader signs it with the PIN THEN the request is signed with the signed file, the requester is told, the queue is empty', async () => {
      const again = await request(documentId, org.users.leader.id, 'Đã bổ sung căn cứ, kính trình ký lại.')
      expect(again.statusCode, again.body).toBe(201)
      expect(await count()).toBe(1)
      const signed = await post(`/api/documents/${documentId}/sign`, org.users.leader.headers, { pin: PIN })
      expect(signed.statusCode, signed.body).toBe(201)

      const listed = await get(`/api/documents/${documentId}/signature-requests`, org.users.clerk.headers)
      expect(listed.statusCode).toBe(200)
      const items = listed.json().items
      expect(items.map((item: { id: string }) => item.id)).toEqual([
        again.json().id,
        (await rowsOf(documentId)).find((r) => r.state === 'refused')!.id,
      ])
      expect(items[0]).toMatchObject({ state: 'signed', signedFileId: signed.json().id })
      expect(items[0].decidedAt).not.toBeNull()
      expect((await queue()).items).toEqual([])
      expect(await count()).toBe(0)
      const [notice] = (await noticesOf(documentId, org.users.clerk.id)).filter(
        (n) => n.kind === 'signature.signed',
      )
      expect(notice!.title).toBe('Văn bản đã ký, chờ đóng dấu, ban hành')
      expect(notice!.body).toContain('Lê Văn Lãnh Đạo đã ký')
      expect((await eventsOf(documentId)).map((event) => event.action)).toEqual([
        'signature.requested',
        'signature.refused',
        'signature.requested',
        'signature.request-signed',
      ])
      const verdict = await get('/api/audit/verify', org.admin)
      expect(verdict.json()).toMatchObject({ ok: true })
    })

    it('GIVEN a pending request WHEN the requester withdraws it THEN withdrawn, the signer is told, and it leaves the queue', async () => {
      const id = await draft()
      const created = await request(id, org.users.leader.id)
      expect(created.statusCode, created.body).toBe(201)
      expect(await count()).toBe(1)
      const response = await post(
        `/api/signature-requests/${created.json().id}/withdraw`,
        org.users.clerk.headers,
      )
      expect(response.statusCode, response.body).toBe(200)
      expect(response.json()).toMatchObject({ state: 'withdrawn' })
      expect(await count()).toBe(0)
      const kinds = (await noticesOf(id, org.users.leader.id)).map((notice) => notice.kind).sort()
      expect(kinds).toEqual(['signature.requested', 'signature.withdrawn'])
      expect((await eventsOf(id)).map((event) => event.action)).toEqual([
        'signature.requested',
        'signature.withdrawn',
      ])
      const sent = await queue(org.users.clerk.headers, '?scope=sent&state=all')
      expect(sent.items[0]).toMatchObject({ id: created.json().id, state: 'withdrawn' })
      const refused = await post(
        `/api/signature-requests/${created.json().id}/refuse`,
        org.users.leader.headers,
        {
          reason: 'Muộn rồi',
        },
      )
      expect(refused.statusCode).toBe(409)
    })

    it('GIVEN two requests for one document at once WHEN both arrive THEN one is created and the other is 409', async () => {
      const id = await draft()
      const responses = await Promise.all([request(id, org.users.leader.id), request(id, otherLeader.id)])
      expect(responses.map((response) => response.statusCode).sort()).toEqual([201, 409])
      expect(await traces(id)).toMatchObject({ requests: 1, events: 1, notices: 1 })
      const created = responses.find((response) => response.statusCode === 201)!.json()
      const withdrawn = await post(`/api/signature-requests/${created.id}/withdraw`, org.users.clerk.headers)
      expect(withdrawn.statusCode).toBe(200)
    })

    it('GIVEN a signer who is not a leader, unknown, or oneself WHEN asked THEN 422 on signerId, and nothing is written', async () => {
      const id = await draft()
      for (const signerId of [org.users.officer.id, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
        const response = await request(id, signerId)
        expect(response.statusCode, response.body).toBe(422)
        expect(response.headers['content-type']).toMatch(/problem\+json/)
        expect(response.json().errors[0]).toMatchObject({
          field: 'signerId',
          message: 'Người ký phải là lãnh đạo đang làm việc của cơ quan.',
        })
      }
      const self = await post(`/api/documents/${id}/signature-requests`, org.users.leader.headers, {
        signerId: org.users.leader.id,
      })
      expect(self.statusCode).toBe(422)
      expect(await traces(id)).toEqual({ requests: 0, events: 0, notices: 0 })
    })

    it('GIVEN a document the actor cannot open, or one without a PDF WHEN asked THEN 404 or 409, and nothing is written', async () => {
      const id = await draft()
      const stranger = await request(id, org.users.leader.id, undefined, org.users.officer.headers)
      expect(stranger.statusCode).toBe(404)
      const unknown = await request('00000000-0000-4000-8000-000000000000', org.users.leader.id)
      expect(unknown.statusCode).toBe(404)
      const png = await readFile(corpusFile('002.scan.png'))
      const scan = await draft({}, { data: png, name: 'scan.png', type: 'image/png' })
      const noPdf = await request(scan, org.users.leader.id)
      expect(noPdf.statusCode, noPdf.body).toBe(409)
      expect(await traces(id)).toEqual({ requests: 0, events: 0, notices: 0 })
      expect(await traces(scan)).toEqual({ requests: 0, events: 0, notices: 0 })
    })

    it('GIVEN a Mật document WHEN the signer lacks clearance or a grant THEN 422; THEN granted, the request goes through', async () => {
      const id = await draft({ secrecy: 'Mật' })
      const uncleared = await request(id, otherLeader.id)
      expect(uncleared.statusCode, uncleared.body).toBe(422)
      expect(uncleared.json().errors[0]).toMatchObject({
        field: 'signerId',
        messageEn: 'The signer lacks the clearance for this secret document, or has not been granted it.',
      })
      const ungranted = await request(id, org.users.leader.id)
      expect(ungranted.statusCode).toBe(422)
      expect(await traces(id)).toEqual({ requests: 0, events: 0, notices: 0 })
      const grant = await post(`/api/documents/${id}/grants`, org.users.leader.headers, {
        userId: org.users.leader.id,
      })
      expect(grant.statusCode, grant.body).toBe(204)
      const response = await request(id, org.users.leader.id, 'Nội dung mật')
      expect(response.statusCode, response.body).toBe(201)
      const [notice] = await noticesOf(id, org.users.leader.id)
      // A secret document's trích yếu and comment stay inside the document.
      expect(notice!.body).not.toContain('Nội dung mật')
      expect(notice!.body).not.toContain('phê duyệt kế hoạch')
      expect((await queue()).items.map((item) => item.id)).toContain(response.json().id)
      await post(`/api/signature-requests/${response.json().id}/withdraw`, org.users.clerk.headers)
    })

    it('GIVEN a request naming the other leader WHEN the leader signs the document directly THEN the request stays pending for its signer', async () => {
      const id = await draft()
      const created = await request(id, otherLeader.id)
      expect(created.statusCode, created.body).toBe(201)
      const signed = await post(`/api/documents/${id}/sign`, org.users.leader.headers, { pin: PIN })
      expect(signed.statusCode, signed.body).toBe(201)
      expect((await rowsOf(id))[0]).toMatchObject({ state: 'pending', signedFileId: null })
      expect((await eventsOf(id)).map((event) => event.action)).toEqual(['signature.requested'])
      expect((await queue(otherLeader.headers)).items.map((item) => item.id)).toEqual([created.json().id])
      const withdrawn = await post(
        `/api/signature-requests/${created.json().id}/withdraw`,
        org.users.clerk.headers,
      )
      expect(withdrawn.statusCode).toBe(200)
    })

    it('GIVEN a leader who asked another leader WHEN that leader signs and the clerk seals THEN the requester hears of both', async () => {
      const id = await draft()
      const created = await request(id, org.users.leader.id, 'Anh ký giúp.', otherLeader.headers)
      expect(created.statusCode, created.body).toBe(201)
      expect((await queue(otherLeader.headers, '?scope=sent')).items.map((item) => item.id)).toEqual([
        created.json().id,
      ])
      expect(
        (await post(`/api/documents/${id}/sign`, org.users.leader.headers, { pin: PIN })).statusCode,
      ).toBe(201)
      const sealed = await post(`/api/documents/${id}/seal`, org.users.clerk.headers, { pin: SEAL_PIN })
      expect(sealed.statusCode, sealed.body).toBe(201)
      const notices = await noticesOf(id, otherLeader.id)
      expect(notices.map((notice) => notice.kind).sort()).toEqual(['signature.sealed', 'signature.signed'])
      expect(notices.find((notice) => notice.kind === 'signature.sealed')!.title).toBe(
        'Văn bản đã được đóng dấu số',
      )
      expect((await rowsOf(id))[0]).toMatchObject({ state: 'signed' })
    })

    it('GIVEN pending requests of different urgency WHEN the leader opens the queue THEN the most urgent comes first, then the longest waiting', async () => {
      const ordinary = await draft()
      const flash = await draft({ urgency: 'Hỏa tốc' })
      const urgent = await draft({ urgency: '1' })
      const ids: Record<string, string> = {}
      for (const [name, id] of Object.entries({ ordinary, flash, urgent })) {
        const response = await request(id, org.users.leader.id)
        expect(response.statusCode, response.body).toBe(201)
        ids[name] = response.json().id
      }
      const mine = await queue()
      expect(mine.items.map((item) => item.id)).toEqual([ids.flash, ids.urgent, ids.ordinary])
      expect(await count()).toBe(3)
      const page = await queue(org.users.leader.headers, '?limit=1&offset=1')
      expect(page).toMatchObject({ total: 3, items: [{ id: ids.urgent }] })
      const all = await queue(org.users.leader.headers, '?state=all')
      expect(all.total).toBeGreaterThanOrEqual(8)
      expect((await get('/api/signature-requests?limit=201', org.users.leader.headers)).statusCode).toBe(400)
      expect((await get('/api/signature-requests?state=lost', org.users.leader.headers)).statusCode).toBe(400)
    })
  })
})

describe.each(DRIVERS)('e-mail for signature requests on $name', (driver) => {
  let t: TestApp
  let sink: SmtpSink

  beforeAll(async () => {
    if (!driver.available) return
    sink = await startSmtpSink()
    t = await startTestApp(driver, {
      env: {
        SMTP_URL: sink.url,
        SMTP_FROM: 'Văn thư <vanthu@example.gov.vn>',
        PUBLIC_URL: 'https://vanthu.example.gov.vn/',
      },
      workers: true,
    })
  }, 120_000)
  afterAll(async () => {
    await t?.close()
    await sink?.close()
  })

  it.skipIf(!driver.available)(
    'GIVEN SMTP is configured WHEN a draft is put forward and then signed THEN the leader and then the requester get a mail through the delivery job',
    async () => {
      const org = await seedOrganisation(t.platform, t.app)
      const person = (username: string, fullName: string, role: string) =>
        extraUser(t.app, org.admin, {
          username,
          fullName,
          roles: [role],
          departmentId: org.departments.office,
          email: `${username}@example.gov.vn`,
        })
      const clerk = await person('vanthumail', 'Vũ Thị Thư', 'clerk')
      const leader = await person('lanhdaomail', 'Ngô Văn Ký', 'leader')
      await importTestCredential(t, '/api/me/signing-credentials', leader.headers, {
        entity: testPki().leader,
        pki: testPki(),
        pin: PIN,
      })
      const id = await uploadDraft(
        t,
        clerk.headers,
        { subject: 'Về việc gửi thư điện tử' },
        { name: 'du-thao.pdf', type: 'application/pdf', data: await readFile(corpusFile('001.pdf')) },
      )
      const created = await t.app.inject({
        method: 'POST',
        url: `/api/documents/${id}/signature-requests`,
        headers: clerk.headers,
        payload: { signerId: leader.id },
      })
      expect(created.statusCode, created.body).toBe(201)
      const [toLeader] = await sink.waitFor(1)
      expect(toLeader!.to).toEqual(['lanhdaomail@example.gov.vn'])
      expect(headerOf(toLeader!.raw, 'Subject')).toBe('Văn bản trình ký')
      const signed = await t.app.inject({
        method: 'POST',
        url: `/api/documents/${id}/sign`,
        headers: leader.headers,
        payload: { pin: PIN },
      })
      expect(signed.statusCode, signed.body).toBe(201)
      const mails = await sink.waitFor(2)
      expect(mails[1]!.to).toEqual(['vanthumail@example.gov.vn'])
      expect(headerOf(mails[1]!.raw, 'Subject')).toBe('Văn bản đã ký, chờ đóng dấu, ban hành')
    },
    60_000,
  )
})
