import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { documentFiles, documents, searchEntries } from '../../src/platform/db/schema/index.ts'
import { expectProblem } from '../helpers/access-fixtures.ts'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { incomingRegistrar } from '../helpers/routing-steps.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

async function pdfText(pdf: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-pdf-'))
  try {
    await writeFile(path.join(dir, 'f.pdf'), pdf)
    return execFileSync('/usr/bin/pdftotext', ['-layout', path.join(dir, 'f.pdf'), '-'], { encoding: 'utf8' })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

describe.each(DRIVERS)('Records: disposition on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let register: () => Promise<string>
  let n = 0
  const api = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object) =>
    t.app.inject({ method, url: `/api/records${url}`, headers, ...(payload ? { payload } : {}) })

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
    register = await incomingRegistrar(t.app, org.users.clerk.headers)
  })
  afterAll(async () => t?.close())

  /** A closed hồ sơ whose documents date from `date`, kept `years` years. */
  const closedFile = async (date: string, years: number, documentIds?: string[]) => {
    const notation = `${String(++n).padStart(2, '0')}.VP`
    const file = (await api('POST', '/files', org.users.clerk.headers, { year: Number(date.slice(0, 4)), notation, title: `Hồ sơ ${notation}`, permanent: false, retentionYears: years, retentionReason: 'Thử' })).json()
    const ids = documentIds ?? [await register(), await register()]
    await t.platform.database.db.update(documents).set({ issuedDate: date }).where(inArray(documents.id, ids))
    await api('POST', `/files/${file.id}/documents`, org.users.clerk.headers, { documentIds: ids })
    expect((await api('POST', `/files/${file.id}/close`, org.users.clerk.headers)).statusCode).toBe(200)
    return { id: file.id as string, fileCode: file.fileCode as string, documentIds: ids }
  }

  it.skipIf(!driver.available)('GIVEN hồ sơ within their retention or kept permanently WHEN proposed for destruction THEN 409 retention-not-expired', async () => {
    const recent = await closedFile(`${new Date().getFullYear()}-01-05`, 10)
    expectProblem(await api('POST', '/disposals', org.users.archivist.headers, { recordFileIds: [recent.id] }), 409, 'retention-not-expired')
    const due = (await api('GET', '/disposition/due', org.users.archivist.headers)).json() as { file: { id: string } }[]
    expect(due.map((d) => d.file.id)).not.toContain(recent.id)
  })

  it.skipIf(!driver.available)('GIVEN a hồ sơ past retention WHEN destroyed without an approved decision or under hold THEN refused; with the decision its bytes go everywhere and a tombstone and biên bản hủy remain', async () => {
    const old = await closedFile('2019-03-01', 5)
    const shared = await register()
    const keeper = await closedFile('2019-03-01', 5, [shared])
    await t.platform.database.db.update(documents).set({ issuedDate: '2019-03-01' }).where(eq(documents.id, shared))
    // The shared document is also in a hồ sơ kept longer: it survives the destruction of `old`.
    const longer = (await api('POST', '/files', org.users.clerk.headers, { year: 2019, notation: '99.VP', title: 'Hồ sơ giữ lâu', permanent: true, retentionReason: 'Thử' })).json()
    await api('POST', `/files/${longer.id}/documents`, org.users.clerk.headers, { documentIds: [shared] })
    const due = (await api('GET', '/disposition/due', org.users.archivist.headers)).json() as { file: { id: string }; eligibleFrom: string }[]
    expect(due.find((d) => d.file.id === old.id)?.eligibleFrom).toBe('2025-01-01')

    const proposed = await api('POST', '/disposals', org.users.archivist.headers, { recordFileIds: [old.id, keeper.id], reason: 'Hết thời hạn bảo quản' })
    expect(proposed.statusCode, proposed.body).toBe(201)
    const disposalId = proposed.json().id
    expectProblem(await api('POST', `/disposals/${disposalId}/execute`, org.users.archivist.headers), 409, 'disposal-not-approved')
    expectProblem(await api('POST', `/disposals/${disposalId}/approve`, org.users.archivist.headers, { decisionNumber: '12/QĐ-UBND', decisionDate: '2026-01-10' }), 403, 'forbidden')
    const approved = await api('POST', `/disposals/${disposalId}/approve`, org.users.leader.headers, { decisionNumber: '12/QĐ-UBND', decisionDate: '2026-01-10', councilMembers: 'Ông A (Chủ tịch HĐ), Bà B, Ông C' })
    expect(approved.json()).toMatchObject({ status: 'approved', decisionNumber: '12/QĐ-UBND' })

    const hold = (await api('POST', '/holds', org.users.admin.headers, { title: 'Khiếu nại 2026', reason: 'Đang giải quyết khiếu nại', legalBasis: 'Luật Khiếu nại', documentIds: [old.documentIds[0]] })).json()
    const held = await api('POST', `/disposals/${disposalId}/execute`, org.users.archivist.headers)
    expectProblem(held, 409, 'record-on-hold')
    expect(held.json().holdTitle).toBe('Khiếu nại 2026')
    await api('POST', `/holds/${hold.id}/lift`, org.users.admin.headers, { reason: 'Đã giải quyết xong' })

    const before = await t.platform.database.db.select().from(documentFiles).where(inArray(documentFiles.documentId, [...old.documentIds, shared]))
    const done = await api('POST', `/disposals/${disposalId}/execute`, org.users.archivist.headers)
    expect(done.statusCode, done.body).toBe(200)
    expect(done.json()).toMatchObject({ status: 'destroyed', certificateSha256: expect.stringMatching(/^[0-9a-f]{64}$/) })

    for (const file of before) {
      const gone = old.documentIds.includes(file.documentId)
      expect(existsSync(path.join(t.dataDir, 'blobs', file.blobKey)), file.documentId).toBe(!gone)
    }
    const destroyedFile = before.find((f) => f.documentId === old.documentIds[0])!
    const content = await t.app.inject({ url: `/api/documents/${old.documentIds[0]}/files/${destroyedFile.id}/content`, headers: org.users.clerk.headers })
    expectProblem(content, 410, 'record-destroyed')
    const [docRow] = await t.platform.database.db.select().from(documents).where(eq(documents.id, old.documentIds[0]!))
    expect(docRow!.status).toBe('destroyed')
    expect(await t.platform.database.db.select().from(searchEntries).where(inArray(searchEntries.documentId, old.documentIds))).toEqual([])
    const [sharedRow] = await t.platform.database.db.select().from(documents).where(eq(documents.id, shared))
    expect(sharedRow!.status).not.toBe('destroyed')

    const tombstones = (await api('GET', `/disposals/${disposalId}/tombstones`, org.users.archivist.headers)).json() as { recordFileId: string; snapshot: { documents: { files: { sha256: string }[]; keptBecauseFiledIn: unknown[] }[]; decision: { number: string }; auditEvents: { action: string }[] } }[]
    const oldStone = tombstones.find((s) => s.recordFileId === old.id)!
    expect(oldStone.snapshot.decision.number).toBe('12/QĐ-UBND')
    expect(oldStone.snapshot.documents.flatMap((d) => d.files.map((f) => f.sha256)).sort()).toEqual(before.filter((f) => old.documentIds.includes(f.documentId)).map((f) => f.sha256).sort())
    expect(oldStone.snapshot.auditEvents.map((e) => e.action)).toEqual(expect.arrayContaining(['record-file.opened', 'record-file.closed']))
    const keeperStone = tombstones.find((s) => s.recordFileId === keeper.id)!
    expect(keeperStone.snapshot.documents[0]!.keptBecauseFiledIn).toEqual([expect.objectContaining({ fileCode: expect.stringContaining('99.VP') })])

    const certificate = await pdfText((await api('GET', `/disposals/${disposalId}/certificate.pdf`, org.users.archivist.headers)).rawPayload)
    expect(certificate).toContain('BIÊN BẢN HỦY TÀI LIỆU HẾT GIÁ TRỊ')
    expect(certificate).toContain('12/QĐ-UBND')
    expect(certificate).toContain(old.fileCode)
    const verify = await t.app.inject({ url: '/api/audit/verify', headers: org.users.admin.headers })
    expect(verify.json()).toMatchObject({ ok: true })
  })
})
