import { spawnSync } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  auditEvents,
  documentFiles,
  documents,
  notifications,
  outgoingDocuments,
} from '../../src/platform/db/schema/index.ts'
import { DRIVERS, pgliteDriver } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { expectProblem } from '../helpers/access-fixtures.ts'
import {
  act,
  createDraft,
  DRAFT_DOCX,
  DRAFT_PDF,
  draftDecision,
  EXTERNAL,
  type OutgoingJson,
  type OutgoingOrg,
  seedOutgoingOrg,
} from '../helpers/outgoing-flow.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

const hasLibreOffice = spawnSync('soffice', ['--version']).error === undefined
const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined

describe.each(DRIVERS)('drafting and review of outgoing documents on $name', (driver) => {
  let t: TestApp
  let org: OutgoingOrg

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOutgoingOrg(t)
  }, 120_000)
  afterAll(async () => t?.close())

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN an officer WHEN drafting a decision from a PDF THEN 201: a draft, version 1, its recipients and the "Lưu: VT, KT." line, an audit event and a timeline entry; it is in "my drafts"', async () => {
      const draft = await draftDecision(t, org)
      expect(draft.document.status).toBe('draft')
      expect(draft.versions.map((v) => v.version)).toEqual([1])
      expect(draft.recipients.map((r) => [r.kind, r.label, r.channel, r.state])).toEqual([
        ['external', 'Bộ Nội vụ', 'email', 'planned'],
        ['department', 'Phòng Kinh tế', 'internal', 'planned'],
        ['text', 'Như Điều 2', 'none', 'planned'],
      ])
      expect(draft.outgoing.archiveLine).toBe('Lưu: VT, KT.')
      expect(draft.allowedActions).toEqual(expect.arrayContaining(['edit', 'new-version', 'submit']))
      const [row] = await t.platform.database.db
        .select()
        .from(documents)
        .where(eq(documents.id, draft.document.id))
      expect(row!.toPlaces).toBe('- Bộ Nội vụ;\n- Phòng Kinh tế;\n- Như Điều 2;\n- Lưu: VT, KT.')
      expect(row!.direction).toBe('outgoing')
      expect(row!.ownerDepartmentId).toBe(org.departments.economy)
      const events = await t.platform.database.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.targetId, draft.document.id), eq(auditEvents.action, 'outgoing.drafted')))
      expect(events).toHaveLength(1)
      const timeline = await act(
        t,
        org.users.officer.headers,
        'GET',
        `/api/documents/${draft.document.id}/timeline`,
      )
      expect(timeline.json().map((s: { action: string }) => s.action)).toEqual(['drafted'])
      const mine = await act(t, org.users.officer.headers, 'GET', '/api/outgoing?view=mine')
      expect(mine.json().items.map((i: { id: string }) => i.id)).toContain(draft.document.id)
      // Another officer of another unit does not see it.
      const stranger = await act(t, org.users.archivist.headers, 'GET', `/api/outgoing/${draft.document.id}`)
      expectProblem(stranger, 404, 'not-found')
    })

    it('GIVEN an outgoing draft and an outgoing PDF uploaded as a plain file WHEN each is read THEN only the draft says it has a drafting record (the page asks GET /api/outgoing/:id for it alone)', async () => {
      const draft = await draftDecision(t, org, 'Về việc đọc văn bản đi có hồ sơ soạn thảo')
      const read = await act(t, org.users.officer.headers, 'GET', `/api/documents/${draft.document.id}`)
      expect(read.json().outgoingFlow).toBe(true)
      const body = multipartBody([
        { name: 'direction', value: 'outgoing' },
        { name: 'file', data: DRAFT_PDF, fileName: 'tai-len.pdf', contentType: 'application/pdf' },
      ])
      const uploaded = await t.app.inject({
        method: 'POST',
        url: '/api/documents',
        payload: body.payload,
        headers: { ...org.users.clerk.headers, ...body.headers },
      })
      expect(uploaded.statusCode).toBe(201)
      const id = uploaded.json().document?.id ?? uploaded.json().id
      const plain = await act(t, org.users.clerk.headers, 'GET', `/api/documents/${id}`)
      expect(plain.json().outgoingFlow).toBe(false)
      expectProblem(await act(t, org.users.clerk.headers, 'GET', `/api/outgoing/${id}`), 404, 'not-found')
    })

    it('GIVEN recipients that are not in the directory WHEN drafting THEN 422 naming each one, and nothing is stored', async () => {
      const before = await t.platform.database.db.select({ id: documents.id }).from(documents)
      const blobsBefore = await blobCount(t)
      const response = await createDraft(t, org.users.officer.headers, {
        kind: 'Công văn',
        subject: 'V/v gửi nơi không có',
        recipients: JSON.stringify([
          { organId: '000.00.00.X99' },
          { departmentId: '00000000-0000-4000-8000-000000000000' },
          { organId: EXTERNAL.organId },
        ]),
      })
      expectProblem(response, 422, 'validation-failed')
      const errors = response.json().errors as { field: string; message: string; messageEn: string }[]
      expect(errors.map((e) => e.field)).toEqual(['recipients[0]', 'recipients[1]'])
      expect(errors[0]!.message).toContain('000.00.00.X99')
      expect(errors[0]!.messageEn).toContain('000.00.00.X99')
      expect(await t.platform.database.db.select({ id: documents.id }).from(documents)).toHaveLength(
        before.length,
      )
      expect(await blobCount(t)).toBe(blobsBefore)
    })

    it('GIVEN bad fields WHEN drafting THEN 400 listing them (kind, subject, authority prefix, secrecy above clearance…)', async () => {
      const response = await createDraft(t, org.users.officer.headers, {
        kind: 'Không có loại này',
        authorityPrefix: 'XX.',
        dueDate: '2026-02-30',
        bogus: '1',
      })
      expectProblem(response, 400, 'validation-failed')
      expect(
        response
          .json()
          .errors.map((e: { field: string }) => e.field)
          .sort(),
      ).toEqual(['authorityPrefix', 'bogus', 'dueDate', 'kind', 'subject'].sort())
      const tooSecret = await createDraft(t, org.users.officer.headers, {
        kind: 'Công văn',
        subject: 'Mật',
        secrecy: '3',
      })
      expectProblem(tooSecret, 400, 'validation-failed')
    })

    it('GIVEN a draft submitted to the head of unit (content) then the office (format) WHEN the head returns it THEN it is returned with the comment, the drafter is told, and nobody but the pending reviewer may decide', async () => {
      const draft = await draftDecision(t, org, 'Về việc kiện toàn Ban chỉ đạo')
      const id = draft.document.id
      const submitted = await act(t, org.users.officer.headers, 'POST', `/api/outgoing/${id}/submit`, {
        reviewers: [
          { userId: org.headOfUnit.id, kind: 'content' },
          { userId: org.users.clerk.id, kind: 'format' },
        ],
      })
      expect(submitted.statusCode, submitted.body).toBe(200)
      expect(submitted.json().document.status).toBe('in_review')
      const queue = await act(t, org.headOfUnit.headers, 'GET', '/api/outgoing?view=to-review')
      expect(queue.json().items.map((i: { id: string }) => i.id)).toEqual([id])
      // The second reviewer's step is not open yet; the drafter cannot review their own draft.
      expectProblem(
        await act(t, org.users.clerk.headers, 'POST', `/api/outgoing/${id}/review`, { decision: 'approve' }),
        403,
        'forbidden',
      )
      expectProblem(
        await act(t, org.users.officer.headers, 'POST', `/api/outgoing/${id}/review`, {
          decision: 'approve',
        }),
        403,
        'forbidden',
      )
      // A return needs a reason.
      expectProblem(
        await act(t, org.headOfUnit.headers, 'POST', `/api/outgoing/${id}/review`, { decision: 'return' }),
        422,
        'validation-failed',
      )
      const returned = await act(t, org.headOfUnit.headers, 'POST', `/api/outgoing/${id}/review`, {
        decision: 'return',
        comment: 'Bổ sung căn cứ pháp lý ở phần mở đầu.',
      })
      expect(returned.statusCode, returned.body).toBe(200)
      const body = returned.json() as OutgoingJson
      expect(body.document.status).toBe('returned')
      expect(body.reviews.map((r) => [r.kind, r.state])).toEqual([
        ['content', 'returned'],
        ['format', 'cancelled'],
      ])
      const told = await t.platform.database.db
        .select()
        .from(notifications)
        .where(
          and(eq(notifications.userId, org.users.officer.id), eq(notifications.kind, 'outgoing.returned')),
        )
      expect(told.at(-1)?.body).toContain('Bổ sung căn cứ pháp lý')
    })

    it('GIVEN a returned draft WHEN the drafter adds version 2 and both reviewers approve THEN it goes to the signer: awaiting_signature, a trình ký in the leader’s queue, the văn thư on it', async () => {
      const draft = await draftDecision(t, org, 'Về việc ban hành Quy chế làm việc')
      const id = draft.document.id
      const reviewers = [
        { userId: org.headOfUnit.id, kind: 'content' },
        { userId: org.users.clerk.id, kind: 'format' },
      ]
      await act(t, org.users.officer.headers, 'POST', `/api/outgoing/${id}/submit`, { reviewers })
      await act(t, org.headOfUnit.headers, 'POST', `/api/outgoing/${id}/review`, {
        decision: 'return',
        comment: 'Sửa lỗi chính tả.',
      })
      // A returned draft can change again; an edit of a draft under review would be refused.
      const edited = await act(t, org.users.officer.headers, 'PATCH', `/api/outgoing/${id}`, { urgency: 1 })
      expect(edited.statusCode, edited.body).toBe(200)
      const body = multipart({ note: 'Đã sửa lỗi chính tả' })
      const version = await t.app.inject({
        method: 'POST',
        url: `/api/outgoing/${id}/versions`,
        payload: body.payload,
        headers: { ...org.users.officer.headers, ...body.headers },
      })
      expect(version.statusCode, version.body).toBe(201)
      expect((version.json() as OutgoingJson).versions.map((v) => v.version)).toEqual([1, 2])
      await act(t, org.users.officer.headers, 'POST', `/api/outgoing/${id}/submit`, { reviewers })
      expectProblem(
        await act(t, org.users.officer.headers, 'PATCH', `/api/outgoing/${id}`, { urgency: 2 }),
        409,
        'transition-not-allowed',
      )
      const first = await act(t, org.headOfUnit.headers, 'POST', `/api/outgoing/${id}/review`, {
        decision: 'approve',
      })
      expect(first.json().document.status).toBe('in_review')
      const last = await act(t, org.users.clerk.headers, 'POST', `/api/outgoing/${id}/review`, {
        decision: 'approve',
        comment: 'Đúng thể thức.',
      })
      expect(last.statusCode, last.body).toBe(200)
      const done = last.json() as OutgoingJson
      expect(done.document.status).toBe('awaiting_signature')
      expect(done.reviews.filter((r) => r.round === 2).map((r) => r.state)).toEqual(['approved', 'approved'])
      const queue = await act(
        t,
        org.users.leader.headers,
        'GET',
        '/api/signature-requests?scope=mine&state=pending',
      )
      expect(queue.json().items.map((r: { document: { id: string } }) => r.document.id)).toContain(id)
      // Out of order: no number and no issue before the leader signs.
      const early = await act(t, org.users.clerk.headers, 'POST', `/api/documents/${id}/number`, {})
      expectProblem(early, 409, 'transition-not-allowed')
      expect(early.json().allowedActions).toEqual(expect.not.arrayContaining(['number']))
      expectProblem(
        await act(t, org.users.clerk.headers, 'POST', `/api/documents/${id}/issue`, {}),
        409,
        'transition-not-allowed',
      )
      // The drafter takes it back: the trình ký is withdrawn.
      const recalled = await act(t, org.users.officer.headers, 'POST', `/api/outgoing/${id}/recall`, {
        comment: 'Cần bổ sung phụ lục.',
      })
      expect(recalled.json().document.status).toBe('draft')
      const after = await act(
        t,
        org.users.leader.headers,
        'GET',
        '/api/signature-requests?scope=mine&state=pending',
      )
      expect(after.json().items.map((r: { document: { id: string } }) => r.document.id)).not.toContain(id)
      const timeline = await act(t, org.users.officer.headers, 'GET', `/api/documents/${id}/timeline`)
      expect(timeline.json().map((s: { action: string }) => s.action)).toEqual([
        'drafted',
        'submitted',
        'returned',
        'edited',
        'version-added',
        'submitted',
        'approved',
        'approved',
        'recalled',
      ])
    })

    it('GIVEN a draft without a signer WHEN submitted THEN 422 asking for the signer; a reviewer outside the agency or the drafter themself is refused by name', async () => {
      const response = await createDraft(t, org.users.officer.headers, {
        kind: 'Tờ trình',
        subject: 'Về việc xin chủ trương',
      })
      const id = response.json().document.id
      expectProblem(
        await act(t, org.users.officer.headers, 'POST', `/api/outgoing/${id}/submit`, {}),
        422,
        'validation-failed',
      )
      await act(t, org.users.officer.headers, 'PATCH', `/api/outgoing/${id}`, {
        signerId: org.users.leader.id,
      })
      const bad = await act(t, org.users.officer.headers, 'POST', `/api/outgoing/${id}/submit`, {
        reviewers: [
          { userId: org.users.officer.id, kind: 'content' },
          { userId: '00000000-0000-4000-8000-000000000000', kind: 'format' },
        ],
      })
      expectProblem(bad, 422, 'validation-failed')
      expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual([
        'reviewers[0]',
        'reviewers[1]',
      ])
      const [row] = await t.platform.database.db.select().from(documents).where(eq(documents.id, id))
      expect(row!.status).toBe('draft')
    })
  })
})

describe.skipIf(!hasLibreOffice)('drafts from DOCX with LibreOffice (PGlite)', () => {
  let t: TestApp
  let org: OutgoingOrg

  beforeAll(async () => {
    t = await startTestApp(pgliteDriver)
    org = await seedOutgoingOrg(t)
  }, 120_000)
  afterAll(async () => t?.close())

  it('GIVEN a DOCX draft WHEN uploaded THEN it is converted: the PDF is the original (with the blank "Số:" line), the DOCX is kept as the editable source', async () => {
    const response = await createDraft(
      t,
      org.users.officer.headers,
      { kind: 'Quyết định', subject: 'Về việc thành lập Tổ công tác chuyển đổi số' },
      { data: DRAFT_DOCX, fileName: 'du-thao-quyet-dinh.docx', contentType: 'application/octet-stream' },
    )
    expect(response.statusCode, response.body).toBe(201)
    const draft = response.json() as OutgoingJson
    const roles = draft.document.files.map((f) => [f.role, f.mediaType, f.fileName]).sort()
    expect(roles).toEqual([
      ['original', 'application/pdf', 'du-thao-quyet-dinh.pdf'],
      [
        'source',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'du-thao-quyet-dinh.docx',
      ],
    ])
    const original = draft.document.files.find((f) => f.role === 'original')!
    expect(draft.versions[0]!.pdfFileId).toBe(original.id)
    expect(draft.versions[0]!.sourceFileId).toBe(draft.document.files.find((f) => f.role === 'source')!.id)
    if (hasPdftotext) {
      const pdf = await t.app.inject({
        url: `/api/documents/${draft.document.id}/files/${original.id}/content`,
        headers: org.users.officer.headers,
      })
      const text = spawnSync('pdftotext', ['-layout', '-', '-'], {
        input: pdf.rawPayload,
        encoding: 'utf8',
      }).stdout
      expect(text).toMatch(/Số:\s+\/QĐ-UBND/)
      expect(text).toContain('QUYẾT ĐỊNH')
    }
  }, 120_000)

  it('GIVEN a file named .docx that is not a DOCX WHEN uploaded THEN 422 with the reason and nothing stored', async () => {
    const blobsBefore = await blobCount(t)
    const filesBefore = await t.platform.database.db.select({ id: documentFiles.id }).from(documentFiles)
    const response = await createDraft(
      t,
      org.users.officer.headers,
      { kind: 'Công văn', subject: 'V/v tệp hỏng' },
      {
        data: Buffer.from('PK\u0003\u0004 không phải DOCX'),
        fileName: 'hong.docx',
        contentType: 'application/octet-stream',
      },
    )
    expectProblem(response, 422, 'docx-conversion-failed')
    expect(response.json().detail).toContain('hong.docx')
    expect(await blobCount(t)).toBe(blobsBefore)
    expect(await t.platform.database.db.select({ id: documentFiles.id }).from(documentFiles)).toHaveLength(
      filesBefore.length,
    )
    expect(
      await t.platform.database.db.select({ id: outgoingDocuments.documentId }).from(outgoingDocuments),
    ).toHaveLength(1)
  }, 60_000)
})

describe('drafts from DOCX without LibreOffice', () => {
  let t: TestApp
  let org: OutgoingOrg

  beforeAll(async () => {
    t = await startTestApp(pgliteDriver, { env: { LIBREOFFICE_PATH: '/nonexistent/libreoffice/soffice' } })
    org = await seedOutgoingOrg(t)
  }, 120_000)
  afterAll(async () => t?.close())

  it('GIVEN no LibreOffice WHEN a DOCX draft is uploaded THEN 422 docx-converter-missing naming the Debian package, and nothing is stored; a PDF draft still works', async () => {
    const blobsBefore = await blobCount(t)
    const response = await createDraft(
      t,
      org.users.officer.headers,
      { kind: 'Quyết định', subject: 'Về việc thử' },
      {
        data: DRAFT_DOCX,
        fileName: 'du-thao.docx',
        contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      },
    )
    expectProblem(response, 422, 'docx-converter-missing')
    expect(response.json().title).toContain('libreoffice-writer-nogui')
    expect(response.json().titleEn).toContain('libreoffice-writer-nogui')
    expect(await blobCount(t)).toBe(blobsBefore)
    const pdf = await createDraft(t, org.users.officer.headers, {
      kind: 'Quyết định',
      subject: 'Về việc thử',
    })
    expect(pdf.statusCode, pdf.body).toBe(201)
  })
})

function multipart(fields: Record<string, string>) {
  const boundary = `----vanthu${Math.random().toString(16).slice(2)}`
  const parts = [
    ...Object.entries(fields).map(([name, value]) =>
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    ),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="du-thao-v2.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    Buffer.concat([DRAFT_PDF, Buffer.from('\n% phiên bản 2\n')]),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}

async function blobCount(t: TestApp): Promise<number> {
  const root = path.join(t.dataDir, 'blobs', 'sha256')
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries.filter((entry) => entry.isFile()).length
}
