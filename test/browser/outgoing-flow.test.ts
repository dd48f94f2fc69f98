import { spawnSync } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { draftDocx, sampleDecision } from '../../scripts/lib/draft-docx.ts'
import { createTestPki, type TestPki } from '../../scripts/lib/test-pki/test-pki.ts'
import { pkcs12 } from '../../scripts/lib/test-pki/write-test-pki.ts'
import { verifyPdf } from '../../src/pades/verify/verify-pdf.ts'
import { demoSealPng, demoSignaturePng } from '../../src/signatures/appearance/demo-images.ts'
import { signedInPage, stageApi, type StageUser, startUiStage, type UiStage } from '../helpers/browser.ts'
import { PDF_PEERS_ABSENT, pdfPeersPresent, pdfsig, pdftotext } from '../helpers/pdf-peers.ts'
import { REPO_ROOT } from '../helpers/server-process.ts'

/**
 * Issue 14's walk-through in a real browser: an officer drafts a decision from a DOCX (LibreOffice turns
 * it into the PDF), the head of unit approves it, the leader signs it with the PIN, the clerk gives it
 * its number (shown before confirming), seals it and issues it to a unit and an external agency; the
 * unit's officer finds it among the documents received, and the PDF carries the number and two valid
 * signatures.
 */
const ADMIN_PASSWORD = 'Quản trị văn bản đi 2026'
const P12_PASSWORD = 'mật-khẩu-tệp-p12'
const PIN = '246810'
const SEAL_PIN = '135791'
const SUBJECT = 'Về việc thành lập Tổ công tác chuyển đổi số tỉnh Hòa Giang'
const AGENCY = { organId: '000.00.00.G09', name: 'Bộ Nội vụ', email: null }
const person = (username: string, fullName: string, roles: string[], password: string): StageUser => ({
  username,
  fullName,
  roles,
  password,
})
const PEOPLE = {
  officer: person('cvsoanthao', 'Lê Thị Soạn Thảo', ['officer'], 'Chuyên viên soạn thảo văn bản'),
  head: person('tpkinhte', 'Trần Văn Trưởng Phòng', ['leader'], 'Trưởng phòng cho ý kiến'),
  leader: person('ctkyso', 'Nguyễn Văn An', ['leader'], 'Chủ tịch ký ban hành văn bản'),
  clerk: person('vtphathanh', 'Phạm Thị Phát Hành', ['clerk'], 'Văn thư cấp số phát hành'),
  recipient: person('cvtonghop', 'Hoàng Thị Tổng Hợp', ['officer'], 'Chuyên viên nhận văn bản đi'),
}
const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10)
if (!pdfPeersPresent) console.warn(PDF_PEERS_ABSENT)
/** The officer drafts from a DOCX: without LibreOffice (libreoffice-writer-nogui) the walk-through is skipped. */
const libreOfficePresent = spawnSync('soffice', ['--version']).error === undefined
if (!libreOfficePresent)
  console.warn('soffice (libreoffice-writer-nogui) absent: the outgoing walk-through is SKIPPED')

let stage: UiStage
let pki: TestPki
const tokens: Record<string, string> = {}
const problems: string[] = []
let docxPath = ''
let documentPath = ''

const api = <T>(method: string, pathname: string, body?: FormData | object, bearer?: string) =>
  stageApi<T>(stage.server, method, pathname, body, bearer)
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(REPO_ROOT, 'test-results/screenshots', name), fullPage: true })

async function open(who: StageUser): Promise<Page> {
  const { page, problems: seen } = await signedInPage(stage, who, 30_000)
  page.on('close', () => problems.push(...seen))
  return page
}

const upload = (name: string, type: string, data: Buffer | string, extra: Record<string, string> = {}) => {
  const form = new FormData()
  form.set('file', new Blob([data], { type }), name)
  for (const [key, value] of Object.entries(extra)) form.set(key, value)
  return form
}

describe.skipIf(!libreOfficePresent)('văn bản đi from draft to issue in Chromium', () => {
  beforeAll(async () => {
    pki = createTestPki()
    stage = await startUiStage(ADMIN_PASSWORD)
    const admin = (
      await api<{ token: string }>('POST', '/api/auth/token', { username: 'admin', password: ADMIN_PASSWORD })
    ).token
    await api(
      'PATCH',
      '/api/admin/agency',
      { name: 'Ủy ban nhân dân tỉnh Hòa Giang', abbreviation: 'UBND' },
      admin,
    )
    const unit = async (name: string, abbreviation: string) =>
      (await api<{ id: string }>('POST', '/api/admin/departments', { name, abbreviation }, admin)).id
    const office = await unit('Văn phòng', 'VP')
    const economy = await unit('Phòng Kinh tế', 'KT')
    const general = await unit('Phòng Tổng hợp', 'TH')
    const units: Record<keyof typeof PEOPLE, string> = {
      officer: economy,
      head: economy,
      leader: office,
      clerk: office,
      recipient: general,
    }
    for (const [key, who] of Object.entries(PEOPLE) as [keyof typeof PEOPLE, StageUser][]) {
      await api('POST', '/api/admin/users', { ...who, departmentId: units[key], clearance: 1 }, admin)
      tokens[key] = (
        await api<{ token: string }>('POST', '/api/auth/token', {
          username: who.username,
          password: who.password,
        })
      ).token
    }
    // Signing as seed:demo sets it up: the test PKI trusted with its CRLs, the leader's and the seal's credentials.
    await api(
      'POST',
      '/api/admin/trust-anchors',
      upload('root.pem', 'application/x-pem-file', pki.root.certPem),
      admin,
    )
    await api(
      'POST',
      '/api/admin/trust-anchors',
      upload('intermediate.pem', 'application/x-pem-file', pki.intermediate.certPem),
      admin,
    )
    await api(
      'POST',
      '/api/admin/revocation-lists',
      upload('root.crl', 'application/pkix-crl', pki.crls.root.der),
      admin,
    )
    await api(
      'POST',
      '/api/admin/revocation-lists',
      upload('intermediate.crl', 'application/pkix-crl', pki.crls.intermediate.der),
      admin,
    )
    const credential = (entity: typeof pki.leader, pin: string) =>
      upload(
        'chu-ky.p12',
        'application/x-pkcs12',
        pkcs12(entity, [pki.intermediate, pki.root], P12_PASSWORD),
        {
          password: P12_PASSWORD,
          pin,
        },
      )
    await api('POST', '/api/me/signing-credentials', credential(pki.leader, PIN), tokens.leader)
    await api(
      'PUT',
      '/api/me/signature-image',
      upload('chu-ky.png', 'image/png', demoSignaturePng()),
      tokens.leader,
    )
    await api('POST', '/api/admin/signing/agency-seal', credential(pki.agency, SEAL_PIN), admin)
    await api(
      'PUT',
      '/api/admin/signing/seal-image',
      upload('con-dau.png', 'image/png', demoSealPng()),
      admin,
    )
    await api('POST', '/api/outgoing/agencies', AGENCY, tokens.clerk)

    const dir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-docx-'))
    docxPath = path.join(dir, 'du-thao-quyet-dinh.docx')
    await writeFile(
      docxPath,
      draftDocx(sampleDecision({ subject: SUBJECT, signerName: PEOPLE.leader.fullName })),
    )
  }, 240_000)

  afterAll(async () => {
    await stage?.close()
  })

  it('GIVEN a DOCX draft WHEN the officer creates it with a signer and recipients and submits it to the head of unit THEN it is in review', async () => {
    const officer = await open(PEOPLE.officer)
    await officer.getByTestId('nav-drafts').click()
    await officer.getByTestId('draft-new').waitFor()
    await officer.setInputFiles('#draft-file', docxPath)
    await officer.selectOption('#draft-kind', 'Quyết định')
    await officer.fill('#draft-subject', SUBJECT)
    const signer = officer.locator('#draft-signer option', { hasText: PEOPLE.leader.fullName })
    await expect.poll(() => signer.count()).toBe(1)
    await officer.selectOption('#draft-signer', (await signer.getAttribute('value')) ?? '')
    const agency = officer.locator('#draft-agency option', { hasText: AGENCY.name })
    await expect.poll(() => agency.count()).toBe(1)
    await officer.selectOption('#draft-agency', AGENCY.organId)
    await officer.selectOption('#draft-channel', 'post')
    await officer.getByLabel('Phòng Tổng hợp').check()
    await officer.getByTestId('draft-create').click()
    await officer.getByTestId('draft-open').waitFor({ timeout: 90_000 })
    await expect.poll(() => officer.getByTestId('outgoing-row').count()).toBe(1)
    await officer.getByTestId('draft-open').click()
    await officer.getByTestId('outgoing-panel').waitFor()
    documentPath = new URL(officer.url()).pathname
    // The PDF LibreOffice made is what the leader will sign; the DOCX stays as the source.
    const files = officer.getByTestId('file-row')
    await expect.poll(() => files.count()).toBeGreaterThanOrEqual(2)
    expect(await officer.getByTestId('document-files').textContent()).toContain('.docx')
    const recipients = officer.getByTestId('outgoing-recipients')
    expect(await recipients.textContent()).toContain(AGENCY.name)
    expect(await recipients.textContent()).toContain('Phòng Tổng hợp')

    await officer.getByTestId('outgoing-submit').click()
    const head = officer.locator('#outgoing-reviewer option', { hasText: PEOPLE.head.fullName })
    await officer.selectOption('#outgoing-reviewer', (await head.getAttribute('value')) ?? '')
    await officer.fill('#outgoing-submit-comment', 'Kính trình Trưởng phòng cho ý kiến.')
    await officer.getByTestId('outgoing-submit-confirm').click()
    await expect.poll(() => officer.getByTestId('meta-status').textContent()).toContain('Đang cho ý kiến')
    await officer.close()
  }, 180_000)

  it('GIVEN the draft in review WHEN the head of unit approves it from “Dự thảo chờ cho ý kiến” THEN it awaits the leader’s signature', async () => {
    const head = await open(PEOPLE.head)
    await head.getByTestId('nav-to-review').click()
    const row = head.getByTestId('outgoing-row')
    await expect.poll(() => row.count()).toBe(1)
    await row.getByTestId('outgoing-link').click()
    await head.getByTestId('outgoing-approve').click()
    await head.fill('#outgoing-review-comment', 'Đồng ý, trình Chủ tịch ký.')
    await head.getByTestId('outgoing-review-confirm').click()
    await expect.poll(() => head.getByTestId('meta-status').textContent()).toContain('Chờ ký')
    await expect.poll(() => head.getByTestId('outgoing-review').textContent()).toContain('Đồng ý')
    await head.close()
  }, 120_000)

  it('GIVEN the approved draft WHEN the leader signs it with the PIN from “Chờ ký” THEN it is signed', async () => {
    const leader = await open(PEOPLE.leader)
    await leader.getByTestId('nav-awaiting-signature').click()
    const item = leader.getByTestId('queue-item')
    await expect.poll(() => item.count()).toBe(1)
    expect(await item.textContent()).toContain(SUBJECT)
    await item.click()
    await leader.getByTestId('queue-sign').click()
    await expect
      .poll(() => leader.evaluate('document.activeElement && document.activeElement.id'))
      .toBe('sign-pin')
    await leader.keyboard.type(PIN)
    await leader.keyboard.press('Enter')
    const result = leader.getByTestId('sign-result')
    await expect.poll(() => result.count(), { timeout: 90_000 }).toBe(1)
    expect(await result.getAttribute('data-ok')).toBe('true')
    await leader.close()
  }, 150_000)

  it('GIVEN the signed document WHEN the clerk numbers it from “Chờ cấp số” (seeing the number first), seals it and issues it from “Chờ phát hành” THEN it is issued with a delivery per recipient', async () => {
    const clerk = await open(PEOPLE.clerk)
    await clerk.getByTestId('nav-awaiting-number').click()
    await expect.poll(() => clerk.getByTestId('outgoing-row').count()).toBe(1)
    expect(await clerk.getByTestId('outgoing-status').textContent()).toContain('Đã ký, chờ cấp số')
    await clerk.getByTestId('queue-number').click()
    await expect.poll(() => clerk.getByTestId('number-preview').textContent()).toContain('01/QĐ-UBND')
    await shot(clerk, 'outgoing-number-preview.png')
    await clerk.getByTestId('number-confirm').click()
    await expect
      .poll(() => clerk.getByTestId('queue-success').textContent())
      .toContain('Đã cấp số 01/QĐ-UBND')
    await clerk.getByTestId('outgoing-empty').waitFor()

    await clerk.goto(`${stage.server.baseUrl}${documentPath}`)
    await clerk.getByTestId('signing-seal').click()
    await clerk.fill('#seal-pin', SEAL_PIN)
    await clerk.getByTestId('seal-submit').click()
    await expect
      .poll(() => clerk.getByTestId('meta-status').textContent(), { timeout: 90_000 })
      .toContain('Đã đóng dấu, chờ phát hành')

    await clerk.getByTestId('nav-awaiting-issue').click()
    await expect.poll(() => clerk.getByTestId('outgoing-row').count()).toBe(1)
    await clerk.getByTestId('queue-issue').click()
    const listed = clerk.getByTestId('issue-recipients')
    await expect.poll(() => listed.textContent()).toContain(`${AGENCY.name} — Bưu điện`)
    expect(await listed.textContent()).toContain('Phòng Tổng hợp — Nội bộ')
    await clerk.getByTestId('issue-confirm').click()
    await expect
      .poll(() => clerk.getByTestId('queue-success').textContent())
      .toContain('Đã phát hành văn bản 01/QĐ-UBND')

    await clerk.goto(`${stage.server.baseUrl}${documentPath}`)
    await clerk.getByTestId('outgoing-panel').waitFor()
    // Outgoing labels, and each recipient with the state of its delivery.
    expect(await clerk.getByTestId('meta-numberNotation').textContent()).toContain('Số, ký hiệu')
    expect(await clerk.getByTestId('meta-numberNotation').textContent()).toContain('01/QĐ-UBND')
    expect(await clerk.getByTestId('meta-issuedDate').textContent()).toContain('Ngày ban hành')
    expect(await clerk.getByTestId('meta-signer').textContent()).toContain('Người ký')
    expect(await clerk.getByTestId('meta-arrivalNumber').count()).toBe(0)
    const recipient = (name: string) => clerk.getByTestId('outgoing-recipient').filter({ hasText: name })
    expect(await recipient('Phòng Tổng hợp').getAttribute('data-state')).toBe('delivered')
    expect(await recipient('Phòng Tổng hợp').textContent()).toContain('Đã nhận')
    expect(await recipient(AGENCY.name).textContent()).toMatch(/Bưu điện · (Chờ gửi|Chưa gửi)/)
    expect(await clerk.getByTestId('outgoing-panel').textContent()).toContain('Nơi nhận')
    // The timeline names the outgoing steps in Vietnamese, without the ids kept for the audit trail.
    const step = (action: string) => clerk.locator(`[data-testid="timeline-step"][data-action="${action}"]`)
    await expect.poll(() => step('numbered').textContent()).toContain('Cấp số')
    expect(await step('numbered').textContent()).toContain('01/QĐ-UBND')
    expect(await step('numbered').textContent()).not.toContain('registerId')
    expect(await step('approved').textContent()).toContain('Đồng ý dự thảo')
    expect(await step('issued').textContent()).toMatch(/Phát hành[\s\S]*Đã nhận: 1/)
    await shot(clerk, 'outgoing-issued.png')
    await clerk.close()
  }, 240_000)

  it('GIVEN the issued document WHEN the officer of the receiving unit opens “Văn bản đi nhận được” THEN it is there and opens', async () => {
    const officer = await open(PEOPLE.recipient)
    await officer.getByTestId('nav-outgoing-received').click()
    const row = officer.getByTestId('outgoing-row').filter({ hasText: SUBJECT })
    await expect.poll(() => row.count()).toBe(1)
    expect(await row.textContent()).toContain('01/QĐ-UBND')
    await row.getByTestId('outgoing-link').click()
    await expect.poll(() => officer.getByTestId('meta-status').textContent()).toContain('Đã phát hành')
    await officer.close()
  }, 120_000)

  it('GIVEN the issued PDF WHEN it is read THEN the text shows “Số: 01/QĐ-UBND” and our verifier (and pdfsig) finds the leader’s signature and the seal valid', async () => {
    const id = documentPath.split('/').at(-1) ?? ''
    const doc = await api<{ files: { id: string; role: string; createdAt: string; contentUrl: string }[] }>(
      'GET',
      `/api/documents/${id}`,
      undefined,
      tokens.clerk,
    )
    const newest = doc.files
      .filter((f) => f.role === 'signed')
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]!
    const response = await fetch(`${stage.server.baseUrl}${newest.contentUrl}`, {
      headers: { authorization: `Bearer ${tokens.clerk}` },
    })
    expect(response.status).toBe(200)
    const bytes = new Uint8Array(await response.arrayBuffer())
    const report = await verifyPdf(bytes, {
      trustAnchors: [pki.root.certPem],
      fetchRevocation: async () => ({ crls: [pki.crls.intermediate.der, pki.crls.root.der], ocsps: [] }),
    })
    expect(report.signatures.map((s) => s.verdict)).toEqual(['valid', 'valid'])
    expect(report.signatures[0]!.changesAfter.every((c) => c.allowed)).toBe(true)
    if (pdfPeersPresent) {
      const text = pdftotext(bytes)
      expect(text).toMatch(/Số: 01\/QĐ-UBND/)
      expect(text).toContain(`năm ${today().slice(0, 4)}`)
      const sig = pdfsig(bytes, pki.root.certPem)
      expect(sig.valid, sig.text).toBe(2)
    }
  }, 120_000)

  it('GIVEN the whole walk-through WHEN it ends THEN no page logged an error', () => {
    expect(problems).toEqual([])
  })
})
