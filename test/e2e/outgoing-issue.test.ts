import { spawnSync } from 'node:child_process'
import { and, eq } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyPdf } from '../../src/pades/verify/verify-pdf.ts'
import {
  auditEvents,
  documentFiles,
  documentParticipants,
  notifications,
} from '../../src/platform/db/schema/index.ts'
import { demoSealPng, demoSignaturePng } from '../../src/signatures/appearance/demo-images.ts'
import { expectProblem } from '../helpers/access-fixtures.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import {
  act,
  draftDecision,
  EXTERNAL,
  type OutgoingJson,
  type OutgoingOrg,
  seedOutgoingOrg,
} from '../helpers/outgoing-flow.ts'
import { PDF_PEERS_ABSENT, pdfPeersPresent, pdfsig, pdftotext, qpdfCheck } from '../helpers/pdf-peers.ts'
import { importTestCredential, trustTestRoot } from '../helpers/signing-setup.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'
import { testPki } from '../helpers/test-pki.ts'

const PIN = '246810'
const SEAL_PIN = '135791'
const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10)
if (!pdfPeersPresent) console.warn(PDF_PEERS_ABSENT)

async function putImage(t: TestApp, url: string, headers: Record<string, string>, png: Buffer) {
  const body = multipartBody([{ name: 'file', fileName: 'anh.png', contentType: 'image/png', data: png }])
  const response = await t.app.inject({
    method: 'PUT',
    url,
    payload: body.payload,
    headers: { ...headers, ...body.headers },
  })
  expect(response.statusCode, response.body).toBeLessThan(300)
}

describe.each(DRIVERS)('signing, numbering, sealing and issuing outgoing documents on $name', (driver) => {
  let t: TestApp
  let org: OutgoingOrg
  let id: string

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOutgoingOrg(t)
    const pki = testPki()
    await trustTestRoot(t, org.admin, pki)
    await importTestCredential(t, '/api/me/signing-credentials', org.users.leader.headers, {
      entity: pki.leader,
      pki,
      pin: PIN,
    })
    await importTestCredential(t, '/api/admin/signing/agency-seal', org.admin, {
      entity: pki.agency,
      pki,
      pin: SEAL_PIN,
    })
    await putImage(t, '/api/me/signature-image', org.users.leader.headers, demoSignaturePng())
    await putImage(t, '/api/admin/signing/seal-image', org.admin, demoSealPng())
  }, 180_000)
  afterAll(async () => t?.close())

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN a reviewed draft WHEN it goes to the leader THEN the PDF put forward carries empty fields at "Số:" and the date, and the seal’s empty field', async () => {
      const draft = await draftDecision(t, org)
      id = draft.document.id
      await act(t, org.users.officer.headers, 'POST', `/api/outgoing/${id}/submit`, {
        reviewers: [{ userId: org.headOfUnit.id, kind: 'content' }],
      })
      const approved = await act(t, org.headOfUnit.headers, 'POST', `/api/outgoing/${id}/review`, {
        decision: 'approve',
      })
      expect(approved.statusCode, approved.body).toBe(200)
      const body = approved.json() as OutgoingJson & {
        outgoing: { numberFields: { source: string; fields: { role: string }[]; seal: { over: string } } }
      }
      expect(body.document.status).toBe('awaiting_signature')
      expect(body.outgoing.numberFields.source).toBe('text-layer')
      expect(body.outgoing.numberFields.fields.map((f) => f.role)).toEqual(['number', 'day', 'month'])
      expect(body.outgoing.numberFields.seal.over).toBe('signature')
      expect(body.document.files.filter((f) => f.role === 'original')).toHaveLength(2)
    })

    it('GIVEN the draft before the leader WHEN the clerk numbers or seals it THEN 409: out of order, with what is allowed', async () => {
      const number = await act(t, org.users.clerk.headers, 'POST', `/api/documents/${id}/number`, {})
      expectProblem(number, 409, 'transition-not-allowed')
      const seal = await act(t, org.users.clerk.headers, 'POST', `/api/documents/${id}/seal`, {
        pin: SEAL_PIN,
      })
      expect([409]).toContain(seal.statusCode)
    })

    it('GIVEN the leader’s PIN WHEN the leader signs THEN it is signed (a DocMDP P=2 certification), the clerks are told "chờ cấp số", and sealing before the number is refused', async () => {
      const signed = await act(t, org.users.leader.headers, 'POST', `/api/documents/${id}/sign`, { pin: PIN })
      expect(signed.statusCode, signed.body).toBe(201)
      const view = (
        await act(t, org.users.clerk.headers, 'GET', `/api/outgoing/${id}`)
      ).json() as OutgoingJson
      expect(view.document.status).toBe('signed')
      expect(view.allowedActions).toContain('number')
      const told = await t.platform.database.db
        .select()
        .from(notifications)
        .where(
          and(
            eq(notifications.userId, org.users.clerk.id),
            eq(notifications.kind, 'outgoing.awaiting-number'),
          ),
        )
      expect(told).toHaveLength(1)
      const queue = await act(t, org.users.clerk.headers, 'GET', '/api/outgoing?view=awaiting-number')
      expect(queue.json().items.map((i: { id: string }) => i.id)).toContain(id)
      const early = await act(t, org.users.clerk.headers, 'POST', `/api/documents/${id}/seal`, {
        pin: SEAL_PIN,
      })
      expectProblem(early, 409, 'transition-not-allowed')
      expect(early.json().detail).toContain('cấp số')
      const timeline = (await act(t, org.users.clerk.headers, 'GET', `/api/documents/${id}/timeline`)).json()
      expect(timeline.at(-1)).toMatchObject({
        action: 'signed',
        fromStatus: 'awaiting_signature',
        toStatus: 'signed',
      })
    })

    it('GIVEN the signed document WHEN the clerk asks and confirms cấp số THEN 01/QĐ-UBND of today, written on the PDF; a second cấp số is 409', async () => {
      const preview = await act(t, org.users.clerk.headers, 'GET', `/api/documents/${id}/number`)
      expect(preview.json()).toMatchObject({
        numberNotation: '01/QĐ-UBND',
        nextNumber: 1,
        issuedDate: today(),
      })
      const numbered = await act(t, org.users.clerk.headers, 'POST', `/api/documents/${id}/number`, {})
      expect(numbered.statusCode, numbered.body).toBe(200)
      expect(numbered.json()).toMatchObject({
        outgoingNumber: 1,
        numberNotation: '01/QĐ-UBND',
        issuedDate: today(),
        onDocument: true,
      })
      expectProblem(
        await act(t, org.users.clerk.headers, 'POST', `/api/documents/${id}/number`, {}),
        409,
        'transition-not-allowed',
      )
      const [event] = await t.platform.database.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.targetId, id), eq(auditEvents.action, 'outgoing.numbered')))
      expect(event!.details).toMatchObject({ numberNotation: '01/QĐ-UBND', outgoingNumber: 1 })
    })

    it('GIVEN the numbered document WHEN the clerk seals and issues it to a unit and an external agency THEN issued: the unit’s officers see it, the agency’s e-mail delivery is queued, and it is locked', async () => {
      const sealed = await act(t, org.users.clerk.headers, 'POST', `/api/documents/${id}/seal`, {
        pin: SEAL_PIN,
      })
      expect(sealed.statusCode, sealed.body).toBe(201)
      expect(
        (await act(t, org.users.clerk.headers, 'GET', `/api/outgoing/${id}`)).json().document.status,
      ).toBe('sealed')
      const issued = await act(t, org.users.clerk.headers, 'POST', `/api/documents/${id}/issue`, {})
      expect(issued.statusCode, issued.body).toBe(200)
      const body = issued.json() as OutgoingJson
      expect(body.document.status).toBe('issued')
      expect(body.recipients.map((r) => [r.label, r.channel, r.state])).toEqual([
        [EXTERNAL.name, 'email', 'pending'],
        ['Phòng Kinh tế', 'internal', 'delivered'],
        ['Như Điều 2', 'none', 'planned'],
      ])
      const participants = await t.platform.database.db
        .select()
        .from(documentParticipants)
        .where(and(eq(documentParticipants.documentId, id), eq(documentParticipants.role, 'lead')))
      expect(participants.map((p) => p.departmentId)).toEqual([org.departments.economy])
      // The colleague in Phòng Kinh tế (neither drafter nor reviewer) sees it among the documents received.
      const received = await act(t, org.colleague.headers, 'GET', '/api/outgoing?view=received')
      expect(
        received.json().items.map((i: { id: string; numberNotation: string }) => i.numberNotation),
      ).toContain('01/QĐ-UBND')
      expect((await act(t, org.colleague.headers, 'GET', `/api/outgoing/${id}`)).statusCode).toBe(200)
      // Locked: no edit, no new version, no second issue.
      expectProblem(
        await act(t, org.users.officer.headers, 'PATCH', `/api/outgoing/${id}`, {
          subject: 'Sửa sau khi ban hành',
        }),
        409,
        'transition-not-allowed',
      )
      expectProblem(
        await act(t, org.users.clerk.headers, 'POST', `/api/documents/${id}/issue`, {}),
        409,
        'transition-not-allowed',
      )
    })

    it.skipIf(!pdfPeersPresent)(
      'GIVEN the issued PDF WHEN independent tools read it THEN pdfsig: leader and seal valid and trusted; qpdf clean; pdftotext shows "Số: 01/QĐ-UBND" and today’s date; our verifier: both valid, the fill-in allowed',
      async () => {
        const files = await t.platform.database.db
          .select()
          .from(documentFiles)
          .where(eq(documentFiles.documentId, id))
        const newest = files
          .filter((f) => f.role === 'signed')
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
          .at(-1)!
        expect(newest.signatureCount).toBe(2)
        const response = await t.app.inject({
          url: `/api/documents/${id}/files/${newest.id}/content`,
          headers: org.users.clerk.headers,
        })
        const bytes = new Uint8Array(response.rawPayload)
        const sig = pdfsig(bytes, testPki().root.certPem)
        expect(sig.valid, sig.text).toBe(2)
        expect(sig.trusted, sig.text).toBe(2)
        const check = qpdfCheck(bytes)
        expect(check.ok, check.output).toBe(true)
        const [year, month, day] = today().split('-').map(Number) as [number, number, number]
        const text = pdftotext(bytes)
        expect(text).toMatch(/Số: 01\/QĐ-UBND/)
        const pad = (n: number) => String(n).padStart(2, '0')
        expect(text).toMatch(
          new RegExp(`ngày\\s+${pad(day)}\\s+tháng\\s+${month <= 2 ? pad(month) : month}\\s+năm ${year}`),
        )
        const report = await verifyPdf(bytes, {
          trustAnchors: [testPki().root.certPem],
          fetchRevocation: async () => ({
            crls: [testPki().crls.intermediate.der, testPki().crls.root.der],
            ocsps: [],
          }),
        })
        expect(report.signatures.map((s) => s.verdict)).toEqual(['valid', 'valid'])
        expect(report.signatures[0]!.docMdpPermission).toBe(2)
        expect(report.signatures[0]!.changesAfter.every((c) => c.allowed)).toBe(true)
      },
    )

    it('GIVEN the issued document WHEN the outgoing register is exported THEN the XLSX and PDF list it with the ten columns', async () => {
      const xlsx = await act(
        t,
        org.users.clerk.headers,
        'GET',
        `/api/registers/outgoing/export?from=${today()}&to=${today()}&format=xlsx`,
      )
      expect(xlsx.statusCode, xlsx.body).toBe(200)
      const workbook = new ExcelJS.Workbook()
      await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
      const sheet = workbook.worksheets[0]!
      const header = (sheet.getRow(5).values as unknown[]).slice(1)
      expect(header).toHaveLength(10)
      expect(header[0]).toBe('Số, ký hiệu văn bản')
      expect(header[3]).toBe('Người ký')
      const row = (sheet.getRow(6).values as unknown[]).slice(1).map(String)
      expect(row[0]).toBe('01/QĐ-UBND')
      expect(row[2]).toContain('Quyết định: Về việc thành lập Tổ công tác')
      expect(row[3]).toContain('Lê Văn Lãnh Đạo')
      expect(row[4]).toContain(EXTERNAL.name)
      expect(row[5]).toBe('VT, KT')
      const pdf = await act(
        t,
        org.users.clerk.headers,
        'GET',
        `/api/registers/outgoing/export?from=${today()}&to=${today()}&format=pdf`,
      )
      expect(pdf.statusCode).toBe(200)
      expect(pdf.headers['content-type']).toBe('application/pdf')
      if (spawnSync('pdftotext', ['-v']).error === undefined) {
        const text = pdftotext(new Uint8Array(pdf.rawPayload))
        expect(text).toContain('SỔ ĐĂNG KÝ VĂN BẢN ĐI')
        expect(text).toContain('01/QĐ-UBND')
      }
      expectProblem(
        await act(t, org.users.clerk.headers, 'GET', '/api/registers/outgoing/export?from=2026-13-01&to=x'),
        400,
        'validation-failed',
      )
    })

    it('GIVEN the issued document WHEN the clerk makes a sao y and a trích sao THEN each is its own document numbered in the copies book (01/SY, 02/TrS), sealed with the copy stamp, linked to the original; a wrong PIN makes none', async () => {
      const before = (await act(t, org.users.clerk.headers, 'GET', '/api/outgoing?view=all')).json().items
        .length
      expectProblem(
        await act(t, org.users.clerk.headers, 'POST', `/api/documents/${id}/copies`, {
          form: 'SY',
          pin: '000000',
        }),
        422,
        'wrong-pin',
      )
      expect(
        (await act(t, org.users.clerk.headers, 'GET', '/api/outgoing?view=all')).json().items.length,
      ).toBe(before)
      const copy = await act(t, org.users.clerk.headers, 'POST', `/api/documents/${id}/copies`, {
        form: 'SY',
        pin: SEAL_PIN,
      })
      expect(copy.statusCode, copy.body).toBe(201)
      expect(copy.json()).toMatchObject({ numberNotation: '01/SY', outgoingNumber: 1 })
      const extract = await act(t, org.users.clerk.headers, 'POST', `/api/documents/${id}/copies`, {
        form: 'TrS',
        pin: SEAL_PIN,
        pages: [1],
      })
      expect(extract.statusCode, extract.body).toBe(201)
      expect(extract.json().numberNotation).toBe('02/TrS')
      const view = (
        await act(t, org.users.clerk.headers, 'GET', `/api/outgoing/${copy.json().documentId}`)
      ).json() as OutgoingJson & {
        links: { copyOf: { id: string } }
      }
      expect(view.document.status).toBe('sealed')
      expect(view.links.copyOf.id).toBe(id)
      const original = (await act(t, org.users.clerk.headers, 'GET', `/api/outgoing/${id}`)).json() as {
        links: { copies: { numberNotation: string }[] }
      }
      expect(original.links.copies.map((c) => c.numberNotation).sort()).toEqual(['01/SY', '02/TrS'])
      if (pdfPeersPresent) {
        const files = await t.platform.database.db
          .select()
          .from(documentFiles)
          .where(eq(documentFiles.documentId, copy.json().documentId))
        const sealedCopy = files
          .filter((f) => f.role === 'signed')
          .sort((a, b) => b.signatureCount - a.signatureCount)[0]!
        const response = await t.app.inject({
          url: `/api/documents/${copy.json().documentId}/files/${sealedCopy.id}/content`,
          headers: org.users.clerk.headers,
        })
        const bytes = new Uint8Array(response.rawPayload)
        expect(pdfsig(bytes, testPki().root.certPem).valid).toBe(3)
        expect(pdftotext(bytes)).toContain('SAO Y')
      }
    })

    it('GIVEN the issued document WHEN the clerk revokes without a leader’s decision THEN 409; after the leader decides, the clerk revokes: recipients are told, e-mail ones get a notice', async () => {
      const early = await act(t, org.users.clerk.headers, 'POST', `/api/documents/${id}/revoke`)
      expectProblem(early, 409, 'transition-not-allowed')
      expect(early.json().allowedActions).not.toContain('revoke')
      expectProblem(
        await act(t, org.users.officer.headers, 'POST', `/api/documents/${id}/revocation`, { reason: 'x' }),
        403,
        'forbidden',
      )
      const decided = await act(t, org.users.leader.headers, 'POST', `/api/documents/${id}/revocation`, {
        reason: 'Ban hành sai thẩm quyền.',
      })
      expect(decided.statusCode, decided.body).toBe(200)
      const revoked = await act(t, org.users.clerk.headers, 'POST', `/api/documents/${id}/revoke`)
      expect(revoked.statusCode, revoked.body).toBe(200)
      const body = revoked.json() as OutgoingJson
      expect(body.document.status).toBe('revoked')
      const told = await t.platform.database.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, org.headOfUnit.id), eq(notifications.kind, 'outgoing.revoked')))
      expect(told).toHaveLength(1)
      expect(body.recipients.find((r) => r.channel === 'email')?.state).toBe('pending')
    })
  })
})
